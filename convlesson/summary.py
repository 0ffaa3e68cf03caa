"""A network's table of output shapes and parameter counts, layer by layer.

One walk serves the layer specs of `convlesson.architectures` and the
modules of `convlesson.nn`: each layer's output shape, from
``layer.output_shape(shape)`` alone, is the next layer's input shape, so
no array is made, and a layer that does not fit its input raises the
error running the network would, naming the layer.

>>> from convlesson.architectures import Conv, ReLU
>>> layers = [("conv1", Conv(3, 8, 3)), ("relu1", ReLU())]
>>> rows = walk(layers, (3, 32, 32), lambda layer: (str(layer), layer.params()))
>>> [(row.name, row.output_shape, row.params) for row in rows]
[('conv1', (8, 30, 30), 224), ('relu1', (8, 30, 30), 0)]
"""

from __future__ import annotations

from typing import NamedTuple


def format_shape(shape):
    """Write a shape the way the tables and figures do: ``(64, 55, 55)`` as ``'64×55×55'``.

    Examples
    --------
    >>> format_shape((3, 224, 224)), format_shape((4096,))
    ('3×224×224', '4096')
    """
    return "×".join(str(n) for n in shape)


class SummaryRow(NamedTuple):
    """One line of a `Summary`: the layer's name, what it is, its output shape and parameter count."""

    name: str
    layer: str
    output_shape: tuple
    params: int


def walk(named_layers, shape, describe):
    """The rows of layers applied one after another to an input of ``shape``.

    Parameters
    ----------
    named_layers : iterable of (str, layer)
        Each layer has ``output_shape(shape)``.
    shape : tuple of int
        The first layer's input shape.
    describe : callable
        ``describe(layer)`` gives the row's ``(layer, params)``: what to
        print for the layer and its number of parameters.

    Returns
    -------
    list of SummaryRow
        One per layer; row ``i``'s ``output_shape`` is layer ``i + 1``'s input.

    Raises
    ------
    ValueError
        If a layer does not fit the shape it receives: the layer's own
        error, prefixed with its name.
    """
    rows = []
    for name, layer in named_layers:
        try:
            shape = tuple(layer.output_shape(shape))
        except ValueError as error:
            raise ValueError(f"layer {name!r}: {error}") from None
        label, params = describe(layer)
        rows.append(SummaryRow(name, label, shape, params))
    return rows


class Summary:
    """Output shape and parameter count of each layer, as a table.

    Attributes
    ----------
    rows : list of SummaryRow
        One per layer of the network, in order. A row whose ``layer`` is
        ``''`` is the input itself (`convlesson.nn` lists it first).
    total : int
        Parameters of the whole network.
    name : str
        The network's name, or ``''``.
    input_shape : tuple of int or None
        Shown in the title when given.
    batched : bool
        Whether shapes have the batch axis, as `convlesson.nn` layers take
        them: printed as numpy prints shapes, ``(1, 64, 8, 8)``; otherwise
        one example's shape, printed as the lesson writes it, ``64×8×8``.

    Prints as a table (``str``, ``repr``); `to_markdown` gives a Markdown
    table. Iterating, ``len`` and indexing go through the rows.

    Examples
    --------
    >>> s = Summary([SummaryRow("fc1", "Linear(4096, 10)", (10,), 40970)], 40970, input_shape=(4096,))
    >>> print(s)
    input 4096
    Layer                 Output shape  Params
    ==========================================
    fc1 Linear(4096, 10)            10  40,970
    ==========================================
    Total params                        40,970
    >>> print(s.to_markdown())
    | Layer | Layer spec | Output shape | Params |
    |---|---|---:|---:|
    | fc1 | `Linear(4096, 10)` | 10 | 40,970 |
    | **Total** | | | **40,970** |
    """

    def __init__(self, rows, total, name="", input_shape=None, batched=False):
        self.rows, self.total, self.name = list(rows), total, name
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.batched = batched

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    @property
    def output_shape(self):
        """Shape of the network's output."""
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def _shape(self, shape):
        return str(tuple(shape)) if self.batched else format_shape(shape)

    def _title(self):
        """'seed_net, input 3×32×32', or what of it is known."""
        parts = [self.name] if self.name else []
        if self.input_shape is not None:
            parts.append(f"input {self._shape(self.input_shape)}")
        return ", ".join(parts)

    def _cells(self):
        """``(name, layer, shape, params)`` of each row as text; the input's params left blank."""
        return [(row.name, row.layer, self._shape(row.output_shape), f"{row.params:,}" if row.layer else "")
                for row in self.rows]

    def __str__(self):
        cells = self._cells()
        indent = max((len(name) for name, layer, _, _ in cells if layer), default=0)
        lines = [(f"{name:<{indent}} {layer}" if layer else name, shape, params)
                 for name, layer, shape, params in cells]
        total = f"{self.total:,}"
        header = ("Layer", "Output shape", "Params")
        widths = [max(len(line[k]) for line in [header, *lines]) for k in range(3)]
        widths[2] = max(widths[2], len(total))

        def line(layer, shape, params):
            return f"{layer:<{widths[0]}}  {shape:>{widths[1]}}  {params:>{widths[2]}}".rstrip()

        rule = "=" * (sum(widths) + 4)
        table = [line(*header), rule, *(line(*cells) for cells in lines), rule,
                 f"{'Total params':<{len(rule) - len(total)}}{total}"]
        return "\n".join([self._title(), *table] if self._title() else table)

    __repr__ = __str__

    def to_markdown(self):
        """The table in Markdown, with the total as its last row."""
        lines = ["| Layer | Layer spec | Output shape | Params |", "|---|---|---:|---:|"]
        lines += [f"| {name} | `{layer}` | {shape} | {params} |" for name, layer, shape, params in self._cells()]
        lines.append(f"| **Total** | | | **{self.total:,}** |")
        return "\n".join(lines)
