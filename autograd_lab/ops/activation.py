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


# erf by W. J. Cody's rational Chebyshev approximations: W. J. Cody, "Rational Chebyshev
# approximations for the error function", Math. Comp. 23 (1969) 631-637, with the coefficients
# of his SPECFUN routine CALERF (https://www.netlib.org/specfun/erf), written here lowest degree
# first. Measured over [-7, 7] (step 1e-6) and the tails: within 5 float64 ulps of math.erf
# (relative error below 6.5e-16), and float32 results equal to math.erf's rounded values.
_ERF_SMALL = 0.46875  # |x| ≤ this: erf(x) = x·P(x²)/Q(x²)
_ERF_P = (3.20937758913846947e03, 3.77485237685302021e02, 1.13864154151050156e02,
          3.16112374387056560e00, 1.85777706184603153e-1)  # fmt: skip
_ERF_Q = (2.84423683343917062e03, 1.28261652607737228e03, 2.44024637934444173e02,
          2.36012909523441209e01, 1.0)  # fmt: skip
# 0.46875 < |x| ≤ 4: erfc(|x|) = e^(−x²)·P(|x|)/Q(|x|)
_ERFC_P = (1.23033935479799725e03, 2.05107837782607147e03, 1.71204761263407058e03,
           8.81952221241769090e02, 2.98635138197400131e02, 6.61191906371416295e01,
           8.88314979438837594e00, 5.64188496988670089e-1, 2.15311535474403846e-8)  # fmt: skip
_ERFC_Q = (1.23033935480374942e03, 3.43936767414372164e03, 4.36261909014324716e03,
           3.29079923573345963e03, 1.62138957456669019e03, 5.37181101862009858e02,
           1.17693950891312499e02, 1.57449261107098347e01, 1.0)  # fmt: skip
# 4 < |x| < 6: erfc(|x|) = e^(−x²)/|x| · (1/√π − z·P(z)/Q(z)),  z = 1/x²
_ERFC_TAIL_P = (6.58749161529837803e-4, 1.60837851487422766e-2, 1.25781726111229246e-1,
                3.60344899949804439e-1, 3.05326634961232344e-1, 1.63153871373020978e-2)  # fmt: skip
_ERFC_TAIL_Q = (2.33520497626869185e-3, 6.05183413124413191e-2, 5.27905102951428412e-1,
                1.87295284992346047e00, 2.56852019228982242e00, 1.0)  # fmt: skip
_ERF_ONE = 6.0  # erfc(6) = 2.2e-17 is below half an ulp of 1: from here on erf(x) = ±1 exactly
SQRT_PI_INV = 0.5641895835477563  # 1/√π


def _rational(
    p: tuple[float, ...], q: tuple[float, ...], z: np.ndarray, den: np.ndarray | None = None
) -> np.ndarray:
    """P(z)/Q(z) by Horner's rule (coefficients lowest degree first, Q's last one 1), in place
    in a new array; ``den``, if given, is used as scratch space for Q(z)."""
    num = np.multiply(z, p[-1])
    num += p[-2]
    den = np.add(z, q[-2], out=den)
    for a, b in zip(p[-3::-1], q[-3::-1], strict=True):
        num *= z
        num += a
        den *= z
        den += b
    num /= den
    return num


_ERF_BLOCK = 8192  # elements per pass: float64 scratch arrays stay in cache and in the heap
_ERF_FEW = 128  # up to this many elements math.erf one by one beats ~40 numpy calls


def erf(x: np.ndarray) -> np.ndarray:
    """The error function elementwise (numpy has none), in float64 rounded to x's dtype.
    Φ(x) = (1 + erf(x/√2))/2 is the standard normal's cumulative distribution.

    Cody's rational approximations (coefficients above), within a few float64 ulps of Python's
    ``math.erf``; float32 results are math.erf's rounded values. A handful of elements go
    through ``math.erf`` itself. erf(±inf) = ±1, erf(nan) = nan.

    (PyTorch's float32 gelu runs oneDNN's approximation of erf for tensors of two or more
    elements: its values can differ from these in the last digit, and it gives gelu(inf) = nan.)
    """
    x = np.asarray(x)
    if x.size <= _ERF_FEW:
        values = [math.erf(v) for v in x.ravel().tolist()]
        return np.array(values, dtype=np.float64).reshape(x.shape).astype(x.dtype)
    if x.size <= _ERF_BLOCK:
        return _erf_block(x).astype(x.dtype, copy=False)
    flat = x.ravel()
    out = np.empty(flat.shape, x.dtype)
    for i in range(0, flat.size, _ERF_BLOCK):
        out[i : i + _ERF_BLOCK] = _erf_block(flat[i : i + _ERF_BLOCK])
    return out.reshape(x.shape)


def _erf_block(x: np.ndarray) -> np.ndarray:
    """erf of an array with at least one dimension, in float64.

    erf itself for |x| ≤ 0.46875, else ±(1 − erfc(|x|)) with erfc = e^(−x²) × a rational
    function of |x| (of 1/x² beyond 4). Both are computed for every element and the right one
    picked, in place wherever possible: in numpy that is cheaper than sorting the elements out.
    |x| is capped at 6, where 1 − erfc(6) already rounds to 1: no overflow, no inf/inf, and the
    tail formula gives exactly ±1 for every larger |x| (inf included); nan stays nan.
    """
    y = np.abs(x, dtype=np.float64)
    np.minimum(y, _ERF_ONE, out=y)
    y_sq = y * y
    out = _rational(_ERFC_P, _ERFC_Q, y)  # erfc(|x|)·e^(x²)
    tail = y > 4.0
    if tail.any():
        z = 1.0 / y_sq[tail]
        out[tail] = (SQRT_PI_INV - z * _rational(_ERFC_TAIL_P, _ERFC_TAIL_Q, z)) / y[tail]
    near_zero = y <= _ERF_SMALL
    near = _rational(_ERF_P, _ERF_Q, y_sq, den=y)  # erf(x)/x (y is not needed any more)
    near *= x
    np.negative(y_sq, out=y_sq)
    out *= np.exp(y_sq, out=y_sq)  # erfc(|x|)
    np.subtract(1.0, out, out=out)
    np.copysign(out, x, out=out)
    np.copyto(out, near, where=near_zero)
    return out


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
        # x/2 · (1 + erf(x/√2)) in PyTorch's order, in place: fresh arrays cost time too
        scratch = np.multiply(x, f(SQRT1_2), out=np.empty_like(x))
        out = erf(scratch)  # (a new array)
        out += 1
        out *= np.multiply(x, f(0.5), out=scratch)
        return out

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
        # Φ(x) + x·φ(x) as PyTorch orders it, in place (two scratch arrays, not eight)
        scratch = np.multiply(x, f(SQRT1_2), out=np.empty_like(x))
        slope = erf(scratch)  # (a new array)
        slope += 1
        slope *= f(0.5)  # Φ(x)
        pdf = np.multiply(x, x, out=scratch)
        pdf *= f(-0.5)
        np.exp(pdf, out=pdf)
        pdf *= f(PDF_SCALE)  # φ(x)
        pdf *= x
        slope += pdf
        return grad * slope

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
