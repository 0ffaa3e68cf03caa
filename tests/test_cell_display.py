"""IPython.display in cells, where IPython is missing (as in Pyodide), and how the build settles it."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from mkdocs_cells import output as cell_render
from mkdocs_cells import runner

cell_runner = runner.install()


def run_without_ipython(code):
    """The outputs and reply of ``code`` run as a cell by a Python that has no IPython (no
    site-packages), with the runner's modules top-level as in the page's worker (runner.js)."""
    program = textwrap.dedent(f"""
        import importlib.util, json, sys
        spec = importlib.util.spec_from_file_location("cells_magics", {str(Path(runner.__file__).with_name("magics.py"))!r})
        sys.modules["cells_magics"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["cells_magics"])
        spec = importlib.util.spec_from_file_location("cells_runner", {runner.__file__!r})
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        outputs = []
        reply = module.install().run({code!r}, "page", 1, lambda kind, payload: outputs.append([kind, payload]))
        print(json.dumps({{"outputs": outputs, "reply": reply}}))
    """)
    done = subprocess.run([sys.executable, "-S", "-c", program], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_display_update_and_clear_without_ipython():
    """display shows reprs, a handle replaces what it showed, clear_output(wait=True) clears on the next output."""
    result = run_without_ipython(textwrap.dedent("""
        from IPython.display import clear_output, display, update_display
        handle = display("first", display_id=True)
        display([1, 2], display_id="list")
        handle.update("second")
        update_display({"a": 1}, display_id="list")
        print("kept")
        clear_output(wait=True)
        print("after")
        display("last")
    """))
    outputs = result["outputs"]
    assert "error" not in result["reply"], result["reply"]
    kinds = [kind for kind, _ in outputs]
    assert kinds == ["text"] * 4 + ["stdout"] * 2 + ["clear"] + ["stdout"] * 2 + ["text"]  # print writes "\n" apart
    first, listed, second, updated = (payload for _, payload in outputs[:4])
    assert (first["text"], first["update"]) == ("'first'", False) and len(first["id"]) == 32
    assert second == {"text": "'second'", "id": first["id"], "update": True}
    assert updated == {"text": "{'a': 1}", "id": "list", "update": True}
    assert outputs[-1][1] == {"text": "'last'", "id": None, "update": False}
    settled = cell_render.settle([tuple(o) for o in outputs])
    assert settled == [("stdout", "after"), ("stdout", "\n"), ("text", outputs[-1][1])]


def test_display_is_the_runners_also_where_ipython_is_installed():
    """At build (CPython with IPython, no notebook shell) a cell's display acts as in the page."""
    import IPython.display

    outputs = []
    code = "from IPython.display import display\nh = display('x', display_id='d')\nh.update('y')"
    reply = cell_runner.run(code, "display-ipython", 1, lambda kind, payload: outputs.append((kind, payload)))
    assert reply == {"result": None}
    assert outputs == [("text", {"text": "'x'", "id": "d", "update": False}),
                       ("text", {"text": "'y'", "id": "d", "update": True})]
    assert sys.modules["IPython.display"] is IPython.display  # the real one, back after the cell


def test_build_keeps_the_last_picture_of_a_display():
    """At build, updates replace the displayed output in place, among the other outputs."""
    outputs = [
        ("stdout", "start\n"),
        ("image", {"png": "AAA", "alt": "Figure", "id": "curves", "update": False}),
        ("stdout", "epoch 1\n"),
        ("image", {"png": "BBB", "alt": "Figure", "id": "curves", "update": True}),
        ("image", {"png": "CCC", "alt": "Figure", "id": "other", "update": True}),  # nothing to update
    ]
    assert cell_render.settle(outputs) == [outputs[0], outputs[3], outputs[2]]
    html = cell_render.render(outputs, lambda png: f"{png}.png")
    assert html.count("<img") == 1 and 'src="BBB.png"' in html


def test_a_figure_as_last_expression_is_shown_once():
    """A figure left as the cell's value is shown as an image, once, even if pyplot holds it."""
    outputs = []
    reply = cell_runner.run(
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nax.set_xlabel('x')\n"
        "ax.set_ylabel('y')\nfig",
        "display-test", 1, lambda kind, payload: outputs.append((kind, payload)),
    )
    assert reply == {"result": None}
    assert [kind for kind, _ in outputs] == ["image"]
    assert outputs[0][1]["alt"] == "Figure: y against x"
