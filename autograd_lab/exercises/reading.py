"""Reading a learner's answer: numbers, arrays, tensors and the graph behind a tensor.

Checks never trust an answer's type. The readers here turn anything a learner may pass into
a number or an array, or raise ``Unreadable`` with a sentence saying what was passed instead
("you passed the text '6' (in quotes)"). The graph readers look at what only our library lets
a checker see: which ops built a tensor, whether it depends on a given leaf, and how many
backward passes are summed in a ``.grad``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import AccumulateGrad
from ..tensor import Tensor


class Unreadable(Exception):
    """The answer is not the kind of thing the exercise asks for; ``str()`` says why."""


# -- describing any value ----------------------------------------------------------------------


def describe(value: Any) -> str:
    """A short noun phrase for what a value is: "a string ('six')", "a tensor of shape (3,)"."""
    if value is None:
        return "`None`"
    if isinstance(value, bool | np.bool_):
        return f"the boolean `{bool(value)}`"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:27] + "..."
        return f"a string ({literal(repr(text))})"
    if isinstance(value, Tensor):
        shape = tuple(value._data.shape)
        return "a 0-d tensor" if not shape else f"a tensor of shape {shape}"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    if isinstance(value, list | tuple):
        kind = type(value).__name__
        return f"a {kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"a dict of {len(value)} entr{'ies' if len(value) != 1 else 'y'}"
    if isinstance(value, int | float | np.number):
        return "a number"
    if callable(value):
        return "a function"
    return f"an object of type `{type(value).__name__}`"


def literal(text: str) -> str:
    """A learner's text, safe to quote in feedback: a stray backtick would start or end a
    `code` span in the HTML rendering, so backticks become plain quotes."""
    return text.replace("`", "'")


def is_finite(x: float) -> bool:
    return not (math.isnan(x) or math.isinf(x))


def _looks_like_number(text: str) -> bool:
    try:
        float(text.strip().replace("−", "-"))  # also "−5", with the minus sign of the texts
    except ValueError:
        return False
    return True


# -- numbers and arrays --------------------------------------------------------------------------


def read_number(value: Any) -> float:
    """A single number from an int, float, numpy scalar, one-element array or tensor."""
    if isinstance(value, bool | np.bool_):
        raise Unreadable(f"You passed {describe(value)}; this exercise asks for a number.")
    if isinstance(value, int | float | np.integer | np.floating):
        try:
            return float(value)
        except OverflowError:  # an int beyond any float (10**400)
            return math.inf if value > 0 else -math.inf
    if isinstance(value, Tensor | np.ndarray):
        data = value._data if isinstance(value, Tensor) else value
        if data.size == 1 and data.dtype.kind in "iuf":
            return float(data.reshape(()))
        raise Unreadable(f"You passed {describe(value)}; this exercise asks for one number.")
    if isinstance(value, str) and _looks_like_number(value):
        raise Unreadable(
            f"You passed the text {value!r} (in quotes). Pass the number itself, without quotes."
        )
    if isinstance(value, complex):
        raise Unreadable("You passed a complex number; this exercise asks for a real number.")
    if isinstance(value, list | tuple) and len(value) == 1:
        raise Unreadable(f"You passed {describe(value)}; pass the number itself, not a list.")
    raise Unreadable(f"You passed {describe(value)}; this exercise asks for a number.")


def read_array(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """A float64 array of the given shape from a list, array or tensor (never from a string)."""
    if isinstance(value, Tensor):
        data = value._data
    elif isinstance(value, np.ndarray):
        data = value
    elif isinstance(value, list | tuple):
        try:
            data = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            message = f"You passed {describe(value)} that does not hold only numbers."
            raise Unreadable(message) from None
    else:
        raise Unreadable(f"You passed {describe(value)}; this exercise asks for {len(shape)}-d "
                         f"values of shape {shape}.")
    if data.dtype.kind not in "iuf":
        raise Unreadable(f"You passed values of type {data.dtype}; this exercise asks for numbers.")
    if data.shape != shape:
        raise Unreadable(f"Your answer has shape {tuple(data.shape)}; this exercise asks for shape "
                         f"{shape}.")
    return data.astype(np.float64)


def relative_error(got: Any, expected: Any) -> float:
    """The largest |got − expected| / max(|expected|, 1e-3) over all entries (nan if any is nan).

    The floor of 1e-3 makes answers near zero compare absolutely, so rounding 1e-9 to 0 is fine.
    """
    got_a = np.asarray(got, dtype=np.float64)
    exp_a = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got_a - exp_a) / np.maximum(np.abs(exp_a), 1e-3)
    if np.isnan(err).any():
        return math.nan
    return float(err.max()) if err.size else 0.0


def close(got: Any, expected: Any, rtol: float) -> bool:
    err = relative_error(got, expected)
    return not math.isnan(err) and err <= rtol


# -- tensors and their graph -------------------------------------------------------------------


def grad_of(t: Tensor) -> Tensor | None:
    """``t.grad`` without PyTorch's warning for non-leaf tensors (a checker only peeks)."""
    return t._grad


def grad_passes(t: Tensor) -> int | None:
    """How many backward passes are summed in ``t.grad`` since it was last zeroed.

    The engine counts them on the ``.grad`` tensor (``_grad_passes``); ``zero_()`` and
    ``fill_()`` reset the count. None when ``t.grad`` is None, or when the count is unknown
    because the learner assigned ``.grad`` a tensor of their own.
    """
    g = t._grad
    return None if g is None else getattr(g, "_grad_passes", None)


def op_names(t: Any) -> list[str]:
    """Names of the backward nodes behind ``t``, nearest first (``['SinBackward0', ...]``).

    Leaves (``AccumulateGrad``) are not listed. Walks iteratively, each node once.
    """
    fn = getattr(t, "_grad_fn", None) if isinstance(t, Tensor) else None
    names: list[str] = []
    seen: set[int] = set()
    queue = [fn] if fn is not None else []
    while queue:
        node = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if not isinstance(node, AccumulateGrad):
            names.append(type(node).__name__)
        queue.extend(child for child in getattr(node, "_next", ()) if child is not None)
    return names


def tracked_inputs(t: Any) -> list[np.ndarray]:
    """The values every operation behind ``t`` received from tracked tensors (not constants).

    Nodes keep what their forward received (``_args``) even after backward has freed the
    saved tensors, so this reads the forward pass back: "did some operation work on 1 − ŷ?"
    """
    fn = getattr(t, "_grad_fn", None) if isinstance(t, Tensor) else None
    values: list[np.ndarray] = []
    seen: set[int] = set()
    stack = [fn] if fn is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, AccumulateGrad):
            continue
        seen.add(id(node))
        edges = getattr(node, "_next", ())
        args = getattr(node, "_args", ())
        for arg, edge in zip(args, edges):
            if edge is not None:
                try:
                    values.append(np.asarray(arg, dtype=np.float64))
                except (TypeError, ValueError):
                    pass
        stack.extend(child for child in edges if child is not None)
    return values


def depends_on(out: Any, leaf: Any) -> bool:
    """Whether a gradient from ``out`` can reach the leaf tensor ``leaf`` through the graph."""
    if not isinstance(out, Tensor) or not isinstance(leaf, Tensor):
        return False
    if out is leaf:
        return leaf._requires_grad
    target = leaf._acc
    if target is None or out._grad_fn is None:
        return False
    stack, seen = [out._grad_fn], set()
    while stack:
        node = stack.pop()
        if node is target:
            return True
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(child for child in getattr(node, "_next", ()) if child is not None)
    return False


def value_of(t: Tensor) -> np.ndarray:
    """The tensor's values as float64 (a copy)."""
    return np.array(t._data, dtype=np.float64)
