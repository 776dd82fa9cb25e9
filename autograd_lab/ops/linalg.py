"""Matrix products: ``@``, ``matmul``, ``mm``, ``dot``, ``outer``.

For out = A @ B, the gradient of A is grad @ Bᵀ and the gradient of B is Aᵀ @ grad: each
factor's gradient is the upstream gradient multiplied by the *other* factor, as for a product
of numbers, with transposes so that the shapes fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Op
from ..tensor import Tensor
from .arithmetic import check_broadcast_shapes
from .shape import (
    Clone,
    SqueezeMatmul,
    UnsafeView,
    Unsqueeze,
    expand,
    reshape,
    t,
    tensor_input,
)
from .shape import transpose as transpose_op


def _t(m: Any) -> Any:
    return m.swapaxes(-1, -2)


class Mm(Op):
    """out = A @ B (matrices)       ∂L/∂A = grad @ Bᵀ,  ∂L/∂B = Aᵀ @ grad"""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a @ b

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad @ _t(b) if need_a else None), (_t(a) @ grad if need_b else None)


class Bmm(Mm):
    """out = A @ B for a stack of matrices (3-d operands of equal batch size)."""


class Mv(Op):
    """out = M @ v (matrix times vector)   ∂L/∂M = grad ⊗ v,  ∂L/∂v = Mᵀ @ grad"""

    @staticmethod
    def forward(ctx: Any, m: Any, v: Any) -> Any:
        need_m, need_v = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        ctx.save_for_backward(m if need_v else None, v if need_m else None)
        return m @ v

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        m, v = ctx.saved_tensors
        need_m, need_v = ctx.needs_input_grad
        grad_m = grad.reshape((-1, 1)) * v.reshape((1, -1)) if need_m else None
        return grad_m, (_t(m) @ grad if need_v else None)


class Dot(Op):
    """out = a · b (vectors)         ∂out/∂a = b,  ∂out/∂b = a"""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return np.dot(a, b)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


def _check(a: Tensor, b: Tensor) -> None:
    for x in (a, b):
        if not isinstance(x, Tensor):
            raise TypeError(f"matmul(): argument must be Tensor, not {type(x).__name__}")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_name(a._data.dtype)} != {_name(b._data.dtype)}"
        )


def _name(dt: np.dtype) -> str:
    return {"float32": "float", "float64": "double", "int64": "long int"}.get(dt.name, dt.name)


def _dims(shape: tuple[int, ...]) -> str:
    return "x".join(str(n) for n in shape)


def mm(a: Tensor, b: Tensor) -> Tensor:
    _check(a, b)
    if a._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a._data.shape[1] != b._data.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_dims(a._data.shape)} and "
            f"{_dims(b._data.shape)})"
        )
    return Mm.apply(a, b)


def dot(a: Tensor, b: Tensor) -> Tensor:
    _check(a, b)
    if a._data.ndim != 1 or b._data.ndim != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {a._data.ndim}D and {b._data.ndim}D tensors"
        )
    if a._data.shape != b._data.shape:
        n, m = a._data.shape[0], b._data.shape[0]
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively"
        )
    return Dot.apply(a, b)


def outer(a: Tensor, b: Tensor, vec2_position: int = 2) -> Tensor:
    """out[i, j] = a[i] · b[j]: ``a`` as a column times ``b`` as a row, by broadcasting (the
    graph PyTorch records: ``MulBackward0`` after ``ViewBackward0``). ``a.outer(b)`` names
    ``b`` position 1 in its error, ``torch.outer(a, b)`` position 2."""
    tensor_input("outer", a, "input", 1)
    tensor_input("outer", b, "vec2", vec2_position)
    for name, v in (("self", a), ("vec2", b)):
        if v._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v._data.ndim}-D")
    return reshape(a, (-1, 1)) * b


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """``a @ b`` with PyTorch's rules for 1-d, 2-d and batched operands (and its node names)."""
    _check(a, b)
    da, db = a._data.ndim, b._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )
    if da == 1 and db == 1:
        return dot(a, b)
    if da == 2 and db == 1:
        if a._data.shape[1] != b._data.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({a._data.shape[0]}), mat ({_dims(a._data.shape)}), "
                f"vec ({b._data.shape[0]})"
            )
        return Mv.apply(a, b)
    if da == 1 and db == 2:  # a row vector times a matrix, then the row dim is dropped
        return SqueezeMatmul.apply(mm(Unsqueeze.apply(a, dim=0), b), dims=(0,))
    if da == 2 and db == 2:
        return mm(a, b)
    return _batched(a, b)


def _batched(a: Tensor, b: Tensor) -> Tensor:
    """``a @ b`` with a 3-d or larger operand, in the steps PyTorch takes (and records).

    A stack of matrices times one matrix or vector is folded into a single matrix product;
    two stacks are broadcast against each other, flattened to one batch and multiplied (bmm).
    """
    sa, sb = a._data.shape, b._data.shape
    da, db = len(sa), len(sb)
    if (da >= 3 and db <= 2) or (db >= 3 and da <= 2):
        return _folded(a, b)
    check_broadcast_shapes(sa[:-2], sb[:-2])  # the batch dims first, as PyTorch checks them
    batch_shape = np.broadcast_shapes(sa[:-2], sb[:-2])
    n, m1 = sa[-2], sa[-1]
    m2, p = (sb[-2], sb[-1]) if db > 1 else (sb[0], 1)
    if m1 != m2:
        batch = int(np.prod(batch_shape))
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch}, {m1}] but got: [{batch}, {m2}]."
        )
    count = int(np.prod(batch_shape))
    a3 = reshape(expand(a, (*batch_shape, n, m1)), (count, n, m1))
    b3 = reshape(expand(b, (*batch_shape, m2, p)), (count, m2, p))
    return UnsafeView.apply(Bmm.apply(a3, b3), shape=(*batch_shape, n, p))


def _folded(a: Tensor, b: Tensor) -> Tensor:
    """A stack of matrices times a matrix or vector, as one big matrix product."""
    transpose = b._data.ndim > a._data.ndim  # (matrix or vector) @ stack: work on the transposes
    if transpose:
        t1 = transpose_op(b, -2, -1)
        t2 = t(a) if a._data.ndim == 2 else a
    else:
        t1, t2 = a, b
    s1 = t1._data.shape
    if s1[-1] != t2._data.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({int(np.prod(s1[:-1]))}x{s1[-1]} and "
            f"{_dims(t2._data.shape)})"
        )
    out_shape = s1[:-1] + t2._data.shape[1:]
    folded = reshape(t1, (int(np.prod(s1[:-1])), s1[-1]))
    product = mm(folded, t2) if t2._data.ndim == 2 else Mv.apply(folded, t2)
    result = UnsafeView.apply(product, shape=out_shape)
    if transpose and t2._data.ndim == 2:
        return Clone.apply(transpose_op(result, -2, -1))  # .mT.contiguous()
    return result
