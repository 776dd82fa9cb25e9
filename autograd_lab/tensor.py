"""The Tensor: a numpy array plus what autograd needs to know about it.

A tensor holds its values (``_data``, a numpy array) and, if it was computed from tensors that
require grad, the node that computed it (``grad_fn``). Leaves (tensors a learner creates) have
no ``grad_fn``; backward adds their gradients to ``.grad``.

The operations themselves live in ``autograd_lab/ops``; the methods here only route to them, so
this file reads as the list of what a tensor can do.
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import _dtype
from ._printing import tensor_repr
from .ops._numeric import QUIET, restore, silence

_new = object.__new__

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)
SCALAR_OF_GRAD_WARNING = (
    "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
    "Consider using tensor.detach() first."
)
_T_WARNINGS = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
    "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
    "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
    "tensor.",
    "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
)
CREATE_GRAPH_CYCLE_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using autograd.grad "
    "when creating the graph to avoid this. If you have to use this function, make sure to reset "
    "the .grad fields of your parameters to None after use to break the cycle and avoid the leak."
)
_WARNED_ONCE: set[str] = set()  # PyTorch gives these warnings once per session


def _warn_once(message: str) -> None:
    """A UserWarning, the first time only (PyTorch's TORCH_WARN_ONCE), attributed to the line
    that called the function that warns (``float(t)``, ``t.T``: the learner's line)."""
    if message not in _WARNED_ONCE:
        _WARNED_ONCE.add(message)
        warnings.warn(message, UserWarning, stacklevel=3)


LEAF_INPLACE_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_INPLACE_ERROR = "a view of " + LEAF_INPLACE_ERROR
NON_LEAF_REQUIRES_GRAD_ERROR = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
)

# PyTorch's names for scalar types in its error messages ("result type Float can't be cast...").
_SCALAR_TYPE_NAMES = {
    "float16": "Half", "float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
    "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
}  # fmt: skip


class _Version:
    """How many times a tensor's memory was modified in place.

    Backward compares it with the value recorded when a tensor was saved, so a saved value that
    changed afterwards is an error instead of a silently wrong gradient. Views and ``detach()``
    share their base's counter, because they share its memory.
    """

    __slots__ = ("value", "views")

    def __init__(self) -> None:
        self.value = 0
        self.views: list[Any] | None = None  # weak references to tracked views of a computed base


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        return math.prod(self)


class device:
    """Where a tensor lives; always the CPU here (``device(type='cpu')``)."""

    def __init__(self, type: str = "cpu") -> None:
        if str(type).split(":")[0] != "cpu":
            raise RuntimeError(f"autograd_lab runs on the CPU only; got device {type!r}")
        self.type = "cpu"

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"

    def __eq__(self, other: object) -> bool:
        return str(other) == "cpu" or isinstance(other, device)

    def __hash__(self) -> int:
        return hash("cpu")


_CPU = device()

# The default of an argument PyTorch requires: its "missing argument" message is its own.
_REQUIRED: Any = object()


class Tensor:
    """A multi-dimensional array that can record how it was computed.

    Create tensors with ``autograd_lab.tensor(...)``; ``Tensor(data)`` builds a float32 tensor
    like PyTorch's legacy constructor.
    """

    __slots__ = (
        "__weakref__",
        "_acc",  # this leaf's AccumulateGrad node, created when a graph first uses the leaf
        "_base",  # for views: the tensor whose memory this one shares
        "_data",  # the values: a numpy array
        "_grad",  # the accumulated gradient (a Tensor) or None
        "_grad_fn",  # the node that computed this tensor (None for leaves)
        "_grad_passes",  # on .grad tensors: backward passes summed since the last zero_()
        "_requires_grad",
        "_vc",  # _Version, created on first in-place change or when shared
    )

    # -- construction -------------------------------------------------------------------------

    def __init__(self, *args: Any) -> None:
        if len(args) == 1 and isinstance(args[0], Tensor):
            # Tensor(t) is t's memory under a new name, as in PyTorch (not recorded here)
            self._init(args[0]._data)
            self._vc = args[0]._version_counter()
            return
        if len(args) == 1 and not isinstance(args[0], int | np.integer):
            # the legacy constructor is torch.FloatTensor: float32 whatever the data
            data = _data_from(args[0], _dtype.float32.numpy, _dtype.float32.numpy)
        else:  # Tensor(2, 3): a tensor of that shape (zeros here; PyTorch leaves it garbage)
            data = np.zeros(_shape_from(args), dtype=np.float32)
        self._init(data)

    def _init(self, data: np.ndarray, grad_fn: Any = None) -> None:
        self._data = data
        self._grad_fn = grad_fn
        self._requires_grad = grad_fn is not None
        self._grad = None
        self._acc = None
        self._vc = None
        self._base = None

    @staticmethod
    def _make(data: np.ndarray, grad_fn: Any = None) -> Tensor:
        """Wrap an array without copying (the fast path every operation uses)."""
        t = _new(Tensor)
        t._data = data
        t._grad_fn = grad_fn
        t._requires_grad = grad_fn is not None
        t._grad = None
        t._acc = None
        t._vc = None
        t._base = None
        return t

    # -- what a tensor is ---------------------------------------------------------------------

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Size | int:
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_ops_shape.normalize_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> device:
        return _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def dim(self) -> int:
        return self._data.ndim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return iter(self.unbind())

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, as a tuple (what ``for row in x`` walks through)."""
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        d = _ops_shape.normalize_dim(dim, self._data.ndim)
        unbind = _ops_shape.Unbind.apply
        return tuple(unbind(self, dim=d, index=i) for i in range(self._data.shape[d]))

    def __repr__(self) -> str:
        fn = self._grad_fn
        return tensor_repr(
            self._data,
            grad_fn_name=None if fn is None else type(fn).__name__,
            requires_grad=self._requires_grad,
        )

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:  # an f-string of a 0-d tensor formats its number
            return format(self._data.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    __hash__ = object.__hash__  # tensors are hashable by identity (== is elementwise)

    # -- conversion to Python and numpy -------------------------------------------------------

    def item(self) -> Any:
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        data = self.numpy()
        if dtype is not None and data.dtype != dtype:
            return data.astype(dtype)
        return data.copy() if copy else data

    def _scalar(self, kind: type) -> Any:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return kind(self._data.reshape(()).item())

    def __float__(self) -> float:
        if self._requires_grad:
            _warn_once(SCALAR_OF_GRAD_WARNING)
        return self._scalar(float)

    def __int__(self) -> int:
        return self._scalar(int)

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.item())

    # -- autograd state -----------------------------------------------------------------------

    @property
    def grad_fn(self) -> Any:
        fn = self._grad_fn
        if type(fn) is _ops_shape.StaleView._node_type:
            raise RuntimeError(fn.message)  # (see StaleView)
        return fn

    @property
    def is_leaf(self) -> bool:
        return self._grad_fn is None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self._grad_fn is None and self._data.dtype.kind != "f":
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients"
            )
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not isinstance(requires_grad, bool | np.bool_):
            raise TypeError(
                "requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                f"{type(requires_grad).__name__}"
            )
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(NON_LEAF_REQUIRES_GRAD_ERROR)
            return self
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self) -> Tensor | None:
        if self._grad_fn is not None and not self.retains_grad:
            # stacklevel=2 points the warning at the learner's line, as PyTorch's does
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{_C_TYPE_NAMES.get(value._data.dtype.name, value._data.dtype.name)}' to a "
                    f"tensor with grad_dtype '{_scalar_type_name(self._data.dtype)}'. The gradient "
                    "must match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                    "set the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
                    "its gradient may break downstream systems that assume they match."
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    def retain_grad(self) -> None:
        """Ask backward to fill ``.grad`` of this non-leaf tensor too."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is not None:
            _function.retain_output(self._grad_fn, self)

    @property
    def retains_grad(self) -> bool:
        fn = self._grad_fn
        return fn is not None and fn._retained is not None and fn._retained() is self

    def _accumulator(self) -> Any:
        """This leaf's AccumulateGrad node (the same one for every graph that uses the leaf)."""
        acc = self._acc
        if acc is None:
            acc = self._acc = _function.AccumulateGrad(self)
        return acc

    def _version_counter(self) -> _Version:
        if self._vc is None:
            self._vc = _Version()
        return self._vc

    @property
    def _version(self) -> int:
        return 0 if self._vc is None else self._vc.value

    def detach(self) -> Tensor:
        """The same values (shared memory), cut from the graph: no ``grad_fn``, no grad."""
        out = Tensor._make(self._data)
        out._vc = self._version_counter()
        return out

    def detach_(self) -> Tensor:
        if self._base is not None and self._grad_fn is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The values as a tensor outside the graph. Prefer ``detach()``: in-place changes
        through ``.data`` are invisible to autograd's checks."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._data = value._data

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Compute the gradient of this tensor with respect to the leaves; add it to ``.grad``."""
        _engine.run_backward(self, gradient, retain_graph, create_graph)

    def backward_steps(
        self, gradient: Tensor | None = None, retain_graph: bool | None = None
    ) -> Iterator[Any]:
        """``backward()`` one node at a time: yields a record of each step of the chain rule.

        Consuming every step has exactly the effect of ``backward()``; see
        ``autograd_lab.autograd.stepping`` for what a step holds.
        """
        from .autograd.stepping import backward_steps

        return backward_steps(self, gradient, retain_graph)

    def register_hook(self, hook: Any) -> Any:
        raise NotImplementedError(
            "register_hook is not part of autograd_lab; read gradients with retain_grad() or "
            "step through the backward pass with backward_steps()"
        )

    # -- copies and conversions ---------------------------------------------------------------

    def clone(self) -> Tensor:
        return _ops_shape.Clone.apply(self)

    def contiguous(self) -> Tensor:
        """This tensor if its elements lie in memory row by row; else such a copy of it."""
        if self._data.flags.c_contiguous:
            return self
        return _ops_shape.Clone.apply(self, order="C")

    def stride(self, dim: int | None = None) -> Any:
        """Steps in memory, in elements, from one index to the next along each dim."""
        data = self._data
        steps = tuple(s // data.itemsize for s in data.strides)
        if dim is None:
            return steps
        if not data.ndim:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return steps[_ops_shape.normalize_dim(dim, data.ndim)]

    def is_contiguous(self) -> bool:
        """Do the elements lie in memory row by row (e.g. not after ``.t()``)?"""
        return bool(self._data.flags.c_contiguous)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to("cpu")``, ``to(other_tensor)``: convert the element type."""
        target = kwargs.pop("dtype", None)
        for a in args:
            if isinstance(a, _dtype.dtype):
                target = a
            elif isinstance(a, Tensor):
                target = a.dtype
            else:
                device(str(a))  # validates "cpu"
        if "device" in kwargs:
            device(str(kwargs.pop("device")))
        kwargs.pop("copy", None), kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        if target is None or target.numpy == self._data.dtype:
            return self
        if target.numpy.kind != "f":  # integer and bool tensors are never differentiated
            return Tensor._make(_quiet_cast(self._data, target.numpy))
        return _ops_shape.ToCopy.apply(self, dtype=target.numpy)

    def type(self, dtype: Any = None) -> Any:
        if dtype is None:
            return "torch." + _scalar_type_name(self._data.dtype) + "Tensor"
        return self.to(dtype)

    def float(self) -> Tensor:
        return self.to(_dtype.float32)

    def double(self) -> Tensor:
        return self.to(_dtype.float64)

    def half(self) -> Tensor:
        return self.to(_dtype.float16)

    def long(self) -> Tensor:
        return self.to(_dtype.int64)

    def int(self) -> Tensor:
        return self.to(_dtype.int32)

    def bool(self) -> Tensor:
        return self.to(_dtype.bool)

    def cpu(self) -> Tensor:
        return self

    # -- arithmetic ---------------------------------------------------------------------------

    def __add__(self, other: Any) -> Tensor:
        return _add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _add(self, other)

    def __sub__(self, other: Any) -> Tensor:
        return _sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        other = _arith.operand(other, self)
        if other is None:
            return NotImplemented
        if isinstance(other, Tensor):  # an array on the left: it became a tensor
            return other - self
        return _arith.Rsub.apply(self, other=other)

    def __mul__(self, other: Any) -> Tensor:
        return _mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _mul(self, other)

    def __truediv__(self, other: Any) -> Tensor:
        return _div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _arith.Reciprocal.apply(self) * other  # PyTorch computes other/x this way too

    def __floordiv__(self, other: Any) -> Tensor:
        return _arith.FloorDivide.apply(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _arith.FloorDivide.apply(_arith.as_tensor_like(other, self), self)

    def __mod__(self, other: Any) -> Tensor:
        return _arith.Remainder.apply(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        if _arith.operand(other, self) is None:
            return NotImplemented
        return _arith.NumberRemainder.apply(self, other=other)

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, Tensor):
            return _arith.PowTensor.apply(self, exponent)
        if _arith.operand(exponent, self) is None:
            return NotImplemented
        return _arith.Pow.apply(self, exponent=exponent)

    def __rpow__(self, base: Any) -> Tensor:
        if _arith.operand(base, self) is None:
            return NotImplemented
        return _arith.RPow.apply(self, base=base)

    def __neg__(self) -> Tensor:
        return _arith.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return self.abs()

    def __matmul__(self, other: Any) -> Tensor:
        if not isinstance(other, Tensor):
            return NotImplemented
        return _linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        if not isinstance(other, np.ndarray):
            return NotImplemented
        return _linalg.matmul(_arith.as_tensor_like(other, self), self)

    def add(self, other: Any) -> Tensor:
        return self + other

    def sub(self, other: Any) -> Tensor:
        return self - other

    def mul(self, other: Any) -> Tensor:
        return self * other

    def div(self, other: Any) -> Tensor:
        return self / other

    def neg(self) -> Tensor:
        return _arith.Neg.apply(self)

    def reciprocal(self) -> Tensor:
        return _arith.Reciprocal.apply(self)

    def pow(self, exponent: Any) -> Tensor:
        return self**exponent

    def square(self) -> Tensor:
        return _arith.Pow.apply(self, exponent=2)

    # comparisons give bool tensors and are never differentiated
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _arith.compare(np.equal, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _arith.compare(np.not_equal, self, other)

    def __lt__(self, other: Any) -> Tensor:
        return _arith.compare(np.less, self, other)

    def __le__(self, other: Any) -> Tensor:
        return _arith.compare(np.less_equal, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _arith.compare(np.greater, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _arith.compare(np.greater_equal, self, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def __and__(self, other: Any) -> Tensor:
        return _arith.compare(np.bitwise_and, self, other)

    def __or__(self, other: Any) -> Tensor:
        return _arith.compare(np.bitwise_or, self, other)

    __rand__ = __and__
    __ror__ = __or__

    def __invert__(self) -> Tensor:
        return Tensor._make(np.invert(self._data))

    logical_not = __invert__

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """Let numpy functions such as ``np.cos(t)`` run as tensor operations.

        This is what makes the ops' backward formulas differentiable themselves: written as
        ``grad * np.cos(x)``, they work on arrays in an ordinary backward pass and build a graph
        when ``x`` and ``grad`` are tensors (``create_graph=True``).
        """
        return _arith.array_ufunc(ufunc, method, inputs, kwargs)

    # -- elementwise functions ----------------------------------------------------------------

    def exp(self) -> Tensor:
        return _unary.Exp.apply(self)

    def log(self) -> Tensor:
        return _unary.Log.apply(self)

    def sqrt(self) -> Tensor:
        return _unary.Sqrt.apply(self)

    def abs(self) -> Tensor:
        return _unary.Abs.apply(self)

    def sign(self) -> Tensor:
        return _unary.Sign.apply(self)

    def sin(self) -> Tensor:
        return _unary.Sin.apply(self)

    def cos(self) -> Tensor:
        return _unary.Cos.apply(self)

    def tanh(self) -> Tensor:
        return _unary.Tanh.apply(self)

    def sigmoid(self) -> Tensor:
        return _unary.Sigmoid.apply(self)

    def relu(self) -> Tensor:
        return _unary.Relu.apply(self)

    def tan(self) -> Tensor:
        return _unary.Tan.apply(self)

    def atan(self) -> Tensor:
        return _unary.Atan.apply(self)

    def asin(self) -> Tensor:
        return _unary.Asin.apply(self)

    def acos(self) -> Tensor:
        return _unary.Acos.apply(self)

    def sinh(self) -> Tensor:
        return _unary.Sinh.apply(self)

    def cosh(self) -> Tensor:
        return _unary.Cosh.apply(self)

    def log2(self) -> Tensor:
        return _unary.Log2.apply(self)

    def log10(self) -> Tensor:
        return _unary.Log10.apply(self)

    def exp2(self) -> Tensor:
        return _unary.Exp2.apply(self)

    def log1p(self) -> Tensor:
        return _unary.Log1p.apply(self)

    def expm1(self) -> Tensor:
        return _unary.Expm1.apply(self)

    def rsqrt(self) -> Tensor:
        return _unary.Rsqrt.apply(self)

    def floor(self) -> Tensor:
        return _unary.Floor.apply(self)

    def ceil(self) -> Tensor:
        return _unary.Ceil.apply(self)

    def trunc(self) -> Tensor:
        return _unary.Trunc.apply(self)

    def round(self, *, decimals: int | None = None) -> Tensor:
        """Nearest integer (halves to even); ``decimals=k`` keeps k digits after the point."""
        if decimals is None:
            return _unary.Round.apply(self)
        return _unary.RoundDecimals.apply(self, decimals=operator.index(decimals))

    def frac(self) -> Tensor:
        return _unary.Frac.apply(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        return _unary.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> Tensor:
        return _unary.clamp(self, min, None, _unary.ClampMin)

    def clamp_max(self, max: Any) -> Tensor:
        return _unary.clamp(self, None, max, _unary.ClampMax)

    def maximum(self, other: Tensor) -> Tensor:
        return _unary.Maximum.apply(self, other)

    def minimum(self, other: Tensor) -> Tensor:
        return _unary.Minimum.apply(self, other)

    def softmax(self, dim: int, dtype: Any = None) -> Tensor:
        x = self if dtype is None else self.to(dtype)
        return _reduce.Softmax.apply(x, dim=x._softmax_dim("softmax", dim))

    def log_softmax(self, dim: int, dtype: Any = None) -> Tensor:
        x = self if dtype is None else self.to(dtype)
        return _reduce.LogSoftmax.apply(x, dim=x._softmax_dim("log_softmax", dim))

    def _softmax_dim(self, name: str, dim: int) -> int:
        """The dim, checked; PyTorch's kernels take floats only (an int tensor is an error)."""
        ndim = self._data.ndim
        d = _ops_shape.normalize_dim(dim, ndim)
        if self._data.dtype.kind != "f":
            kernel = f"{name}_lastdim" if d == ndim - 1 or ndim == 0 else name
            raise NotImplementedError(
                f'"{kernel}_kernel_impl" not implemented for '
                f"'{_scalar_type_name(self._data.dtype)}'"
            )
        return d

    # -- reductions ---------------------------------------------------------------------------

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return _reduce.sum(self, dim, keepdim, dtype)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return _reduce.mean(self, dim, keepdim, dtype)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        return _reduce.extreme(self, dim, keepdim, "max")

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        return _reduce.extreme(self, dim, keepdim, "min")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _reduce.arg_extreme(self, dim, keepdim, "max")

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _reduce.arg_extreme(self, dim, keepdim, "min")

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        return _reduce.LogSumExp.apply(
            self, dim=_reduce.reduced_dims(dim, self._data.ndim), keepdim=keepdim
        )

    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        return _reduce.amax(self, dim, keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        return _reduce.amin(self, dim, keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return _reduce.prod(self, dim, keepdim, dtype=dtype)

    def var(
        self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None,
    ) -> Tensor:  # fmt: skip
        return _reduce.var(self, dim, unbiased, keepdim, correction=correction)

    def std(
        self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None,
    ) -> Tensor:  # fmt: skip
        return _reduce.std(self, dim, unbiased, keepdim, correction=correction)

    def norm(
        self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        return _reduce.norm(self, p, dim, keepdim, dtype)

    def cumsum(self, dim: int = _REQUIRED, *, dtype: Any = None) -> Tensor:  # type: ignore[assignment]
        return _reduce.cumsum(self, dim, dtype=dtype)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return _reduce.any_all(self, dim, keepdim, np.any)

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return _reduce.any_all(self, dim, keepdim, np.all)

    # -- linear algebra -----------------------------------------------------------------------

    def matmul(self, other: Tensor) -> Tensor:
        return _linalg.matmul(self, other)

    def mm(self, other: Tensor) -> Tensor:
        return _linalg.mm(self, other)

    def dot(self, other: Tensor) -> Tensor:
        return _linalg.dot(self, other)

    def outer(self, vec2: Tensor) -> Tensor:
        return _linalg.outer(self, vec2, vec2_position=1)

    # -- shape --------------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> Tensor:
        return _ops_shape.reshape(self, _shape_from(shape, "reshape", "shape"))

    def view(self, *shape: Any) -> Tensor:
        return _ops_shape.view(self, _shape_from(shape, "view", "size"))

    def view_as(self, other: Tensor) -> Tensor:
        return _ops_shape.view(self, other._data.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return _ops_shape.reshape(self, other._data.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return _ops_shape.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: Any = None) -> Tensor:
        return _ops_shape.squeeze(self, dim)

    def unsqueeze(self, dim: int = _REQUIRED) -> Tensor:  # type: ignore[assignment]
        if dim is _REQUIRED:
            raise TypeError('unsqueeze() missing 1 required positional arguments: "dim"')
        return _ops_shape.unsqueeze(self, dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return _ops_shape.transpose(self, dim0, dim1)

    swapaxes = swapdims = transpose

    def permute(self, *dims: Any) -> Tensor:
        return _ops_shape.permute(self, _shape_from(dims, "permute", "dims"))

    def t(self) -> Tensor:
        return _ops_shape.t(self)

    @property
    def T(self) -> Tensor:
        ndim = self._data.ndim
        if ndim != 2:
            _warn_once(_T_WARNINGS[ndim == 0])
        return _ops_shape.permute(self, tuple(range(ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        return _ops_shape.transpose(self, -2, -1)

    def expand(self, *sizes: Any) -> Tensor:
        return _ops_shape.expand(self, _shape_from(sizes, "expand", "size"))

    def expand_as(self, other: Tensor) -> Tensor:
        return _ops_shape.expand(self, other._data.shape)

    def repeat(self, *sizes: Any) -> Tensor:
        return _ops_shape.repeat(self, _shape_from(sizes, "repeat", "repeats"))

    def flip(self, *args: Any, dims: Any = _REQUIRED) -> Tensor:  # flip(0, 1), flip(dims=(0, 1))
        return _ops_shape.flip(self, args if dims is _REQUIRED else dims)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        return _ops_shape.roll(self, shifts, dims)

    def tril(self, diagonal: int = 0) -> Tensor:
        return _ops_shape.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        return _ops_shape.triu(self, diagonal)

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        return _ops_shape.narrow(self, dim, start, length)

    def split(self, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
        return _ops_shape.split(self, split_size, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return _ops_shape.chunk(self, chunks, dim)

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        return _ops_shape.index_select(self, dim, index)

    def gather(self, dim: int, index: Tensor) -> Tensor:
        return _ops_shape.gather(self, dim, index)

    def masked_fill(self, mask: Tensor, value: Any) -> Tensor:
        return _ops_shape.masked_fill(self, mask, value)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops_shape.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        _ops_shape.setitem(self, index, value)

    # -- in-place operations ------------------------------------------------------------------

    def _inplace(self, op: Any, *operands: Any, **params: Any) -> Tensor:
        _inplace.apply_inplace(self, op, operands, params)
        return self

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return self._inplace(_arith.Add, other if alpha == 1 else other * alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        if (
            type(other) is bool
            or self._data.dtype.kind == "b"
            or (isinstance(other, Tensor) and other._data.dtype.kind == "b")
        ):
            _arith.check_bool_subtraction(self._data, getattr(other, "_data", other))
        if alpha == 1 and not (_grad_enabled[0] and self._requires_grad):
            # outside any graph (w.sub_(lr * w.grad) in every update): numpy writes in place
            if isinstance(other, Tensor) and not (_grad_enabled[0] and other._requires_grad):
                _inplace.ufunc_inplace(self, np.subtract, other._data)
                return self
        return self._inplace(_arith.Sub, other if alpha == 1 else other * alpha)

    def mul_(self, other: Any) -> Tensor:
        return self._inplace(_arith.Mul, other)

    def div_(self, other: Any) -> Tensor:
        return self._inplace(_arith.Div, other)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        return self._inplace(_unary.Clamp, min=min, max=max)

    def zero_(self) -> Tensor:
        if _grad_enabled[0] and self._requires_grad:
            return self._inplace(_ops_shape.Zero, value=0)
        # outside any graph (x.grad.zero_() in every training loop): straight to the memory
        self._data.fill(0)
        self._grad_passes = 0  # on a .grad tensor: no backward pass is summed in it any more
        _inplace.bump(self)
        return self

    def fill_(self, value: Any) -> Tensor:
        if isinstance(value, Tensor) and value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        return self._inplace(_ops_shape.Fill, value=_arith.scalar_of(value))

    def copy_(self, src: Tensor) -> Tensor:
        return self._inplace(_ops_shape.Copy, src)

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        return _inplace.fill_random(self, "uniform", a, b)

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        return _inplace.fill_random(self, "normal", mean, std)

    def _ioperator(self, op: Any, other: Any) -> Any:
        if _arith.operand(other, self) is None:
            return NotImplemented  # Python then raises "unsupported operand type(s) for +="
        return self._inplace(op, other)

    def __iadd__(self, other: Any) -> Tensor:
        return self._ioperator(_arith.Add, other)

    def __isub__(self, other: Any) -> Tensor:
        if _arith.operand(other, self) is None:
            return NotImplemented
        return self.sub_(other)  # (with sub_'s check of bool operands)

    def __imul__(self, other: Any) -> Tensor:
        return self._ioperator(_arith.Mul, other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._ioperator(_arith.Div, other)


# ... and its C names for element types in some others ("with dtype 'double'").
_C_TYPE_NAMES = {
    "float16": "c10::Half", "float32": "float", "float64": "double", "int64": "long int",
    "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
    "bool": "bool",
}  # fmt: skip


def _scalar_type_name(numpy_dtype: np.dtype) -> str:
    return _SCALAR_TYPE_NAMES.get(numpy_dtype.name, numpy_dtype.name)


def _shape_from(args: tuple[Any, ...], where: str = "size", arg: str = "size") -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(torch.Size([2, 3]))``."""
    if len(args) == 1 and isinstance(args[0], tuple | list):
        args = tuple(args[0])
    shape = []
    for a in args:
        try:
            shape.append(operator.index(a))
        except TypeError:
            raise TypeError(
                f"{where}(): argument '{arg}' (position 1) must be tuple of ints, "
                f"not {type(a).__name__}"
            ) from None
    return tuple(shape)


def _new_shape(args: tuple[Any, ...], where: str) -> tuple[int, ...]:
    """A shape for a new tensor: whole numbers, none negative (PyTorch's messages)."""
    shape = _shape_from(args, where)
    if any(n < 0 for n in shape):
        if where == "zeros":
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        first = next(n for n in shape if n < 0)
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {first}: {list(shape)}"
        )
    return shape


def _data_from(data: Any, float_dtype: np.dtype, dtype: np.dtype | None = None) -> np.ndarray:
    """A fresh numpy array from Python/numpy data, with PyTorch's dtype rules.

    Python floats become float32 (PyTorch's default), ints int64, bools bool, and an empty list
    float32; numpy arrays and numpy scalars keep their own dtype (float64 stays float64).
    ``dtype``, when given, is used directly (0.1 as float64 must not pass through float32).
    """
    if isinstance(data, Tensor):
        return _quiet_cast(data._data, dtype or data._data.dtype)
    if isinstance(data, np.ndarray | np.generic):
        arr = np.asarray(data)
        arr = _quiet_cast(arr, dtype or arr.dtype)
        _dtype.from_numpy_dtype(arr.dtype)  # rejects dtypes PyTorch has no name for
        return arr
    kind = _python_kind(data)
    if dtype is None:
        dtype = {"float": float_dtype, "bool": np.bool_, "int": np.int64}[kind]
    values = _flatten_tensors(data)
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        quiet = silence(QUIET)  # 1e40 as float32 is inf, silently, as in PyTorch
        try:
            return np.array(values, dtype=dtype)
        finally:
            restore(quiet)
    return _python_integers(np.array(values), dtype)


def _python_integers(arr: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Python numbers as an integer dtype, refused where PyTorch refuses them."""
    if arr.dtype.kind in "uO":  # Python ints beyond int64 (numpy makes uint64 or objects)
        raise ValueError("Overflow when unpacking long long")
    info = np.iinfo(dtype)
    low = -(info.max + 1) if dtype.kind == "u" else info.min  # (-1 as uint8 wraps to 255)
    if arr.size and (
        (arr.dtype.kind == "f" and not np.isfinite(arr).all())
        or arr.max() > info.max
        or arr.min() < low
    ):
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
    return arr.astype(dtype)


def _quiet_cast(data: np.ndarray, dtype: Any) -> np.ndarray:
    """A tensor's or an array's values as ``dtype``, without numpy's warnings: 1e40 as float32
    is inf and nan as int64 is some integer, silently, as ``.to()`` does in PyTorch."""
    quiet = silence(QUIET)
    try:
        return data.astype(dtype)
    finally:
        restore(quiet)


def _python_kind(data: Any) -> str:
    """The widest kind of number in nested lists: 'bool' < 'int' < 'float' (no recursion).

    Also checks the nesting is rectangular, with PyTorch's messages: the first element seen at
    each depth sets the expected length (or that a number is expected there).
    """
    kind = "empty"
    stack = [(data, 0)]
    expected: dict[int, int] = {}  # depth -> sequence length, or -1 where numbers go
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Tensor):
            item = item._data.item() if item._data.ndim == 0 else item._data.tolist()
        if isinstance(item, list | tuple):
            want = expected.setdefault(depth, len(item))
            if want == -1:
                raise TypeError(f"must be real number, not {type(item).__name__}")
            if want != len(item):
                raise ValueError(
                    f"expected sequence of length {want} at dim {depth} (got {len(item)})"
                )
            stack.extend((x, depth + 1) for x in reversed(item))  # first element first
            continue
        if expected.setdefault(depth, -1) != -1:
            raise TypeError("not a sequence")
        if isinstance(item, bool | np.bool_):
            kind = "bool" if kind == "empty" else kind
        elif isinstance(item, int | np.integer):
            kind = "int" if kind in ("empty", "bool") else kind
        elif isinstance(item, float | np.floating):
            kind = "float"
        elif isinstance(item, str):
            raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
        else:
            raise RuntimeError(f"Could not infer dtype of {type(item).__name__}")
    return "float" if kind == "empty" else kind


def _flatten_tensors(data: Any) -> Any:
    """Replace tensors inside nested lists by their values (``tensor([t1, t2])`` works)."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, list | tuple) and any(isinstance(x, Tensor | list | tuple) for x in data):
        return [_flatten_tensors(x) for x in data]
    return data


# The operations import Tensor, so they are imported after it is defined.
from .autograd import engine as _engine  # noqa: E402
from .autograd import function as _function  # noqa: E402
from .autograd.grad_mode import _enabled as _grad_enabled  # noqa: E402
from .ops import _inplace  # noqa: E402
from .ops import arithmetic as _arith  # noqa: E402
from .ops import linalg as _linalg  # noqa: E402
from .ops import reduce as _reduce  # noqa: E402
from .ops import shape as _ops_shape  # noqa: E402
from .ops import unary as _unary  # noqa: E402

# The operators' entry points, bound once (they run for every + - * / in a training loop).
_add, _sub, _mul, _div = _arith.Add.apply, _arith.Sub.apply, _arith.Mul.apply, _arith.Div.apply
