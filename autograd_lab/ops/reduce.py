"""Reductions: sum, mean, max, min (of everything or along dims), softmax, logsumexp.

A reduction's backward sends the upstream gradient back to every element that took part:
all of them for ``sum`` (each with weight 1) and ``mean`` (1/n), only the winner for ``max``.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..autograd.function import Op
from ..tensor import Tensor
from .shape import expand_back, normalize_dim, normalize_dims


def _float_result(name: str, x: Tensor, dtype: Any) -> np.dtype | None:
    if dtype is not None:
        return dtype.numpy
    if x._data.dtype.kind != "f":
        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating "
            f"point or complex dtype. Got: {_SCALAR_NAMES.get(x._data.dtype.name, 'Long')}"
        )
    return None


_SCALAR_NAMES = {"int64": "Long", "int32": "Int", "bool": "Bool", "uint8": "Byte"}


class Sum(Op):
    """out = Σ x                every element gets the upstream gradient (∂out/∂xᵢ = 1)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dtype: Any = None) -> Any:
        ctx.shape = x.shape
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64  # sums of integers and bools are int64, as in PyTorch
        return x.sum(dtype=dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return expand_back(grad, ctx.shape, ())


class SumDim(Op, name="SumBackward1"):
    """out = Σ x along dims     every element gets the gradient of its own sum"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], keepdim: bool, dtype: Any = None) -> Any:
        ctx.shape, ctx.dim = x.shape, (() if keepdim else dim)
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        return x.sum(axis=dim, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return expand_back(grad, ctx.shape, ctx.dim)


class Mean(Op):
    """out = (1/n) Σ x          ∂out/∂xᵢ = 1/n"""

    @staticmethod
    def forward(ctx: Any, x: Any, dtype: Any = None) -> Any:
        ctx.shape = x.shape
        return x.sum(dtype=dtype) / x.size

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        n = math.prod(ctx.shape)
        return expand_back(grad / n, ctx.shape, ())


class MeanDim(Op, name="MeanBackward1"):
    """out = mean of x along dims   ∂out/∂xᵢ = 1/(number of elements averaged)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], keepdim: bool, dtype: Any = None) -> Any:
        count = math.prod(x.shape[d] for d in dim)
        ctx.shape, ctx.dim, ctx.count = x.shape, (() if keepdim else dim), count
        return x.sum(axis=dim, keepdims=keepdim, dtype=dtype) / count

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return expand_back(grad / ctx.count, ctx.shape, ctx.dim)


def sum(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    dt = None if dtype is None else dtype.numpy
    if dim is None:
        return Sum.apply(x, dtype=dt)
    return SumDim.apply(x, dim=normalize_dims(dim, x._data.ndim), keepdim=keepdim, dtype=dt)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    dt = _float_result("mean", x, dtype)
    if dim is None:
        return Mean.apply(x, dtype=dt)
    return MeanDim.apply(x, dim=normalize_dims(dim, x._data.ndim), keepdim=keepdim, dtype=dt)


class Extreme(Op, name="MaxBackward1"):
    """out = max x (or min x)   the gradient goes to the element(s) equal to out, shared evenly"""

    @staticmethod
    def forward(ctx: Any, x: Any, find: Any) -> Any:
        if x.size == 0:
            raise RuntimeError(
                f"{find.__name__}(): Expected reduction dim to be specified for input.numel() "
                "== 0. Specify the reduction dim with the 'dim' argument."
            )
        out = find(x)
        winners = (x == out).astype(x.dtype)
        ctx.save_for_backward(winners / winners.sum())  # ties share the gradient evenly
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (share,) = ctx.saved_tensors
        return grad * share


class MinAll(Extreme, name="MinBackward1"):
    pass


class ExtremeDim(Op, name="MaxBackward0"):
    """values, indices = max(x, dim)   each gradient goes back to the position that won"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int, keepdim: bool, find: Any) -> Any:
        idx = find(x, axis=dim, keepdims=True)
        # a one-hot mask of the winners: backward is then a product, differentiable itself
        ctx.save_for_backward(np.arange(x.shape[dim]).reshape(_along(x.ndim, dim)) == idx)
        ctx.dim = () if keepdim else (dim,)
        values = np.take_along_axis(x, idx, axis=dim)
        if not keepdim:
            values, idx = values.squeeze(dim), idx.squeeze(dim)
        return values, idx.astype(np.int64)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (winner,) = ctx.saved_tensors
        shape = list(winner.shape)
        for d in ctx.dim:
            shape[d] = 1
        return grad.reshape(tuple(shape)) * winner


class MinDim(ExtremeDim, name="MinBackward0"):
    pass


def _along(ndim: int, dim: int) -> tuple[int, ...]:
    return tuple(-1 if d == dim else 1 for d in range(ndim))


class _ReturnType(NamedTuple):
    values: Tensor
    indices: Tensor

    def __repr__(self) -> str:
        return (
            f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
            f"indices={self.indices!r})"
        )


class max(_ReturnType):
    """What ``max(dim)`` returns: ``values`` and ``indices`` (a named tuple)."""


class min(_ReturnType):
    """What ``min(dim)`` returns: ``values`` and ``indices`` (a named tuple)."""


_RESULT_TYPES = {"max": max, "min": min}


def extreme(x: Tensor, dim: Any, keepdim: bool, which: str) -> Any:
    """``x.max()``, ``x.max(dim)``, ``torch.max(a, b)`` (elementwise), and the same for min."""
    from .unary import Maximum, Minimum

    if isinstance(dim, Tensor):  # torch.max(a, b) is the elementwise maximum
        return (Maximum if which == "max" else Minimum).apply(x, dim)
    if dim is None:
        return (Extreme if which == "max" else MinAll).apply(x, find=getattr(np, which))
    if x._data.ndim == 0:  # a 0-d tensor is its own max along dim 0
        normalize_dim(dim, 0)
        return _RESULT_TYPES[which](x.clone() if x._requires_grad else x, _zero_index())
    d = normalize_dims(dim, x._data.ndim)
    if len(d) != 1:
        raise TypeError(f"{which}(): dim must be a single int, got {dim!r}")
    if x._data.shape and x._data.shape[d[0]] == 0:
        raise IndexError(f"{which}(): Expected reduction dim {d[0]} to have non-zero size.")
    op = ExtremeDim if which == "max" else MinDim
    values, indices = op.apply(x, dim=d[0], keepdim=keepdim, find=getattr(np, "arg" + which))
    return _RESULT_TYPES[which](values, indices)


def _zero_index() -> Tensor:
    return Tensor._make(np.zeros((), dtype=np.int64))


def arg_extreme(x: Tensor, dim: int | None, keepdim: bool, which: str) -> Tensor:
    """``argmax``/``argmin``: positions, never differentiated."""
    find = getattr(np, "arg" + which)
    if dim is None:
        out = np.asarray(find(x._data))
        if keepdim:
            out = out.reshape((1,) * x._data.ndim)
    else:
        (d,) = normalize_dims(dim, x._data.ndim)
        out = find(x._data, axis=d, keepdims=keepdim)
    return Tensor._make(np.asarray(out, dtype=np.int64))


class Softmax(Op, name="SoftmaxBackward0"):
    """sᵢ = eˣⁱ / Σⱼ eˣʲ          ∂L/∂xᵢ = sᵢ (gᵢ − Σⱼ gⱼ sⱼ)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int) -> Any:
        shifted = x - x.max(axis=dim, keepdims=True)  # e^(x - max) never overflows
        e = np.exp(shifted)
        out = e / e.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (s,) = ctx.saved_tensors
        weighted = grad * s
        return weighted - s * _sum_keep(weighted, ctx.dim)


class LogSoftmax(Op, name="LogSoftmaxBackward0"):
    """outᵢ = xᵢ − log Σⱼ eˣʲ      ∂L/∂xᵢ = gᵢ − softmax(x)ᵢ Σⱼ gⱼ"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int) -> Any:
        shifted = x - x.max(axis=dim, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad - np.exp(out) * _sum_keep(grad, ctx.dim)


class LogSumExp(Op):
    """out = log Σ eˣ             ∂out/∂xᵢ = softmax(x)ᵢ"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], keepdim: bool) -> Any:
        top = x.max(axis=dim, keepdims=True)
        top = np.where(np.isfinite(top), top, 0)
        out = np.log(np.exp(x - top).sum(axis=dim, keepdims=True)) + top
        ctx.save_for_backward(x, out)
        ctx.dim, ctx.keepdim = dim, keepdim
        return out if keepdim else out.squeeze(dim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        g = grad if ctx.keepdim else grad.reshape(out.shape)
        return g * np.exp(x - out)


def _sum_keep(a: Any, dim: int) -> Any:
    """Sum along one dim keeping it, for arrays and (create_graph) tensors alike."""
    if isinstance(a, Tensor):
        return a.sum(dim=dim, keepdim=True)
    return a.sum(axis=dim, keepdims=True)
