"""Elementwise functions: exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, clamp, and more
of the same kind (tan, atan, asin, acos, sinh, cosh, log2, log10, exp2, log1p, expm1, rsqrt;
floor, ceil, round, trunc, frac).

Each backward multiplies the upstream gradient by the function's derivative at the input.
Where the derivative is most easily written with the output (eˣ, σ, tanh, √x) the output is
saved instead of the input, as PyTorch does. The formulas are PyTorch's, in its order of
operations, so float32 gradients round the same way.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..autograd.function import _NO_CONTEXT, Op
from ..tensor import Tensor, _scalar_type_name
from .arithmetic import check_broadcast, number, promote

LN2 = 0.6931471805599453  # ln 2 and ln 10, as PyTorch writes them in its derivative formulas
LN10 = 2.302585092994046


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
        return np.log(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / x


class Log2(Op):
    """out = log₂ x             ∂out/∂x = 1/(x ln 2)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.log2(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (x * LN2)


class Log10(Op):
    """out = log₁₀ x            ∂out/∂x = 1/(x ln 10)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.log10(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (x * LN10)


class Log1p(Op, name="Log1PBackward0"):
    """out = ln(1 + x), exact for tiny x   ∂out/∂x = 1/(1 + x)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.log1p(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (x + 1)


class Exp2(Op):
    """out = 2ˣ                 ∂out/∂x = 2ˣ ln 2 = out · ln 2"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.exp2(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        product = grad * out
        if isinstance(product, Tensor):  # create_graph: PyTorch's node for "times a number"
            return MulScalar.apply(product, factor=LN2)
        return product * LN2


class MulScalar(Op, name="MulBackward1"):
    """out = x·c for a plain number c, inside a derivative formula   ∂out/∂x = c
    (``x * 2`` written in Python records ``MulBackward0``: PyTorch makes 2 a tensor there)"""

    @staticmethod
    def forward(ctx: Any, x: Any, factor: float) -> Any:
        ctx.factor = factor
        return x * factor

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad * ctx.factor


class Expm1(Op):
    """out = eˣ − 1, exact for tiny x   ∂out/∂x = eˣ = out + 1"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.expm1(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (out + 1)


class Sqrt(Op):
    """out = √x                 ∂out/∂x = 1/(2√x) = 1/(2·out)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.sqrt(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Rsqrt(Op):
    """out = 1/√x               ∂out/∂x = −1/(2 x√x) = −out³/2"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = 1 / np.sqrt(_floating(x))  # PyTorch divides too: the same rounding
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return -0.5 * grad * (out * out * out)


def _rsqrt(x: Any) -> Any:
    """1/√x of an array, or of a tensor as a recorded Rsqrt (create_graph)."""
    return Rsqrt.apply(x) if isinstance(x, Tensor) else 1 / np.sqrt(x)


class Abs(Op):
    """out = |x|                ∂out/∂x = sign(x)  (0 at x = 0)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * _sign(x)


def _sign(x: Any) -> Any:
    """sign(x) as PyTorch computes it, (0 < x) − (x < 0): 0 at nan, where numpy says nan."""
    if isinstance(x, Tensor):  # (create_graph: PyTorch records abs's factor as sgn)
        return Sgn.apply(x)
    if x.dtype.kind == "b":
        return x.copy()  # sign(True) is True
    if x.dtype.kind != "f":
        return np.sign(x)
    return np.subtract(0 < x, x < 0, dtype=x.dtype)


class Sign(Op):
    """out = sign(x)            ∂out/∂x = 0  (a step: flat everywhere it is defined)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        return _sign(x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _zeros_like(grad)


class Sgn(Sign, name="SgnBackward0"):
    """sign(x) as recorded in abs's backward (PyTorch's sgn, the same for real numbers)"""


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


class Tan(Op):
    """out = tan x              ∂out/∂x = 1 + tan²x = 1 + out²"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.tan(_floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (1 + out * out)


class Atan(Op):
    """out = arctan x           ∂out/∂x = 1/(1 + x²)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.arctan(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / (x * x + 1)


class Asin(Op):
    """out = arcsin x           ∂out/∂x = 1/√(1 − x²)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.arcsin(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * _rsqrt(1 - x * x)


class Acos(Op):
    """out = arccos x           ∂out/∂x = −1/√(1 − x²)"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.arccos(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * -_rsqrt(1 - x * x)


class Sinh(Op):
    """out = sinh x = (eˣ − e⁻ˣ)/2   ∂out/∂x = cosh x"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.sinh(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * np.cosh(x)


class Cosh(Op):
    """out = cosh x = (eˣ + e⁻ˣ)/2   ∂out/∂x = sinh x"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.cosh(_floating(x))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * np.sinh(x)


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
        return _derivative(TanhBackward, grad, out)


class TanhBackward(Op):
    """g·(1 − y²), tanh's backward as an op of its own (so that it has a derivative too)"""

    @staticmethod
    def forward(ctx: Any, grad: Any, y: Any) -> Any:
        ctx.save_for_backward(grad, y)
        return grad * (1 - y * y)

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        grad, y = ctx.saved_tensors
        return g * (1 - y * y), g * -2 * y * grad


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
        return _derivative(SigmoidBackward, grad, out)


class SigmoidBackward(Op):
    """g·(1 − y)·y, sigmoid's backward as an op of its own (so that it has a derivative too)"""

    @staticmethod
    def forward(ctx: Any, grad: Any, y: Any) -> Any:
        ctx.save_for_backward(grad, y)
        return grad * (1 - y) * y

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        grad, y = ctx.saved_tensors
        return g * (1 - y) * y, g * grad * (1 - 2 * y)


def sigmoid(x: Any) -> Any:
    """σ(x) = 1/(1 + e⁻ˣ), PyTorch's formula: for x = −1000, e⁻ˣ = inf and σ = 1/inf = 0."""
    return 1 / (1 + np.exp(-x))


class Relu(Op):
    """out = max(x, 0)          ∂out/∂x = 1 where x > 0, else 0"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        out = np.maximum(0, x)  # on a tie numpy keeps the second: relu(-0.) = -0., as PyTorch
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return _derivative(ThresholdBackward, grad, out)


class ThresholdBackward(Op):
    """g where y > 0 else 0: relu's backward as an op of its own (PyTorch's threshold_backward)"""

    @staticmethod
    def forward(ctx: Any, grad: Any, y: Any) -> Any:
        # y is relu's output, so y ≥ 0 or nan: y != 0 is y > 0 with nan passing the gradient
        # through, as in PyTorch (-0. == 0 stops it), in one pass over y
        passes = y != 0
        ctx.save_for_backward(passes)
        return _masked(grad, passes)

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        (passes,) = ctx.saved_tensors
        return _masked(g, passes), None


def _masked(grad: Any, passes: Any) -> Any:
    """grad where passes, else 0 — a +0: a negative gradient times False is −0, which PyTorch
    does not show. Adding 0.0 turns −0 into 0 and leaves every other number as it is (so an
    upstream gradient of exactly −0 passes as +0: np.where would keep it, at three times the
    cost, for a case that does not arise in training)."""
    out = grad * passes
    if type(out) is np.ndarray:
        out += 0.0
        return out
    return out + 0.0


def _derivative(op: type[Op], grad: Any, y: Any) -> Any:
    """Apply a backward-op: recorded when a graph of the backward is built, else plain numpy."""
    if isinstance(grad, Tensor) or isinstance(y, Tensor):
        return op.apply(grad, y)
    return op.forward(_NO_CONTEXT, grad, y)


class Clamp(Op, name="ClampBackward1"):
    """out = min(max(x, lo), hi)   ∂out/∂x = 1 inside [lo, hi], 0 where clamped"""

    @staticmethod
    def forward(ctx: Any, x: Any, min: Any = None, max: Any = None) -> Any:
        ctx.save_for_backward(x, min, max)
        if x.dtype.kind != "f" and (isinstance(min, float) or isinstance(max, float)):
            x = x.astype(np.float32)  # an integer tensor clamped to float bounds is float32
        if type(x) is not np.ndarray:  # one number: comparisons beat two numpy calls
            if min is not None and x < min:  # (nan compares False: it stays nan)
                x = x.dtype.type(min)
            if max is not None and x > max:
                x = x.dtype.type(max)
            return x
        out = x
        if min is not None:
            out = np.maximum(out, min)
        if max is not None:
            out = np.minimum(out, max)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, lo, hi = ctx.saved_tensors
        inside = x == x  # all True (except at nan, which PyTorch also stops)
        if lo is not None:
            inside = inside & (x >= lo)
        if hi is not None:
            inside = inside & (x <= hi)
        return where(inside, grad, 0)


class ClampMin(Clamp, name="ClampMinBackward0"):
    """``x.clamp_min(lo)``: clamp with only a lower bound (PyTorch's node of its own name)."""


class ClampMax(Clamp, name="ClampMaxBackward0"):
    """``x.clamp_max(hi)``: clamp with only an upper bound."""


def where(condition: Any, a: Any, b: Any) -> Any:
    """``np.where`` for arrays and, recorded as a Where op, for tensors (create_graph).

    Backward formulas use it to mask a gradient (``where(x > 0, grad, 0)``): unlike ``grad *
    mask`` it gives 0, not inf·0 = nan, where an infinite gradient is masked, as PyTorch does.
    Either branch may be a plain number.
    """
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
        return Where.apply(a, b, cond=cond)
    if isinstance(condition, Tensor):
        condition = condition._data
    if type(condition) is np.bool_ and getattr(a, "ndim", 0) == 0 == getattr(b, "ndim", 0):
        # one condition, two single values: pick one (np.where would take over a microsecond)
        chosen, other = (a, b) if condition else (b, a)
        if hasattr(chosen, "dtype"):
            return chosen[()]  # a numpy number (a 0-d array might be another gradient's memory)
        if hasattr(other, "dtype"):
            return other.dtype.type(chosen)  # a plain 0 takes the other side's dtype
    return np.where(condition, a, b)


def clamp(x: Tensor, min: Any = None, max: Any = None, op: type[Clamp] | None = None) -> Tensor:
    """``x.clamp(min, max)`` with numbers (ClampBackward1) or tensors (ClampBackward0) as bounds;
    ``op`` names the node for one number bound (``clamp_min``: ClampMinBackward0)."""
    if type(min) is float and type(max) is float and op is None:  # the lesson's clamp, at once
        return Clamp.apply(x, min=min, max=max)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = min if min is None or isinstance(min, Tensor) else Tensor._make(np.asarray(min))
        hi = max if max is None or isinstance(max, Tensor) else Tensor._make(np.asarray(max))
        return ClampTensor.apply(x, lo, hi)
    lo = None if min is None else number(min, "min")
    hi = None if max is None else number(max, "max")
    return (op or Clamp).apply(x, min=lo, max=hi)


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
        return _share(grad, a, b, a < b, a > b)


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
        return _share(grad, a, b, a > b, a < b)


def _share(grad: Any, a: Any, b: Any, a_lost: Any, b_lost: Any) -> tuple[Any, Any]:
    """maximum's and minimum's gradients, as PyTorch computes them: a tie halves the gradient,
    the input that lost gets none. (Masks, not multiplications by 0.5: those would give float64
    gradients for float32 inputs. A nan compares neither way, so both inputs get it all.)"""
    g = where(a == b, grad / 2, grad)
    return where(a_lost, 0, g), where(b_lost, 0, g)


class Where(Op):
    """out = a where cond else b     each branch gets the gradient where it was chosen

    The condition is a setting, not an input: like PyTorch's node, this one has two edges.
    """

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, cond: Any) -> Any:
        ctx.save_for_backward(cond)  # saved (not kept aside): freed after backward, as PyTorch
        a, b = promote(a, b)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        (cond,) = ctx.saved_tensors
        return where(cond, grad, 0), where(cond, 0, grad)


# -- rounding ---------------------------------------------------------------------------------


class StepFunction(Op):
    """out = x rounded by ``rounding``  — a step function: flat between its steps, so its
    gradient is zero (PyTorch's choice at the steps too). Subclasses name the rounding."""

    rounding: ClassVar[Any]  # the numpy function
    kernel: ClassVar[str]  # its name in PyTorch's error for bool tensors

    @classmethod
    def forward(cls, ctx: Any, x: Any) -> Any:
        return _round_with(cls.rounding, cls.kernel, x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _zeros_like(grad)


class Floor(StepFunction):
    """out = ⌊x⌋"""

    rounding, kernel = np.floor, "floor"


class Ceil(StepFunction):
    """out = ⌈x⌉"""

    rounding, kernel = np.ceil, "ceil"


class Trunc(StepFunction):
    """out = x without its fractional part (towards 0)"""

    rounding, kernel = np.trunc, "trunc"


class Round(StepFunction):
    """out = x rounded to the nearest integer, halves to even (2.5 → 2)"""

    rounding, kernel = np.rint, "round"


class RoundDecimals(Op, name="RoundBackward1"):
    """out = x rounded to ``decimals`` digits after the point (negative: before it)
    — gradient zero"""

    @staticmethod
    def forward(ctx: Any, x: Any, decimals: int) -> Any:
        if x.dtype.kind != "f":
            kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{_scalar_type_name(x.dtype)}'"
            )
        # PyTorch's kernel: scale by 10^|decimals| (in the tensor's precision), round, unscale
        scale = x.dtype.type(10.0 ** abs(decimals))
        if decimals < 0:
            return np.rint(x / scale) * scale
        return np.rint(x * scale) / scale

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _zeros_like(grad)


class Frac(Op):
    """out = x − trunc(x), the fractional part (with x's sign)   ∂out/∂x = 1"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        if x.dtype.kind != "f":
            raise NotImplementedError(
                f"\"frac_cpu\" not implemented for '{_scalar_type_name(x.dtype)}'"
            )
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


def _round_with(rounding: Any, name: str, x: Any) -> Any:
    """Round a float array; integers are already whole (a copy, keeping their dtype)."""
    kind = x.dtype.kind
    if kind == "f":
        return rounding(x)
    if kind == "b":
        raise NotImplementedError(f"\"{name}_vml_cpu\" not implemented for 'Bool'")
    return np.copy(x)


def _zeros_like(grad: Any) -> Any:
    """The gradient of a step function: zeros (not grad · 0, which gives −0 and inf · 0 = nan);
    a constant, outside any graph, when a graph of the backward is built."""
    if isinstance(grad, Tensor):
        return Tensor._make(np.zeros_like(grad._data))
    return np.zeros_like(grad)


def _floating(x: np.ndarray) -> np.ndarray:
    """Integer tensors give float32 results from transcendental functions, as in PyTorch."""
    return x if x.dtype.kind == "f" else x.astype(np.float32)
