"""Where the boxes of a graph picture go: a layered drawing, left to right, every step iterative.

In the spirit of Sugiyama's layered drawing (what graphviz's ``dot`` does):

1. columns: every node as far right as its consumers allow (its longest path to the root), so an
   input sits just left of the op that reads it, as in the lesson's picture;
2. edges longer than one column get invisible waypoints, one per column they cross;
3. order within each column: barycentre sweeps (each node moves to the mean position of its
   neighbours), keeping the order with the fewest crossings; then the inputs of one op, widest
   farthest from it, so no arrow has to pass a wider box to reach it;
4. heights: each node moves towards its neighbours without overlapping (pool adjacent
   violators); leaves and constants are light, so chains of computation come out straight;
5. rows: a picture wider than a notebook wraps into rows, read like lines of text, cut where
   few arrows cross;
6. arrows: an S-bend from column to column, running level first past any box that would be in
   its way (``Layout.bend_span``), so an arrow never passes behind a box it does not connect.

Sizes are in points (1/72 inch); the nodes' sizes come from the drawing code.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .graph import GraphEdge, GraphStructure


def layers(structure: GraphStructure) -> dict[int, int]:
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
class Layout:
    """Where everything goes, in points (1/72 inch) at scale 1; y grows upwards."""

    x: dict[int, float]  # centre of every node and waypoint
    y: dict[int, float]
    size: dict[int, tuple[float, float]]  # width, height of real nodes (waypoints: 0, 0)
    routes: list[tuple[GraphEdge, list[int]]]  # per edge: node ids along it, waypoints inside
    width: float
    height: float
    band: dict[int, int]  # which row of the picture a node is in (long graphs wrap)
    band_right: list[float]  # where each row ends
    band_bottom: list[float]  # where each row's boxes end, below
    columns: list[list[int]]  # the nodes and waypoints of each column, top down

    def bend_span(self, a: int, b: int, y0: float, y1: float) -> tuple[float, float]:
        """Where an arrow from ``a`` to ``b`` (in the next column) changes height: ``left`` to
        ``right``, level before and after; the S-bend in between is the cubic Bézier curve
        whose handles reach halfway across.

        The span starts as wide as it can be (from ``a``'s right side to ``b``'s left side).
        A box of either column that the bend would pass behind (a box wider than ``a`` or ``b``,
        between the heights ``y0`` and ``y1``) narrows it, so that the arrow runs level past
        the box first, until no box is in the way. The gap between two columns holds no box, so
        a bend that keeps to it can always be found.
        """
        left = self.x[a] + self.size.get(a, (0.0, 0.0))[0] / 2
        right = self.x[b] - self.size.get(b, (0.0, 0.0))[0] / 2
        low, high = min(y0, y1), max(y0, y1)
        obstacles = []  # (x0, x1, y0, y1 of a box, grown by CLEARANCE; which column)
        for node, side in ((a, "left"), (b, "right")):
            for i in self.columns[self.column[node]]:
                if i == node or i not in self.size:  # itself, or another arrow's waypoint
                    continue
                w, h = self.size[i]
                box = (self.x[i] - w / 2 - CLEARANCE, self.x[i] + w / 2 + CLEARANCE,
                       self.y[i] - h / 2 - CLEARANCE, self.y[i] + h / 2 + CLEARANCE)  # fmt: skip
                if box[2] < high and box[3] > low:
                    obstacles.append((box, side))
        for _ in range(2 * len(obstacles)):
            hit = next((o for o in obstacles if _bend_hits(left, y0, right, y1, o[0])), None)
            if hit is None:
                return left, right
            box, side = hit
            # level just far enough: past the box it clears for sure; bisect for the least
            if side == "left":
                lo, hi = left, max(left, box[1])
                for _ in range(12):
                    mid = (lo + hi) / 2
                    lo, hi = (lo, mid) if not _bend_hits(mid, y0, right, y1, box) else (mid, hi)
                left = hi
            else:
                lo, hi = min(right, box[0]), right
                for _ in range(12):
                    mid = (lo + hi) / 2
                    lo, hi = (mid, hi) if not _bend_hits(left, y0, mid, y1, box) else (lo, mid)
                right = lo
        # still in the way of one box or another: level past all of them (clear by construction)
        for (x_lo, x_hi, _, _), side in obstacles:
            if side == "left":
                left = max(left, x_hi)
            else:
                right = min(right, x_lo)
        return left, right

    @functools.cached_property
    def column(self) -> dict[int, int]:
        """Each node's and waypoint's column."""
        return {i: c for c, members in enumerate(self.columns) for i in members}


def _bend_hits(
    x0: float, y0: float, x1: float, y1: float, box: tuple[float, float, float, float]
) -> bool:
    """Whether the S-bend from (x0, y0) to (x1, y1) passes through ``box`` (x0, x1, y0, y1).

    The bend is sampled densely (a point every half a point of its length or closer): boxes
    are grown by CLEARANCE, so a corner cut between two samples would still be caught.
    """
    n = max(16, int(2 * (abs(x1 - x0) + abs(y1 - y0))))  # the curve is no longer than that
    t = np.linspace(0.0, 1.0, n)
    u = 1 - t
    mid = (x0 + x1) / 2  # both handles reach halfway across: (mid, y0) and (mid, y1)
    xs = u**3 * x0 + 3 * u * t * mid + t**3 * x1
    ys = (u**3 + 3 * u**2 * t) * y0 + (3 * u * t**2 + t**3) * y1
    inside = (xs > box[0]) & (xs < box[1]) & (ys > box[2]) & (ys < box[3])
    return bool(inside.any())


H_GAP = 18.0  # between columns: room for the arrows
V_GAP = 14.0  # between boxes in a column
WAYPOINT = 4.0  # the space a long edge takes in a column it crosses
BAND_GAP = 30.0  # between rows of a wrapped picture
LANE = 7.0  # between the arrows that run from one row to the next
CLEARANCE = 2.0  # the least room between an arrow and a box it passes
MAX_WIDTH = 700.0  # wider pictures wrap into rows (Jupyter would shrink them to unreadable)
MAX_CROSSING = 3  # ... unless more arrows than this would cross from a row to the next


def place(
    structure: GraphStructure, size: dict[int, tuple[float, float]], max_width: float
) -> Layout:
    layer = layers(structure)
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
        for a, b in itertools.pairwise(chain):
            succs[a].append(b)
            preds[b].append(a)
        routes.append((e, chain))
    columns = _initial_order(structure.root, layer, preds)
    columns = _reduce_crossings(columns, preds, succs)
    sizes = {i: size.get(i, (0.0, WAYPOINT)) for i in layer}
    columns = _widest_farthest(columns, preds, succs, sizes)
    x = _column_positions(columns, sizes)
    y = _row_positions(columns, preds, succs, sizes)
    bands = _bands(columns, x, sizes, succs, max_width)
    if len(bands) > 1:  # each row placed on its own: arrows between rows do not pull
        for first, last in bands:
            part = columns[first : last + 1]
            inside = {i for c in part for i in c}
            y.update(
                _row_positions(
                    part,
                    {i: [j for j in preds[i] if j in inside] for i in inside},
                    {i: [j for j in succs[i] if j in inside] for i in inside},
                    sizes,
                )
            )
    return _stack_bands(columns, bands, x, y, sizes, succs, size, routes)


def _bands(
    columns: list[list[int]],
    x: dict[int, float],
    sizes: dict[int, tuple[float, float]],
    succs: dict[int, list[int]],
    max_width: float,
) -> list[tuple[int, int]]:
    """Split the columns into rows no wider than ``max_width``, read left to right, top down.

    As few rows as fit; among the ways to cut into that many rows, the one where few arrows
    cross from a row to the next and the rows are about equally long (dynamic programming over
    the cut positions: a few dozen columns, a few rows). A graph that would need more than
    ``MAX_CROSSING`` arrows across a cut stays in one row: wide, but not tangled.
    """
    left = [min(x[i] - sizes[i][0] / 2 for i in c) for c in columns]
    right = [max(x[i] + sizes[i][0] / 2 for i in c) for c in columns]
    crossing = [sum(len(succs[i]) for i in c) for c in columns]
    n = len(columns)

    def fits(a: int, b: int) -> bool:  # columns a..b in one row
        return right[b] - left[a] <= max_width or a == b

    rows, start = 1, 0  # the fewest rows: fill each greedily
    for c in range(n):
        if not fits(start, c):
            rows, start = rows + 1, c
    if rows == 1:
        return [(0, n - 1)]
    target = (right[-1] - left[0]) / rows

    def cost(a: int, b: int) -> float:  # one row of columns a..b, cut after b
        uneven = ((right[b] - left[a]) - target) / target
        return 2.0 * uneven * uneven + (crossing[b] if b < n - 1 else 0)

    inf = float("inf")
    best = [[inf] * (rows + 1) for _ in range(n + 1)]  # best[c][r]: columns < c in r rows
    cut = [[0] * (rows + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for r in range(1, rows + 1):
        for c in range(1, n + 1):
            for a in range(c):
                if best[a][r - 1] < inf and fits(a, c - 1):
                    value = best[a][r - 1] + cost(a, c - 1)
                    if value < best[c][r]:
                        best[c][r], cut[c][r] = value, a
    bands = []
    c = n
    for r in range(rows, 0, -1):
        a = cut[c][r]
        bands.append((a, c - 1))
        c = a
    if any(crossing[end] > MAX_CROSSING for _, end in bands if end < n - 1):
        # a tangle of arrows would run between the rows: one wide picture reads better
        return [(0, n - 1)]
    return bands[::-1]


def _stack_bands(
    columns: list[list[int]],
    bands: list[tuple[int, int]],
    x: dict[int, float],
    y: dict[int, float],
    sizes: dict[int, tuple[float, float]],
    succs: dict[int, list[int]],
    size: dict[int, tuple[float, float]],
    routes: list[tuple[GraphEdge, list[int]]],
) -> Layout:
    """Put the rows under each other; y turns round to grow upwards, as matplotlib's does."""
    band: dict[int, int] = {}
    band_right: list[float] = []
    band_bottom: list[float] = []
    top = 0.0
    for k, (first, last) in enumerate(bands):
        members = [i for c in columns[first : last + 1] for i in c]
        left = min(x[i] - sizes[i][0] / 2 for i in members)
        high = min(y[i] - sizes[i][1] / 2 for i in members)
        low = max(y[i] + sizes[i][1] / 2 for i in members)
        for i in members:
            band[i] = k
            x[i] -= left
            y[i] += top - high
        band_right.append(max(x[i] + sizes[i][0] / 2 for i in columns[last]))
        band_bottom.append(top + low - high)
        crossing = sum(len(succs[i]) for i in columns[last]) if k < len(bands) - 1 else 0
        top += low - high + BAND_GAP + LANE * max(crossing - 1, 0)
    height = band_bottom[-1]
    for i in y:
        y[i] = height - y[i]
    width = max(x[i] + sizes[i][0] / 2 for i in x)
    return Layout(
        x, y, size, routes, width, height, band, band_right, [height - b for b in band_bottom],
        columns,
    )  # fmt: skip


def _initial_order(
    root: int, layer: dict[int, int], preds: dict[int, list[int]]
) -> list[list[int]]:
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
            key = {}
            for k, v in enumerate(current[c]):
                near = [place[u] for u in neighbours[v] if u in place]
                key[v] = sum(near) / len(near) if near else k  # no neighbour: stay put
            current[c].sort(key=key.__getitem__)
        crossings = _crossings(current, succs)
        if crossings < best_crossings:
            best, best_crossings = [list(c) for c in current], crossings
    return best


def _widest_farthest(
    columns: list[list[int]],
    preds: dict[int, list[int]],
    succs: dict[int, list[int]],
    sizes: dict[int, tuple[float, float]],
) -> list[list[int]]:
    """Inputs that only feed one op, side by side in a column, ordered narrow near the op.

    Their order changes no crossing (their arrows all end at the same op), but it decides
    whether the arrow from the farther one has to get past a wider box on its way: with the
    widest farthest from the op, every arrow leaves its box already clear of its neighbours.
    ``w @ x + b`` with a wide constant ``x`` and a narrow ``b``: ``x`` goes outside, ``b`` next
    to the op. The op will sit by its other inputs (they pull harder): below the run if they
    come after it, above if before, in the middle if it has no others.
    """

    def light_input_of(i: int) -> int | None:  # the op a leaf or constant alone feeds
        return succs[i][0] if not preds[i] and len(set(succs[i])) == 1 else None

    out = []
    for column in columns:
        column = list(column)
        k = 0
        while k < len(column):
            op = light_input_of(column[k])
            end = k + 1
            while end < len(column) and op is not None and light_input_of(column[end]) == op:
                end += 1
            if op is not None and end - k > 1:
                run = column[k:end]
                others = [j for j, i in enumerate(column) if op in succs[i] and i not in run]
                by_width = sorted(run, key=lambda i: sizes[i][0])  # narrowest first
                if others and min(others) > k:  # the op sits below: widest at the top
                    run = by_width[::-1]
                elif others:  # above: widest at the bottom
                    run = by_width
                else:  # in the middle of them: narrowest in the middle, widest outside
                    run = by_width[1::2][::-1] + by_width[0::2]
                column[k:end] = run
            k = end
        out.append(column)
    return out


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
    for sweep in range(13):  # left to right, right to left, ..., ending left to right
        forward = sweep % 2 == 0
        for column in columns if forward else columns[::-1]:
            wanted = []
            for i in column:
                # follow the side the sweep comes from: chains come out straight, bending only
                # where they branch or meet
                near = (preds[i] if forward else succs[i]) or preds[i] + succs[i]
                total = sum(weight[j] for j in near)
                wanted.append(sum(weight[j] * y[j] for j in near) / total if near else y[i])
            gaps = [(sizes[a][1] + sizes[b][1]) / 2 + V_GAP for a, b in itertools.pairwise(column)]
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
