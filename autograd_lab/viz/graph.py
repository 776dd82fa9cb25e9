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
curious learners.

Layout, in the spirit of Sugiyama's layered drawing, each step iterative:
1. layers: every node as far right as its consumers allow (longest path to the root), so an input
   sits just left of the op that reads it, as in the lesson's picture;
2. edges longer than one layer get invisible waypoints, one per layer they cross;
3. order within each layer: repeated barycentre sweeps (each node moves to the mean position of
   its neighbours), keeping the order with the fewest crossings;
4. heights: each node moves towards its neighbours, without overlapping (pool adjacent violators).
"""

from __future__ import annotations

import functools
import io
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
    GRAD_COLOR,
    KIND_LEGEND,
    KIND_STYLE,
    VALUE_COLOR,
    caller_names,
    frame_of_caller,
)

MAX_NODES = 100  # beyond this a picture stops being readable: draw_graph shows a summary

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
        leaf_text = ", ".join(leaves[:8]) + (f", ... ({len(leaves):,} in all)" if len(leaves) > 8 else "")
        root = self.nodes[self.root]
        return "\n".join(
            [
                f"{len(self.nodes):,} nodes: {n_ops:,} ops and {len(self.nodes) - n_ops:,} tensors "
                f"({kinds['leaf']:,} leaves, {kinds['intermediate']:,} intermediate, "
                f"{kinds['constant']:,} constants, 1 root)",
                f"root: {root.label} = {root.value}",
                f"leaves: {leaf_text or 'none'}",
                f"ops: {ops_text or 'none'}",
                f"longest path from an input to the root: {_longest_path(self):,} ops",
            ]
        )


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
        nodes.append(
            GraphNode(id=op_id, kind="op", label=op.name(), freed=op._saved is _FREED, key=op)
        )
        edges.extend(GraphEdge(s, op_id, slot) for slot, s in enumerate(sources))
        edges.append(GraphEdge(op_id, add_tensor(op)))
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
    layer = _layers(structure)
    ops_on_path = max(layer.values(), default=0) - min(layer.values(), default=0)
    return (ops_on_path + 1) // 2


# -- layout ---------------------------------------------------------------------------------------


def _layers(structure: GraphStructure) -> dict[int, int]:
    """Each node's column: the root rightmost, every other node as far right as it can be.

    A node's distance to the root is the longest path from it to the root; it is final once all
    its consumers are placed (Kahn's algorithm on the reversed edges).
    """
    consumers: dict[int, list[int]] = {n.id: [] for n in structure.nodes}
    producers: dict[int, list[int]] = {n.id: [] for n in structure.nodes}
    for e in structure.edges:
        consumers[e.source].append(e.target)
        producers[e.target].append(e.source)
    waiting = {i: len(c) for i, c in consumers.items()}
    distance = dict.fromkeys(consumers, 0)
    ready = [i for i, k in waiting.items() if k == 0]
    while ready:
        i = ready.pop()
        for p in producers[i]:
            distance[p] = max(distance[p], distance[i] + 1)
            waiting[p] -= 1
            if waiting[p] == 0:
                ready.append(p)
    deepest = max(distance.values(), default=0)
    return {i: deepest - d for i, d in distance.items()}


@dataclass
class _Layout:
    """Where everything goes, in points (1/72 inch) at scale 1."""

    x: dict[int, float]  # centre of every node and waypoint
    y: dict[int, float]
    size: dict[int, tuple[float, float]]  # width, height of real nodes (waypoints: 0, 0)
    routes: list[tuple[GraphEdge, list[int]]]  # per edge: node ids along it, waypoints inside
    width: float
    height: float


H_GAP = 20.0  # between columns: room for the arrows
V_GAP = 14.0  # between boxes in a column
WAYPOINT = 4.0  # the space a long edge takes in a column it crosses


def _layout(structure: GraphStructure, size: dict[int, tuple[float, float]]) -> _Layout:
    layer = _layers(structure)
    preds: dict[int, list[int]] = {i: [] for i in layer}
    succs: dict[int, list[int]] = {i: [] for i in layer}
    routes: list[tuple[GraphEdge, list[int]]] = []
    next_id = len(structure.nodes)
    for e in structure.edges:  # a long edge becomes a chain through waypoints
        chain = [e.source]
        for col in range(layer[e.source] + 1, layer[e.target]):
            layer[next_id] = col
            preds[next_id], succs[next_id] = [], []
            chain.append(next_id)
            next_id += 1
        chain.append(e.target)
        for a, b in zip(chain, chain[1:], strict=False):
            succs[a].append(b)
            preds[b].append(a)
        routes.append((e, chain))
    columns = _initial_order(structure.root, layer, preds)
    columns = _reduce_crossings(columns, preds, succs)
    sizes = {i: size.get(i, (0.0, WAYPOINT)) for i in layer}
    x = _column_positions(columns, sizes)
    y = _row_positions(columns, preds, succs, sizes)
    top = min(y[i] - sizes[i][1] / 2 for i in y)
    bottom = max(y[i] + sizes[i][1] / 2 for i in y)
    for i in y:
        y[i] = bottom - y[i]  # matplotlib's y grows upwards; the first of a column is on top
    right = max(x[i] + sizes[i][0] / 2 for i in x)
    return _Layout(x, y, size, routes, right, bottom - top)


def _initial_order(root: int, layer: dict[int, int], preds: dict[int, list[int]]) -> list[list[int]]:
    """Columns in the order a walk from the root meets the nodes (first inputs first)."""
    columns: list[list[int]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    seen = {root}
    stack = [root]
    while stack:
        i = stack.pop()
        columns[layer[i]].append(i)
        for p in reversed(preds[i]):  # reversed: the first input comes off the stack first
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return columns


def _reduce_crossings(
    columns: list[list[int]], preds: dict[int, list[int]], succs: dict[int, list[int]]
) -> list[list[int]]:
    """Barycentre sweeps, left to right then right to left; keep the best order seen."""
    best = [list(c) for c in columns]
    best_crossings = _crossings(best, succs)
    current = [list(c) for c in columns]
    for sweep in range(8):
        forward = sweep % 2 == 0
        order = range(1, len(current)) if forward else range(len(current) - 2, -1, -1)
        for c in order:
            neighbours = preds if forward else succs
            place = {v: k for k, v in enumerate(current[c - 1 if forward else c + 1])}
            pos = {v: k for k, v in enumerate(current[c])}

            def barycentre(v: int, neighbours: dict = neighbours, place: dict = place) -> float:
                near = [place[u] for u in neighbours[v] if u in place]
                return sum(near) / len(near) if near else pos[v]

            current[c].sort(key=barycentre)
        crossings = _crossings(current, succs)
        if crossings < best_crossings:
            best, best_crossings = [list(c) for c in current], crossings
    return best


def _crossings(columns: list[list[int]], succs: dict[int, list[int]]) -> int:
    """How many pairs of edges cross between neighbouring columns."""
    total = 0
    for c in range(len(columns) - 1):
        here = {v: k for k, v in enumerate(columns[c])}
        there = {v: k for k, v in enumerate(columns[c + 1])}
        segments = [(here[u], there[v]) for u in columns[c] for v in succs[u] if v in there]
        for k, (a1, b1) in enumerate(segments):
            for a2, b2 in segments[k + 1 :]:
                total += (a1 - a2) * (b1 - b2) < 0
    return total


def _column_positions(
    columns: list[list[int]], sizes: dict[int, tuple[float, float]]
) -> dict[int, float]:
    x: dict[int, float] = {}
    left = 0.0
    for column in columns:
        width = max((sizes[i][0] for i in column), default=0.0)
        for i in column:
            x[i] = left + width / 2
        left += width + H_GAP
    return x


def _row_positions(
    columns: list[list[int]],
    preds: dict[int, list[int]],
    succs: dict[int, list[int]],
    sizes: dict[int, tuple[float, float]],
) -> dict[int, float]:
    """Heights (growing downwards): each node pulled towards its neighbours, boxes apart.

    Inputs that nothing computed (leaves and constants) are light: they move out of the way of
    the chain of computation instead of bending it, so ``w * x + b`` runs in a straight line with
    ``x`` and ``b`` beside it.
    """
    weight = {i: 0.05 if not preds[i] else 1.0 for i in preds}
    y: dict[int, float] = {}
    for column in columns:  # start stacked and centred
        top = 0.0
        for i in column:
            y[i] = top + sizes[i][1] / 2
            top += sizes[i][1] + V_GAP
        for i in column:
            y[i] -= top / 2
    for sweep in range(24):
        order = columns if sweep % 2 == 0 else columns[::-1]
        for column in order:
            wanted = []
            for i in column:
                near = preds[i] + succs[i]
                total = sum(weight[j] for j in near)
                wanted.append(sum(weight[j] * y[j] for j in near) / total if near else y[i])
            gaps = [
                (sizes[a][1] + sizes[b][1]) / 2 + V_GAP
                for a, b in zip(column, column[1:], strict=False)
            ]
            placed = _ordered_nearest(wanted, [weight[i] for i in column], gaps)
            for i, v in zip(column, placed, strict=True):
                y[i] = v
    return y


def _ordered_nearest(wanted: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """Positions closest (weighted least squares) to ``wanted`` keeping the order and the gaps.

    Pool adjacent violators: boxes that would overlap are merged into a block that moves as one,
    to the weighted mean of what its members want (a light box gives way to a heavy one).
    """
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks: list[list[float]] = []  # [first index, count, sum of weights, weighted sum]
    for k, w in enumerate(wanted):
        blocks.append([k, 1, weights[k], weights[k] * (w - offsets[k])])
        while len(blocks) > 1:
            first, count, mass, total = blocks[-1]
            p_first, p_count, p_mass, p_total = blocks[-2]
            if p_total / p_mass <= total / mass:  # in order, no overlap
                break
            blocks[-2:] = [[p_first, p_count + count, p_mass + mass, p_total + total]]
    out = []
    for first, count, mass, total in blocks:
        out.extend(total / mass + offsets[k] for k in range(int(first), int(first + count)))
    return out


# -- drawing --------------------------------------------------------------------------------------


@dataclass
class GraphPicture:
    """A drawn graph: the figure, and the structure it shows.

    In Jupyter it displays itself (once). ``save(path)`` writes a PNG. The stepper changes the
    drawn boxes through ``boxes``, ``grad_texts`` and ``arrows``.
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

    def save(self, path: str, dpi: int = 150) -> None:
        self.figure.savefig(path, dpi=dpi, facecolor="white")

    def _repr_png_(self) -> bytes | None:
        if not self.own_figure:  # the learner's own figure shows itself
            return None
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100, facecolor="white")
        return buffer.getvalue()

    def __repr__(self) -> str:
        what = "summary of a graph" if self.summarized else "graph"
        return f"<{what}: {len(self.structure.nodes)} nodes, root {self.structure.nodes[self.structure.root].label}>"


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


PAD = 5.0  # inside a box, around its text
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
) -> GraphPicture:
    """Draw the computational graph behind ``t`` (leaves on the left, ``t`` on the right).

    * ``names``: ``{"w": w, "x": x}`` or ``locals()``; by default the variables of the calling
      code (in a notebook, the learner's), ``{}`` for none. Unnamed tensors get ``t1``, ``t2``...
    * ``show_grads``: write the gradients autograd stored (after ``backward()``: the leaves'
      ``.grad``, and any ``retain_grad()`` tensor's).
    * ``ax``: draw into these axes instead of a new figure.
    * Graphs of more than ``max_nodes`` boxes are not drawn: a summary panel says so instead.
    """
    named = caller_names(names, frame_of_caller(2))
    structure = structure_of(Trace(t, named))
    return draw_structure(
        structure, ax=ax, show_grads=show_grads, show_values=show_values, max_nodes=max_nodes,
        title=title, legend=legend,
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
) -> GraphPicture:
    """Draw a structure. ``grads`` replaces the stored gradients (the stepper's gradients so
    far); ``reserve`` makes room for texts to come; ``footer`` leaves points below for text."""
    from matplotlib.figure import Figure

    if len(structure.nodes) > max_nodes:
        return _draw_summary(structure, ax, max_nodes)
    fonts = _Fonts()
    if grads is None:
        grads = {n.id: n.grad for n in structure.nodes if n.grad is not None} if show_grads else {}
    texts = {n.id: _texts(n, show_values, grads.get(n.id)) for n in structure.nodes}
    size = {}
    for n in structure.nodes:
        extra = (reserve or {}).get(n.id)
        lines = texts[n.id] + ([(extra, "grad")] if extra is not None else [])
        size[n.id] = _box_size(lines, fonts)
    layout = _layout(structure, size)

    margin = 12.0
    legend_rows = _legend_rows(structure) if legend else 0
    bottom_space = footer + (18.0 * legend_rows + 10.0 if legend_rows else 0.0)
    top_space = 26.0 if title else 0.0
    fig_w = layout.width + 2 * margin
    fig_h = layout.height + 2 * margin + bottom_space + top_space
    own = ax is None
    if own:
        figure = Figure(figsize=(max(fig_w, 300.0) / 72, fig_h / 72), facecolor="white")
        ax = figure.add_axes((0, 0, 1, 1))
        fig_w = max(fig_w, 300.0)
    else:
        figure = ax.figure
        box = ax.get_window_extent().transformed(figure.dpi_scale_trans.inverted())
        fonts.scale = min(1.0, box.width * 72 / fig_w, box.height * 72 / fig_h)
    extra_w = fig_w - (layout.width + 2 * margin)
    ax.set_xlim(-margin - extra_w / 2, layout.width + margin + extra_w / 2)
    ax.set_ylim(-margin - bottom_space, layout.height + margin + top_space)
    ax.set_axis_off()
    picture = GraphPicture(structure, figure, ax, own_figure=own)
    _draw_edges(picture, layout)
    _draw_nodes(picture, layout, texts, fonts)
    if title:
        ax.text(
            layout.width / 2, layout.height + margin + top_space / 2, title, ha="center",
            va="center", fontsize=12 * fonts.scale, fontweight="bold", family=FONT,
        )  # fmt: skip
    if legend_rows:
        _draw_legend(picture, fonts, -margin - footer - 6.0, layout.width)
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
    picture: GraphPicture, layout: _Layout, texts: dict[int, list[tuple[str, str]]], fonts: _Fonts
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
        if not node.is_op and node.id not in picture.grad_texts:
            # an empty line the stepper can fill in later
            picture.grad_texts[node.id] = ax.text(
                x, y - h / 2 + PAD + fonts.value * LINE / 2, "", ha="center", va="center",
                fontsize=fonts.value, family=FONT, color=GRAD_COLOR, zorder=4,
            )  # fmt: skip


def _draw_edges(picture: GraphPicture, layout: _Layout) -> None:
    """Arrows in the forward direction, smooth curves through the waypoints of long edges."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    entries = _entry_offsets(picture.structure, layout)
    parallel: dict[tuple[int, int], int] = {}
    for e in picture.structure.edges:
        parallel[(e.source, e.target)] = parallel.get((e.source, e.target), 0) + 1
    seen: dict[tuple[int, int], int] = {}
    for edge, chain in layout.routes:
        pair = (edge.source, edge.target)
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        spread = (k - (parallel[pair] - 1) / 2) * 7.0  # a + a: two arrows, side by side
        sx, sy = layout.x[edge.source], layout.y[edge.source]
        tx, ty = layout.x[edge.target], layout.y[edge.target]
        start = (sx + layout.size[edge.source][0] / 2, sy + spread)
        end = (tx - layout.size[edge.target][0] / 2, ty + entries[(edge, k)])
        points = [start] + [(layout.x[i], layout.y[i]) for i in chain[1:-1]] + [end]
        vertices = [points[0]]
        codes = [Path.MOVETO]
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            bend = (x1 - x0) * 0.5
            vertices += [(x0 + bend, y0), (x1 - bend, y1), (x1, y1)]
            codes += [Path.CURVE4] * 3
        arrow = FancyArrowPatch(
            path=Path(vertices, codes), arrowstyle="-|>", mutation_scale=11, linewidth=1.2,
            color=EDGE_COLOR, zorder=2, shrinkA=0, shrinkB=0,
        )  # fmt: skip
        picture.ax.add_patch(arrow)
        picture.arrows.append((edge, arrow))


def _entry_offsets(structure: GraphStructure, layout: _Layout) -> dict[tuple[GraphEdge, int], float]:
    """Where each arrow meets its target's left side: spread out, in the order of their sources."""
    incoming: dict[int, list[tuple[GraphEdge, int]]] = {}
    seen: dict[tuple[int, int], int] = {}
    for edge, chain in layout.routes:
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


def _legend_rows(structure: GraphStructure) -> int:
    kinds = {n.kind for n in structure.nodes}
    entries = len(kinds) + any(n.freed for n in structure.nodes)
    return (entries + 2) // 3


def _draw_legend(picture: GraphPicture, fonts: _Fonts, top: float, width: float) -> None:
    """A key below the graph: one swatch per kind of box present."""
    from matplotlib.patches import FancyBboxPatch

    present = [k for k in KIND_STYLE if any(n.kind == k for n in picture.structure.nodes)]
    entries = [(KIND_LEGEND[k], KIND_STYLE[k], "-") for k in present]
    if any(n.freed for n in picture.structure.nodes):
        entries.append(("op after backward(): saved tensors freed", KIND_STYLE["op"], "--"))
    columns = min(3, len(entries))
    col_w = max(_text_width(text, 8.5 * fonts.scale) for text, _, _ in entries) + 30.0
    left = width / 2 - col_w * columns / 2
    for k, (text, style, dash) in enumerate(entries):
        row, col = divmod(k, columns)
        x = left + col * col_w
        y = top - row * 18.0 - 6.0
        picture.ax.add_patch(
            FancyBboxPatch(
                (x, y - 5), 16, 10, boxstyle="round,pad=0,rounding_size=2",
                facecolor=style["face"], edgecolor=style["edge"], linewidth=1.2, linestyle=dash,
            )  # fmt: skip
        )
        picture.ax.text(
            x + 22, y, text, va="center", ha="left", fontsize=8.5 * fonts.scale, family=FONT,
            color="#333333",
        )  # fmt: skip


def _draw_summary(structure: GraphStructure, ax: Any, max_nodes: int) -> GraphPicture:
    """For a graph too large to draw readably: say so, and describe it in a few lines."""
    from matplotlib.figure import Figure

    own = ax is None
    if own:
        figure = Figure(figsize=(8.0, 2.6), facecolor="white")
        ax = figure.add_axes((0, 0, 1, 1))
    else:
        figure = ax.figure
    ax.set_axis_off()
    headline = (
        f"This graph has {len(structure.nodes):,} nodes: too many to draw readably "
        f"(draw_graph draws up to max_nodes={max_nodes})."
    )
    hint = (
        "Draw a smaller piece (a tensor nearer the inputs), or pass "
        f"max_nodes={len(structure.nodes)} to draw it anyway (slow, and unreadable)."
    )
    ax.text(0.03, 0.9, headline, fontsize=11, fontweight="bold", family=FONT, va="top",
            transform=ax.transAxes)  # fmt: skip
    ax.text(0.03, 0.72, structure.summary(), fontsize=9.5, family=FONT, va="top",
            transform=ax.transAxes, linespacing=1.5)  # fmt: skip
    ax.text(0.03, 0.1, hint, fontsize=9, family=FONT, style="italic", color="#555555",
            transform=ax.transAxes)  # fmt: skip
    return GraphPicture(
        structure, figure, ax, summarized=True, message=headline + "\n" + structure.summary(),
        own_figure=own,
    )  # fmt: skip


__all__ = ["GraphEdge", "GraphNode", "GraphPicture", "GraphStructure", "draw_graph", "graph_structure"]
