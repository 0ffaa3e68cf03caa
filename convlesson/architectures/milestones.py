"""The lesson's history table: five networks, from LeNet-5 to ResNet-50, with their numbers."""

from __future__ import annotations

from typing import NamedTuple

from .counts import count_params


class Milestone(NamedTuple):
    """One row of the history table.

    Attributes
    ----------
    network : str
        Name as usually written (``'VGG-16'``).
    key : str
        Name for `get` (``'vgg16'``).
    year : int
        Year of the paper.
    depth : int
        Layers with weights, as usually quoted (see `depth`).
    params : int
        Parameters counted here (`count_params`).
    published : int
        Parameter count as the source gives it, rounded as there.
    idea : str
        What it brought, in a few words.
    source : str
        Where ``published`` (and ``depth``) come from.
    """

    network: str
    key: str
    year: int
    depth: int
    params: int
    published: int
    idea: str
    source: str


# Depths and published parameter counts as the papers (or the usual citations) give them.
_MILESTONES = (
    ("LeNet-5", "lenet5", 1998, 5, 60_000, "convolutions and subsampling learned end to end",
     "LeCun, Bottou, Bengio & Haffner 1998, Proc. IEEE: 'about 60,000 free parameters'; "
     "depth 5 = 2 conv + 3 fully connected"),
    ("AlexNet", "alexnet", 2012, 8, 60_000_000, "a large convnet trained on GPUs, with ReLU and dropout",
     "Krizhevsky, Sutskever & Hinton 2012, abstract: '60 million parameters'; 5 conv + 3 fully connected"),
    ("VGG-16", "vgg16", 2014, 16, 138_000_000, "only 3×3 convolutions, stacked 16 deep",
     "Simonyan & Zisserman 2015, Table 2, configuration D: 138 million; 13 conv + 3 fully connected"),
    ("GoogLeNet", "googlenet", 2014, 22, 6_800_000, "inception modules: parallel branches, 1×1 reductions",
     "Szegedy et al. 2015, Table 1 (its params column adds up to 6.8 million); "
     "'22 layers deep when counting only layers with parameters'"),
    ("ResNet-50", "resnet50", 2015, 50, 25_500_000, "shortcut connections: each block learns F(x) in F(x) + x",
     "He et al. 2016 (depth in the name); the paper gives FLOPs only, 25.5 million is "
     "Xie et al. 2017 (ResNeXt), Table 1"),
)


class History(list):
    """The list of `Milestone` rows that `history` returns; prints as a table, `to_markdown` too."""

    def _cells(self):
        return [(m.network, str(m.year), str(m.depth), _human(m.params), _human(m.published), m.idea)
                for m in self]

    _HEADER = ("Network", "Year", "Layers", "Parameters (counted)", "Published", "Key idea")

    def __str__(self):
        cells = [self._HEADER, *self._cells()]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self._HEADER))]
        right = {1, 2, 3, 4}
        return "\n".join("  ".join(c.rjust(w) if i in right else c.ljust(w)
                                   for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                         for row in cells)

    def to_markdown(self):
        """The table in Markdown: network, year, layers, counted and published parameters, key idea."""
        lines = ["| " + " | ".join(self._HEADER) + " |", "|---|---:|---:|---:|---:|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in self._cells()]
        return "\n".join(lines)


def _human(n):
    """A parameter count rounded for a table: 61.7 K, 61.1 M, 138.4 M."""
    for size, unit in ((1_000_000, "M"), (1_000, "K")):
        if n >= size:
            value = f"{n / size:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return str(n)


def history():
    """The lesson's history table: year, depth, parameters counted here and as published, key idea.

    Returns
    -------
    History
        A list of `Milestone`, LeNet-5 to ResNet-50; ``print`` it, or
        ``.to_markdown()``.

    Examples
    --------
    >>> print(history())  # doctest: +NORMALIZE_WHITESPACE
    Network    Year  Layers  Parameters (counted)  Published  Key idea
    LeNet-5    1998       5                61.7 K       60 K  convolutions and subsampling learned end to end
    AlexNet    2012       8                61.1 M       60 M  a large convnet trained on GPUs, with ReLU and dropout
    VGG-16     2014      16               138.4 M      138 M  only 3×3 convolutions, stacked 16 deep
    GoogLeNet  2014      22                 6.6 M      6.8 M  inception modules: parallel branches, 1×1 reductions
    ResNet-50  2015      50                25.6 M     25.5 M  shortcut connections: each block learns F(x) in F(x) + x
    """
    return History(Milestone(network, key, year, layers, count_params(key), published, idea, source)
                   for network, key, year, layers, published, idea, source in _MILESTONES)
