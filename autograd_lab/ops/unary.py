"""Elementwise functions: exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, clamp.

Each backward multiplies the upstream gradient by the function's derivative at the input.
Where the derivative is most easily written with the output (eˣ, σ, tanh, √x) the output is
saved instead of the input, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Op
from ..tensor import Tensor
from .arithmetic import check_broadcast, number, promote


class Exp(Op):
    """out = eˣ                 ∂out/∂x = eˣ = out"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.exp(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Op):
    """out = ln x               ∂out/∂x = 1/x"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf, log(-1) = nan
            return np.log(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
    """out = √x                 ∂out/∂x = 1/(2√x) = 1/(2·out)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        with np.errstate(invalid="ignore"):  # sqrt(-1) = nan, as in PyTorch
            out = np.sqrt(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Abs(Op):
    """out = |x|                ∂out/∂x = sign(x)  (0 at x = 0)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * np.sign(x)


class Sign(Op):
    """out = sign(x)            ∂out/∂x = 0  (a step: flat everywhere it is defined)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        return np.sign(x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad * 0


class Sin(Op):
    """out = sin x              ∂out/∂x = cos x"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.sin(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * np.cos(x)


class Cos(Op):
    """out = cos x              ∂out/∂x = −sin x"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.cos(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * -np.sin(x)


class Tanh(Op):
    """out = tanh x             ∂out/∂x = 1 − tanh²x = 1 − out²"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.tanh(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Op):
    """out = σ(x) = 1/(1 + e⁻ˣ)   ∂out/∂x = σ(x)(1 − σ(x)) = out(1 − out)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = sigmoid(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (1 - out) * out


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) without overflow: e⁻ˣ would overflow for x = −1000, so use e^−|x| ≤ 1 instead."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Relu(Op):
    """out = max(x, 0)          ∂out/∂x = 1 where x > 0, else 0"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.maximum(x, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (out > 0)


class Clamp(Op, name="ClampBackward1"):
    """out = min(max(x, lo), hi)   ∂out/∂x = 1 inside [lo, hi], 0 where clamped"""

    @staticmethod
    def forward(ctx: Any, x: Any, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        ctx.save_for_backward(x)
        ctx.bounds = (min, max)
        out = x
        if min is not None:
            out = np.maximum(out, min)
        if max is not None:
            out = np.minimum(out, max)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = True
        if lo is not None:
            inside = inside & (x >= lo)
        if hi is not None:
            inside = inside & (x <= hi)
        return grad * inside


def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """``x.clamp(min, max)`` with numbers (ClampBackward1) or tensors (ClampBackward0) as bounds."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = min if min is None or isinstance(min, Tensor) else Tensor._make(np.asarray(min))
        hi = max if max is None or isinstance(max, Tensor) else Tensor._make(np.asarray(max))
        return ClampTensor.apply(x, lo, hi)
    lo = None if min is None else number(min, "min")
    hi = None if max is None else number(max, "max")
    return Clamp.apply(x, min=lo, max=hi)


class ClampTensor(Op, name="ClampBackward0"):
    """out = min(max(x, lo), hi) with tensor bounds; each bound gets the gradient where it won"""

    @staticmethod
    def forward(ctx: Any, x: Any, lo: Any, hi: Any) -> Any:
        ctx.save_for_backward(x, lo, hi)
        out = x
        if lo is not None:
            check_broadcast(x, lo)
            out = np.maximum(out, lo)
        if hi is not None:
            check_broadcast(x, hi)
            out = np.minimum(out, hi)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any, Any]:
        x, lo, hi = ctx.saved_tensors
        inside = True
        grad_lo = grad_hi = None
        if lo is not None:
            inside = inside & (x >= lo)
            grad_lo = grad * (x < lo)
        if hi is not None:
            inside = inside & (x <= hi)
            grad_hi = grad * (x > hi)
        return grad * inside, grad_lo, grad_hi


class Maximum(Op):
    """out = max(a, b) elementwise   the larger input gets the gradient (ties: half each)"""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        check_broadcast(a, b)
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        share = (a > b) + (a == b) * 0.5
        return grad * share, grad * (1 - share)


class Minimum(Op):
    """out = min(a, b) elementwise   the smaller input gets the gradient (ties: half each)"""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        check_broadcast(a, b)
        a, b = promote(a, b)
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        share = (a < b) + (a == b) * 0.5
        return grad * share, grad * (1 - share)


class Where(Op):
    """out = a where cond else b     each branch gets the gradient where it was chosen"""

    @staticmethod
    def forward(ctx: Any, cond: Any, a: Any, b: Any) -> Any:
        ctx.save_for_backward(cond)
        a, b = promote(a, b)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any, Any]:
        (cond,) = ctx.saved_tensors
        return None, grad * cond, grad * ~cond if isinstance(cond, np.ndarray) else grad * (1 - cond)


def _floating(x: np.ndarray) -> np.ndarray:
    """Integer tensors give float32 results from transcendental functions, as in PyTorch."""
    return x if x.dtype.kind == "f" else x.astype(np.float32)
