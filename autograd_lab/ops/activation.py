"""The activations of ``nn`` beyond relu, sigmoid and tanh: leaky_relu, gelu, silu, elu,
softplus, hardtanh.

Each forward is PyTorch's CPU kernel written in numpy, in its order of operations (so float32
values round the same way), and each backward is PyTorch's derivative formula. Where PyTorch
computes the derivative with an op of its own (``leaky_relu_backward``, ``gelu_backward``, ...),
the backward here is an op too (``LeakyReluBackward``, ...): with ``create_graph=True`` the
gradient then shows PyTorch's ``grad_fn`` (``LeakyReluBackwardBackward0``), and that op's own
backward gives the second derivative.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import _NO_CONTEXT, Op
from ..tensor import Tensor, _scalar_type_name
from .unary import sigmoid

SQRT1_2 = 0.7071067811865476  # 1/√2
PDF_SCALE = 0.3989422804014327  # 1/√(2π), the peak of the standard normal density
TANH_SCALE = 0.7978845608028654  # √(2/π), in gelu's tanh approximation
KAPPA = 0.044715  # the cubic term of that approximation


def _float_only(x: Any, kernel: str) -> None:
    """PyTorch's error for an activation of an integer tensor (its kernels are float-only)."""
    if x.dtype.kind != "f":
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_scalar_type_name(x.dtype)}'"
        )


def _derivative(op: type[Op], grad: Any, x: Any, **params: Any) -> Any:
    """Apply a backward-op: recorded when a graph of the backward is built, else plain numpy."""
    if isinstance(grad, Tensor) or isinstance(x, Tensor):
        return op.apply(grad, x, **params)
    return op.forward(_NO_CONTEXT, grad, x, **params)


def _zeros_like(x: Any) -> Any:
    """A flat derivative: zeros (a constant outside any graph when the graph is recorded)."""
    if isinstance(x, Tensor):
        return Tensor._make(np.zeros_like(x._data))
    return np.zeros_like(x)


# -- leaky_relu -------------------------------------------------------------------------------


class LeakyRelu(Op):
    """out = x if x > 0 else s·x     ∂out/∂x = 1 if x > 0 else s   (s: the negative slope)"""

    @staticmethod
    def forward(ctx: Any, x: Any, negative_slope: float) -> Any:
        _float_only(x, "leaky_relu_cpu")
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return np.where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _derivative(LeakyReluBackward, grad, x, negative_slope=ctx.negative_slope)


class LeakyReluInplace(LeakyRelu, name="LeakyReluBackward1"):
    """``leaky_relu_(x)``: the same, remembered by its output (positive exactly where x is,
    unless the slope is negative: then the output cannot tell, and backward refuses)."""

    @staticmethod
    def forward(ctx: Any, x: Any, negative_slope: float) -> Any:
        _float_only(x, "leaky_relu_cpu")
        out = np.where(x > 0, x, x * negative_slope)
        ctx.save_for_backward(out)
        ctx.negative_slope = negative_slope
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if ctx.negative_slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an issue "
                "at https://github.com/pytorch/pytorch if you do require supporting in-place "
                "leakRelu backward calculation with negative slope"
            )
        return LeakyRelu.backward(ctx, grad)


class LeakyReluBackward(Op):
    """g if x > 0 else g·s: leaky_relu's backward as an op (linear in g, flat in x)"""

    @staticmethod
    def forward(ctx: Any, grad: Any, x: Any, negative_slope: float) -> Any:
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return np.where(x > 0, grad, grad * negative_slope)

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        (x,) = ctx.saved_tensors
        grad_grad = _derivative(LeakyReluBackward, g, x, negative_slope=ctx.negative_slope)
        return grad_grad, _zeros_like(x)


# -- gelu -------------------------------------------------------------------------------------


def erf(x: np.ndarray) -> np.ndarray:
    """The error function elementwise: Python's ``math.erf`` (numpy has none), rounded to x's
    dtype. Φ(x) = (1 + erf(x/√2))/2 is the standard normal's cumulative distribution.

    (PyTorch's float32 gelu runs oneDNN's approximation of erf for tensors of two or more
    elements: its values can differ from these in the last digit, and it gives gelu(inf) = nan.)
    """
    values = np.frompyfunc(math.erf, 1, 1)(np.asarray(x, dtype=np.float64))
    return np.asarray(values, dtype=np.float64).astype(x.dtype)


class Gelu(Op):
    """out = x·Φ(x) = x/2 · (1 + erf(x/√2))     ∂out/∂x = Φ(x) + x·φ(x)
    (approximate='tanh': out = x/2 · (1 + tanh(√(2/π)(x + 0.044715x³))))"""

    @staticmethod
    def forward(ctx: Any, x: Any, approximate: str) -> Any:
        _float_only(x, "GeluKernelImpl")
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        f = x.dtype.type
        if approximate == "tanh":
            inner = f(TANH_SCALE) * (x + f(KAPPA) * (x * x * x))
            return f(0.5) * x * (1 + np.tanh(inner))
        return x * f(0.5) * (1 + erf(x * f(SQRT1_2)))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _derivative(GeluBackward, grad, x, approximate=ctx.approximate)


class GeluBackward(Op):
    """g·(Φ(x) + x·φ(x)): gelu's backward as an op; its x-derivative is gelu's second one,
    g·φ(x)·(2 − x²)  (φ(x) = e^(−x²/2)/√(2π), the normal density)"""

    @staticmethod
    def forward(ctx: Any, grad: Any, x: Any, approximate: str) -> Any:
        ctx.save_for_backward(grad, x)
        ctx.approximate = approximate
        f = x.dtype.type
        if approximate == "tanh":
            x_sq = x * x
            tanh_inner = np.tanh(f(TANH_SCALE) * (x + f(KAPPA) * (x_sq * x)))
            left = f(0.5) * x
            left_derivative = f(0.5) * (1 + tanh_inner)
            inner_derivative = f(TANH_SCALE) * (1 + f(3) * f(KAPPA) * x_sq)
            right_derivative = left * (1 - tanh_inner * tanh_inner) * inner_derivative
            return grad * (left_derivative + right_derivative)
        cdf = f(0.5) * (1 + erf(x * f(SQRT1_2)))
        pdf = f(PDF_SCALE) * np.exp(x * x * f(-0.5))
        return grad * (cdf + x * pdf)

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        grad, x = ctx.saved_tensors
        need_grad, need_x = ctx.needs_input_grad
        approximate = ctx.approximate
        grad_grad = _derivative(GeluBackward, g, x, approximate=approximate) if need_grad else None
        if not need_x:
            return grad_grad, None
        if approximate == "tanh":
            # f = x(1 + T)/2 with T = tanh u, u = c(x + κx³):
            # f'' = (1 − T²)·(u' + x·(u''/2 − T·u'²)),  u' = c(1 + 3κx²),  u'' = 6cκx
            tanh_inner = np.tanh(TANH_SCALE * (x + KAPPA * (x * x * x)))
            du = TANH_SCALE * (1 + 3 * KAPPA * (x * x))
            second = (1 - tanh_inner * tanh_inner) * (
                du + x * (3 * TANH_SCALE * KAPPA * x - tanh_inner * du * du)
            )
        else:
            pdf = PDF_SCALE * np.exp(-0.5 * (x * x))
            second = 2 * pdf - (x * x) * pdf
        return grad_grad, g * grad * second


# -- silu -------------------------------------------------------------------------------------


class Silu(Op):
    """out = x·σ(x) = x/(1 + e⁻ˣ)     ∂out/∂x = σ(x)·(1 + x·(1 − σ(x)))"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        _float_only(x, "silu_cpu")
        ctx.save_for_backward(x)
        return x / (1 + np.exp(-x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        s = x.sigmoid() if isinstance(x, Tensor) else sigmoid(x)
        return grad * s * (1 + x * (1 - s))


# -- elu --------------------------------------------------------------------------------------


class Elu(Op):
    """out = x if x > 0 else α(eˣ − 1)     ∂out/∂x = 1 if x > 0 else α·eˣ"""

    @staticmethod
    def forward(ctx: Any, x: Any, alpha: float) -> Any:
        _float_only(x, "elu_cpu")
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        return np.where(x <= 0, np.expm1(x) * alpha, x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _derivative(EluBackward, grad, x, alpha=ctx.alpha, is_result=False)


class EluInplace(Elu, name="EluBackward1"):
    """``elu_(x)``: the same, remembered by its output y: ∂y/∂x = y + α where y ≤ 0."""

    @staticmethod
    def forward(ctx: Any, x: Any, alpha: float) -> Any:
        _float_only(x, "elu_cpu")
        out = np.where(x <= 0, np.expm1(x) * alpha, x)
        ctx.save_for_backward(out)
        ctx.alpha = alpha
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if ctx.alpha < 0:  # the output no longer tells where x was negative
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which is "
                "not supported. This is caused by calling in-place forward function with a "
                "negative slope, please call out-of-place version instead."
            )
        (out,) = ctx.saved_tensors
        return _derivative(EluBackward, grad, out, alpha=ctx.alpha, is_result=True)


class EluBackward(Op):
    """g where v > 0, else g·α·eᵛ (v = x) or g·(v + α) (v = the output): elu's backward as an
    op; its v-derivative is g·α·eᵛ (or g) where v ≤ 0, 0 elsewhere"""

    @staticmethod
    def forward(ctx: Any, grad: Any, v: Any, alpha: float, is_result: bool) -> Any:
        ctx.save_for_backward(grad, v)
        ctx.alpha, ctx.is_result = alpha, is_result
        # PyTorch's order: g·α first, then the exponential
        negative = grad * (v + alpha) if is_result else grad * alpha * np.exp(v)
        return np.where(v <= 0, negative, grad)

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        grad, v = ctx.saved_tensors
        alpha, is_result = ctx.alpha, ctx.is_result
        grad_grad = _derivative(EluBackward, g, v, alpha=alpha, is_result=is_result)
        if is_result:
            curvature = g * grad
        else:  # g·grad·α·eᵛ, by the same op (no eᵛ, hence no inf · 0, where v > 0)
            curvature = _derivative(EluBackward, g * grad, v, alpha=alpha, is_result=False)
        return grad_grad, curvature * (v < 0)  # PyTorch's mask: 0 at v = 0 itself


# -- softplus ---------------------------------------------------------------------------------


class Softplus(Op):
    """out = ln(1 + e^(βx))/β  (x itself once βx > threshold)     ∂out/∂x = σ(βx)  (or 1)"""

    @staticmethod
    def forward(ctx: Any, x: Any, beta: float, threshold: float) -> Any:
        _float_only(x, "softplus_cpu")
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        bx = x * beta
        return np.where(bx > threshold, x, np.log1p(np.exp(bx)) / beta)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _derivative(SoftplusBackward, grad, x, beta=ctx.beta, threshold=ctx.threshold)


class SoftplusBackward(Op):
    """g·z/(z + 1) with z = e^(βx), i.e. g·σ(βx) (g once βx > threshold): softplus's backward
    as an op; its x-derivative is g·β·σ(βx)(1 − σ(βx))"""

    @staticmethod
    def forward(ctx: Any, grad: Any, x: Any, beta: float, threshold: float) -> Any:
        ctx.save_for_backward(grad, x)
        ctx.beta, ctx.threshold = beta, threshold
        bx = x * beta
        z = np.exp(bx)
        return np.where(bx > threshold, grad, grad * z / (z + 1))

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        grad, x = ctx.saved_tensors
        beta, threshold = ctx.beta, ctx.threshold
        grad_grad = _derivative(SoftplusBackward, g, x, beta=beta, threshold=threshold)
        bx = x * beta
        s = bx.sigmoid() if isinstance(bx, Tensor) else sigmoid(bx)
        return grad_grad, g * grad * (1 - s) * s * (bx < threshold) * beta


# -- hardtanh ---------------------------------------------------------------------------------


class Hardtanh(Op):
    """out = min(max(x, lo), hi)     ∂out/∂x = 1 strictly inside (lo, hi), else 0
    (unlike clamp, whose gradient also passes at the bounds themselves)"""

    @staticmethod
    def forward(ctx: Any, x: Any, min_val: Any, max_val: Any) -> Any:
        ctx.save_for_backward(x)
        ctx.min_val, ctx.max_val = min_val, max_val
        if x.dtype.kind != "f":  # integer bounds: PyTorch clamps integer tensors too
            min_val, max_val = int(min_val), int(max_val)
        return np.minimum(np.maximum(x, min_val), max_val)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return _derivative(HardtanhBackward, grad, x, min_val=ctx.min_val, max_val=ctx.max_val)


class HardtanhBackward(Op):
    """g strictly inside (lo, hi), else 0: hardtanh's backward as an op (linear in g, flat in x)"""

    @staticmethod
    def forward(ctx: Any, grad: Any, x: Any, min_val: Any, max_val: Any) -> Any:
        ctx.save_for_backward(x)
        ctx.min_val, ctx.max_val = min_val, max_val
        return np.where((x <= min_val) | (x >= max_val), 0, grad)

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        (x,) = ctx.saved_tensors
        params = {"min_val": ctx.min_val, "max_val": ctx.max_val}
        return _derivative(HardtanhBackward, g, x, **params), _zeros_like(x)
