"""Creating tensors: ``tensor``, ``zeros``, ``ones``, ``arange``, ``rand``, ...

Dtypes follow PyTorch: Python floats give float32 (PyTorch's default), Python ints int64,
bools bool; a numpy array keeps its dtype (float64 stays float64). Random numbers come from a
generator that reproduces PyTorch's CPU generator, so ``manual_seed(0)`` gives the same numbers
in both libraries.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from . import _dtype, _random
from .tensor import _REQUIRED, Tensor, _data_from, _new_shape, device


def _finish(data: np.ndarray, dtype: Any, requires_grad: bool, dev: Any = None) -> Tensor:
    if dev is not None:
        device(str(dev))  # validates "cpu"
    if dtype is not None:
        data = data.astype(_dtype.to_numpy_dtype(dtype), copy=False)
    t = Tensor._make(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        t._requires_grad = True
    return t


def tensor(
    data: Any = _REQUIRED, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, or a numpy array)."""
    if data is _REQUIRED:
        raise TypeError('tensor() missing 1 required positional arguments: "data"')
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
            "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    dt = None if dtype is None else _dtype.to_numpy_dtype(dtype)
    return _finish(_data_from(data, _dtype.DEFAULT_FLOAT.numpy, dt), None, requires_grad, device)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a numpy array (or returns a tensor as it is)."""
    if isinstance(data, Tensor):
        if device is not None:
            data.to(device)  # only validates it: "cpu" is the one device
        if dtype is None:
            return data
        # data.to(dtype): the same tensor if it has that dtype, else a converted one that
        # stays in the graph (ToCopyBackward0), without tensor()'s copy-construct warning
        return data.to(_dtype.from_numpy_dtype(_dtype.to_numpy_dtype(dtype)))
    if isinstance(data, np.ndarray) and (
        dtype is None or _dtype.to_numpy_dtype(dtype) == data.dtype
    ):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array``: changing one changes the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _dtype.from_numpy_dtype(array.dtype)
    return Tensor._make(array)


def _sized(
    where: str, value: Any, args: tuple[Any, ...], dtype: Any, requires_grad: bool, dev: Any
) -> Tensor:
    dt = _dtype.DEFAULT_FLOAT.numpy if dtype is None else _dtype.to_numpy_dtype(dtype, where)
    shape = _new_shape(args, where)
    return _finish(np.full(shape, value, dtype=dt), None, requires_grad, dev)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _sized("zeros", 0, size, dtype, requires_grad, device)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _sized("ones", 1, size, dtype, requires_grad, device)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Like PyTorch's ``empty`` but filled with zeros (uninitialised memory is not reproducible)."""
    return _sized("empty", 0, size, dtype, requires_grad, device)


def full(
    size: Any,
    fill_value: Any = _REQUIRED,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    if fill_value is _REQUIRED:
        raise TypeError('full() missing 1 required positional arguments: "fill_value"')
    if dtype is None:  # the fill value's kind decides, as in PyTorch
        kind = _data_from(fill_value, _dtype.DEFAULT_FLOAT.numpy).dtype
        dtype = _dtype.from_numpy_dtype(kind)
    return _sized("full", fill_value, (size,), dtype, requires_grad, device)


def _like(t: Tensor, value: Any, dtype: Any, requires_grad: bool) -> Tensor:
    dt = t._data.dtype if dtype is None else _dtype.to_numpy_dtype(dtype)
    return _finish(np.full(t._data.shape, value, dtype=dt), None, requires_grad)


def zeros_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _like(input, 0, dtype, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _like(input, 1, dtype, requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _like(input, 0, dtype, requires_grad)


def full_like(
    input: Tensor, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    return _like(input, fill_value, dtype, requires_grad)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Numbers from ``start`` up to (not including) ``end``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    bounds = [b.item() if isinstance(b, Tensor) else b for b in (start, end, step)]
    for name, b in zip(("start", "end", "step"), bounds):
        if not isinstance(b, int | float):
            position = {"start": 0, "end": 1, "step": 2}[name]
            raise TypeError(
                f"arange(): argument '{name}' (position {position}) must be Number, "
                f"not {type(b).__name__}"
            )
    if bounds[2] == 0:
        raise RuntimeError("step must be nonzero")
    count = math.ceil((bounds[1] - bounds[0]) / bounds[2])
    if count < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        floats = any(isinstance(b, float) for b in bounds)
        dtype = _dtype.DEFAULT_FLOAT if floats else _dtype.int64
    values = bounds[0] + np.arange(count, dtype=np.float64) * bounds[2]
    return _finish(values, dtype, requires_grad, device)


def linspace(
    start: Any,
    end: Any,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced numbers from ``start`` to ``end`` (both included).

    Computed as PyTorch's CPU kernel computes them, in the tensor's own dtype: the step is
    (end − start)/(steps − 1); the first half counts up from start (start + i·step), the second
    half back from end (end − (steps − 1 − i)·step), so both ends come out exact; each value is
    one fused multiply-add, rounded once. So float32 values are PyTorch's to the bit:
    ``linspace(-8, 8, 97)[42]`` is -0.99999976, where numpy's linspace gives -1.
    Integer dtypes truncate start and end, compute in float64 and truncate each value.
    """
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _dtype.DEFAULT_FLOAT.numpy if dtype is None else _dtype.to_numpy_dtype(dtype, "linspace")
    bounds = [b.item() if isinstance(b, Tensor) else b for b in (start, end)]
    values = _linspace(bounds[0], bounds[1], int(steps), dt)
    return _finish(values, None, requires_grad, device)


# what PyTorch's "value cannot be converted to type ... without overflow" calls each dtype
_CPP_TYPE_NAMES = {
    "float16": "c10::Half", "float32": "float", "float64": "double", "uint8": "uint8_t",
    "int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
}  # fmt: skip


def _linspace(start: Any, end: Any, steps: int, dt: np.dtype) -> np.ndarray:
    """PyTorch's ``linspace_kernel`` (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp)."""
    if dt.kind == "b":
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    out = np.empty(steps, dt)
    if steps == 0:
        return out
    if steps == 1:  # PyTorch fills with start; float16 then overflows to ±inf without a word
        with np.errstate(over="ignore"):
            out[0] = dt.type(float(start)) if dt == np.float16 else _scalar_to(start, dt)
        return out
    first = _scalar_to(start, dt)
    last = _scalar_to(end, dt)
    half = steps // 2
    k = np.arange(steps)  # i for the first half, which counts up from start;
    k[half:] = k[half:][::-1] - half  # steps − 1 − i for the second, counting back from end
    with np.errstate(all="ignore"):  # inf − inf and inf·0 give nan silently, as in PyTorch
        if dt.kind == "f":  # the step in the dtype itself
            step = (last - first) / dt.type(steps - 1)
            kind = dt
        else:  # integers: the step in float64, each value truncated towards 0
            first, last = float(first), float(last)
            step = (last - first) / (steps - 1)
            kind = np.dtype(np.float64)
        base = np.full(steps, last, kind)
        base[:half] = first
        signed_step = np.full(steps, -step, kind)
        signed_step[:half] = step
        exact = math.isfinite(first) and math.isfinite(last) and abs(step) < 1e300
        out[:] = _fused(base, signed_step, k, kind, exact)
    return out


def _fused(c: np.ndarray, step: np.ndarray, k: np.ndarray, dt: np.dtype, exact: bool) -> Any:
    """c + step·k (k: the integer indices) rounded once to ``dt``: a fused multiply-add, as in
    PyTorch's kernel (compiled for FMA instructions, ``start + step * idx`` is one fma).

    Rounded once, -8 + (1/6 in float32)·42 is -0.99999976 in float32; rounding the product
    first gives -1. numpy has no fma, so: the product exactly (for float64 as a sum of two
    doubles, Dekker's TwoProduct), the sum exactly (Knuth's TwoSum), then one rounding, via
    rounding to odd (S. Boldo and G. Melquiond, "Emulation of FMA and correctly rounded sums:
    proved algorithms using rounding to odd", IEEE Trans. Computers 57 (2008)).
    Not ``exact`` (inf or nan around, or a step so large that splitting it would overflow),
    the plain sum and product give what the fma gives. float16 arithmetic rounds at every
    operation in PyTorch too (c10::Half), so it does here.
    """
    k = k.astype(dt)  # the index as the kernel converts it (float32 rounds it beyond 2^24)
    if dt.itemsize < 4 or not exact:
        return c + step * k
    c, step, k = c.astype(np.float64), step.astype(np.float64), k.astype(np.float64)
    product = step * k
    if dt.itemsize == 4:  # the product of two float32 numbers is exact in float64
        return _round_to_odd(c, product)
    high, low = _two_sum(c, product)
    return high + _round_to_odd(low, _product_error(step, k, product))


def _product_error(a: Any, b: np.ndarray, product: np.ndarray) -> np.ndarray:
    """a·b − product exactly, for product = a·b rounded (Dekker's TwoProduct)."""
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    return ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low


def _split(a: Any) -> tuple[Any, Any]:
    """a as high + low, each with at most 26 significant bits (Veltkamp's split)."""
    scaled = a * 134217729.0  # 2^27 + 1
    high = scaled - (scaled - a)
    return high, a - high


def _two_sum(a: Any, b: Any) -> tuple[Any, Any]:
    """s, e with s = a + b rounded and s + e = a + b exactly (Knuth)."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _round_to_odd(a: Any, b: Any) -> np.ndarray:
    """a + b rounded to the neighbouring float64 whose last bit is odd, unless exact: a
    second rounding (to float32, or after adding a larger number) is then a correct one."""
    s, e = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    inexact = (e != 0) & np.isfinite(e)
    return np.where(inexact & even, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)


def _scalar_to(value: Any, dt: np.dtype) -> Any:
    """A Python number as PyTorch's ``Scalar.to<T>()`` converts it, overflow check included:
    floats round to a float dtype and truncate to an integer one; a negative integer wraps
    around into an unsigned dtype (-1 is 255 in uint8), if it is no further below 0 than the
    dtype's maximum above."""
    if dt.kind == "f":
        limit = np.finfo(dt)
        v = float(value)
        if not math.isinf(v) and (v < float(limit.min) or v > float(limit.max)):
            _overflow(dt)
        return dt.type(v)
    limit = np.iinfo(dt)
    if isinstance(value, float):
        if math.isnan(value) or value < limit.min or value > limit.max:
            _overflow(dt)
        return dt.type(int(value))
    v = int(value)
    if limit.min == 0 and v < 0 and -v <= limit.max:
        return dt.type(v % (limit.max + 1))
    if v < limit.min or v > limit.max:
        _overflow(dt)
    return dt.type(v)


def _overflow(dt: np.dtype) -> None:
    name = _CPP_TYPE_NAMES[dt.name]
    raise RuntimeError(f"value cannot be converted to type {name} without overflow")


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    dt = _dtype.DEFAULT_FLOAT.numpy if dtype is None else _dtype.to_numpy_dtype(dtype)
    return _finish(np.eye(n, m, dtype=dt), None, requires_grad)


# -- random numbers ---------------------------------------------------------------------------


def manual_seed(seed: int) -> Any:
    """Seed the random generator: the same seed gives the same numbers as PyTorch's CPU."""
    _random.manual_seed(int(seed))
    return _random


def initial_seed() -> int:
    return _random.initial_seed()


def _float_dtype(dtype: Any) -> np.dtype:
    dt = _dtype.DEFAULT_FLOAT.numpy if dtype is None else _dtype.to_numpy_dtype(dtype)
    if dt.kind != "f":
        raise RuntimeError(
            f"\"check_uniform_bounds\" not implemented for '{_dtype.from_numpy_dtype(dt).name}'"
        )
    return dt


def rand(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    data = _random.uniform(_new_shape(size, "rand"), 0.0, 1.0, _float_dtype(dtype))
    return _finish(data, None, requires_grad, device)


def randn(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal random numbers (mean 0, standard deviation 1)."""
    data = _random.normal(_new_shape(size, "randn"), 0.0, 1.0, _float_dtype(dtype))
    return _finish(data, None, requires_grad, device)


def rand_like(input: Tensor, *, dtype: Any = None) -> Tensor:
    return rand(*input._data.shape, dtype=dtype or input.dtype)


def randn_like(input: Tensor, *, dtype: Any = None) -> Tensor:
    return randn(*input._data.shape, dtype=dtype or input.dtype)


def randint(low: int, high: Any = None, size: Any = None, *, dtype: Any = None) -> Tensor:
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    if size is None:
        low, high, size = 0, low, high
    if not isinstance(size, tuple | list):
        raise TypeError(
            "randint(): argument 'size' (position 2) must be tuple of ints, "
            f"not {type(size).__name__}"
        )
    dt = np.int64 if dtype is None else _dtype.to_numpy_dtype(dtype)
    if high <= low:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    return Tensor._make(_random.randint(int(low), int(high), _new_shape((size,), "randint"), dt))


def randperm(n: int, *, dtype: Any = None) -> Tensor:
    """A random permutation of 0 .. n-1."""
    dt = np.int64 if dtype is None else _dtype.to_numpy_dtype(dtype)
    return Tensor._make(_random.randperm(int(n), dt))
