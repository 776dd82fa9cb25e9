"""Arithmetic: + - * / ** and negation, with PyTorch's type promotion.

Each op's backward is the derivative from school, multiplied by the upstream gradient. When an
input was broadcast (``b`` of shape (3,) added to ``a`` of shape (4, 3)), the gradient returned
here still has the output's shape; the engine sums it back to the input's shape in one place.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from ..autograd.function import Op, apply_binary
from ..tensor import Tensor

# -- PyTorch's type promotion -----------------------------------------------------------------
#
# numpy (>= 2) and PyTorch agree on the common cases (float32 tensor with a Python float stays
# float32). They differ in three: an integer tensor with a Python float gives float32 in
# PyTorch; a 0-d tensor does not widen an n-d tensor of the same kind (float32 vector + float64
# 0-d gives float32); and float32 with int64 gives float32. PyTorch ranks the operands: n-d
# tensors, then 0-d tensors, then Python numbers; a lower rank only matters when it brings a
# higher kind (bool < int < float).


def _kind(dt: np.dtype) -> int:
    return 0 if dt.kind == "b" else 2 if dt.kind in "fc" else 1


def _promote_types(a: np.dtype | None, b: np.dtype | None) -> np.dtype | None:
    if a is None or b is None:
        return a if b is None else b
    ka, kb = _kind(a), _kind(b)
    if ka != kb:  # e.g. int64 with float32 gives float32 (numpy would say float64)
        return a if ka > kb else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """Let a lower-ranked operand change the result only if it brings a higher kind."""
    if higher is None:
        return lower
    if lower is None or _kind(higher) >= _kind(lower):
        return higher
    return _promote_types(higher, lower)


_PYTHON_NUMBER_DTYPES = {
    bool: np.dtype(np.bool_),
    int: np.dtype(np.int64),
    float: np.dtype(np.float32),
}


# numpy scalars count as 0-d arrays: an op's forward receives a 0-d tensor as a numpy scalar
_ARRAYS = (np.ndarray, np.generic)


def result_dtype(*operands: Any) -> np.dtype:
    """The dtype PyTorch gives to an operation on these operands (arrays or Python numbers)."""
    dims = zeros = numbers = None
    for x in operands:
        if isinstance(x, _ARRAYS):
            if x.ndim:
                dims = _promote_types(dims, x.dtype)
            else:
                zeros = _promote_types(zeros, x.dtype)
        else:
            numbers = _promote_types(
                numbers, _PYTHON_NUMBER_DTYPES.get(type(x), np.dtype(np.float32))
            )
    return _combine(dims, _combine(zeros, numbers))  # type: ignore[return-value]


def _needs_promotion(a: np.ndarray, b: Any) -> bool:
    """Fast check: would numpy's own promotion of ``a`` with ``b`` differ from PyTorch's?"""
    if isinstance(b, _ARRAYS):
        return b.dtype != a.dtype
    kind = a.dtype.kind
    if type(b) is float:
        return kind != "f"
    if type(b) is int:
        return kind == "b"
    return False  # a bool


def promote(a: Any, b: Any) -> tuple[Any, Any]:
    """Cast array operands to the dtype PyTorch computes in (Python numbers stay as they are)."""
    if isinstance(a, _ARRAYS):
        if not _needs_promotion(a, b):
            return a, b
    elif not isinstance(b, _ARRAYS) or not _needs_promotion(b, a):
        return a, b
    dt = result_dtype(a, b)
    if isinstance(a, _ARRAYS) and a.dtype != dt:
        a = a.astype(dt)
    if isinstance(b, _ARRAYS) and b.dtype != dt:
        b = b.astype(dt)
    return a, b


_NUMBERS = (float, int, bool)


def operand(value: Any, like: Tensor) -> Any:
    """A tensor or Python number for an operator's other side; None if it cannot be one."""
    if isinstance(value, Tensor) or type(value) in _NUMBERS:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return as_tensor_like(value, like)
    return None


def _kind_of(x: Any) -> str:
    """numpy's kind letter of an operand ('f' float, 'i' integer, 'b' bool)."""
    if hasattr(x, "dtype"):
        return x.dtype.kind
    return "f" if isinstance(x, float) else "b" if isinstance(x, bool) else "i"


def number(value: Any, what: str) -> Any:
    """A Python number for a parameter such as an exponent, or a clear TypeError."""
    if isinstance(value, Tensor) and value._data.size == 1:
        return value._data.item()
    if isinstance(value, np.generic):
        return value.item()
    if type(value) in _NUMBERS:
        return value
    raise TypeError(f"{what} must be a number or a tensor, got {type(value).__name__}")


class BinaryOp(Op):
    """An elementwise op of two operands: promotes dtypes as PyTorch does, then applies.

    Returns NotImplemented for an operand that is neither a tensor nor a number, so that
    Python raises its usual "unsupported operand type(s)" TypeError.
    """

    @staticmethod
    def check_operands(a: np.ndarray, b: Any) -> None:
        """Refuse operands the op does not take, before promotion changes their types."""

    @classmethod
    def apply(cls, a: Tensor, b: Any) -> Any:  # type: ignore[override]
        # The common cases first, without any call: same dtypes and shapes, or a Python
        # number that numpy combines exactly as PyTorch does.
        da = a._data
        tb = type(b)
        if tb is Tensor:
            if b._data.dtype == da.dtype:
                try:
                    return apply_binary(cls, a, b)
                except ValueError:  # numpy could not broadcast: say it as PyTorch does
                    check_broadcast_shapes(da.shape, b._data.shape)
                    raise
        elif tb is float:
            if da.dtype.kind == "f":
                return apply_binary(cls, a, b)
        elif tb is int and da.dtype.kind != "b":
            return apply_binary(cls, a, b)
        b = operand(b, a)
        if b is None:
            return NotImplemented
        db = b._data if isinstance(b, Tensor) else b
        cls.check_operands(da, db)
        if isinstance(db, np.ndarray) and da.shape != db.shape:
            check_broadcast_shapes(da.shape, db.shape)
        return apply_binary(cls, *promote_tensors(a, b))


def promote_tensors(a: Any, b: Any) -> tuple[Any, Any]:
    """Two operands (tensors or Python numbers) in the dtype PyTorch computes them in; a cast
    tensor is a stand-in that keeps the tensor's place in the graph (``_cast_view``)."""
    da = a._data if isinstance(a, Tensor) else a
    db = b._data if isinstance(b, Tensor) else b
    pa, pb = promote(da, db)
    return (a if pa is da else _cast_view(a, pa)), (b if pb is db else _cast_view(b, pb))


def _cast_view(t: Tensor, data: np.ndarray) -> Tensor:
    """``t`` with its values cast, standing in for ``t`` in the graph (same grad_fn or leaf)."""
    stand_in = Tensor._make(data, t._grad_fn)
    stand_in._requires_grad = t._requires_grad
    if t._grad_fn is None and t._requires_grad:
        t._accumulator()
        stand_in._acc = t._acc  # gradients reach t's own AccumulateGrad
    return stand_in


class Add(BinaryOp):
    """out = a + b            ∂out/∂a = 1,  ∂out/∂b = 1"""

    _inplace_ufunc = np.add

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        return grad, grad


class Sub(BinaryOp):
    """out = a − b            ∂out/∂a = 1,  ∂out/∂b = −1"""

    _inplace_ufunc = np.subtract

    @staticmethod
    def check_operands(a: np.ndarray, b: Any) -> None:
        check_bool_subtraction(a, b)  # before promotion turns a bool into a number

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        if a.dtype.kind == "b":  # (two bool tensors take the path without promotion)
            check_bool_subtraction(a, b)
        return a - b

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


def check_bool_subtraction(a: Any, b: Any) -> None:
    """PyTorch refuses ``-`` with a bool operand (a tensor or Python's True/False)."""
    a_bool = type(a) is bool or getattr(a, "dtype", None) == np.bool_
    b_bool = type(b) is bool or getattr(b, "dtype", None) == np.bool_
    if a_bool and b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if a_bool or b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def _check_integer_divisor(a: Any, b: Any) -> None:
    """Integer ``//`` and ``%`` by zero: PyTorch raises (floats give inf or nan)."""
    if _kind_of(a) in "iub" and _kind_of(b) in "iub" and np.any(np.equal(b, 0)):
        raise RuntimeError("ZeroDivisionError")


class Rsub(Op, name="RsubBackward1"):
    """out = other − x  (a number minus a tensor)        ∂out/∂x = −1"""

    @staticmethod
    def forward(ctx: Any, x: Any, other: Any) -> Any:
        if type(other) is bool or x.dtype.kind == "b":
            check_bool_subtraction(other, x)
        if type(other) is float and x.dtype.kind != "f":
            x = x.astype(np.float32)  # an integer tensor taken from a float is float32
        return other - x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return -grad


class Mul(BinaryOp):
    """out = a · b            ∂out/∂a = b,  ∂out/∂b = a"""

    _inplace_ufunc = np.multiply

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        # each factor is needed only for the *other* factor's gradient
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(BinaryOp):
    """out = a / b            ∂out/∂a = 1/b,  ∂out/∂b = −a/b²"""

    _inplace_ufunc = np.true_divide

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        if a.dtype.kind in "biu" and _kind_of(b) != "f":  # true division of integers: float32
            a = a.astype(np.float32)
            b = b.astype(np.float32) if hasattr(b, "astype") else b
        return a / b

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad / b if need_a else None), (-grad * a / (b * b) if need_b else None)


class Neg(Op):
    """out = −x               ∂out/∂x = −1"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        if x.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return -x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return -grad


class Reciprocal(Op):
    """out = 1/x              ∂out/∂x = −1/x² = −out²"""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        if x.dtype.kind != "f":
            x = x.astype(np.float32)
        out = 1 / x
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return -grad * out * out


class Pow(Op):
    """out = xᵖ  (p a number)     ∂out/∂x = p·xᵖ⁻¹"""

    @staticmethod
    def forward(ctx: Any, x: Any, exponent: Any) -> Any:
        exponent = number(exponent, "exponent")
        ctx.save_for_backward(x, exponent)
        if x.dtype.kind in "biu":
            if isinstance(exponent, float):
                x = x.astype(np.float32)  # an integer tensor to a float power is a float tensor
            elif exponent < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
        return x**exponent

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, p = ctx.saved_tensors
        if p == 0:  # x⁰ = 1 is flat: zeros, as in PyTorch (grad·0 gives −0 and inf·0 = nan)
            if isinstance(x, Tensor):  # (create_graph: a constant, outside the graph)
                return Tensor._make(np.zeros_like(x._data))
            return np.zeros_like(x)
        return grad * p * x ** (p - 1)


_unary_where: Any = None


def _where(condition: Any, a: Any, b: Any) -> Any:
    """``unary.where``, to mask a gradient: works on arrays, numbers and (create_graph) tensors.

    unary imports this module, so this one imports unary on first use and keeps the function
    (an import inside every backward would cost about a microsecond).
    """
    global _unary_where
    if _unary_where is None:
        from .unary import where as _unary_where
    return _unary_where(condition, a, b)


class PowTensor(BinaryOp, name="PowBackward1"):
    """out = aᵇ  (both tensors)   ∂out/∂a = b·aᵇ⁻¹,  ∂out/∂b = aᵇ·ln a"""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        out = a**b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if need_a:
            # a⁰ = 1 is flat in a, even at a = 0 where b·aᵇ⁻¹ would be 0·inf = nan
            grad_a = _where(b == 0, 0, grad * (b * a ** (b - 1)))
        if need_b:
            # 0ᵇ = 0 for b > 0 (and 1 for b = 0) is flat in b: PyTorch gives 0 there, not
            # the 0·ln 0 = nan of the formula; for b < 0, inf·ln 0 = −inf stays
            grad_b = grad * _where((a == 0) & (b >= 0), 0, out * np.log(a))
        return grad_a, grad_b


class RPow(Op, name="PowBackward2"):
    """out = cˣ  (c a number)     ∂out/∂x = cˣ·ln c"""

    @staticmethod
    def forward(ctx: Any, x: Any, base: Any) -> Any:
        base = number(base, "base")
        if x.dtype.kind in "biu" and isinstance(base, int):  # 2 ** int tensor stays integer
            if np.any(x < 0):
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            out = np.power(base, x)
        else:
            data = x if x.dtype.kind == "f" else x.astype(np.float32)
            out = np.power(np.asarray(base, dtype=data.dtype), data)
        # ln c as a Python float: numpy then computes in the tensor's dtype (np.log(2) would
        # be a float64 number and make every gradient below this node float64)
        ctx.log_base = math.log(base) if base > 0 else (-math.inf if base == 0 else math.nan)
        ctx.save_for_backward(out, x if base == 0 else None)
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        out, x = ctx.saved_tensors
        if x is None:
            return grad * (out * ctx.log_base)
        # 0ˣ (0 for x > 0, 1 at x = 0) is flat there: 0, not 0·ln 0 = nan; for x < 0, −inf
        return grad * _where(x >= 0, 0, out * ctx.log_base)


def _no_derivative_name(node: Any) -> str:
    return "torch::autograd::NotImplemented"  # PyTorch's C++ name for such a node


class NoDerivative(Op):
    """An op PyTorch gives no derivative: its node is ``NotImplemented``, and a backward pass
    that reaches it is an error naming ``aten`` (the op's name in PyTorch)."""

    aten: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(name="NotImplemented", **kwargs)
        cls._node_type.name = _no_derivative_name  # type: ignore[method-assign]

    @classmethod
    def backward(cls, ctx: Any, grad: Any) -> Any:
        raise RuntimeError(f"derivative for aten::{cls.aten} is not implemented")


class FloorDivide(NoDerivative, BinaryOp):
    """out = ⌊a / b⌋  — no derivative in PyTorch (``floor`` of a division would have gradient 0)"""

    aten = "floor_divide"

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        _check_integer_divisor(a, b)
        return np.floor_divide(a, b)


class FloorQuotient(BinaryOp, name="DivBackward2"):
    """out = ⌊a / b⌋ as ``div(a, b, rounding_mode="floor")``: a step, so its gradient is 0"""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        zero = grad * 0  # (a tensor when the graph of the backward is recorded)
        return zero, zero


def _number_mod(x: Any, number: Any, number_first: bool = False) -> Any:
    """x mod number (or number mod x): PyTorch's types (an integer tensor with a float is
    float32) and its error for an integer division by zero."""
    if type(number) is float and x.dtype.kind != "f":
        x = x.astype(np.float32)
    a, b = (number, x) if number_first else (x, number)
    _check_integer_divisor(a, b)
    return np.remainder(a, b)


class NumberRemainder(NoDerivative):
    """out = c mod x (a number c, a tensor x) — no derivative in PyTorch either"""

    aten = "remainder"

    @staticmethod
    def forward(ctx: Any, x: Any, other: Any) -> Any:
        return _number_mod(x, other, number_first=True)


class Remainder(BinaryOp, name="RemainderBackward1"):
    """out = a mod b = a − b·⌊a/b⌋      ∂out/∂a = 1,  ∂out/∂b = −⌊a/b⌋"""

    @classmethod
    def apply(cls, a: Tensor, b: Any) -> Any:  # type: ignore[override]
        if type(b) in _NUMBERS or isinstance(b, np.generic):
            # PyTorch's other overload, with its own name and one edge (the number has none)
            return RemainderScalar.apply(a, other=b.item() if isinstance(b, np.generic) else b)
        return super().apply(a, b)

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        _check_integer_divisor(a, b)
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(a, b)
        return np.remainder(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        if not ctx.needs_input_grad[1]:
            return grad, None
        a, b = ctx.saved_tensors
        # ⌊a/b⌋ is a step: flat, so a constant factor (for create_graph PyTorch records it as
        # div(rounding_mode="floor"), whose derivative is 0; // has none at all)
        quotient = FloorQuotient.apply(a, b) if isinstance(a, Tensor) else a // b
        return grad, -grad * quotient


class RemainderScalar(Op, name="RemainderBackward0"):
    """out = a mod c  (c a number)      ∂out/∂a = 1"""

    @staticmethod
    def forward(ctx: Any, a: Any, other: Any) -> Any:
        return _number_mod(a, other)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


# -- helpers used by Tensor's operators -------------------------------------------------------


def scalar_of(value: Any) -> Any:
    """A Python number from a number or a one-element tensor."""
    return value.item() if isinstance(value, Tensor) else value


def as_tensor_like(value: Any, like: Tensor) -> Tensor:
    """A constant tensor for ``value`` (used when a number stands on the left of ``//``, ``@``)."""
    if isinstance(value, Tensor):
        return value
    data = np.asarray(value)
    if data.dtype == np.float64 and not isinstance(value, np.ndarray):
        data = data.astype(like._data.dtype if like._data.dtype.kind == "f" else np.float32)
    return Tensor._make(data)


def compare(ufunc: Any, a: Tensor, b: Any) -> Tensor:
    """A comparison or logical op: a bool tensor outside any graph."""
    if isinstance(b, Tensor):
        b = b._data
    elif not isinstance(b, bool | int | float | np.ndarray | np.generic):
        return NotImplemented
    check_broadcast_shapes(a._data.shape, np.shape(b))
    return Tensor._make(np.asarray(ufunc(a._data, b)))


def check_broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """Raise PyTorch's error (naming both sizes) when two shapes cannot broadcast."""
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            raise RuntimeError(
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}"
            )


def check_broadcast(a: Any, b: Any) -> None:
    """``check_broadcast_shapes`` for two arrays (or numbers)."""
    check_broadcast_shapes(np.shape(a), np.shape(b))


# numpy functions that have a tensor operation: np.cos(t) runs Cos, and so on.
def _ufunc_table() -> dict[Any, Any]:
    from . import unary

    return {
        np.add: lambda a, b: Add.apply(*_tensor_first(a, b)),
        np.subtract: lambda a, b: (
            Sub.apply(a, b) if isinstance(a, Tensor) else Rsub.apply(b, other=a)
        ),
        np.multiply: lambda a, b: Mul.apply(*_tensor_first(a, b)),
        np.true_divide: lambda a, b: (
            Div.apply(a, b) if isinstance(a, Tensor) else Reciprocal.apply(b) * a
        ),
        np.negative: lambda a: Neg.apply(a),
        np.power: lambda a, b: (
            (PowTensor.apply(a, b) if isinstance(b, Tensor) else Pow.apply(a, exponent=b))
            if isinstance(a, Tensor)
            else RPow.apply(b, base=a)
        ),
        np.exp: unary.Exp.apply,
        np.log: unary.Log.apply,
        np.sqrt: unary.Sqrt.apply,
        np.sin: unary.Sin.apply,
        np.cos: unary.Cos.apply,
        np.tanh: unary.Tanh.apply,
        np.absolute: unary.Abs.apply,
        np.sign: unary.Sign.apply,
        np.tan: unary.Tan.apply,
        np.arctan: unary.Atan.apply,
        np.arcsin: unary.Asin.apply,
        np.arccos: unary.Acos.apply,
        np.sinh: unary.Sinh.apply,
        np.cosh: unary.Cosh.apply,
        np.log2: unary.Log2.apply,
        np.log10: unary.Log10.apply,
        np.exp2: unary.Exp2.apply,
        np.log1p: unary.Log1p.apply,
        np.expm1: unary.Expm1.apply,
        np.floor: unary.Floor.apply,
        np.ceil: unary.Ceil.apply,
        np.trunc: unary.Trunc.apply,
        np.rint: unary.Round.apply,
        np.matmul: lambda a, b: _matmul(a, b),
        np.maximum: lambda a, b: unary.Maximum.apply(*_as_tensors(a, b)),
        np.minimum: lambda a, b: unary.Minimum.apply(*_as_tensors(a, b)),
    }


def _matmul(a: Any, b: Any) -> Any:
    from .linalg import matmul

    return matmul(*_as_tensors(a, b))


def _tensor_first(a: Any, b: Any) -> tuple[Any, Any]:
    return (a, b) if isinstance(a, Tensor) else (b, a)


def _as_tensors(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    like = a if isinstance(a, Tensor) else b
    return as_tensor_like(a, like), as_tensor_like(b, like)


_UFUNCS: dict[Any, Any] = {}
_COMPARISONS = {np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal}


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run a numpy ufunc on tensors as the matching tensor op (see Tensor.__array_ufunc__)."""
    if not _UFUNCS:
        _UFUNCS.update(_ufunc_table())
    if method == "__call__" and not kwargs:
        if ufunc in _UFUNCS:
            return _UFUNCS[ufunc](*inputs)
        if ufunc in _COMPARISONS:
            a, b = _tensor_first(*inputs)
            return compare(ufunc, a, b) if a is inputs[0] else compare(_SWAPPED[ufunc], a, b)
    return NotImplemented


_SWAPPED = {
    np.equal: np.equal, np.not_equal: np.not_equal, np.less: np.greater,
    np.less_equal: np.greater_equal, np.greater: np.less, np.greater_equal: np.less_equal,
}  # fmt: skip
