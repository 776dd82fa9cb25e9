"""In-place operations (``x += 1``, ``x.mul_(2)``, ``x.zero_()``, ``x[0] = 5``).

An in-place op writes into the tensor's own memory, so every view and ``detach()`` of it sees
the change, and its version counter goes up (a value saved for backward that changes is an
error at backward time, not a silently wrong gradient).

* Not recorded (under ``no_grad``, or nothing requires grad): compute, write the result into
  the tensor's array, done. This is how parameters are updated: ``w -= lr * w.grad``.
* Recorded: a leaf that requires grad refuses (its ``.grad`` would no longer describe it).
  Otherwise the op is computed out of place from a snapshot of the old values, the result is
  written back, and the tensor's ``grad_fn`` becomes the op's node.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .. import _random
from ..autograd.function import _NO_CONTEXT, _inplace_epoch
from ..autograd.grad_mode import _enabled
from ..tensor import LEAF_INPLACE_ERROR, VIEW_OF_LEAF_INPLACE_ERROR, Tensor, _scalar_type_name
from ._numeric import QUIET, restore, silence
from .arithmetic import result_dtype
from .shape import AsStrided, Fill, IndexPut, StaleView


def _write(t: Tensor, result: np.ndarray) -> None:
    """Write ``result`` into ``t``'s memory, with PyTorch's errors for shape and dtype."""
    _check_write(t._data, result)
    np.copyto(t._data, result, casting="same_kind")
    bump(t)


def _check_write(data: np.ndarray, result: np.ndarray) -> None:
    """Raise PyTorch's error if ``result`` cannot be written into ``data``."""
    if result.shape != data.shape:
        if np.broadcast_shapes(result.shape, data.shape) != data.shape:
            raise RuntimeError(
                f"output with shape {list(data.shape)} doesn't match the broadcast shape "
                f"{list(np.broadcast_shapes(result.shape, data.shape))}"
            )
    if not np.can_cast(result.dtype, data.dtype, casting="same_kind"):
        raise RuntimeError(
            f"result type {_scalar_type_name(result.dtype)} can't be cast to the desired output "
            f"type {_scalar_type_name(data.dtype)}"
        )
    _check_writeable(data)


def _check_writeable(data: np.ndarray) -> None:
    # numpy marks an expanded array read-only: one element sits in several places.
    # (PyTorch lets some writes to an expanded tensor through; this library refuses them all.)
    if not data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )


_SCALAR_OPERATORS = {  # the same arithmetic on numpy scalars, without a ufunc call's overhead
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.true_divide: operator.truediv,
}


def ufunc_inplace(t: Tensor, ufunc: Any, other: Any) -> None:
    data = t._data
    if not data.ndim and data.dtype.kind == "f" and getattr(other, "ndim", 0) == 0:
        # one float (w -= lr * w.grad on a 0-d w): numpy's in-place call on a 0-d array
        # costs 15 times more than computing with the number and storing it back
        quiet = silence(QUIET)
        try:
            number = other[()] if isinstance(other, np.ndarray) else other
            data[()] = _SCALAR_OPERATORS[ufunc](data[()], number)
        finally:
            restore(quiet)
        bump(t)
        return
    quiet = silence(QUIET)
    try:
        ufunc(data, other, out=data, casting="same_kind")
    except (TypeError, ValueError):
        # numpy refused (shape, dtype or read-only memory): find which, for PyTorch's message
        dtype = result_dtype(data, other)
        if ufunc is np.true_divide and dtype.kind != "f":
            dtype = np.dtype(np.float32)
        _check_write(data, np.asarray(ufunc(data, other)).astype(dtype))
        raise  # some other reason: numpy's own message
    finally:
        restore(quiet)
    bump(t)


def bump(t: Tensor) -> None:
    """Record an in-place change: the tensor's version, and the global count of changes."""
    t._version_counter().value += 1
    _inplace_epoch[0] += 1


def apply_inplace(t: Tensor, op: Any, operands: tuple[Any, ...], params: dict[str, Any]) -> None:
    tracked = False
    if _enabled[0]:
        tracked = t._requires_grad
        for o in operands:
            if isinstance(o, Tensor) and o._requires_grad:
                tracked = True
    if not tracked:
        arrays = [o._data if isinstance(o, Tensor) else o for o in operands]
        ufunc = op._inplace_ufunc
        if ufunc is not None:  # x += y and friends: numpy writes straight into x's memory
            ufunc_inplace(t, ufunc, arrays[0])
        elif issubclass(op, Fill):  # fill_ and zero_
            _check_writeable(t._data)
            t._data.fill(params["value"])
            t._grad_passes = 0  # on a .grad tensor: no backward pass is summed in it any more
            bump(t)
        elif op is IndexPut:  # plain assignment: no need to copy the whole tensor
            _assign(t, arrays[0], params["key"])
        else:
            _write(t, np.asarray(op.forward(_NO_CONTEXT, t._data, *arrays, **params)))
        return

    if t._grad_fn is None and t._requires_grad:
        raise RuntimeError(LEAF_INPLACE_ERROR)
    base = t._base
    if base is not None:
        if base._grad_fn is None and base._requires_grad:
            raise RuntimeError(VIEW_OF_LEAF_INPLACE_ERROR)
        # PyTorch would rewrite the base's history (CopySlices); this library does not
        raise RuntimeError(
            "autograd_lab does not record in-place changes to a view (here of a tensor "
            "computed from others). Use an out-of-place operation, e.g. v = v * 2, or clone() "
            "the view first."
        )
    old = t._grad_fn
    snapshot = Tensor._make(t._data.copy(), old)  # the old values, for the op to save
    snapshot._requires_grad = t._requires_grad
    out = op.apply(snapshot, *operands, **params)
    _write(t, out._data)
    node = out._grad_fn
    t._grad_fn = node
    t._requires_grad = True
    if node._out is not None:  # the op saved its output: that output is now t itself
        k = node._out[0]
        saved = list(node._saved)
        saved[k] = t._data
        node._saved = tuple(saved)
        node._out = (k, t._vc, t._vc.value)
    if old is not None:
        if old._retained is not None and old._retained() is t:  # retain_grad() holds on
            node._retained, old._retained = old._retained, None
        views = t._vc.views
        if views:
            _rebase_views(views, old, node)


def _rebase_views(views: list[Any], old: Any, new: Any) -> None:
    """Point the graph of each live view of a changed tensor at the tensor's new ``grad_fn``.

    ``v = a[0]; a.mul_(3)``: ``v`` now holds 3 times the old value, so its gradient must flow
    through the multiplication. Its chain of view nodes (e.g. Select, or T then Select) led to
    ``a``'s old node; one ``AsStridedBackward0`` node, as PyTorch makes, now replays that chain
    and leads to the new one.
    """
    for ref in views:
        view = ref()
        if view is None or view._grad_fn is None:
            continue
        chain = []
        n = view._grad_fn
        while n is not old:
            function = getattr(getattr(n, "main", n), "_function", None)  # (main: OutputNode)
            if function is None:
                break  # a leaf's node: the view's history does not lead to the changed tensor
            if function._tensor_io:  # made by a learner's Function: its backward is theirs
                view._grad_fn = StaleView.node(function.__name__, getattr(n, "index", 0))
                break
            if not function._view:
                break  # the view was given another history since (e.g. detach_): leave it
            chain.append(n)
            n = n._nx if type(n._nx) is not tuple else n._nx[0]
        else:
            node = AsStrided.node(chain, new)
            retained = view._grad_fn._retained
            if retained is not None and retained() is view:  # retain_grad() holds on
                node._retained = retained
            view._grad_fn = node
    views[:] = [ref for ref in views if ref() is not None]


def _assign(t: Tensor, value: np.ndarray, key: Any) -> None:
    _check_writeable(t._data)
    try:
        t._data[key] = value
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None
    except ValueError as e:
        raise RuntimeError(str(e)) from None
    bump(t)


def fill_random(t: Tensor, kind: str, a: float, b: float) -> Tensor:
    """``uniform_`` and ``normal_``: refill a tensor with random numbers (not recorded)."""
    if _enabled[0] and t._requires_grad and t._grad_fn is None:
        raise RuntimeError(LEAF_INPLACE_ERROR)
    draw = _random.uniform if kind == "uniform" else _random.normal
    _write(t, draw(t._data.shape, a, b, t._data.dtype))
    return t
