"""Tests for convlesson.data: the digits that ship with the package, the synthetic shapes and batches."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pytest

from convlesson import data

DIGIT_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def canonical(images, labels):
    """Rows (pixels…, label), sorted, so that two orderings of one data set compare equal."""
    table = np.column_stack([images.reshape(len(images), -1), labels])
    return table[np.lexsort(table.T[::-1])]


class TestDigits:
    def test_shapes_and_types(self):
        """1,797 float32 images (N, 1, 8, 8) and int64 labels."""
        images, labels = data.load_digits()
        assert images.shape == (1797, 1, 8, 8) and images.dtype == np.float32
        assert labels.shape == (1797,) and labels.dtype == np.int64

    def test_values_are_counts_over_16(self):
        """Pixels are the counts 0…16 divided by 16, so 17 levels from 0 to 1."""
        images, _ = data.load_digits()
        np.testing.assert_array_equal(np.unique(images * 16), np.arange(17))

    def test_labels(self):
        """Each digit appears as often as in the UCI test set, and the file starts 0, 1, 2, …, 9."""
        _, labels = data.load_digits()
        np.testing.assert_array_equal(np.bincount(labels), DIGIT_COUNTS)
        np.testing.assert_array_equal(labels[:10], np.arange(10))

    def test_first_image_is_a_zero(self):
        """The first image is scikit-learn's ``digits.images[0]``, a zero."""
        images, _ = data.load_digits()
        np.testing.assert_array_equal(images[0, 0, 0] * 16, [0, 0, 5, 13, 9, 1, 0, 0])
        np.testing.assert_array_equal(images[0, 0, :, 3] * 16, [13, 15, 2, 0, 0, 0, 5, 13])

    def test_file_and_citation_ship_inside_the_package(self):
        """digits.npz and its README with citation and licence are package files, read without a download."""
        folder = files("convlesson") / "datasets"
        assert (folder / "digits.npz").is_file()
        readme = (folder / "README.md").read_text(encoding="utf-8")
        assert "10.24432/C50P49" in readme and "CC BY 4.0" in readme and "Alpaydin" in readme


class TestDigitsSplit:
    def test_sizes(self):
        """1,442 training and 355 test images, every fifth of each digit in the test set."""
        (x_train, y_train), (x_test, y_test) = data.digits_split()
        assert x_train.shape == (1442, 1, 8, 8) and x_test.shape == (355, 1, 8, 8)
        np.testing.assert_array_equal(np.bincount(y_test), [n // 5 for n in DIGIT_COUNTS])
        np.testing.assert_array_equal(np.bincount(y_train) + np.bincount(y_test), DIGIT_COUNTS)

    def test_partition(self):
        """Training and test sets together are the whole data set, each image once."""
        (x_train, y_train), (x_test, y_test) = data.digits_split()
        joined = canonical(np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test]))
        np.testing.assert_array_equal(joined, canonical(*data.load_digits()))

    def test_fixed(self):
        """The split is the same on every call: the fifth, tenth, … zero are the first test zeros."""
        images, labels = data.load_digits()
        (_, _), (x_test, y_test) = data.digits_split()
        zeros = np.flatnonzero(labels == 0)
        np.testing.assert_array_equal(x_test[y_test == 0][:2], images[zeros[[4, 9]]])


class TestShapes:
    def test_shapes_and_types(self):
        """n_per_class images of each of the five classes, float32 (N, 1, size, size) in [0, 1]."""
        images, labels = data.shapes_dataset(7, size=10, seed=3)
        assert images.shape == (35, 1, 10, 10) and images.dtype == np.float32
        assert labels.dtype == np.int64 and np.bincount(labels).tolist() == [7] * 5
        assert images.min() >= 0 and images.max() <= 1
        assert len(data.SHAPE_CLASSES) == 5

    def test_same_seed_same_images(self):
        """The same seed gives the same data set; another seed a different one."""
        a, b, c = (data.shapes_dataset(5, seed=s) for s in (1, 1, 2))
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert not np.array_equal(a[0], c[0])

    def test_lines_run_along_their_axis(self):
        """Without noise, a horizontal line fills one row and a vertical line one column."""
        images, labels = data.shapes_dataset(20, size=16, seed=0, noise=0.0)
        for label, along in [(0, 2), (1, 1)]:  # summing along the line leaves one bright entry
            profiles = (images[labels == label, 0] > 0.5).sum(axis=along)
            assert ((profiles > 0).sum(axis=1) == 1).all()

    def test_classes_are_shuffled(self):
        """The images come shuffled, so a leading slice holds several classes."""
        _, labels = data.shapes_dataset(20, seed=0)
        assert len(set(labels[:10].tolist())) > 2

    @pytest.mark.parametrize("kwargs", [dict(n_per_class=0), dict(size=4)])
    def test_bad_arguments(self, kwargs):
        """At least one image per class, and images of at least 8×8."""
        with pytest.raises(ValueError):
            data.shapes_dataset(**kwargs)


class TestBatches:
    def test_in_order_with_a_short_last_batch(self):
        """Without shuffling, batches follow the data, and the last holds what is left."""
        x, y = np.arange(10.0)[:, None], np.arange(10)
        sizes = [(len(xb), yb.tolist()) for xb, yb in data.batches(x, y, 4)]
        assert sizes == [(4, [0, 1, 2, 3]), (4, [4, 5, 6, 7]), (2, [8, 9])]

    def test_shuffle_visits_every_sample_once(self):
        """Shuffled batches cover every sample exactly once, keeping x and y paired."""
        x, y = np.arange(10.0), np.arange(10)
        batches = data.batches(x, y, 3, shuffle=True, rng=0)
        pairs = [(float(a), int(b)) for xb, yb in batches for a, b in zip(xb, yb)]
        assert sorted(pairs) == [(float(i), i) for i in range(10)] and pairs != sorted(pairs)

    def test_seeded_shuffle_repeats(self):
        """The same seed gives the same order."""
        y = np.arange(20)
        orders = [np.concatenate([yb for _, yb in data.batches(y, y, 6, shuffle=True, rng=4)])
                  for _ in range(2)]
        np.testing.assert_array_equal(*orders)

    def test_lengths_must_match(self):
        """x and y of different lengths are refused at once."""
        with pytest.raises(ValueError, match="same length, got 3 and 2"):
            data.batches(np.zeros(3), np.zeros(2), 2)
