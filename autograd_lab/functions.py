"""The ``torch.<name>(tensor, ...)`` spelling of tensor methods: ``torch.sin(x)`` is ``x.sin()``."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import creation
from .ops import linalg, shape, unary
from .ops.arithmetic import as_tensor_like, promote_tensors
from .tensor import Tensor, _scalar_type_name


def _tensor(name: str, x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {_type_name(x)}"
        )
    return x


def _type_name(x: Any) -> str:
    """How PyTorch names a type in its messages: "float", but "numpy.ndarray"."""
    kind = type(x)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _not_a_tensor(function: Any, name: str, input: Any, args: tuple, kwargs: dict) -> Any:
    """``torch.<name>(obj)`` for something that is not a tensor: as in PyTorch, a type with
    ``__torch_function__`` handles the call (the exercises' blank ``____`` returns itself);
    anything else gets PyTorch's TypeError."""
    handler = getattr(type(input), "__torch_function__", None)
    if handler is None:
        _tensor(name, input)  # raises
    return handler(function, (type(input),), (input, *args), kwargs)


def _method(name: str) -> Any:
    def function(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(input, Tensor):
            return _not_a_tensor(function, name, input, args, kwargs)
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``torch.{name}(x, ...)`` is ``x.{name}(...)``."
    return function


def _elementwise(name: str, op: Any) -> Any:
    """``torch.exp(x)`` and friends: straight to the op (they run in every training step)."""
    apply = op.apply

    def function(input: Tensor) -> Tensor:
        if not isinstance(input, Tensor):
            return _not_a_tensor(function, name, input, (), {})
        return apply(input)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``torch.{name}(x)`` is ``x.{name}()``: {op.__doc__}"
    return function


exp = _elementwise("exp", unary.Exp)
log = _elementwise("log", unary.Log)
sqrt = _elementwise("sqrt", unary.Sqrt)
abs = _elementwise("abs", unary.Abs)
sign = _elementwise("sign", unary.Sign)
sin = _elementwise("sin", unary.Sin)
cos = _elementwise("cos", unary.Cos)
tanh = _elementwise("tanh", unary.Tanh)
sigmoid = _elementwise("sigmoid", unary.Sigmoid)
relu = _elementwise("relu", unary.Relu)
tan = _elementwise("tan", unary.Tan)
atan = _elementwise("atan", unary.Atan)
asin = _elementwise("asin", unary.Asin)
acos = _elementwise("acos", unary.Acos)
sinh = _elementwise("sinh", unary.Sinh)
cosh = _elementwise("cosh", unary.Cosh)
log2 = _elementwise("log2", unary.Log2)
log10 = _elementwise("log10", unary.Log10)
exp2 = _elementwise("exp2", unary.Exp2)
log1p = _elementwise("log1p", unary.Log1p)
expm1 = _elementwise("expm1", unary.Expm1)
rsqrt = _elementwise("rsqrt", unary.Rsqrt)
floor = _elementwise("floor", unary.Floor)
ceil = _elementwise("ceil", unary.Ceil)
trunc = _elementwise("trunc", unary.Trunc)
frac = _elementwise("frac", unary.Frac)
neg = _method("neg")
square = _method("square")
reciprocal = _method("reciprocal")


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    return unary.clamp(_tensor("clamp", input), min, max)


clip = clamp


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:
    """``torch.round(x)``: nearest integer, halves to even; ``decimals=k``: k digits kept."""
    if not isinstance(input, Tensor):
        return _not_a_tensor(round, "round", input, (), {"decimals": decimals})
    return input.round(decimals=decimals)


sum = _method("sum")
any = _method("any")
all = _method("all")
mean = _method("mean")
max = _method("max")
min = _method("min")
argmax = _method("argmax")
argmin = _method("argmin")
logsumexp = _method("logsumexp")
softmax = _method("softmax")
log_softmax = _method("log_softmax")
reshape = _method("reshape")
flatten = _method("flatten")
squeeze = _method("squeeze")
unsqueeze = _method("unsqueeze")
transpose = _method("transpose")
swapaxes = _method("swapaxes")
permute = _method("permute")
t = _method("t")
numel = _method("numel")
detach = _method("detach")
clone = _method("clone")


def add(input: Any, other: Any) -> Tensor:
    return _tensor("add", input) + other


def sub(input: Any, other: Any) -> Tensor:
    return _tensor("sub", input) - other


def mul(input: Any, other: Any) -> Tensor:
    return _tensor("mul", input) * other


def div(input: Any, other: Any) -> Tensor:
    return _tensor("div", input) / other


def pow(input: Any, exponent: Any) -> Tensor:
    if not isinstance(input, Tensor):  # torch.pow(2, x): a number to a tensor power
        return exponent.__rpow__(input)
    return input**exponent


def matmul(input: Tensor, other: Tensor) -> Tensor:
    return linalg.matmul(input, other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    return linalg.mm(input, mat2)


def dot(input: Tensor, other: Tensor) -> Tensor:
    return linalg.dot(input, other)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    return linalg.outer(input, vec2)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    return unary.Maximum.apply(_tensor("maximum", input), other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    return unary.Minimum.apply(_tensor("minimum", input), other)


def where(condition: Tensor, input: Any, other: Any) -> Tensor:
    """``input`` where ``condition`` holds, else ``other``; gradients follow the choice."""
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{_scalar_type_name(cond.dtype)}"
        )
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        like = input if isinstance(input, Tensor) else other
        # a Python number stays a number: it takes part in type promotion as PyTorch's
        # numbers do (an int tensor and 0.5 give float32), and its edge is None
        a, b = _where_operand(input, like), _where_operand(other, like)
    else:  # two numbers: tensors of PyTorch's default types (float32, int64, bool)
        a, b = creation.tensor(input), creation.tensor(other)
    # the result's dtype by PyTorch's rules (a 0-d tensor does not widen a vector, ...)
    return unary.Where.apply(*promote_tensors(a, b), cond=cond)


def _where_operand(value: Any, like: Tensor) -> Any:
    if isinstance(value, np.generic):  # (first: np.float64 is also a Python float)
        return value.item()
    if isinstance(value, Tensor | bool | int | float):
        return value
    return as_tensor_like(value, like)


def cat(tensors: Any, dim: int = 0) -> Tensor:
    return shape.cat(tensors, dim)


concat = concatenate = cat


def stack(tensors: Any, dim: int = 0) -> Tensor:
    return shape.stack(tensors, dim)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-d tensors: grid i repeats tensor i along its own axis.

    ``indexing="ij"`` gives shape (len(t0), len(t1), ...); ``"xy"`` swaps the first two axes,
    as for plotting (x along the columns).
    """
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0  # x varies along the columns
    sizes = [0] * len(tensors)
    for t, axis in zip(tensors, axes):
        sizes[axis] = _tensor("meshgrid", t).numel()
    grids = []
    for t, axis in zip(tensors, axes):
        along = [1] * len(tensors)
        along[axis] = -1
        grids.append(t.reshape(*along).expand(*sizes))
    return tuple(grids)


def isfinite(input: Tensor) -> Tensor:
    """Where the values are neither inf nor nan (a bool tensor)."""
    return Tensor._make(np.isfinite(_tensor("isfinite", input)._data))


def isnan(input: Tensor) -> Tensor:
    return Tensor._make(np.isnan(_tensor("isnan", input)._data))


def isinf(input: Tensor) -> Tensor:
    return Tensor._make(np.isinf(_tensor("isinf", input)._data))


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8) -> Tensor:
    return Tensor._make(np.isclose(input._data, other._data, rtol=rtol, atol=atol))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    return bool(np.allclose(input._data, other._data, rtol=rtol, atol=atol))


def equal(input: Tensor, other: Tensor) -> bool:
    return input._data.shape == other._data.shape and bool(np.array_equal(input._data, other._data))


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    return input.is_floating_point()


# ``from .functions import *`` (in __init__.py) makes these ``torch.<name>``: every function
# defined here, aliases included, and none of the names this module merely imports.
__all__ = [
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and getattr(value, "__module__", None) == __name__
]
