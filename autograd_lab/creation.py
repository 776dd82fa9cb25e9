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
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced numbers from ``start`` to ``end`` (both included)."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    values = np.linspace(float(start), float(end), steps)
    dt = _dtype.DEFAULT_FLOAT if dtype is None else dtype
    return _finish(values, dt, requires_grad, device)


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
