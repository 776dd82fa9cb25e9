"""The computational graph behind a tensor, drawn with matplotlib (no graphviz needed).

``draw_graph(z)`` draws what the lesson draws by hand: tensors and the ops that made them, as
alternating boxes from the inputs (left) to the output (right). Tensors are coloured by kind
(leaf, intermediate, root, constant); each op shows its ``grad_fn`` name (``SinBackward0``).
Tensor boxes show the value the forward pass computed and, when autograd has stored one, the
gradient (``.grad`` of leaves, and of tensors that called ``retain_grad()``): after
``backward()`` that is exactly what PyTorch keeps. Intermediate gradients are not kept by
autograd, so they are not shown here; ``backward_stepper`` shows them as they flow.

After ``backward()`` an op's saved tensors are freed (a second backward raises); such ops are
drawn with a dashed outline. The tensors' values stay: they belong to the forward pass.

``graph_structure(z)`` returns the nodes and edges the picture is drawn from, for tests and for
curious learners. Where the boxes go is worked out in ``layout.py``.
"""

from __future__ import annotations

import base64
import functools
import io
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autograd.function import _FREED, AccumulateGrad, BackwardNode
from ..autograd.stepping import Trace, fmt
from ..tensor import Tensor
from ._common import (
    EDGE_COLOR,
    FONT,
    FREED_LEGEND,
    GRAD_COLOR,
    KIND_LEGEND,
    KIND_STYLE,
    VALUE_COLOR,
    caller_names,
    frame_of_caller,
)
from .layout import BAND_GAP, LANE, MAX_WIDTH, Layout, layers, place

MAX_NODES = 100  # beyond this a picture stops being readable: draw_graph shows a summary

# How large a picture shows in a notebook. Its sizes are in points; at 144 dpi a point is two
# pixels, so the smallest text (7.5 pt) is 15 px and values (9 pt) 18 px, above the 14 px of a
# notebook's body text. A wider picture is shown smaller so that it fits an output column of
# FIT_WIDTH pixels (JupyterLab beside its file browser), down to 100 dpi (names 14.6 px, values
# 12.5 px); only a picture wider than SCROLL_WIDTH even then is shown at full size in a box
# that scrolls sideways.
DISPLAY_DPI = 144.0
MIN_DPI = 100.0
FIT_WIDTH = 900.0
SCROLL_WIDTH = 1000.0


def display_dpi(figure: Any, scale: float = 1.0) -> float:
    """The dpi a picture is shown at in a notebook: DISPLAY_DPI, less for a wide one; × scale."""
    width = figure.get_size_inches()[0]
    return scale * max(MIN_DPI, min(DISPLAY_DPI, FIT_WIDTH / width))


# -- the structure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    """A box of the picture: a tensor (leaf, intermediate, root, constant) or an op."""

    id: int
    kind: str  # "leaf", "intermediate", "root", "constant" or "op"
    label: str  # a tensor's name (the learner's, or t1, t2, ...) or an op's grad_fn name
    value: str | None = None  # a tensor's value in the forward pass, as text
    grad: str | None = None  # the gradient autograd stored for it (.grad), as text
    shape: tuple[int, ...] | None = None
    freed: bool = False  # an op whose saved tensors a backward pass has freed
    key: Any = field(default=None, compare=False, repr=False)  # its graph node, or the tensor

    @property
    def is_op(self) -> bool:
        return self.kind == "op"


@dataclass(frozen=True)
class GraphEdge:
    """An arrow in the forward direction: tensor -> op (input ``slot`` of the op), op -> tensor."""

    source: int
    target: int
    slot: int = 0


@dataclass(frozen=True)
class GraphStructure:
    """What ``draw_graph`` draws: nodes, edges (forward direction) and which node is the root."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    root: int

    def node(self, label: str) -> GraphNode:
        """The node with this label (a tensor's name, or the first op with this grad_fn name)."""
        for n in self.nodes:
            if n.label == label:
                return n
        raise KeyError(f"no node labelled {label!r}; labels: {[n.label for n in self.nodes]}")

    @property
    def ops(self) -> list[GraphNode]:
        return [n for n in self.nodes if n.is_op]

    @property
    def tensors(self) -> list[GraphNode]:
        return [n for n in self.nodes if not n.is_op]

    def inputs_of(self, node: GraphNode) -> list[GraphNode]:
        """The nodes with an arrow into ``node``, in input order (twice for ``a + a``)."""
        edges = sorted((e for e in self.edges if e.target == node.id), key=lambda e: e.slot)
        return [self.nodes[e.source] for e in edges]

    def summary(self) -> str:
        """A few lines that describe the graph (what draw_graph shows when it is too big)."""
        counts: dict[str, int] = {}
        for n in self.nodes:
            if n.is_op:
                counts[n.label] = counts.get(n.label, 0) + 1
        kinds = {k: sum(1 for n in self.nodes if n.kind == k) for k in KIND_STYLE}
        n_ops = kinds.pop("op")
        common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ops_text = ", ".join(f"{name} ×{k:,}" for name, k in common[:6])
        if len(common) > 6:
            ops_text += f", and {len(common) - 6} more kinds"
        leaves = [n.label for n in self.nodes if n.kind == "leaf"]
        leaf_text = ", ".join(leaves[:8])
        if len(leaves) > 8:
            leaf_text += f", ... ({len(leaves):,} in all)"
        root = self.nodes[self.root]
        return "\n".join(
            [
                f"{len(self.nodes):,} nodes: {n_ops:,} ops and {len(self.nodes) - n_ops:,} tensors "
                f"({_count(kinds['leaf'], 'leaf', 'leaves')}, "
                f"{kinds['intermediate']:,} intermediate, "
                f"{_count(kinds['constant'], 'constant', 'constants')}, 1 root)",
                f"root: {root.label} = {root.value}",
                f"leaves: {leaf_text or 'none'}",
                f"ops: {ops_text or 'none'}",
                f"longest path from an input to the root: {_longest_path(self):,} ops",
            ]
        )


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def graph_structure(t: Tensor, names: Mapping[str, Any] | None = None) -> GraphStructure:
    """The graph behind ``t`` as plain data: the nodes and edges that ``draw_graph`` draws.

    ``names``: ``{"w": w, ...}`` or ``locals()``; by default the caller's variables (``{}``
    for none). Unnamed tensors are labelled ``t1``, ``t2``, ... in the order they were made.
    """
    return structure_of(Trace(t, caller_names(names, frame_of_caller(2))))


def structure_of(trace: Trace) -> GraphStructure:
    """Tensors and ops in the order the forward pass made them, with their edges."""
    nodes: list[GraphNode] = []
    ids: dict[Any, int] = {}

    def add_tensor(key: Any) -> int:
        if key not in ids:
            ids[key] = len(nodes)
            value = trace.value.get(key)
            nodes.append(
                GraphNode(
                    id=len(nodes),
                    kind=trace.kind[key],
                    label=trace.label[key],
                    value=None if value is None else fmt(value),
                    grad=_stored_grad(key),
                    shape=None if value is None else tuple(np.shape(value)),
                    key=key,
                )
            )
        return ids[key]

    edges: list[GraphEdge] = []
    for op in trace.ops:
        sources = [add_tensor(key) for key in trace.inputs[op]]
        op_id = len(nodes)
        freed = getattr(op, "_saved", None) is _FREED
        nodes.append(GraphNode(id=op_id, kind="op", label=op.name(), freed=freed, key=op))
        edges.extend(GraphEdge(s, op_id, slot) for slot, s in enumerate(sources))
        edges.extend(GraphEdge(op_id, add_tensor(out)) for out in trace.outputs[op])
    root = add_tensor(trace.root_key)
    return GraphStructure(tuple(nodes), tuple(edges), root)


def _stored_grad(key: Any) -> str | None:
    """The ``.grad`` autograd keeps for this tensor: a leaf's, or a retain_grad() tensor's."""
    tensor = None
    if isinstance(key, AccumulateGrad):
        tensor = key.variable
    elif isinstance(key, BackwardNode) and key._retained is not None:
        tensor = key._retained()
    if tensor is None or tensor._grad is None:
        return None
    return fmt(tensor._grad._data)


def _longest_path(structure: GraphStructure) -> int:
    """The most ops on a path from an input to the root (iterative, for deep graphs)."""
    layer = layers(structure)
    ops_on_path = max(layer.values(), default=0) - min(layer.values(), default=0)
    return (ops_on_path + 1) // 2


# -- drawing --------------------------------------------------------------------------------------


@dataclass
class GraphPicture:
    """A drawn graph: the figure, and the structure it shows.

    In Jupyter it displays itself (once), as a PNG of ``dpi`` pixels to the inch (set by
    ``draw_graph``'s ``scale``; change it and show the picture again to resize it).
    ``save(path)`` writes a PNG. The stepper changes the drawn boxes through ``boxes``,
    ``grad_texts`` and ``arrows``.
    """

    structure: GraphStructure
    figure: Any
    ax: Any
    summarized: bool = False  # True: the graph was too large, a summary was drawn instead
    message: str = ""
    boxes: dict[int, Any] = field(default_factory=dict)
    grad_texts: dict[int, Any] = field(default_factory=dict)
    arrows: list[tuple[GraphEdge, Any]] = field(default_factory=list)
    own_figure: bool = True
    dpi: float = MIN_DPI

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height of the PNG a notebook shows (whole pixels, as matplotlib cuts)."""
        w, h = self.figure.get_size_inches() * self.dpi
        return int(w), int(h)

    def save(self, path: str, dpi: int = 150) -> None:
        self.figure.savefig(path, dpi=dpi, facecolor="white")

    def _repr_png_(self) -> bytes | None:
        if not self.own_figure:  # the learner's own figure shows itself
            return None
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi, facecolor="white")
        return buffer.getvalue()

    def _repr_html_(self) -> str | None:
        """A picture too wide for a notebook scrolls sideways at full size (Jupyter would
        shrink it until the text is unreadable); others show as plain PNGs."""
        width = self.pixels[0]
        if not self.own_figure or width <= SCROLL_WIDTH:
            return None
        png = base64.b64encode(self._repr_png_() or b"").decode("ascii")
        return (
            f"<div style='overflow-x:auto'><img src='data:image/png;base64,{png}' "
            f"width='{width:.0f}' style='max-width:none' alt='the computational graph'></div>"
        )

    def __repr__(self) -> str:
        what = "summary of a graph" if self.summarized else "graph"
        root = self.structure.nodes[self.structure.root].label
        return f"<{what}: {len(self.structure.nodes)} nodes, root {root}>"


@dataclass
class _Fonts:
    """Font sizes in points; drawn smaller when the learner's axes are small."""

    scale: float = 1.0

    @property
    def label(self) -> float:
        return 10.5 * self.scale

    @property
    def value(self) -> float:
        return 9.0 * self.scale

    @property
    def op(self) -> float:
        return 9.0 * self.scale

    @property
    def op_suffix(self) -> float:
        return 7.5 * self.scale


PAD = 4.5  # inside a box, around its text
LINE = 1.3  # line height, in font sizes


def draw_graph(
    t: Tensor,
    names: Mapping[str, Any] | None = None,
    ax: Any = None,
    show_grads: bool = True,
    show_values: bool = True,
    max_nodes: int = MAX_NODES,
    title: str | None = None,
    legend: bool = True,
    max_width: float = MAX_WIDTH,
    scale: float = 1.0,
) -> GraphPicture:
    """Draw the computational graph behind ``t`` (leaves on the left, ``t`` on the right).

    * ``names``: ``{"w": w, "x": x}`` or ``locals()``; by default the variables of the calling
      code (in a notebook, the learner's), ``{}`` for none. Unnamed tensors get ``t1``, ``t2``...
    * ``show_grads``: write the gradients autograd stored (after ``backward()``: the leaves'
      ``.grad``, and any ``retain_grad()`` tensor's).
    * ``ax``: draw into these axes instead of a new figure.
    * A graph wider than ``max_width`` points (72 to the inch) wraps into rows, read left to
      right and top down, like lines of text; an arrow that goes on in the next row runs back
      along the gap between the rows.
    * Graphs of more than ``max_nodes`` boxes are not drawn: a summary panel says so instead.
    * ``scale``: how large it shows in a notebook. At 1 a small graph's text is larger than
      the notebook's own, and a wide graph is shrunk (down to 100 dpi) to fit a notebook's
      width; 1.5 shows it half as large again, 0.8 smaller. (``save`` takes its own ``dpi``.)
    """
    named = caller_names(names, frame_of_caller(2))
    structure = structure_of(Trace(t, named))
    return draw_structure(
        structure, ax=ax, show_grads=show_grads, show_values=show_values, max_nodes=max_nodes,
        title=title, legend=legend, max_width=max_width, scale=scale,
    )  # fmt: skip


def draw_structure(
    structure: GraphStructure,
    ax: Any = None,
    show_grads: bool = True,
    show_values: bool = True,
    max_nodes: int = MAX_NODES,
    title: str | None = None,
    legend: bool = True,
    grads: Mapping[int, str] | None = None,
    reserve: Mapping[int, str] | None = None,
    footer: float = 0.0,
    max_width: float = MAX_WIDTH,
    figure: Any = None,
    scale: float = 1.0,
) -> GraphPicture:
    """Draw a structure. ``grads`` replaces the stored gradients (the stepper's gradients so
    far); ``reserve`` makes room for texts to come; ``footer`` leaves points below for text;
    ``figure``: an empty figure to size and draw in (a widget's canvas); ``scale``: see
    ``draw_graph``."""
    from matplotlib.figure import Figure

    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if len(structure.nodes) > max_nodes:
        picture = _draw_summary(structure, ax, max_nodes)
        picture.dpi = display_dpi(picture.figure, scale)
        return picture
    fonts = _Fonts()
    if grads is None:
        grads = {n.id: n.grad for n in structure.nodes if n.grad is not None} if show_grads else {}
    texts, size = {}, {}
    for n in structure.nodes:
        lines = _texts(n, show_values, grads.get(n.id))
        measured = lines
        extra = (reserve or {}).get(n.id)
        if extra is not None:  # a grad line to fill in later: make the box fit its longest text
            if all(role != "grad" for _, role in lines):
                lines = [*lines, ("", "grad")]
            measured = [line for line in lines if line[1] != "grad"] + [(extra, "grad")]
        texts[n.id] = lines
        size[n.id] = _box_size(measured, fonts)
    layout = place(structure, size, max_width)

    margin = 12.0 if len(layout.band_right) == 1 else 22.0  # wrapped: arrows pass left
    entries = _legend_entries(structure) if legend else []
    room = max(layout.width, 460.0)
    legend_w, legend_h = _legend_size(entries, fonts, room)
    bottom_space = footer + legend_h
    top_space = 26.0 if title else 0.0
    title_size = 12.0 if title and len(title) < 70 else 10.5
    title_w = _text_width(title, title_size) + 8 if title else 0.0
    width = max(layout.width, legend_w, title_w, 240.0)
    left = (width - layout.width) / 2  # a narrow graph sits in the middle
    fig_w = width + 2 * margin
    fig_h = layout.height + 2 * margin + bottom_space + top_space
    own = ax is None
    if own:
        if figure is None:
            figure = Figure(facecolor="white")  # not pyplot's: it never shows up by itself
        figure.set_size_inches(fig_w / 72, fig_h / 72)
        ax = figure.add_axes((0, 0, 1, 1))
    else:  # the learner's axes: one unit stays one point at this scale, fonts follow
        figure = ax.figure
        box = ax.get_window_extent().transformed(figure.dpi_scale_trans.inverted())
        fonts.scale = min(2.0, box.width * 72 / fig_w, box.height * 72 / fig_h)
        ax.set_aspect("equal", adjustable="box")  # (datalim would fight the limits set below)
    ax.set_xlim(-margin - left, layout.width + margin + (width - layout.width - left))
    ax.set_ylim(-margin - bottom_space, layout.height + margin + top_space)
    ax.set_axis_off()
    picture = GraphPicture(structure, figure, ax, own_figure=own, dpi=display_dpi(figure, scale))
    _draw_edges(picture, layout)
    _draw_nodes(picture, layout, texts, fonts)
    if title:
        ax.text(
            layout.width / 2, layout.height + margin + top_space / 2, title, ha="center",
            va="center", fontsize=title_size * fonts.scale,
            fontweight="bold", family=FONT,
        )  # fmt: skip
    if entries:
        _draw_legend(picture, entries, fonts, -margin - 8.0, layout.width / 2, room)
    return picture


def _texts(node: GraphNode, show_values: bool, grad: str | None) -> list[tuple[str, str]]:
    """The lines of a box, each with its role: ("y_pred", "label"), ("0.99877", "value")..."""
    if node.is_op:
        name = node.label
        cut = name.find("Backward")
        if cut > 0:  # two short lines keep the columns narrow: "Sigmoid" / "Backward0"
            return [(name[:cut], "op"), (name[cut:], "op_suffix")]
        return [(name, "op")]
    lines = [(node.label, "label")]
    if show_values and node.value is not None and node.value != node.label:
        lines.append((node.value, "value"))
    if grad is not None:
        lines.append((f"grad {grad}", "grad"))
    return lines


def _font_size(role: str, fonts: _Fonts) -> float:
    return {
        "label": fonts.label,
        "value": fonts.value,
        "grad": fonts.value,
        "op": fonts.op,
        "op_suffix": fonts.op_suffix,
    }[role]


def _text_width(text: str, size: float) -> float:
    """How wide ``text`` is, in points (measured on the font's outlines, no renderer needed)."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(family=FONT, size=size, weight="bold")
    width, _, _ = _text_to_path().get_text_width_height_descent(text, font, ismath=False)
    return width


@functools.cache
def _text_to_path() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


def _box_size(lines: list[tuple[str, str]], fonts: _Fonts) -> tuple[float, float]:
    width = max(_text_width(text, _font_size(role, fonts)) for text, role in lines)
    height = sum(_font_size(role, fonts) * LINE for _, role in lines)
    return width + 2 * PAD + 4.0, height + 2 * PAD


def _draw_nodes(
    picture: GraphPicture, layout: Layout, texts: dict[int, list[tuple[str, str]]], fonts: _Fonts
) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax = picture.ax
    for node in picture.structure.nodes:
        x, y = layout.x[node.id], layout.y[node.id]
        w, h = layout.size[node.id]
        style = KIND_STYLE[node.kind]
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h,
            boxstyle="round,pad=0,rounding_size=" + ("9" if node.is_op else "4"),
            facecolor=style["face"], edgecolor=style["edge"], linewidth=1.4,
            linestyle="--" if node.freed else "-", zorder=3,
        )  # fmt: skip
        ax.add_patch(box)
        picture.boxes[node.id] = box
        lines = texts[node.id]
        total = sum(_font_size(role, fonts) * LINE for _, role in lines)
        top = y + total / 2
        for text, role in lines:
            size = _font_size(role, fonts)
            top -= size * LINE / 2
            artist = ax.text(
                x, top, text, ha="center", va="center", fontsize=size, family=FONT, zorder=4,
                fontweight="bold" if role in ("label", "op") else "normal",
                color={"grad": GRAD_COLOR, "value": VALUE_COLOR, "op_suffix": "#6a51a3"}.get(
                    role, "black"
                ),
            )  # fmt: skip
            top -= size * LINE / 2
            if role == "grad":
                picture.grad_texts[node.id] = artist


def _draw_edges(picture: GraphPicture, layout: Layout) -> None:
    """Arrows in the forward direction, smooth curves through the waypoints of long edges."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    entries = _entry_offsets(picture.structure, layout)
    parallel: dict[tuple[int, int], int] = {}
    for e in picture.structure.edges:
        parallel[(e.source, e.target)] = parallel.get((e.source, e.target), 0) + 1
    seen: dict[tuple[int, int], int] = {}
    lanes: dict[int, int] = {}  # per row: arrows already running back along the gap below it
    for edge, chain in layout.routes:
        pair = (edge.source, edge.target)
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        spread = ((parallel[pair] - 1) / 2 - k) * 7.0  # a + a: two arrows, side by side
        sx, sy = layout.x[edge.source], layout.y[edge.source]
        tx, ty = layout.x[edge.target], layout.y[edge.target]
        start = (sx + layout.size[edge.source][0] / 2, sy + spread)
        end = (tx - layout.size[edge.target][0] / 2, ty + entries[(edge, k)])
        points = [start] + [(layout.x[i], layout.y[i]) for i in chain[1:-1]] + [end]
        vertices = [points[0]]
        codes = [Path.MOVETO]
        for n, ((x0, y0), (x1, y1)) in enumerate(itertools.pairwise(points)):
            row = layout.band[chain[n]]
            if layout.band[chain[n + 1]] == row:
                # level past any box of the two columns, then an S-bend where no box is
                left, right = layout.bend_span(chain[n], chain[n + 1], y0, y1)
                if left > x0:
                    vertices.append((left, y0))
                    codes.append(Path.LINETO)
                bend = (right - left) * 0.5
                vertices += [(left + bend, y0), (right - bend, y1), (right, y1)]
                codes += [Path.CURVE4] * 3
                if right < x1:
                    vertices.append((x1, y1))
                    codes.append(Path.LINETO)
                continue
            # on to the next row: right, down into the gap, back left along it, in again
            lane = layout.band_bottom[row] - BAND_GAP / 2 - LANE * lanes.get(row, 0)
            lanes[row] = lanes.get(row, 0) + 1
            out_x = layout.band_right[row] + 10
            in_x = -12.0
            vertices += [
                (out_x, y0), (out_x, y0), (out_x, (y0 + lane) / 2),
                (out_x, lane), (out_x, lane), (out_x - 8, lane),
                (in_x + 8, lane),
                (in_x, lane), (in_x, lane), (in_x, (lane + y1) / 2),
                (in_x, y1), (in_x, y1), (x1, y1),
            ]  # fmt: skip
            codes += [Path.CURVE4] * 6 + [Path.LINETO] + [Path.CURVE4] * 6
        arrow = FancyArrowPatch(
            path=Path(vertices, codes), arrowstyle="-|>", mutation_scale=11, linewidth=1.2,
            color=EDGE_COLOR, zorder=2, shrinkA=0, shrinkB=0,
        )  # fmt: skip
        picture.ax.add_patch(arrow)
        picture.arrows.append((edge, arrow))


def _entry_offsets(structure: GraphStructure, layout: Layout) -> dict[tuple[GraphEdge, int], float]:
    """Where each arrow meets its target's left side: spread out, in the order of their sources."""
    incoming: dict[int, list[tuple[GraphEdge, int]]] = {}
    seen: dict[tuple[int, int], int] = {}
    for edge, _ in layout.routes:
        pair = (edge.source, edge.target)
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        incoming.setdefault(edge.target, []).append((edge, k))
    offsets = {}
    for target, arrivals in incoming.items():

        def came_from(item: tuple[GraphEdge, int]) -> tuple[float, int]:
            edge, k = item
            chain = next(c for e, c in layout.routes if e is edge)
            return (-layout.y[chain[-2]], k)  # from the top down

        arrivals.sort(key=came_from)
        h = layout.size[target][1]
        step = min(8.0, h / (len(arrivals) + 1))
        for n, item in enumerate(arrivals):
            offsets[item] = ((len(arrivals) - 1) / 2 - n) * step
    return offsets


LEGEND_ROW = 17.0


def _legend_entries(structure: GraphStructure) -> list[tuple[str, dict[str, str], str]]:
    """(text, colours, line style) for each kind of box in this picture."""
    present = [k for k in KIND_STYLE if any(n.kind == k and not n.freed for n in structure.nodes)]
    entries = [(KIND_LEGEND[k], KIND_STYLE[k], "-") for k in present]
    if any(n.freed for n in structure.nodes):
        entries.append((FREED_LEGEND, KIND_STYLE["op"], "--"))
    return entries


def _legend_grid(entries: list, fonts: _Fonts, room: float) -> list[float]:
    """Column widths for the key: as many columns (up to 3) as fit in ``room`` points."""
    widths = [_text_width(text, 8.5 * fonts.scale) + 34.0 for text, _, _ in entries]
    for columns in (3, 2, 1):
        grid = [max(widths[c::columns], default=0.0) for c in range(min(columns, len(widths)))]
        if sum(grid) <= room or columns == 1:
            return grid
    return []


def _legend_size(entries: list, fonts: _Fonts, room: float) -> tuple[float, float]:
    if not entries:
        return 0.0, 0.0
    grid = _legend_grid(entries, fonts, room)
    rows = -(-len(entries) // len(grid))
    return sum(grid), rows * LEGEND_ROW + 12.0


def _draw_legend(
    picture: GraphPicture, entries: list, fonts: _Fonts, top: float, centre: float, room: float
) -> None:
    """A key below the graph: one swatch per kind of box present."""
    from matplotlib.patches import FancyBboxPatch

    grid = _legend_grid(entries, fonts, room)
    for k, (text, style, dash) in enumerate(entries):
        row, col = divmod(k, len(grid))
        x = centre - sum(grid) / 2 + sum(grid[:col])
        y = top - row * LEGEND_ROW
        swatch = FancyBboxPatch(
            (x, y - 5), 16, 10, boxstyle="round,pad=0,rounding_size=2",
            facecolor=style["face"], edgecolor=style["edge"], linewidth=1.2, linestyle=dash,
        )  # fmt: skip
        picture.ax.add_patch(swatch)
        picture.ax.text(
            x + 22, y, text, va="center", ha="left", fontsize=8.5 * fonts.scale, family=FONT,
            color="#333333",
        )  # fmt: skip


def _draw_summary(structure: GraphStructure, ax: Any, max_nodes: int) -> GraphPicture:
    """For a graph too large to draw readably: say so, and describe it in a few lines."""
    from matplotlib.figure import Figure

    own = ax is None
    if own:
        figure = Figure(figsize=(8.0, 3.2), facecolor="white")
        ax = figure.add_axes((0, 0, 1, 1))
    else:
        figure = ax.figure
    ax.set_axis_off()
    headline = (
        f"This graph has {len(structure.nodes):,} nodes: too many to draw readably\n"
        f"(draw_graph draws up to max_nodes={max_nodes}). What it holds:"
    )
    hint = (
        "Draw a smaller piece (a tensor nearer the inputs), or pass "
        f"max_nodes={len(structure.nodes)}\nto draw it anyway (slow, and unreadable)."
    )
    ax.text(0.03, 0.93, headline, fontsize=11, fontweight="bold", family=FONT, va="top",
            transform=ax.transAxes, linespacing=1.4)  # fmt: skip
    ax.text(0.05, 0.68, structure.summary(), fontsize=9.5, family=FONT, va="top",
            transform=ax.transAxes, linespacing=1.5)  # fmt: skip
    ax.text(0.03, 0.05, hint, fontsize=9, family=FONT, style="italic", color="#555555",
            transform=ax.transAxes, linespacing=1.4)  # fmt: skip
    return GraphPicture(
        structure, figure, ax, summarized=True, message=headline + "\n" + structure.summary(),
        own_figure=own,
    )  # fmt: skip


__all__ = [
    "GraphEdge",
    "GraphNode",
    "GraphPicture",
    "GraphStructure",
    "draw_graph",
    "graph_structure",
]
