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

import warnings
import weakref
from typing import Any, ClassVar

import numpy as np

from ..ops._numeric import QUIET, restore, silence
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

    ``_next`` holds, per input of the op, the node that receives that input's gradient (``None``
    for inputs that need none); ``next_functions`` shows it as PyTorch does, in ``(node, 0)``
    pairs.

    Nodes keep as few Python objects alive as possible: a graph of 100,000 ops is 100,000 of
    them, and Python's garbage collector walks every live object now and then. So when only an
    op's first input has a node, ``_nx`` stores that node alone rather than in a tuple (the
    engine reads ``_nx``; everything else reads the tuple ``_next``).
    """

    __slots__ = ("__weakref__", "_nx")

    _nx: Node | tuple[Node | None, ...]
    _is_output: ClassVar[bool] = False  # see OutputNode

    @property
    def _next(self) -> tuple[Node | None, ...]:
        edges = self._nx
        if type(edges) is tuple:
            return edges
        return (edges,) + (None,) * (len(self._args) - 1)  # type: ignore[attr-defined]

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        return tuple([(node, 0) for node in self._next])

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"


class AccumulateGrad(Node):
    """The node of a leaf tensor: it adds the incoming gradient to ``variable.grad``.

    The leaf holds its node; the node refers back to the leaf only weakly, so the two do not
    form a reference cycle.
    """

    __slots__ = ("_variable",)

    def __init__(self, variable: Tensor) -> None:
        self._variable = weakref.ref(variable)
        self._nx = ()

    @property
    def variable(self) -> Tensor | None:
        return self._variable()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # PyTorch's C++ name for this node


class OutputNode(Node):
    """One output of a Function that returns several tensors.

    Each output's ``grad_fn`` is such a node (named like the Function's node); the engine
    collects their gradients in order and calls the Function's backward once with all of them.
    """

    __slots__ = ("_retained", "index", "main")
    _is_output = True

    def __init__(self, main: BackwardNode, index: int) -> None:
        self.main = main
        self.index = index
        self._nx = (main,)
        self._retained = None

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        return self.main.next_functions


# Every in-place change anywhere bumps this count. A node remembers the count at its creation,
# so backward checks saved values for in-place changes only if some in-place op ran since.
_inplace_epoch = [0]


class BackwardNode(Node):
    """The ``grad_fn`` of an op's output, and the ``ctx`` its forward and backward receive.

    The slots are set by ``apply`` for every node; anything else forward leaves on ``ctx``
    (``ctx.dim = dim``) goes to an instance dict, created only for ops that need one.
    """

    __slots__ = (
        "__dict__",
        "_args",  # what forward received for each input (array, numpy scalar or number)
        "_epoch",  # _inplace_epoch when the node was made
        "_out",  # if the op saved its own output: (its index in _saved, version counter, value)
        "_retained",  # weak reference to the output if it called retain_grad()
        "_saved",  # what forward saved, as it passed it
        "_saved_versions",  # per saved input tensor: (saved index, input index, tensor, version)
        "needs_input_grad",
    )

    _function: ClassVar[type[FunctionBase]]

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
        for k, j, tensor, before in self._saved_versions or ():
            vc = tensor._vc
            if vc is not None and vc.value != before:
                if j < 0:  # a Function's own output -1 - j: named after it, as PyTorch does
                    producer, index = self.name(), -1 - j
                else:  # an input: named after what computed it now (an in-place op rewrites
                    # its grad_fn; a change under no_grad or through a detached alias does not)
                    node = tensor._grad_fn
                    producer, index = (None if node is None else node.name()), 0
                raise RuntimeError(_modified_message(saved[k], vc.value, before, producer, index))
        if self._out is not None:
            k, vc, before = self._out
            if vc.value != before:
                raise RuntimeError(
                    _modified_message(saved[k], vc.value, before, self.name())  # (its own output)
                )

    def _as_tensors(self, saved: tuple[Any, ...]) -> tuple[Any, ...]:
        """Saved values as Tensors that carry their place in the graph (for create_graph)."""
        if self._function._tensor_io:  # a learner's Function saved Tensors itself
            outputs = self.__dict__.get("_saved_outputs")
            if not outputs:
                return saved
            # its own outputs come back with their place in the graph, as in PyTorch
            # (kept without it: a saved output holding this node would make a cycle)
            values = list(saved)
            for k, i in outputs:
                node = self if len(self._out_shapes) == 1 else self._function._output_type(self, i)
                values[k] = Tensor._make(saved[k]._data, node)
            return tuple(values)
        values = []
        out_index = -1 if self._out is None else self._out[0]
        for k, v in enumerate(saved):
            if k == out_index:  # the output, rebuilt: storing it would make a cycle
                v = Tensor._make(np.asarray(v), self)
            else:
                for arg, edge in zip(self._args, self._next):
                    if v is arg:  # a saved input: rebuilt with the input's graph position
                        v = _rebuild_input(v, edge)
                        break
            values.append(v)
        return tuple(values)

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs of a ``Function`` that get no gradient (e.g. indices): returned untracked."""
        self._non_diff = {id(o) for o in outputs}


def _rebuild_input(value: Any, edge: Node | None) -> Any:
    """A tensor holding an input's value whose gradient flows to ``edge`` (its node)."""
    if not isinstance(value, np.ndarray | np.generic):
        return value
    t = Tensor._make(np.asarray(value))
    if type(edge) is AccumulateGrad:  # a leaf: stand in for it, feeding its AccumulateGrad
        t._requires_grad = True
        t._acc = edge
    elif edge is not None:
        t._grad_fn = edge
        t._requires_grad = True
    return t


_LEGACY_TYPE_NAMES = {  # PyTorch names tensor types this way in its error messages
    "float16": "HalfTensor",
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "bool": "BoolTensor",
}


def _modified_message(
    data: Any, version: int, expected: int, producer: str | None, index: int = 0
) -> str:
    data = np.asarray(data._data if isinstance(data, Tensor) else data)
    shape = ", ".join(str(n) for n in data.shape)
    where = f"[torch.{_LEGACY_TYPE_NAMES.get(data.dtype.name, 'Tensor')} [{shape}]]"
    if producer is not None:  # PyTorch names the forward op: "output 0 of Exp"
        op = producer.removesuffix("Backward0").removesuffix("Backward")
        where += f", which is output {index} of {op},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {where} is at version {version}; expected version {expected} instead. "
        "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


class _NoContext:
    """The ``ctx`` of a forward whose result is not recorded: saving is a no-op."""

    __slots__ = ()
    needs_input_grad = (False,) * 256  # no input needs a gradient (a tuple: fast to index)

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
    # Does forward return a view of its first input (sharing memory and version counter)?
    _view: ClassVar[bool] = False
    # For x.add_(y) etc. outside a graph: the numpy ufunc that can write into x directly.
    _inplace_ufunc: ClassVar[Any] = None

    def __init_subclass__(cls, name: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        node_name = name or cls.__name__ + cls._node_suffix
        namespace = {"__slots__": (), "_function": cls, "__module__": cls.__module__}
        cls._node_type = type(node_name, (BackwardNode,), namespace)
        cls._output_type = type(node_name, (OutputNode,), {"__slots__": ()})

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )


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
        # collects what forward receives and, if recording, the graph edges; the commonest
        # cases, one or two inputs, have paths of their own.
        # forward receives numpy arrays, except that a 0-d tensor comes as a numpy scalar:
        # numpy computes with scalars about ten times faster than with 0-d arrays, with the
        # same rounding, and the course computes mostly with 0-d tensors. (View ops get arrays:
        # their result must share the input's memory.)
        scalars = not cls._view
        if _enabled[0]:
            if len(inputs) == 1:
                x = inputs[0]
                if isinstance(x, Tensor) and x._requires_grad:
                    data = x._data
                    fn = x._grad_fn
                    node = cls._node_type()
                    node._nx = fn if fn is not None else x._accumulator()
                    node._args = args = (data[()] if scalars and data.ndim == 0 else data,)
                    node.needs_input_grad = _ONE_INPUT
                    return _run_recorded(cls, node, args, params, inputs)
            if len(inputs) == 2:
                return apply_binary(cls, inputs[0], inputs[1], params)
            args = []
            needs = []
            edges = []
            for x in inputs:
                if isinstance(x, Tensor):
                    data = x._data
                    args.append(data[()] if scalars and data.ndim == 0 else data)
                    if x._requires_grad:
                        needs.append(True)
                        fn = x._grad_fn
                        edges.append(fn if fn is not None else x._accumulator())
                        continue
                else:
                    args.append(x)
                needs.append(False)
                edges.append(None)
            if True in needs:
                node = cls._node_type()
                node._nx = tuple(edges)
                node._args = args = tuple(args)
                node.needs_input_grad = tuple(needs)
                return _run_recorded(cls, node, args, params, inputs)
        else:
            args = []
            for x in inputs:
                if isinstance(x, Tensor):
                    data = x._data
                    args.append(data[()] if scalars and data.ndim == 0 else data)
                else:
                    args.append(x)
        return _run_untracked(cls, inputs, args, params)


_ONE_INPUT = (True,)


def apply_binary(cls: type[Op], a: Any, b: Any, params: dict | None = None) -> Any:
    """``Op.apply`` for two inputs, unrolled: the arithmetic operators run it all the time."""
    scalars = not cls._view
    if isinstance(a, Tensor):
        data = a._data
        arg_a = data[()] if scalars and data.ndim == 0 else data
        need_a = a._requires_grad
    else:
        arg_a, need_a = a, False
    if isinstance(b, Tensor):
        data = b._data
        arg_b = data[()] if scalars and data.ndim == 0 else data
        need_b = b._requires_grad
    else:
        arg_b, need_b = b, False
    args = (arg_a, arg_b)
    if (need_a or need_b) and _enabled[0]:
        node = cls._node_type()
        edge_a = (a._grad_fn or a._accumulator()) if need_a else None
        if need_b:
            node._nx = (edge_a, b._grad_fn or b._accumulator())
        else:
            node._nx = edge_a  # only the first input has a node: no tuple (see Node)
        node._args = args
        node.needs_input_grad = (need_a, need_b)
        return _run_recorded(cls, node, args, params or _NO_PARAMS, (a, b))
    return _run_untracked(cls, (a, b), args, params or _NO_PARAMS)


_NO_PARAMS: dict[str, Any] = {}


def _run_untracked(cls: type[Op], inputs: tuple, args: Any, params: dict) -> Any:
    """Run forward without recording (grad mode off, or nothing requires grad)."""
    quiet = silence(QUIET)
    try:
        out = cls.forward(_NO_CONTEXT, *args, **params)
    finally:
        restore(quiet)
    if type(out) is tuple:
        return tuple(_tensor_of(o) for o in out)
    result = _tensor_of(out)
    if cls._view:
        _share_storage(result, inputs[0])
    return result


def _run_recorded(
    cls: type[Op], node: BackwardNode, args: tuple, params: dict, inputs: tuple
) -> Any:
    """Run forward with ``node`` as ctx, then wrap its output with ``node`` as grad_fn."""
    node._epoch = _inplace_epoch[0]
    node._saved = None
    node._saved_versions = None
    node._retained = None
    node._out = None
    quiet = silence(QUIET)  # inf and nan come silently, as in PyTorch
    try:
        out = cls.forward(node, *args, **params)
    finally:
        restore(quiet)
    return _record(node, out, inputs)


class Function(FunctionBase):
    """PyTorch's ``torch.autograd.Function``: subclass it to define your own operation.

    ``forward(ctx, *args)`` runs without recording and returns a Tensor; ``backward(ctx, grad)``
    returns one gradient per argument of forward (``None`` for non-tensors).
    Call it as ``MyFunction.apply(x, ...)``; its ``grad_fn`` is named ``MyFunctionBackward``.
    """

    _tensor_io = True
    _node_suffix = "Backward"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            f"{type(self)} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @classmethod
    def apply(cls, *inputs: Any) -> Any:
        needs = tuple(isinstance(x, Tensor) and x._requires_grad for x in inputs)
        tracked = _enabled[0] and True in needs
        ctx = cls._node_type()  # a fresh ctx even when nothing is recorded: forward may use it
        ctx.needs_input_grad = needs
        ctx._saved = ctx._saved_versions = ctx._retained = ctx._out = None
        ctx._epoch = _inplace_epoch[0]
        ctx._args = inputs
        if tracked:
            ctx._nx = tuple(
                (x._grad_fn or x._accumulator()) if need else None for x, need in zip(inputs, needs)
            )
        prev = _enabled[0]
        _enabled[0] = False  # forward is not recorded, as in PyTorch
        try:
            out = cls.forward(ctx, *inputs)
        finally:
            _enabled[0] = prev
        if not tracked:
            return out
        outputs = out if isinstance(out, tuple) else (out,)
        for o in outputs:
            if not isinstance(o, Tensor):
                raise TypeError(
                    f"{cls.__name__}.forward must return Tensors, got {type(o).__name__}"
                )
        ctx._out_shapes = [o._data.shape for o in outputs]
        ctx._out_dtypes = [o._data.dtype for o in outputs]
        marked = ctx.__dict__.pop("_non_diff", ())
        results = []
        for i, o in enumerate(outputs):
            if id(o) in marked:  # mark_non_differentiable: no gradient flows from it
                # (an input, or a tensor with a history, is returned as a plain alias of itself)
                results.append(o.detach() if o._requires_grad else o)
                continue
            node = ctx if len(outputs) == 1 else cls._output_type(ctx, i)
            results.append(_tracked_output(o, node, inputs))
        if ctx._saved:
            _note_function_saved(ctx, inputs, outputs, results)
        return results[0] if len(outputs) == 1 else tuple(results)


def _tracked_output(o: Tensor, node: Node, inputs: tuple[Any, ...]) -> Tensor:
    """A Function's output, with ``node`` as its ``grad_fn``.

    As in PyTorch, the tensor forward made is itself the result; an input returned as it came
    is returned as a new view of it (the input itself keeps its own history).
    """
    for x in inputs:
        if o is x:
            result = Tensor._make(o._data)
            _share_storage(result, x)
            break
    else:
        if o._grad_fn is not None or o._requires_grad:  # a tensor with a history of its own
            result = Tensor._make(o._data)
            result._vc = o._version_counter()
        else:
            result = o
    result._grad_fn = node
    result._requires_grad = True
    if result._base is not None and result._base._grad_fn is not None:
        _register_view(result)  # an in-place change of the base makes it stale (see _inplace)
    return result


def _note_function_saved(
    ctx: BackwardNode, inputs: tuple[Any, ...], outputs: tuple[Tensor, ...], results: list[Any]
) -> None:
    """Versions of the tensors a Function saved: its inputs and its own outputs."""
    saved = list(ctx._saved)
    versions = []
    own = []
    for k, v in enumerate(saved):
        if not isinstance(v, Tensor):
            continue
        for i, o in enumerate(outputs):
            if v is o:  # an output: keep a plain alias (the result holds this node)
                result = results[i]
                saved[k] = alias = Tensor._make(result._data)
                alias._vc = result._version_counter()
                versions.append((k, -1 - i, alias, alias._vc.value))
                own.append((k, i))
                break
        else:
            j = _position(v, inputs)
            if j >= 0:
                versions.append((k, j, v, 0 if v._vc is None else v._vc.value))
    ctx._saved = tuple(saved)
    ctx._saved_versions = versions or None
    if own:
        ctx._saved_outputs = own


def _tensor_of(data: Any) -> Tensor:
    """Wrap a result array in a Tensor outside any graph."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)  # numpy turns 0-d results into scalars; a tensor needs an array
    return Tensor._make(data)


def _record(node: BackwardNode, out: Any, inputs: tuple[Any, ...]) -> Any:
    """Wrap the output of a recorded op, with ``node`` as its ``grad_fn``."""
    extra = None
    raw = out
    if type(out) is not np.ndarray:
        if type(out) is tuple:  # e.g. max(dim): (values, indices); only values is differentiable
            raw, *rest = out
            extra = tuple(_tensor_of(o) for o in rest)
        out = raw if type(raw) is np.ndarray else np.asarray(raw)
    result = _new_tensor(Tensor)  # Tensor._make(out, node), inlined: this runs for every op
    result._data = out
    result._grad_fn = node
    result._requires_grad = True
    result._grad = None  # (separate statements: faster than one chained assignment)
    result._acc = None
    result._vc = None
    result._base = None
    if node._saved is not None:
        _note_saved(node, raw, out, result, inputs)
    if node._function._view:
        _share_storage(result, inputs[0])
        if result._base._grad_fn is not None:
            _register_view(result)
    return result if extra is None else (result, *extra)


def _register_view(view: Tensor) -> None:
    """Let a later in-place change of the base reach this view's graph (see _rebase_views)."""
    vc = view._vc
    views = vc.views
    if views is None:
        views = vc.views = []
    elif len(views) >= 64 and (len(views) & (len(views) - 1)) == 0:
        # at each power of two, drop the views nobody holds any more (x[i] in a loop)
        views[:] = [ref for ref in views if ref() is not None]
    views.append(weakref.ref(view))


_UNVERSIONED = (type(None), float, int, bool)  # saved values that cannot change in place


def _note_saved(
    node: BackwardNode, raw: Any, out: np.ndarray, result: Tensor, inputs: tuple[Any, ...]
) -> None:
    """Remember the versions of the saved tensors, to detect later in-place changes."""
    saved = node._saved
    args = node._args
    versions = None
    for k, v in enumerate(saved):
        if type(v) in _UNVERSIONED:
            continue
        if v is raw:  # the output itself: keep its array, give the result a version counter
            if raw is not out:
                node._saved = saved = (*saved[:k], out, *saved[k + 1 :])
            result._vc = vc = _Version()
            node._out = (k, vc, 0)
            continue
        # a saved input usually sits at its own position (Mul saves (a, b)); else search
        j = k if k < len(args) and args[k] is v else _position(v, args)
        if j >= 0 and isinstance(inputs[j], Tensor):
            # keep the tensor and its version now (0 until it is first changed in place)
            x = inputs[j]
            if versions is None:
                versions = []
            versions.append((k, j, x, 0 if x._vc is None else x._vc.value))
    node._saved_versions = versions


def _position(value: Any, args: tuple[Any, ...]) -> int:
    for j, arg in enumerate(args):
        if arg is value:
            return j
    return -1


_new_tensor = object.__new__


def _share_storage(view: Tensor, base: Tensor) -> None:
    """A view shares its base's memory, hence its version counter (as in PyTorch)."""
    view._vc = base._version_counter()
    view._base = base._base if base._base is not None else base


def retain_output(node: BackwardNode, tensor: Tensor) -> None:
    """Make backward fill ``tensor.grad`` although it is not a leaf (``retain_grad()``)."""
    node._retained = weakref.ref(tensor)
