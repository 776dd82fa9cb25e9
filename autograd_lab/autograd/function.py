"""How an operation records itself: ``Function``, the graph ``Node``s and saved tensors.

Every differentiable operation is a class with ``forward(ctx, ...)`` and ``backward(ctx, grad)``
side by side, in the shape of ``torch.autograd.Function``. Calling ``Op.apply(...)`` runs
``forward`` and, when an input requires grad, creates a node for the output's ``grad_fn``. That
node *is* the ``ctx`` both methods receive: ``forward`` leaves on it what ``backward`` will need.

The node's class name is the name PyTorch shows, e.g. ``grad_fn=<MulBackward0>``: each Function
subclass gets its own node class, named ``<Name>Backward0`` for the library's ops (PyTorch's
convention for built-in ops) and ``<Name>Backward`` for Functions a learner writes (PyTorch's
convention for custom Functions).

Two flavours share this machinery:

* ``Op`` (the library's own operations, in ``autograd_lab/ops``): ``forward`` and ``backward`` see
  numpy arrays, so the maths reads as one line of numpy.
* ``Function`` (PyTorch's public API for custom operations): they see Tensors.
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar

import numpy as np

from ..tensor import Tensor, _Version
from .grad_mode import _enabled

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)

_FREED = "freed"  # marks a node whose saved values were released after backward


class Node:
    """A vertex of the backward graph: what PyTorch calls a tensor's ``grad_fn``.

    ``next_functions`` holds one ``(node, 0)`` pair per input: the node that receives this input's
    gradient (``None`` for inputs that need none).
    """

    __slots__ = ("__weakref__", "next_functions")

    next_functions: tuple[tuple[Node | None, int], ...]

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"


class AccumulateGrad(Node):
    """The node of a leaf tensor: it adds the incoming gradient to ``variable.grad``.

    The leaf holds its node; the node refers back to the leaf only weakly, so the two do not
    form a reference cycle (which Python's cyclic garbage collector would have to find).
    """

    __slots__ = ("_variable",)

    def __init__(self, variable: Tensor) -> None:
        self._variable = weakref.ref(variable)
        self.next_functions = ()

    @property
    def variable(self) -> Tensor | None:
        return self._variable()


# Every in-place change anywhere bumps this count. A node remembers the count at its creation,
# so backward checks saved values for in-place changes only if some in-place op ran since.
_inplace_epoch = [0]


class BackwardNode(Node):
    """The ``grad_fn`` of an op's output, and the ``ctx`` its forward and backward receive.

    Always set by ``apply``: ``next_functions``, ``needs_input_grad``, ``_inputs`` (the op's
    inputs, whose shapes backward needs), ``_args`` (what forward received for each input, to
    recognise saved inputs) and ``_epoch``. The class attributes below are defaults
    that an instance overrides only when they differ (fewer attribute writes per op).
    """

    __slots__ = ("__dict__",)  # forward may leave anything on ctx, e.g. ``ctx.dim = dim``

    _function: ClassVar[type[FunctionBase]]
    _saved: Any = None  # what forward saved, as it passed it (arrays for the library's ops)
    _out_index = -1  # position of the op's own output among the saved values (-1: not saved)
    _out_version: Any = None  # (version counter, value) of that output when it was saved
    _versions: tuple[int, ...] | None = None  # input versions at forward time (None: all 0)
    _retained: Any = None  # weak reference to the output if it called retain_grad()

    def save_for_backward(self, *values: Any) -> None:
        """Keep values for ``backward`` (inputs, the output, or anything else)."""
        self._saved = values

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The values ``forward`` saved, checked for in-place changes since then.

        During an ordinary backward the library's ops get the numpy arrays they saved; while a
        graph of the backward pass is recorded (``create_graph=True``) they get Tensors, so the
        backward formulas themselves become differentiable.
        """
        saved = self._saved
        if saved is None:
            return ()
        if saved is _FREED:
            raise RuntimeError(FREED_MESSAGE)
        if self._epoch != _inplace_epoch[0]:
            self._check_versions(saved)
        if _enabled[0] or self._function._tensor_io:
            return self._as_tensors(saved)
        return saved

    def _check_versions(self, saved: tuple[Any, ...]) -> None:
        versions = self._versions
        for i, (x, arg) in enumerate(zip(self._inputs, self._args)):
            if not isinstance(x, Tensor) or x._vc is None:
                continue
            before = 0 if versions is None else versions[i]
            now = x._vc.value
            if now != before and any(v is arg for v in saved):
                raise RuntimeError(_modified_message(x, now, before))
        if self._out_index >= 0:
            vc, before = self._out_version
            if vc.value != before:
                out = saved[self._out_index]
                raise RuntimeError(_modified_message(None, vc.value, before, self, out))

    def _as_tensors(self, saved: tuple[Any, ...]) -> tuple[Any, ...]:
        """Saved inputs as the input Tensors (with their history), the output rebuilt."""
        values = []
        for k, v in enumerate(saved):
            if k == self._out_index:  # rebuilt, not stored: a stored output would be a cycle
                values.append(Tensor._make(v, self))
                continue
            for x, arg in zip(self._inputs, self._args):
                if v is arg and isinstance(x, Tensor):
                    v = x
                    break
            values.append(v)
        return tuple(values)

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Accepted for PyTorch compatibility: only the first output is differentiable here."""

    def _release(self) -> None:
        """Free saved values after backward, as PyTorch does (unless retain_graph=True)."""
        if self._saved:
            self._saved = _FREED


_LEGACY_TYPE_NAMES = {  # PyTorch names tensor types this way in its error messages
    "float16": "HalfTensor",
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "bool": "BoolTensor",
}


def _modified_message(
    tensor: Tensor | None,
    version: int,
    expected: int,
    node: Node | None = None,
    data: np.ndarray | None = None,
) -> str:
    if tensor is not None:
        data = tensor._data
        node = tensor._grad_fn
    assert data is not None
    shape = ", ".join(str(n) for n in data.shape)
    where = f"[torch.{_LEGACY_TYPE_NAMES.get(data.dtype.name, 'Tensor')} [{shape}]]"
    if node is not None:
        where += f", which is output 0 of {node.name().removesuffix('Backward0')},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {where} is at version {version}; expected version {expected} instead. "
        "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


class _AllFalse:
    """``needs_input_grad`` when nothing is recorded: every input needs no gradient."""

    __slots__ = ()

    def __getitem__(self, index: int) -> bool:
        return False


class _NoContext:
    """The ``ctx`` of a forward whose result is not recorded: saving is a no-op."""

    __slots__ = ()
    needs_input_grad = _AllFalse()

    def __setattr__(self, name: str, value: Any) -> None:
        pass  # nothing will read it back

    def save_for_backward(self, *values: Any) -> None:
        pass

    def mark_non_differentiable(self, *outputs: Any) -> None:
        pass


_NO_CONTEXT = _NoContext()


class FunctionBase:
    """Machinery shared by ``Op`` and ``Function``: apply forward, record the node."""

    _node_type: ClassVar[type[BackwardNode]]
    _tensor_io: ClassVar[bool]  # do forward/backward see Tensors (True) or numpy arrays?
    _node_suffix: ClassVar[str] = "Backward0"
    # May backward return an array that aliases something else (so a leaf must copy it)?
    # The library's ops always return fresh arrays or views; a learner's Function may not.
    _fresh_grads: ClassVar[bool] = True
    # Does forward return a view of its first input (sharing memory and version counter)?
    _view: ClassVar[bool] = False
    # For x.add_(y) etc. outside a graph: the numpy ufunc that can write into x directly.
    _inplace_ufunc: ClassVar[Any] = None

    def __init_subclass__(cls, name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        node_name = name or cls.__name__ + cls._node_suffix
        namespace = {"__slots__": (), "_function": cls, "__module__": cls.__module__}
        cls._node_type = type(node_name, (BackwardNode,), namespace)

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.")


_NO_EDGE = (None, 0)


class Op(FunctionBase):
    """Base of the library's operations: forward and backward work on numpy arrays.

    ``apply(*inputs, **params)``: positional arguments are the op's inputs (Tensors or Python
    numbers, each gets an entry in ``next_functions``); keyword arguments are settings such as
    ``dim`` that are not differentiated.
    """

    _tensor_io = False

    @classmethod
    def apply(cls, *inputs: Any, **params: Any) -> Any:
        # This runs for every operation, so it is written for speed: one pass over the inputs
        # collects their arrays and, if recording, the graph edges.
        if _enabled[0]:
            args = []
            needs = []
            edges = []
            tracked = versioned = False
            scalars = not cls._view  # see _arg
            for x in inputs:
                if isinstance(x, Tensor):
                    data = x._data
                    args.append(data[()] if scalars and data.ndim == 0 else data)
                    if x._vc is not None:
                        versioned = True
                    if x._requires_grad:
                        tracked = True
                        needs.append(True)
                        fn = x._grad_fn
                        edges.append((fn if fn is not None else x._accumulator(), 0))
                        continue
                else:
                    args.append(x)
                needs.append(False)
                edges.append(_NO_EDGE)
            if tracked:
                node = cls._node_type()
                node._inputs = inputs
                node._args = args
                node.needs_input_grad = tuple(needs)
                node.next_functions = tuple(edges)
                node._epoch = _inplace_epoch[0]
                if versioned:
                    node._versions = _versions_of(inputs)
                return _record(node, cls.forward(node, *args, **params), inputs)
        else:
            scalars = not cls._view
            args = [_arg(x, scalars) for x in inputs]
        return _untracked_result(cls.forward(_NO_CONTEXT, *args, **params), cls, inputs)


def _arg(x: Any, scalars: bool) -> Any:
    """What forward receives for an input: its array, or for a 0-d tensor a numpy scalar.

    numpy computes with scalars about ten times faster than with 0-d arrays, with the same
    rounding, and the course's lessons compute mostly with 0-d tensors. (View ops get arrays:
    their result must share the input's memory.)
    """
    if isinstance(x, Tensor):
        data = x._data
        return data[()] if scalars and data.ndim == 0 else data
    return x


def _versions_of(inputs: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(
        [x._vc.value if isinstance(x, Tensor) and x._vc is not None else 0 for x in inputs]
    )


class Function(FunctionBase):
    """PyTorch's ``torch.autograd.Function``: subclass it to define your own operation.

    ``forward(ctx, *args)`` runs without recording and returns a Tensor; ``backward(ctx, grad)``
    returns one gradient per argument of forward (``None`` for non-tensors).
    Call it as ``MyFunction.apply(x, ...)``; its ``grad_fn`` is named ``MyFunctionBackward``.
    """

    _tensor_io = True
    _node_suffix = "Backward"
    _fresh_grads = False

    @classmethod
    def apply(cls, *inputs: Any) -> Any:
        tracked = _enabled[0] and any(isinstance(x, Tensor) and x._requires_grad for x in inputs)
        ctx: Any = _NO_CONTEXT
        if tracked:
            ctx = cls._node_type()
            ctx._inputs = ctx._args = inputs
            ctx._epoch = _inplace_epoch[0]
            ctx.needs_input_grad = tuple(isinstance(x, Tensor) and x._requires_grad for x in inputs)
            ctx.next_functions = tuple(
                (x._grad_fn or x._accumulator(), 0)
                if isinstance(x, Tensor) and x._requires_grad
                else _NO_EDGE
                for x in inputs
            )
            if any(isinstance(x, Tensor) and x._vc is not None for x in inputs):
                ctx._versions = _versions_of(inputs)
        prev = _enabled[0]
        _enabled[0] = False  # forward is not recorded, as in PyTorch
        try:
            out = cls.forward(ctx, *inputs)
        finally:
            _enabled[0] = prev
        if not tracked:
            return out
        first = out[0] if isinstance(out, tuple) else out
        if not isinstance(first, Tensor):
            raise TypeError(f"{cls.__name__}.forward must return a Tensor, got {type(first).__name__}")
        result = _record(ctx, first._data, inputs)
        return (result, *out[1:]) if isinstance(out, tuple) else result


def _tensor_of(data: Any) -> Tensor:
    """Wrap a result array in a Tensor outside any graph."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)  # numpy turns 0-d results into scalars; a tensor needs an array
    return Tensor._make(data)


def _untracked_result(out: Any, cls: type[FunctionBase], inputs: tuple[Any, ...]) -> Any:
    """Wrap forward's result(s) in Tensors that are not part of any graph."""
    if type(out) is tuple:
        return tuple(_tensor_of(o) for o in out)
    result = _tensor_of(out)
    if cls._view:
        _share_storage(result, inputs[0])
    return result


def _record(node: BackwardNode, out: Any, inputs: tuple[Any, ...]) -> Any:
    """Wrap the output of a recorded op, with ``node`` as its ``grad_fn``."""
    extra = None
    if type(out) is not np.ndarray:
        if type(out) is tuple:  # e.g. max(dim): (values, indices); only values is differentiable
            out, *rest = out
            extra = tuple(_tensor_of(o) for o in rest)
        raw = out
        if type(out) is not np.ndarray:
            out = np.asarray(out)
    else:
        raw = out
    result = _new_tensor(Tensor)
    result._data = out
    result._grad_fn = node
    result._requires_grad = True
    result._grad = result._acc = result._vc = result._base = None
    saved = node._saved
    if saved is not None:
        for i, v in enumerate(saved):
            if v is raw:  # the output itself is saved: track its version, keep the array
                if raw is not out:
                    node._saved = saved[:i] + (out,) + saved[i + 1 :]
                result._vc = vc = _Version()
                node._out_index = i
                node._out_version = (vc, 0)
                break
    if node._function._view:
        _share_storage(result, inputs[0])
    return result if extra is None else (result, *extra)


_new_tensor = object.__new__


def _share_storage(view: Tensor, base: Tensor) -> None:
    """A view shares its base's memory, hence its version counter (as in PyTorch)."""
    if np.may_share_memory(view._data, base._data):
        view._vc = base._version_counter()
        view._base = base._base if base._base is not None else base


def retain_output(node: BackwardNode, tensor: Tensor) -> None:
    """Make backward fill ``tensor.grad`` although it is not a leaf (``retain_grad()``)."""
    node._retained = weakref.ref(tensor)
