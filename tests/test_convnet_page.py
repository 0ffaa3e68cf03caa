"""The ConvNet notebook page: built by mkdocs-jupyter, downloadable, and trained live in the page."""

import re

import nbformat
import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

NOTEBOOK = ROOT / "docs" / "convnet.ipynb"
EPOCH_LINE = re.compile(r"epoch (\d+)/(\d+): loss ([\d.]+), validation accuracy ([\d.]+)% \(([\d.]+) s\)")
TRAINING_CELL = 4  # imports, digits, model, training, softmax, test accuracy, filters, feature maps, confusion


def epochs(text):
    return [(int(e), int(n), float(loss), float(acc) / 100) for e, n, loss, acc, _ in EPOCH_LINE.findall(text)]


def test_notebook_is_executed_at_build(site):
    """The page reads complete without JavaScript: every epoch, ≥ 95 % test accuracy, five figures with alt."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / "convnet" / "index.html").read_text(), "html.parser")
    text = soup.get_text()
    trained = epochs(text)
    assert [e for e, *_ in trained] == list(range(1, 9))
    assert trained[-1][3] >= 0.95
    accuracy = float(re.search(r"test accuracy: ([\d.]+)%", text).group(1)) / 100
    assert accuracy >= 0.95
    assert re.search(r"(\d+) of 355 digits right", text).group(1) == str(round(accuracy * 355))
    right, total = map(int, re.search(r"(\d+) of (\d+) right;", text).groups())
    assert total == 288 and right / total >= 0.95  # the confusion matrix counts the validation images
    images = soup.select(".jp-OutputArea-output img")
    assert len(images) == 5
    assert all(len(image["alt"]) > 40 and "No description" not in image["alt"] for image in images)
    assert not soup.select('script[src=""]')


def test_notebook_downloads_as_ipynb(page, server):
    """The download button gives the lesson's notebook, as a notebook Jupyter can open."""
    page.goto(server.url + "convnet/")
    link = page.get_by_role("link", name="Download .ipynb")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    downloaded = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(downloaded)
    assert [c.source for c in downloaded.cells] == [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells]


def test_training_redraws_the_curves_in_place(page, server, cell):
    """Training in the page prints each epoch and keeps one curves figure, redrawn as epochs end."""
    page.goto(server.url + "convnet/")
    training = cell(TRAINING_CELL)
    area = training.root.locator(".cl-cell__output")
    training.click_run()
    # The build's output stays while the earlier cells run: wait for the live one.
    page.wait_for_function(
        "area => !area.querySelector('.jp-Cell-outputWrapper') && /epoch 2\\/8/.test(area.textContent)",
        arg=area.element_handle(), timeout=120_000,
    )
    early = area.locator("img").evaluate_all("images => images.map(i => i.src)")
    assert training.status == "Running…"  # not "Python ready": loading ended, the run goes on
    training.wait_done(timeout=120_000)
    assert training.status == "Done"
    trained = epochs(training.output)
    assert [e for e, *_ in trained] == list(range(1, 9))
    assert trained[-1][3] >= 0.95
    final = area.locator("img")
    assert len(early) == 1 and final.count() == 1  # one figure all along, never one per epoch
    assert final.get_attribute("src") != early[0]  # ... whose picture changed
    assert final.evaluate("i => i.naturalWidth") > 300
    code_cells = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    assert final.get_attribute("alt") == code_cells[TRAINING_CELL - 1].metadata["alt"]  # the author's, kept
    losses = [loss for _, _, loss, _ in trained]
    assert losses[-1] < losses[0] / 5


def test_every_figure_renders_after_training(page, server, cell):
    """Running the last cell trains first (its earlier cells), then shows the confusion matrix."""
    page.goto(server.url + "convnet/")
    count = page.locator(".cl-cell").count()
    last = cell(count)
    last.run(timeout=180_000)
    output = last.output
    earlier = [str(n) for n in range(1, count)]
    assert output.startswith(f"Ran cells {', '.join(earlier[:-1])} and {earlier[-1]} first")
    right, total = map(int, re.search(r"(\d+) of (\d+) right", output).groups())
    assert total == 288 and right / total >= 0.95  # the validation images
    image = last.root.locator(".cl-cell__output img")
    assert image.count() == 1 and image.evaluate("i => i.naturalWidth") > 200
    for number in (7, 8):  # filters and feature maps, run by hand after training
        figure = cell(number)
        figure.run()
        shown = figure.root.locator(".cl-cell__output img")
        assert shown.count() == 1 and shown.evaluate("i => i.naturalHeight") > 100


def test_stop_during_training_keeps_the_page_usable(page, server, cell):
    """Stop in the middle of a long training: it stops within a second, and the next Run works."""
    page.goto(server.url + "convnet/")
    training = cell(TRAINING_CELL)
    training.set_code(training.code.replace("EPOCHS = 8", "EPOCHS = 500"))
    training.click_run()
    area = training.root.locator(".cl-cell__output")
    page.wait_for_function("area => /epoch 1\\/500/.test(area.textContent)", arg=area.element_handle(),
                           timeout=120_000)
    training.button("Stop").click()
    training.wait_done(timeout=1_000)
    assert training.status == "Stopped"
    assert "epoch 500/500" not in training.output
    model = cell(3)
    model.run()
    assert re.search(r"Total params\s+([\d,]+)", model.output).group(1) == f"{16 * 25 + 16 + 32 * 16 * 9 + 32 + 1290:,}"
    assert "EPOCHS = 500" in training.code  # the reader's edit is still there

