"""Data types, named and printed as PyTorch names them (``torch.float32``, ...).

Each dtype wraps a numpy dtype. The course prints dtypes the way PyTorch does, so a learner who
switches to real torch sees the same text.
"""

from __future__ import annotations

import builtins

import numpy as np


class dtype:
    """A tensor element type; ``repr`` is PyTorch's (``torch.float32``)."""

    __slots__ = ("is_complex", "is_floating_point", "is_signed", "itemsize", "name", "numpy")

    def __init__(self, name: str, numpy_dtype: type) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.is_complex = self.numpy.kind == "c"
        self.is_signed = self.numpy.kind in "fic"
        self.itemsize = self.numpy.itemsize

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        return self.name  # dtypes are singletons, pickled by name


float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool = dtype("bool", np.bool_)

# PyTorch's aliases.
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

_ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
_BY_NUMPY = {d.numpy: d for d in _ALL}
_PYTHON_TYPES = {builtins.float: float64, builtins.int: int64, builtins.bool: bool}  # as PyTorch

DEFAULT_FLOAT = float32


def from_numpy_dtype(numpy_dtype: np.dtype) -> dtype:
    """The dtype object for a numpy dtype, with a clear error for types PyTorch has no name for."""
    try:
        return _BY_NUMPY[numpy_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{numpy_dtype.type.__name__}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, "
            "int32, int16, int8, uint64, uint32, uint16, uint8, and bool."
        ) from None


def to_numpy_dtype(d: object, where: str = "tensor") -> np.dtype:
    """The numpy dtype for a dtype argument: a dtype such as torch.float32, or a Python type."""
    if isinstance(d, dtype):
        return d.numpy
    if d in _PYTHON_TYPES:
        return _PYTHON_TYPES[d].numpy  # type: ignore[index]
    raise TypeError(f"{where}(): argument 'dtype' must be torch.dtype, not {type(d).__name__}")
