"""The backward pass: walk the graph from the output back to the leaves, applying the chain rule.

1. Count, for every node reachable from the output, how many edges lead into it (an explicit
   stack, no recursion, so a chain of 100,000 ops is fine).
2. Start from the output with gradient 1 and process nodes whose count has dropped to zero:
   a node runs only after *all* its consumers have sent their contributions, so the gradient it
   receives is complete (a shared node gets the sum, ``+=``).
3. Each node's ``backward`` turns the incoming gradient into one gradient per input. If an input
   was broadcast in the forward pass, its gradient is summed back to its shape here, in one place.
4. Leaves add what reaches them to ``.grad``; saved values are freed unless ``retain_graph``.

``steps()`` yields one record per node, which is what ``Tensor.backward_steps()`` and the course's
step-by-step view are built on; ``run_backward`` simply consumes them all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from ..ops._numeric import QUIET, restore, silence
from ..ops.shape import Copy
from ..tensor import CREATE_GRAPH_CYCLE_WARNING, Tensor, _warn_once
from . import grad_mode
from .function import _FREED, AccumulateGrad, BackwardNode, Node


class RawStep(NamedTuple):
    """What happened at one node of the backward pass."""

    node: Node
    grad_output: Any  # the complete gradient arriving at the node (the upstream gradient)
    grads: tuple[Any, ...]  # one per input, as backward returned them
    contributions: tuple[Any, ...]  # the same after summing broadcast dimensions back
    summed_axes: tuple[tuple[int, ...], ...]  # per input: which axes were summed (un-broadcast)


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> tuple[Any, tuple[int, ...]]:
    """Sum ``grad`` over the dimensions that broadcasting added or stretched.

    If ``b`` of shape (3,) was added to ``a`` of shape (4, 3), ``b`` took part four times, so its
    gradient is the sum of the four rows. Returns the gradient and the axes that were summed.
    """
    gshape = grad.shape
    lead = len(gshape) - len(shape)
    if not shape and lead > 0:  # the common case: a 0-d parameter (w, b) met a vector
        axes = tuple(range(lead))
        if isinstance(grad, Tensor):
            return grad.sum(), axes
        return np.add.reduce(grad, axis=None), axes
    if lead < 0 or any(n != 1 and n != g for n, g in zip(shape, gshape[lead:])):
        raise ValueError(f"a gradient of shape {list(gshape)} does not fit shape {list(shape)}")
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and gshape[lead + i] != 1
    )
    if isinstance(grad, Tensor):
        summed = grad.sum(dim=axes, keepdim=True) if axes else grad
    else:
        summed = grad.sum(axis=axes, keepdims=True) if axes else grad
    return (summed if summed.shape == shape else summed.reshape(shape)), axes


def _dependencies(roots: Sequence[Node]) -> dict[Node, int]:
    """How many edges lead into each node reachable from the roots (iterative DFS)."""
    deps: dict[Node, int] = {}
    stack = list(roots) if len(roots) == 1 else list(dict.fromkeys(roots))  # (each root once)
    seen = set(stack) if len(stack) > 1 else ()  # a root may also be another root's child
    while stack:
        edges = stack.pop()._nx
        if type(edges) is not tuple:  # one edge, stored alone (see Node)
            edges = (edges,)
        for child in edges:
            if child is None:
                continue
            if child in deps:
                deps[child] += 1
            else:
                deps[child] = 1
                if child not in seen:
                    stack.append(child)
    return deps


def _needed(roots: Sequence[Node], deps: dict[Node, int], targets: set[Node]) -> set[Node]:
    """Nodes from which a target can be reached: the only ones ``autograd.grad`` must run."""
    order = []  # a topological order, outputs first
    remaining = dict(deps)
    ready = [r for r in roots if r not in remaining]
    while ready:
        node = ready.pop()
        order.append(node)
        for child in node._next:
            if child is not None:
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
    needed: set[Node] = set()
    for node in reversed(order):
        if node in targets or any(c in needed for c in node._next):
            needed.add(node)
    return needed


def steps(
    roots: Sequence[Node],
    root_grads: Sequence[Any],
    *,
    retain_graph: bool,
    create_graph: bool,
    accumulate: bool = True,
    targets: set[Node] | None = None,
    captured: dict[Node, Any] | None = None,
    record: bool = False,
) -> Iterator[RawStep]:
    """Run the backward pass node by node; with ``record``, yield a ``RawStep`` after each node.

    With ``accumulate`` leaves add their gradient to ``.grad`` (``backward``); otherwise the
    gradients arriving at ``targets`` are stored in ``captured`` (``autograd.grad``).
    Without ``record`` nothing is yielded: the whole pass runs on the first ``next()``.
    """
    deps = _dependencies(roots)
    needed = _needed(roots, deps, targets) if targets is not None else None
    buffers: dict[Node, Any] = {}  # gradient received so far by each node still waiting
    for root, grad in zip(roots, root_grads):
        if type(root) is AccumulateGrad and type(grad) is np.ndarray:
            grad = _Shared(grad)  # x.backward(g) on a leaf: x.grad must not be g's memory
        buffers[root] = buffers[root] + grad if root in buffers else grad
    ready = [r for r in buffers if r not in deps]
    contributions: list[Any] = []
    summed: list[tuple[int, ...]] = []

    # During the pass, backward formulas are recorded only for create_graph, and numpy's
    # warnings are off: gradients at singular points are inf or nan (d/dx log x at 0), which
    # PyTorch computes silently. ``state`` keeps the caller's settings to put back.
    capture = targets is not None
    state = [grad_mode._enabled[0], None]
    grad_mode._enabled[0] = create_graph
    state[1] = silence(QUIET)
    try:
        while ready:
            node = ready.pop()
            grad = buffers.pop(node, None)  # complete: every consumer of this node has run
            if grad is None:  # every consumer sent None (no gradient): nothing to pass on
                _pass_nothing(node, deps, ready, buffers)
                continue
            if capture and node in targets:  # type: ignore[operator]
                captured[node] = grad  # type: ignore[index]
                if not any(c in needed for c in node._next):  # type: ignore[operator]
                    continue  # nothing beyond it is wanted: its backward need not run (or free)
            if type(node) is AccumulateGrad:
                if accumulate:
                    variable = node._variable()
                    if variable is not None:  # a leaf nobody can reach any more needs nothing
                        _accumulate(variable, grad)
                if record:
                    yield from _hand_over(RawStep(node, grad, (), (), ()), state, create_graph)
                continue
            if node._is_output:  # one output of several: file it under its index
                if accumulate and node._retained is not None:
                    _fill_retained(node, grad)
                main = node.main
                collected = buffers.setdefault(main, [None] * len(main._out_shapes))
                # (create_graph may make a second node for the same output: they add up)
                previous = collected[node.index]
                collected[node.index] = grad if previous is None else previous + grad
                left = deps[main] - 1
                deps[main] = left
                if left == 0:
                    ready.append(main)
                if record:
                    step = RawStep(node, grad, (grad,), (grad,), ((),))
                    yield from _hand_over(step, state, create_graph)
                continue
            if accumulate and node._retained is not None:  # type: ignore[attr-defined]
                _fill_retained(node, grad)

            # the chain rule at this node: one gradient per input
            function = node._function  # type: ignore[attr-defined]
            if function._tensor_io:
                grads = _call_function(node, grad)  # type: ignore[arg-type]
            else:
                grads = function.backward(node, grad)
                if type(grads) is not tuple:
                    grads = (grads,)
            edges = node._nx
            if type(edges) is not tuple and not record:
                # only the first input has a node (see Node): the commonest case, unrolled
                g = grads[0]
                if g is not None:
                    shape = node._args[0].shape  # type: ignore[attr-defined]
                    if g.shape != shape:
                        g = _sum_back(node, g, grads, shape)
                    elif g is grad and type(edges) is AccumulateGrad and type(g) is np.ndarray:
                        g = _Shared(g)  # passed on unchanged: the leaf must copy it
                    if edges in buffers:
                        buffers[edges] = buffers[edges] + g
                    else:
                        buffers[edges] = g
                if needed is None or edges in needed:
                    left = deps[edges] - 1
                    deps[edges] = left
                    if left == 0:
                        ready.append(edges)
                if not retain_graph and node._saved:  # type: ignore[attr-defined]
                    node._saved = _FREED  # type: ignore[attr-defined]
                continue
            if type(edges) is not tuple:
                edges = (edges, *_NONES[: len(grads) - 1])
            if record:
                contributions, summed = [], []
            for child, g, x in zip(edges, grads, node._args):  # type: ignore[attr-defined]
                axes = _NO_AXES
                if child is None or g is None:
                    g = None
                elif g.shape != x.shape:  # x was broadcast: sum the gradient back
                    g, axes = _sum_back(node, g, grads, x.shape, with_axes=True)
                elif g is grad and type(child) is AccumulateGrad and type(g) is np.ndarray:
                    g = _Shared(g)  # passed through unchanged (e.g. by +): a leaf must copy it
                if record:
                    contributions.append(g)
                    summed.append(axes)
                if child is None or (needed is not None and child not in needed):
                    continue
                if g is not None:
                    if child in buffers:
                        buffers[child] = buffers[child] + g  # a shared node: contributions add up
                    else:
                        buffers[child] = g
                left = deps[child] - 1
                deps[child] = left
                if left == 0:
                    ready.append(child)
            if not retain_graph and node._saved:  # type: ignore[attr-defined]
                node._saved = _FREED  # type: ignore[attr-defined]  # as PyTorch frees them
            if record:
                step = RawStep(node, grad, grads, tuple(contributions), tuple(summed))
                yield from _hand_over(step, state, create_graph)
    finally:
        restore(state[1])
        grad_mode._enabled[0] = state[0]


def _fill_retained(node: Node, grad: Any) -> None:
    """``.grad`` of a non-leaf that called ``retain_grad()``."""
    kept = node._retained()  # type: ignore[attr-defined]
    if kept is not None:  # the gradient flows on from here: .grad must be a copy
        _accumulate(kept, grad if isinstance(grad, Tensor | _Shared) else _Shared(grad))


def _hand_over(step: RawStep, state: list[Any], create_graph: bool) -> Iterator[RawStep]:
    """Yield a step with the caller's own grad mode and numpy error state, not the pass's:
    the code that runs between two steps is the learner's."""
    grad_mode._enabled[0] = state[0]
    restore(state[1])
    try:
        yield step
    finally:
        state[0] = grad_mode._enabled[0]
        grad_mode._enabled[0] = create_graph
        state[1] = silence(QUIET)


_NO_AXES: tuple[int, ...] = ()
_NONES = (None,) * 64


def _sum_back(
    node: Node, g: Any, grads: tuple[Any, ...], shape: tuple[int, ...], with_axes: bool = False
) -> Any:
    """``unbroadcast`` for the engine, with PyTorch's message for a gradient that cannot fit."""
    try:
        summed, axes = unbroadcast(g, shape)
    except ValueError:
        index = next(i for i, x in enumerate(grads) if x is g)
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {index} - got "
            f"{list(g.shape)} but expected shape compatible with {list(shape)}"
        ) from None
    return (summed, axes) if with_axes else summed


def _pass_nothing(node: Node, deps: dict[Node, int], ready: list[Node], buffers: dict) -> None:
    """A node that received no gradient at all still counts as done for its inputs."""
    for child in node._next:
        if child is not None and child in deps:
            deps[child] -= 1
            if deps[child] == 0:
                ready.append(child)  # it runs if another consumer sent it something


def _call_function(node: BackwardNode, grad: Any) -> tuple[Any, ...]:
    """Backward of a learner's ``Function``: it works on Tensors, the engine on arrays."""
    if type(grad) is list:  # several outputs; an unused one gets zeros, as PyTorch gives
        grad_outputs = [
            _as_tensor(g) if g is not None else Tensor._make(np.zeros(shape, dtype))
            for g, shape, dtype in zip(grad, node._out_shapes, node._out_dtypes)
        ]
    else:
        grad_outputs = [_as_tensor(grad)]
    grads = node._function.backward(node, *grad_outputs)
    if type(grads) is not tuple:
        grads = (grads,)
    if len(grads) != len(node._next):  # (the library's own ops are trusted with this)
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {len(node._next)}, got {len(grads)})"
        )
    if grad_mode._enabled[0]:  # create_graph: keep Tensors
        return grads
    # The engine works on arrays. A learner's gradient may share its memory with anything (it
    # may be grad_output itself), so a leaf must copy it before keeping it as .grad.
    return tuple(
        (_Shared(g._data) if type(edge) is AccumulateGrad else g._data)
        if isinstance(g, Tensor)
        else g
        for g, edge in zip(grads, node._next)
    )


def _as_tensor(grad: Any) -> Tensor:
    if isinstance(grad, Tensor):
        return grad
    if isinstance(grad, _Shared):
        grad = grad.array
    return Tensor._make(np.asarray(grad))


class _Shared:
    """A gradient array that other places also hold; a leaf copies it before keeping it."""

    __slots__ = ("array",)
    __array_ufunc__ = (
        None  # ndarray + _Shared must come to __radd__ below, not make an object array
    )

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __mul__(self, other: Any) -> Any:
        return self.array * other

    def reshape(self, shape: tuple[int, ...]) -> Any:
        return self.array.reshape(shape)

    def sum(self, **kwargs: Any) -> Any:
        return self.array.sum(**kwargs)

    def __add__(self, other: Any) -> Any:
        return self.array + (other.array if isinstance(other, _Shared) else other)

    __radd__ = __add__

    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape


def _accumulate(tensor: Tensor, grad: Any) -> None:
    """``tensor.grad += grad``, keeping the same ``.grad`` tensor object as PyTorch does."""
    if isinstance(grad, Tensor):  # create_graph: the gradient keeps its own graph
        if grad._data.dtype != tensor._data.dtype:
            grad = grad.to(tensor.dtype)
        current = tensor._grad
        if current is None:  # PyTorch copies it into a fresh tensor (grad_fn CopyBackwards)
            tensor._grad = Copy.apply(Tensor._make(np.zeros_like(tensor._data)), grad)
        else:
            tensor._grad = current + grad
        tensor._grad._grad_passes = getattr(current, "_grad_passes", 0) + 1
        return
    current = tensor._grad
    if current is not None:
        if type(grad) is _Shared:
            grad = grad.array
        data = current._data  # in place: the .grad tensor keeps its identity and memory
        if data.ndim:
            data += grad
        else:
            data[()] = data[()] + grad  # (for 0-d arrays numpy's += is 15 times slower)
        current._grad_passes = getattr(current, "_grad_passes", 0) + 1  # (a .grad set by hand)
        return
    dtype = tensor._data.dtype
    if type(grad) is _Shared:
        grad = np.array(grad.array, dtype=dtype)  # a copy: the array is shared
    elif type(grad) is not np.ndarray or grad.dtype != dtype:
        grad = np.array(grad, dtype=dtype)  # (numpy scalars, other dtypes): a new array
    elif grad.base is not None or not grad.flags.writeable:
        grad = grad.copy()  # a view of another array: .grad must own its memory
    current = tensor._grad = Tensor._make(grad)
    current._grad_passes = 1


def _root_node(tensor: Tensor, index: int) -> Node:
    if tensor._grad_fn is not None:
        return tensor._grad_fn
    if tensor._requires_grad:
        return tensor._accumulator()
    raise RuntimeError(
        f"element {index} of tensors does not require grad and does not have a grad_fn"
    )


_ONES: dict[tuple[tuple[int, ...], np.dtype], np.ndarray] = {}


def _ones(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A read-only array of ones, made once per shape and dtype (the usual starting gradient).

    It is safe to share: nothing writes into gradients, and a leaf copies a read-only array
    before keeping it.
    """
    key = (shape, dtype)
    ones = _ONES.get(key)
    if ones is None:
        ones = np.ones(shape, dtype)
        ones.flags.writeable = False
        _ONES[key] = ones
    return ones


def _root_grad(tensor: Tensor, grad: Any, index: int, create_graph: bool) -> Any:
    """The gradient the backward pass starts from: ones for a scalar, else the one given."""
    if grad is None:
        data = tensor._data
        if data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        ones = _ones(data.shape, data.dtype)
        return Tensor._make(ones) if create_graph else ones
    if grad.shape != tensor.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{index}] has a shape of {grad.shape} and "
            f"output[{index}] has a shape of {tensor.shape}."
        )
    return grad if create_graph else grad._data


def _as_tuple(x: Any) -> tuple[Any, ...]:
    if x is None:
        return (None,)
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def prepare(tensors: Any, grad_tensors: Any, create_graph: bool) -> tuple[list[Node], list[Any]]:
    """Check the outputs and their starting gradients; return root nodes and gradients."""
    outputs = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(outputs)
    for g in grads:
        if g is not None and not isinstance(g, Tensor):  # e.g. y.backward([1., 1.])
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
    if len(grads) < len(outputs):  # (extra gradients are ignored, as PyTorch ignores them)
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    roots = [_root_node(t, i) for i, t in enumerate(outputs)]
    root_grads = [_root_grad(t, g, i, create_graph) for i, (t, g) in enumerate(zip(outputs, grads))]
    return roots, root_grads


def run_backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """``torch.autograd.backward``: add the gradients of ``tensors`` to the leaves' ``.grad``."""
    if create_graph:  # .grad then holds a graph that leads back to the leaf: a cycle
        _warn_once(CREATE_GRAPH_CYCLE_WARNING)
    if grad_tensors is None and type(tensors) is Tensor and tensors._grad_fn is not None:
        roots, root_grads = [tensors._grad_fn], [_root_grad(tensors, None, 0, create_graph)]
    else:
        roots, root_grads = prepare(tensors, grad_tensors, create_graph)
    keep = create_graph if retain_graph is None else retain_graph
    for _ in steps(roots, root_grads, retain_graph=keep, create_graph=create_graph):
        pass  # without record=True the whole pass runs in the first step


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """``torch.autograd.grad``: return d(outputs)/d(inputs) without touching any ``.grad``."""
    inputs = _as_tuple(inputs)
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    allow_unused = bool(allow_unused) or materialize_grads
    roots, root_grads = prepare(outputs, grad_outputs, create_graph)  # (outputs checked first)
    for t in inputs:
        if not isinstance(t, Tensor):
            raise RuntimeError(
                f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}"
            )
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    keep = create_graph if retain_graph is None else retain_graph

    # A leaf input is reached through its AccumulateGrad node (if it was used at all).
    targets = {}
    for t in inputs:
        node = t._grad_fn if t._grad_fn is not None else t._acc
        if node is not None:
            targets[node] = t
    captured: dict[Node, Any] = {}
    for _ in steps(
        roots,
        root_grads,
        retain_graph=keep,
        create_graph=create_graph,
        accumulate=False,
        targets=set(targets),
        captured=captured,
    ):
        pass

    results: list[Tensor | None] = []
    for i, t in enumerate(inputs):
        node = t._grad_fn if t._grad_fn is not None else t._acc
        g = captured.get(node) if node is not None else None
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            results.append(Tensor._make(np.zeros_like(t._data)) if materialize_grads else None)
            continue
        if isinstance(g, _Shared):
            g = g.array.copy()
        if not isinstance(g, Tensor):
            g = Tensor._make(np.array(g, dtype=t._data.dtype))
        results.append(g)
    return tuple(results)
