"""What the graph picture, the stepper and the ledger share: names for tensors, colours, fonts.

Imported only by the viz modules (it imports nothing heavy itself).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import FrameType
from typing import Any

from ..tensor import Tensor


def caller_names(names: Mapping[str, Any] | None, frame: FrameType | None) -> dict[str, Any]:
    """The names to label tensors with.

    ``names`` as given (``{"w": w}`` or ``locals()``), or, when it is None, the variables of the
    code that called the viz function: in a notebook that is the learner's namespace, so
    ``draw_graph(z)`` labels ``x``, ``y`` and ``z`` as the learner wrote them. Pass ``names={}``
    for no names at all. Only Tensor values are kept.
    """
    if names is None:
        names = frame.f_locals if frame is not None else {}
    return {k: v for k, v in dict(names).items() if isinstance(v, Tensor)}


def frame_of_caller(depth: int = 2) -> FrameType | None:
    """The frame ``depth`` levels up (1 is the function asking): where the learner's names live."""
    try:
        return sys._getframe(depth)
    except ValueError:  # called from the very top of the stack
        return None


# -- the look, in one place -------------------------------------------------------------------

# Colours read apart by colour-blind viewers too (ColorBrewer), and on a projector.
KIND_STYLE: dict[str, dict[str, str]] = {
    "leaf": {"face": "#d9f0d3", "edge": "#1b7837"},
    "intermediate": {"face": "#deebf7", "edge": "#2166ac"},
    "root": {"face": "#fddbc7", "edge": "#b2182b"},
    "constant": {"face": "#f0f0f0", "edge": "#969696"},
    "op": {"face": "#ffffff", "edge": "#6a51a3"},
}
KIND_LEGEND = {
    "leaf": "leaf (requires_grad): gets .grad",
    "intermediate": "intermediate",
    "root": "root: backward() starts here",
    "constant": "constant: no gradient",
    "op": "op, named by its grad_fn",
}
FREED_LEGEND = "op whose saved tensors backward() freed"
GRAD_COLOR = "#b2182b"
VALUE_COLOR = "#404040"
EDGE_COLOR = "#7f7f7f"
HIGHLIGHT = "#e7298a"  # the stepper's current node and the gradients it sends
# Edges a gradient has already flowed back through: neutral, because green means a leaf and
# grey a constant (or an arrow not reached yet). Near-black and thicker, it stands apart from
# the thin grey arrows and the pink ones in every kind of colour vision (by lightness, not hue).
DONE_COLOR = "#252525"
FONT = "DejaVu Sans"  # ships with matplotlib: the same picture on every machine
