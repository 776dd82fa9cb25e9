"""Reductions: sum, mean, max, min, amax, amin, prod, var, std, norm (of everything or along
dims); softmax, logsumexp and cumsum; any and all (not differentiable: they give bools).

A reduction's backward sends the upstream gradient back to every element that took part:
all of them for ``sum`` (each with weight 1) and ``mean`` (1/n), only the winner for ``max``,
each element times its own partial derivative for ``prod``, ``var``, ``std`` and ``norm``.
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from typing import Any, NamedTuple

import numpy as np

from ..autograd.function import Op
from ..tensor import _REQUIRED, Tensor
from .shape import (
    expand_back,
    masked_fill_zero,
    normalize_dim,
    normalize_dims,
    tensor_input,
)


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


def reduced_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """The dims a reduction runs over; an empty list means all of them, as in PyTorch."""
    if isinstance(dim, tuple | list) and not dim:
        return tuple(range(ndim))
    return normalize_dims(dim, ndim)


def sum(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    dt = None if dtype is None else dtype.numpy
    if dim is None:
        return Sum.apply(x, dtype=dt)
    return SumDim.apply(x, dim=reduced_dims(dim, x._data.ndim), keepdim=keepdim, dtype=dt)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    dt = _float_result("mean", x, dtype)
    if dim is None:
        return Mean.apply(x, dtype=dt)
    return MeanDim.apply(x, dim=reduced_dims(dim, x._data.ndim), keepdim=keepdim, dtype=dt)


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
        # a nan wins (max and min both return it): the gradient goes to the nan(s), as PyTorch
        nan = x.dtype.kind in "fc" and np.isnan(out)
        winners = (np.isnan(x) if nan else x == out).astype(x.dtype)
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
        ctx.dim = dim
        values = np.take_along_axis(x, idx, axis=dim)
        if not keepdim:
            values, idx = values.squeeze(dim), idx.squeeze(dim)
        return values, idx.astype(np.int64)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (winner,) = ctx.saved_tensors
        shape = list(winner.shape)
        shape[ctx.dim] = 1  # the reduced dim (already there with keepdim): one value per row
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
    elif x._data.ndim == 0:  # a 0-d tensor is its own extreme, at position 0
        normalize_dim(dim, 0)
        out = 0
    else:
        (d,) = normalize_dims(dim, x._data.ndim)
        out = find(x._data, axis=d, keepdims=keepdim)
    return Tensor._make(np.asarray(out, dtype=np.int64))


class Softmax(Op, name="SoftmaxBackward0"):
    """sᵢ = eˣⁱ / Σⱼ eˣʲ          ∂L/∂xᵢ = sᵢ (gᵢ − Σⱼ gⱼ sⱼ)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int) -> Any:
        # e^(x - max) ≤ 1 (initial=-inf: an empty dim has no max, and needs none)
        shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True, initial=-np.inf)
        e = np.exp(shifted)
        out = e / np.add.reduce(e, axis=dim, keepdims=True)
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
        # (ufunc.reduce: the array methods .max() and .sum() add a Python call each)
        shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True, initial=-np.inf)
        out = shifted - np.log(np.add.reduce(np.exp(shifted), axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad - np.exp(out) * _sum_keep(grad, ctx.dim)


class LogSumExp(Op, name="LogsumexpBackward0"):
    """out = log Σ eˣ             ∂out/∂xᵢ = softmax(x)ᵢ"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], keepdim: bool) -> Any:
        if x.dtype.kind in "biu":
            x = x.astype(np.float32)  # integers give float32, as in PyTorch
        top = x.max(axis=dim, keepdims=True, initial=-np.inf)  # (-inf: an empty dim's max)
        top = np.where(np.isfinite(top), top, 0)
        out = np.log(np.exp(x - top).sum(axis=dim, keepdims=True)) + top
        ctx.kept_shape = out.shape  # the result's shape with the summed dims kept, as 1s
        if not keepdim:
            out = out.squeeze(dim)
        ctx.save_for_backward(x, out)  # the result itself: checked for in-place changes
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        shape = ctx.kept_shape
        return grad.reshape(shape) * np.exp(x - out.reshape(shape))


def _sum_keep(a: Any, dim: int) -> Any:
    """Sum along one dim keeping it, for arrays and (create_graph) tensors alike."""
    if isinstance(a, Tensor):
        return a.sum(dim=dim, keepdim=True)
    return np.add.reduce(a, axis=dim, keepdims=True)  # (a.sum adds a Python call)


def _mean_keep(a: Any, dims: tuple[int, ...]) -> Any:
    """Mean over dims keeping them, for arrays and (create_graph) tensors alike."""
    if not dims:
        return a
    if isinstance(a, Tensor):
        return a.mean(dim=dims, keepdim=True)
    return a.mean(axis=dims, keepdims=True)


def _values(a: Any) -> np.ndarray:
    """The numbers of an array or tensor: for masks, which are not differentiated."""
    return a._data if isinstance(a, Tensor) else a


def _kept(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` with the reduced ``dims`` as size 1 (the result's shape with keepdim=True)."""
    return tuple(1 if d in dims else n for d, n in enumerate(shape))


def _divide_or_zero(num: Any, den: Any) -> Any:
    """num / den, but 0 where den is 0 (PyTorch's gradient of √ and of norms at 0, not nan)."""
    zero = _values(den) == 0
    if not zero.any():
        return num / den
    return masked_fill_zero(num / (den + zero), zero)  # den + 1 where it is 0: no 0/0


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _warn_at_caller(message: str) -> None:
    """A UserWarning pointing at the learner's line (the first frame outside autograd_lab)."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


# -- amax / amin ------------------------------------------------------------------------------


class Amax(Op):
    """out = max x along dims     the gradient goes to the element(s) equal to out, shared evenly"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], keepdim: bool, find: Any) -> Any:
        out = find(x, axis=dim, keepdims=keepdim)
        ctx.save_for_backward(x, out)
        ctx.dim, ctx.kept = dim, _kept(x.shape, dim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        values = _values(x)
        winners = (values == _values(out).reshape(ctx.kept)).astype(values.dtype)
        share = winners / winners.sum(axis=ctx.dim, keepdims=True)  # ties share evenly
        return grad.reshape(ctx.kept) * share


class Amin(Amax):
    """out = min x along dims     the gradient goes to the element(s) equal to out, shared evenly"""


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """``torch.amax(x, dim=())``: the largest value along ``dim`` (every dim by default)."""
    return _amax_amin(tensor_input("amax", input), dim, keepdim, "amax")


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """``torch.amin(x, dim=())``: the smallest value along ``dim`` (every dim by default)."""
    return _amax_amin(tensor_input("amin", input), dim, keepdim, "amin")


def _amax_amin(x: Tensor, dim: Any, keepdim: bool, name: str) -> Tensor:
    shape = x._data.shape
    every = dim is None or (isinstance(dim, tuple | list) and not dim)
    dims = tuple(range(len(shape))) if every else normalize_dims(dim, len(shape))
    if x._data.size == 0:
        if every:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        for d in dims:
            if shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    op = Amax if name == "amax" else Amin
    return op.apply(x, dim=dims, keepdim=keepdim, find=getattr(np, name))


# -- prod -------------------------------------------------------------------------------------


class Prod(Op):
    """out = Π x                 ∂out/∂xᵢ = the product of all the other elements (out / xᵢ)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dtype: Any = None) -> Any:
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64  # products of integers and bools are int64, as in PyTorch
        out = x.prod(dtype=dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        flat = x.reshape(-1)  # a product of everything: the product along the flattened tensor
        return grad * _product_of_others(flat, out, (0,)).reshape(x.shape)


class ProdDim(Op, name="ProdBackward1"):
    """out = Π x along dim        ∂out/∂xᵢ = the product of the other elements of its slice"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], keepdim: bool, dtype: Any = None) -> Any:
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        out = x.prod(axis=dim, keepdims=keepdim, dtype=dtype)
        ctx.save_for_backward(x, out)
        ctx.dim, ctx.kept = dim, _kept(x.shape, dim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        kept = ctx.kept
        return grad.reshape(kept) * _product_of_others(x, out.reshape(kept), ctx.dim)


def _product_of_others(x: Any, out: Any, dim: tuple[int, ...]) -> Any:
    """For each element, the product of the other elements along ``dim`` (``out`` is the
    product, with ``dim`` kept). That is out / xᵢ, unless some xᵢ is 0."""
    values = _values(x)
    if not dim:  # a 0-d tensor is its own product: ∂out/∂x = 1
        return np.ones_like(values)
    if not (values == 0).any():
        return out / x
    (d,) = dim
    if isinstance(x, Tensor):  # create_graph: a formula that is differentiable again
        n = values.shape[d]
        eye = np.eye(n, dtype=values.dtype).reshape((n, n) + (1,) * (values.ndim - d - 1))
        return (x.unsqueeze(d) * (1 - eye) + eye).prod(d + 1)  # row i: x with xᵢ set to 1
    # the product of the elements before each one, times the product of those after it
    after = np.flip(_products_before(np.flip(values, d), d), d)
    return _products_before(values, d) * after


def _products_before(a: np.ndarray, axis: int) -> np.ndarray:
    """[1, a₀, a₀a₁, ..., a₀⋯aₙ₋₂] along ``axis``."""
    before = np.roll(np.cumprod(a, axis=axis), 1, axis=axis)
    before[(slice(None),) * axis + (0,)] = 1
    return before


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """``torch.prod(x)``: the product of all elements; ``torch.prod(x, dim)``: along one dim."""
    x = tensor_input("prod", input)
    dt = None if dtype is None else dtype.numpy
    if dim is None:
        return Prod.apply(x, dtype=dt)
    if isinstance(dim, tuple | list):
        raise TypeError(f"prod(): argument 'dim' must be int, not {type(dim).__name__}")
    return ProdDim.apply(x, dim=normalize_dims(dim, x._data.ndim), keepdim=keepdim, dtype=dt)


# -- var / std --------------------------------------------------------------------------------


def _variance(x: Any, dim: tuple[int, ...], dof: float, keepdim: bool) -> Any:
    deviation = x - x.mean(axis=dim, keepdims=True)
    return (deviation * deviation).sum(axis=dim, keepdims=keepdim) / (dof if dof > 0 else 0.0)


class Var(Op):
    """out = Σ (xᵢ − x̄)² / (N − c)     ∂out/∂xᵢ = 2 (xᵢ − x̄) / (N − c)   (c: the correction)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], dof: float, keepdim: bool) -> Any:
        ctx.save_for_backward(x)
        ctx.dim, ctx.dof, ctx.kept = dim, dof, _kept(x.shape, dim)
        return _variance(x, dim, dof, keepdim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        scale = 2 / ctx.dof if ctx.dof else math.inf
        return scale * grad.reshape(ctx.kept) * (x - _mean_keep(x, ctx.dim))


class Std(Op):
    """out = √var(x)              ∂out/∂xᵢ = (xᵢ − x̄) / ((N − c) · out)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: tuple[int, ...], dof: float, keepdim: bool) -> Any:
        out = np.sqrt(_variance(x, dim, dof, keepdim))
        ctx.save_for_backward(x, out)
        ctx.dim, ctx.dof, ctx.kept = dim, dof, _kept(x.shape, dim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        kept = ctx.kept
        # through the square root (∂√v/∂v = 1/(2√v); 0 where out = 0, as PyTorch), then var's
        grad_var = _divide_or_zero(grad.reshape(kept), 2 * out.reshape(kept))
        scale = 2 / ctx.dof if ctx.dof else math.inf
        return scale * grad_var * (x - _mean_keep(x, ctx.dim))


def var(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """``torch.var(x, dim=None, *, correction=1, keepdim=False)``: Σ (x − mean)² / (N − correction);
    also the older ``unbiased=True`` (correction 1) / ``unbiased=False`` (correction 0)."""
    return _var_std(Var, "var", input, dim, unbiased, keepdim, correction)


def std(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """``torch.std(x, dim=None, *, correction=1, keepdim=False)``: the square root of var."""
    return _var_std(Std, "std", input, dim, unbiased, keepdim, correction)


def _var_std(
    op: type[Op], name: str, x: Any, dim: Any, unbiased: Any, keepdim: bool, correction: Any
) -> Tensor:
    x = tensor_input(name, x)
    if type(dim) is bool:  # x.std(False): the overload std(unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): pass either unbiased or correction, not both")
    if correction is None:
        correction = 0 if unbiased is False else 1
    data = x._data
    if data.dtype.kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = tuple(range(data.ndim)) if dim is None else reduced_dims(dim, data.ndim)
    dof = math.prod([data.shape[d] for d in dims]) - correction
    if dof <= 0:
        _warn_at_caller(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel)."
        )
    return op.apply(x, dim=dims, dof=dof, keepdim=keepdim)


# -- norm -------------------------------------------------------------------------------------


class Norm(Op, name="LinalgVectorNormBackward0"):
    """out = (Σ |xᵢ|ᵖ)^(1/p)      ∂out/∂xᵢ = sign(xᵢ) |xᵢ|ᵖ⁻¹ / outᵖ⁻¹
    (p = 2: xᵢ / out, 0 at the zero vector;  p = 1: sign(xᵢ);  p = ∞: like amax of |x|)"""

    @staticmethod
    def forward(ctx: Any, x: Any, p: float, dim: tuple[int, ...], keepdim: bool) -> Any:
        a = np.abs(x)
        if p == 2:
            out = np.sqrt((a * a).sum(axis=dim, keepdims=keepdim))
        elif p == 1:
            out = a.sum(axis=dim, keepdims=keepdim)
        elif math.isinf(p):
            out = (np.amax if p > 0 else np.amin)(a, axis=dim, keepdims=keepdim)
        else:
            out = (a**p).sum(axis=dim, keepdims=keepdim) ** (1 / p)
        ctx.save_for_backward(x, out)
        ctx.p, ctx.dim, ctx.kept = p, dim, _kept(x.shape, dim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        p = ctx.p
        grad, out = grad.reshape(ctx.kept), out.reshape(ctx.kept)
        if p == 2:
            return grad * _divide_or_zero(x, out)
        if p == 1:
            return grad * np.sign(x)
        if math.isinf(p):  # the gradient goes to the |xᵢ| equal to out, shared evenly
            winners = (np.abs(_values(x)) == _values(out)).astype(_values(x).dtype)
            return np.sign(x) * (grad / winners.sum(axis=ctx.dim, keepdims=True) * winners)
        return np.sign(x) * np.abs(x) ** (p - 1) * _divide_or_zero(grad, out ** (p - 1))


def norm(
    input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
) -> Tensor:
    """``torch.norm(x, p="fro", dim=None, keepdim=False)``: the vector norm (Σ |x|ᵖ)^(1/p) over
    ``dim`` (every dim by default); "fro" (Frobenius) is p = 2."""
    x = tensor_input("norm", input)
    data = x._data
    if isinstance(dim, int):
        dim = (dim,)
    if p is None or (p == "fro" and (dim is None or len(dim) <= 2)):
        p = 2
    if isinstance(p, str):
        if p == "fro":
            raise RuntimeError(
                "linalg.matrix_norm: dim must be a 2-tuple. Got " + " ".join(map(str, dim))
            )
        if p == "nuc":
            raise NotImplementedError("norm(p='nuc'): the nuclear norm is not in autograd_lab")
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    p = float(p)
    if not (p >= 1 or p == -math.inf):
        raise NotImplementedError(
            f"norm(p={p:g}): autograd_lab supports p = 1, 2, any p > 1, inf and -inf"
        )
    if data.dtype.kind not in "fc":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            + _SCALAR_NAMES.get(data.dtype.name, data.dtype.name)
        )
    dims = tuple(range(data.ndim)) if dim is None else reduced_dims(dim, data.ndim)
    if math.isinf(p) and data.size == 0:
        raise RuntimeError(
            "linalg.vector_norm cannot compute the inf norm on an empty tensor because the "
            "operation does not have an identity"
        )
    if dtype is not None and dtype.numpy != data.dtype:
        x = x.to(dtype)
    return Norm.apply(x, p=p, dim=dims, keepdim=keepdim)


# -- any, all ---------------------------------------------------------------------------------


def any_all(x: Tensor, dim: Any, keepdim: bool, test: Any) -> Tensor:
    """``x.any()`` / ``x.all()`` (``test`` is ``np.any`` or ``np.all``): is any / every element
    non-zero, over ``dim`` (every dim by default)? A bool tensor outside any graph; uint8 in,
    uint8 out (PyTorch keeps that old rule)."""
    data = x._data
    dims = None if dim is None else reduced_dims(dim, data.ndim)
    out = test(data, axis=dims, keepdims=keepdim)
    if data.dtype == np.uint8:
        out = out.astype(np.uint8)
    return Tensor._make(np.asarray(out))


# -- cumsum -----------------------------------------------------------------------------------


class Cumsum(Op):
    """outᵢ = x₀ + x₁ + ⋯ + xᵢ along dim     ∂L/∂xᵢ = gᵢ + gᵢ₊₁ + ⋯ (a cumsum from the end)"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int, dtype: Any = None) -> Any:
        ctx.dim = dim
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64  # as sum: integers and bools add up as int64
        if x.ndim == 0:
            return np.array(x, dtype=dtype)
        return np.cumsum(x, axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if grad.ndim == 0:
            return grad
        d = ctx.dim
        if isinstance(grad, Tensor):
            return grad.flip(d).cumsum(d).flip(d)
        return np.flip(np.cumsum(np.flip(grad, d), axis=d), d)


def cumsum(input: Tensor, dim: int = _REQUIRED, *, dtype: Any = None) -> Tensor:
    """``torch.cumsum(x, dim)``: the running sums along ``dim``."""
    x = tensor_input("cumsum", input)
    if dim is _REQUIRED:
        raise TypeError('cumsum() missing 1 required positional arguments: "dim"')
    dt = None if dtype is None else dtype.numpy
    return Cumsum.apply(x, dim=normalize_dim(dim, x._data.ndim), dtype=dt)
