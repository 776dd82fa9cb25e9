"""Shape and indexing: reshape, view, transpose, squeeze, repeat, flip, roll, indexing,
narrow / split / chunk, index_select, gather, masked_fill, tril / triu, cat, stack, ...

None of these change values, only where they sit (or, for masked_fill and tril, which are
kept), so every backward puts the gradient back where the value came from: reshape it back,
transpose it back, scatter it into zeros, or zero it where the value was replaced.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from ..autograd.function import _NO_CONTEXT, Op
from ..autograd.grad_mode import _enabled
from ..tensor import _REQUIRED, VIEW_OF_LEAF_INPLACE_ERROR, Tensor
from .arithmetic import check_broadcast_shapes, result_dtype

# -- dimensions -------------------------------------------------------------------------------


def normalize_dim(dim: Any, ndim: int) -> int:
    """A dimension index in range(ndim), accepting negatives, with PyTorch's IndexError."""
    dim = operator.index(dim)
    bound = max(ndim, 1)  # a 0-d tensor accepts dim 0 and -1
    if not -bound <= dim < bound:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], "
            f"but got {dim})"
        )
    return dim % bound if ndim else 0


def normalize_dims(dim: Any, ndim: int) -> tuple[int, ...]:
    dims = tuple(dim) if isinstance(dim, tuple | list) else (dim,)
    out = tuple(normalize_dim(d, ndim) for d in dims)
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out if ndim else ()


def tensor_input(name: str, x: Any, arg: str = "input", position: int = 1) -> Tensor:
    """``x`` itself if it is a tensor, else PyTorch's TypeError for ``torch.<name>(x, ...)``."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name}(): argument '{arg}' (position {position}) must be Tensor, "
            f"not {type(x).__name__}"
        )
    return x


def expand_back(grad: Any, shape: tuple[int, ...], dropped: tuple[int, ...]) -> Any:
    """Spread a reduction's gradient back over the input's shape.

    ``dropped`` are the reduced dims that are missing from ``grad`` (keepdim=False); they are put
    back as size-1 dims, then broadcasting repeats the gradient along them.
    """
    if not isinstance(grad, Tensor) and grad.size == 1:
        out = np.empty(shape, grad.dtype)  # one number to repeat: filling is the fastest way
        out.fill(grad.item())
        return out
    if dropped:
        kept = list(shape)
        for d in dropped:
            kept[d] = 1
        grad = grad.reshape(tuple(kept))
    elif grad.ndim != len(shape):
        grad = grad.reshape((1,) * len(shape))
    if isinstance(grad, Tensor):
        return Expand.apply(grad, shape=shape)
    return np.broadcast_to(grad, shape)


class Expand(Op):
    """out = x repeated along size-1 dims    backward: sum the copies (done by the engine)"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, shape: tuple[int, ...]) -> Any:
        if x.shape == shape:  # nothing repeated: an ordinary (writable) view
            return x[...]
        return np.broadcast_to(x, shape)  # read-only: one element now sits in several places

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad  # the engine sums it back to x's shape


def expand(x: Tensor, sizes: tuple[int, ...]) -> Tensor:
    shape = x._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(shape)}}}, size={list(sizes)}): the number of "
            "sizes provided (" + str(len(sizes)) + ") must be greater or equal to the number of "
            "dimensions in the tensor (" + str(len(shape)) + ")"
        )
    lead = len(sizes) - len(shape)
    target = tuple(
        (shape[i - lead] if s == -1 else s) if i >= lead else s for i, s in enumerate(sizes)
    )
    for i, n in enumerate(shape):
        if n != 1 and n != target[i + lead]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[i + lead]}) must match the existing "
                f"size ({n}) at non-singleton dimension {i + lead}.  Target sizes: "
                f"{list(sizes)}.  Tensor sizes: {list(shape)}"
            )
    return Expand.apply(x, shape=target)


# -- reshaping --------------------------------------------------------------------------------


def _infer_shape(shape: tuple[int, ...], size: int) -> tuple[int, ...]:
    """Resolve one -1 in ``shape`` and check the number of elements, as PyTorch does."""
    unknown = [i for i, n in enumerate(shape) if n == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(n for n in shape if n != -1)
    if any(n < -1 for n in shape):
        raise RuntimeError(f"invalid shape dimension {min(shape)}")
    if unknown:
        if known == 0 or size % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
        return tuple(size // known if n == -1 else n for n in shape)
    if known != size:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
    return shape


class View(Op):
    """out = x with a new shape, same memory     backward: reshape the gradient back"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, shape: tuple[int, ...]) -> Any:
        ctx.shape = x.shape
        return np.reshape(x, shape, copy=False)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


class UnsafeView(Op):
    """out = x reshaped, as a new tensor rather than a view   backward: reshape back"""

    @staticmethod
    def forward(ctx: Any, x: Any, shape: tuple[int, ...]) -> Any:
        ctx.shape = x.shape
        return np.reshape(x, shape)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


def _can_view(data: np.ndarray, shape: tuple[int, ...]) -> bool:
    try:
        np.reshape(data, shape, copy=False)
    except ValueError:
        return False
    return True


def view(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    shape = _infer_shape(shape, x._data.size)
    if not _can_view(x._data, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return View.apply(x, shape=shape)


def reshape(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """A view when the memory layout allows one (ViewBackward0), else a contiguous copy
    reshaped (CloneBackward0 then UnsafeViewBackward0), as PyTorch records it."""
    shape = _infer_shape(shape, x._data.size)
    if _can_view(x._data, shape):
        return View.apply(x, shape=shape)
    return UnsafeView.apply(Clone.apply(x), shape=shape)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    shape = x._data.shape
    if not shape:
        return reshape(x, (1,))
    start, end = normalize_dim(start_dim, len(shape)), normalize_dim(end_dim, len(shape))
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return x
    merged = math.prod(shape[start : end + 1])
    return reshape(x, (*shape[:start], merged, *shape[end + 1 :]))


class Squeeze(Op):
    """out = x without its size-1 dims          backward: reshape back"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, dims: tuple[int, ...] | None = None) -> Any:
        ctx.shape = x.shape
        return np.squeeze(x, axis=dims)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


class SqueezeDim(Squeeze, name="SqueezeBackward1"):
    pass


class AsStrided(Op, name="AsStridedBackward0"):
    """A view whose base was changed in place after the view was taken (see _rebase_views).

    Its backward replays the backward steps of the view ops that made the view (``chain``,
    from the view back to the base); its input edge is the base's new ``grad_fn``.
    """

    _view = True

    @staticmethod
    def node(chain: list[Any], base_node: Any) -> Any:
        node = AsStrided._node_type()
        node._nx = base_node
        node._args = chain[-1]._args[:1]  # the base's array: the gradient ends in its shape
        node.needs_input_grad = (True,)
        node._epoch = chain[0]._epoch
        node._saved = node._saved_versions = node._retained = node._out = None
        node.chain = chain
        return node

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        from ..autograd.engine import unbroadcast  # (the engine imports this module)

        for step in ctx.chain:
            grad = step._function.backward(step, grad)
            shape = step._args[0].shape
            if grad.shape != shape:  # an expand's gradient: sum the copies back
                grad = unbroadcast(grad, shape)[0]
        return grad


class StaleView(Op):
    """A learner's Function returned a view, and its base was then changed in place.

    PyTorch forbids using such a view: rewriting its history would bypass the Function's own
    backward. Reading its ``grad_fn`` or running backward through it raises PyTorch's error.
    """

    @staticmethod
    def node(function_name: str, index: int) -> Any:
        node = StaleView._node_type()
        node._nx = ()
        node._args = ()
        node.needs_input_grad = ()
        node._epoch = 0
        node._saved = node._saved_versions = node._retained = node._out = None
        node.message = (
            f"Output {index} of {function_name} is a view and its base or another view of its "
            "base has been modified inplace. This view was created inside a custom Function (or "
            "because an input was returned as-is) and the autograd logic to handle view+inplace "
            "would override the custom backward associated with the custom Function, leading to "
            "incorrect gradients. This behavior is forbidden. You can fix this by cloning the "
            "output of the custom Function."
        )
        return node

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        raise RuntimeError(ctx.message)


class SqueezeDims(Squeeze, name="SqueezeBackward2"):
    pass  # squeeze((0, 2)): PyTorch's third squeeze overload


class SqueezeMatmul(Squeeze, name="SqueezeBackward4"):
    pass  # the squeeze that ends a vector @ matrix product, named as in PyTorch


def squeeze(x: Tensor, dim: Any = None) -> Tensor:
    if dim is None:
        return Squeeze.apply(x)
    dims = normalize_dims(dim, x._data.ndim)
    dims = tuple(d for d in dims if x._data.shape[d] == 1)  # dims of other sizes stay, silently
    if isinstance(dim, tuple | list):
        return SqueezeDims.apply(x, dims=dims)
    return SqueezeDim.apply(x, dims=dims)


class Unsqueeze(Op):
    """out = x with a new size-1 dim             backward: reshape back"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int) -> Any:
        ctx.shape = x.shape
        return np.expand_dims(x, dim)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    return Unsqueeze.apply(x, dim=normalize_dim(dim, x._data.ndim + 1))


class Permute(Op):
    """out = x with its dims reordered            backward: reorder the gradient back"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, dims: tuple[int, ...]) -> Any:
        ctx.inverse = tuple(sorted(range(len(dims)), key=dims.__getitem__))  # undoes dims
        return np.transpose(x, dims)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return Permute.apply(grad, dims=ctx.inverse)
        return np.transpose(grad, ctx.inverse)


class Transpose(Permute):
    """out = x with two dims swapped              backward: swap them back"""


class T(Permute):
    """out = xᵀ (at most 2-d)                     backward: transpose the gradient back"""


def permute(x: Tensor, dims: tuple[int, ...]) -> Tensor:
    ndim = x._data.ndim
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(normalize_dim(d, ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(x, dims=dims)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    ndim = x._data.ndim
    d0, d1 = normalize_dim(dim0, ndim), normalize_dim(dim1, ndim)
    order = list(range(ndim))
    order[d0], order[d1] = order[d1], order[d0]
    return Transpose.apply(x, dims=tuple(order))


def t(x: Tensor) -> Tensor:
    ndim = x._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return T.apply(x, dims=tuple(range(ndim - 1, -1, -1)))


# -- repeating, flipping, rolling, triangles --------------------------------------------------


class Repeat(Op):
    """out = x tiled, sizes[d] copies along each dim d      backward: sum the copies"""

    @staticmethod
    def forward(ctx: Any, x: Any, sizes: tuple[int, ...]) -> Any:
        ctx.shape, ctx.sizes = x.shape, sizes
        return np.tile(x, sizes)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        lead = len(ctx.sizes) - len(ctx.shape)
        grad = sum_dims(grad, tuple(range(lead)))  # new leading dims: all copies add up
        split, copies = [], []  # each repeated dim d as two: (copies, x's size along d)
        for r, n in zip(ctx.sizes[lead:], ctx.shape):
            if r != 1:
                copies.append(len(split))
                split.append(r)
            split.append(n)
        return sum_dims(grad.reshape(tuple(split)), tuple(copies))


def sum_dims(a: Any, dims: tuple[int, ...], keepdim: bool = False) -> Any:
    """Sum over ``dims`` for arrays and (create_graph) tensors alike."""
    if not dims:
        return a
    if isinstance(a, Tensor):
        return a.sum(dim=dims, keepdim=keepdim)
    return a.sum(axis=dims, keepdims=keepdim)


def repeat(x: Tensor, sizes: tuple[int, ...]) -> Tensor:
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    shape = x._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    target = [r * n for r, n in zip(sizes, (1,) * (len(sizes) - len(shape)) + shape)]
    for n in target:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {target}")
    return Repeat.apply(x, sizes=sizes)


class Flip(Op):
    """out = x in reverse order along dims (a copy)      backward: reverse the gradient back"""

    @staticmethod
    def forward(ctx: Any, x: Any, dims: tuple[int, ...]) -> Any:
        ctx.dims = dims
        return np.flip(x, dims).copy()  # np.flip is a view; PyTorch's flip copies

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return Flip.apply(grad, dims=ctx.dims)
        return np.flip(grad, ctx.dims)


def flip(input: Tensor, dims: Any = _REQUIRED) -> Tensor:
    """``torch.flip(x, dims)``: reverse the order of the elements along ``dims``."""
    x = tensor_input("flip", input)
    if isinstance(dims, tuple) and len(dims) == 1 and isinstance(dims[0], tuple | list):
        dims = dims[0]  # x.flip((0, 1)) as well as x.flip(0, 1)
    if dims is _REQUIRED or dims == ():
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    return Flip.apply(x, dims=normalize_dims(dims, x._data.ndim))


class Roll(Op):
    """out = x shifted along dims; what falls off one end comes back at the other
    backward: shift the gradient back"""

    @staticmethod
    def forward(ctx: Any, x: Any, shifts: Any, dims: Any) -> Any:
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)  # dims None: roll the flattened tensor

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        back = -ctx.shifts if ctx.dims is None else tuple(-s for s in ctx.shifts)
        if isinstance(grad, Tensor):
            return Roll.apply(grad, shifts=back, dims=ctx.dims)
        return np.roll(grad, back, ctx.dims)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """``torch.roll(x, shifts, dims=None)``: shift elements cyclically."""
    x = tensor_input("roll", input)
    shifts = _int_tuple(shifts)
    dims = () if dims is None else _int_tuple(dims)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(dims) and (dims or len(shifts) != 1):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    if not dims or x._data.ndim == 0:
        return Roll.apply(x, shifts=shifts[0], dims=None)
    return Roll.apply(x, shifts=shifts, dims=tuple(normalize_dim(d, x._data.ndim) for d in dims))


def _int_tuple(value: Any) -> tuple[int, ...]:
    if isinstance(value, tuple | list):
        return tuple(operator.index(v) for v in value)
    return (operator.index(value),)


class Tril(Op):
    """out = x with the elements above diagonal k set to 0    backward: the same to the gradient"""

    @staticmethod
    def forward(ctx: Any, x: Any, diagonal: int) -> Any:
        ctx.diagonal = diagonal
        return np.tril(x, diagonal)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return Tril.apply(grad, diagonal=ctx.diagonal)
        return np.tril(grad, ctx.diagonal)


class Triu(Op):
    """out = x with the elements below diagonal k set to 0    backward: the same to the gradient"""

    @staticmethod
    def forward(ctx: Any, x: Any, diagonal: int) -> Any:
        ctx.diagonal = diagonal
        return np.triu(x, diagonal)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return Triu.apply(grad, diagonal=ctx.diagonal)
        return np.triu(grad, ctx.diagonal)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """``torch.tril(x, diagonal=0)``: the lower triangle (of the last two dims)."""
    return _triangle(Tril, "tril", input, diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """``torch.triu(x, diagonal=0)``: the upper triangle (of the last two dims)."""
    return _triangle(Triu, "triu", input, diagonal)


def _triangle(op: type[Op], name: str, input: Tensor, diagonal: int) -> Tensor:
    x = tensor_input(name, input)
    if x._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return op.apply(x, diagonal=operator.index(diagonal))


# -- indexing ---------------------------------------------------------------------------------
#
# Basic indexing (ints, slices, None, ...) is applied one step at a time, as PyTorch does, so
# ``m[1:, 0]`` records a SliceBackward0 followed by a SelectBackward0. An index that holds a
# list, array, bool mask or tensor is "advanced" and is one IndexBackward0 step.


class _Scatter(Op):
    """Put a gradient back at the indexed positions of a zero tensor of the input's shape.

    It is an op of its own so that the backward of indexing is differentiable too
    (create_graph=True); its own backward simply indexes again.
    """

    @staticmethod
    def forward(ctx: Any, grad: Any, shape: tuple[int, ...], key: Any, add: bool) -> Any:
        ctx.key = key
        out = np.zeros(shape, dtype=grad.dtype)
        if add:
            np.add.at(out, key, grad)  # repeated indices accumulate, like a shared node
        else:
            out[key] = grad
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad[ctx.key]


class SelectBackward(_Scatter):
    pass


class SliceBackward(_Scatter):
    pass


class IndexBackward(_Scatter):
    pass


def _scatter(
    op: type[_Scatter], grad: Any, shape: tuple[int, ...], key: Any, add: bool = False
) -> Any:
    if isinstance(grad, Tensor):
        return op.apply(grad, shape=shape, key=key, add=add)
    return op.forward(_NO_CONTEXT, grad, shape=shape, key=key, add=add)


class Select(Op):
    """out = x[..., i] along one dim            backward: the gradient goes back to position i"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int, index: int) -> Any:
        key = (slice(None),) * dim + (index,)
        ctx.shape, ctx.key = x.shape, key
        return x[(*key, Ellipsis)]  # the ... keeps even a single element a view, not a copy

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _scatter(SelectBackward, grad, ctx.shape, ctx.key)


class Slice(Op):
    """out = x[..., a:b:s] along one dim        backward: gradients go back into the slice"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int, start: int, stop: int, step: int) -> Any:
        key = (slice(None),) * dim + (slice(start, stop, step),)
        ctx.shape, ctx.key = x.shape, key
        return x[key]

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _scatter(SliceBackward, grad, ctx.shape, ctx.key)


class Index(Op):
    """out = x[indices] (lists, masks, tensors)  backward: scatter-add (repeats accumulate)"""

    @staticmethod
    def forward(ctx: Any, x: Any, key: tuple[Any, ...]) -> Any:
        ctx.save_for_backward(key)  # PyTorch keeps the indices: a second backward needs them
        ctx.shape = x.shape
        # a new tensor, contiguous as PyTorch's (numpy may lay x[:, [0, 2]] out by columns)
        return np.ascontiguousarray(_numpy_index(x, key))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (key,) = ctx.saved_tensors
        return _scatter(IndexBackward, grad, ctx.shape, key, add=True)


def _numpy_index(x: np.ndarray, key: Any) -> np.ndarray:
    try:
        return x[key]
    except IndexError as e:  # numpy's words for it, in PyTorch's
        message = str(e).replace("axis", "dimension")
        if message.startswith("shape mismatch"):
            shapes = ", ".join(str(list(k.shape)) for k in key if isinstance(k, np.ndarray))
            message = (
                "shape mismatch: indexing tensors could not be broadcast together with shapes "
                f"{shapes}"
            )
        raise IndexError(message) from None


def _advanced_item(item: Any) -> Any:
    """An index item as numpy understands it, or None if it is a basic one."""
    if isinstance(item, Tensor):
        data = item._data
        if data.ndim == 0 and data.dtype.kind in "iu":
            return None  # a 0-d integer tensor indexes like an int
        if data.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return data
    if isinstance(item, list | np.ndarray) or type(item) is bool:
        data = np.asarray(item)
        if data.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return data
    return None


def _normalize_key(x: Tensor, index: Any) -> tuple[list[Any], bool]:
    items = list(index) if isinstance(index, tuple) else [index]
    advanced = False
    for i, item in enumerate(items):
        adv = _advanced_item(item)
        if adv is not None:
            items[i], advanced = adv, True
        elif isinstance(item, Tensor):
            items[i] = int(item._data)
        elif not (item is None or item is Ellipsis or isinstance(item, slice)):
            try:
                items[i] = operator.index(item)
            except TypeError:
                raise IndexError(
                    "only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                    f"Variables are valid indices (got {type(item).__name__})"
                ) from None
    return items, advanced


def _expand_ellipsis(items: list[Any], ndim: int) -> list[Any]:
    used = sum(
        (it.ndim if isinstance(it, np.ndarray) and it.dtype == np.bool_ else 1)
        for it in items
        if it is not None and it is not Ellipsis
    )
    if used > ndim:
        if ndim == 0:
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    dots = [i for i, it in enumerate(items) if it is Ellipsis]  # (`in` would compare arrays)
    if len(dots) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if dots:
        at = dots[0]
        items = items[:at] + [slice(None)] * (ndim - used) + items[at + 1 :]
    return items


def _check_masks(items: list[Any], shape: tuple[int, ...]) -> None:
    """A bool mask must have the shape of the dims it covers (PyTorch's IndexError)."""
    dim = 0
    for it in items:
        if isinstance(it, np.ndarray) and it.dtype == np.bool_:
            for k, n in enumerate(it.shape):
                if dim + k < len(shape) and shape[dim + k] != n:
                    raise IndexError(
                        f"The shape of the mask {list(it.shape)} at index {k} does not match the "
                        f"shape of the indexed tensor {list(shape[dim : dim + it.ndim])} at "
                        f"index {k}"
                    )
            dim += it.ndim
        elif it is not None:
            dim += 1


def getitem(x: Tensor, index: Any) -> Tensor:
    items, advanced = _normalize_key(x, index)
    # PyTorch's error messages count the items of the index as written ("..." is one)
    dots = [i for i, it in enumerate(items) if it is Ellipsis]
    written = len(items)
    items = _expand_ellipsis(items, x._data.ndim)
    extra = len(items) - written  # the items "..." stands for, less itself
    if advanced:
        _check_masks(items, x._data.shape)
        key = []
        for it in items:  # bool masks become integer indices (scatter-add needs them)
            if isinstance(it, np.ndarray) and it.dtype == np.bool_:
                key.extend(np.nonzero(it))
            else:
                key.append(it)
        return Index.apply(x, key=tuple(key))
    out, dim = x, 0
    for position, it in enumerate(items):
        if dots and position > dots[0]:
            position = max(dots[0], position - extra)  # back to the place as written
        if it is None:
            out = Unsqueeze.apply(out, dim=dim)
            dim += 1
            continue
        size = out._data.shape[dim]
        if isinstance(it, slice):
            if it.step is not None and it.step <= 0:
                raise ValueError("step must be greater than zero")
            start, stop, step = it.indices(size)
            if (start, max(stop, start), step) != (0, size, 1):  # a full slice records nothing
                out = Slice.apply(out, dim=dim, start=start, stop=max(stop, start), step=step)
            dim += 1
        else:
            if not -size <= it < size:
                raise IndexError(
                    f"index {it} is out of bounds for dimension {position} with size {size}"
                )
            out = Select.apply(out, dim=dim, index=it % size)
    if out is x:
        if isinstance(index, slice) and x._data.ndim:  # x[:] is a slice (SliceBackward0)
            return Slice.apply(x, dim=0, start=0, stop=x._data.shape[0], step=1)
        out = Alias.apply(x)  # x[...] or x[:, :] is the same memory under a new name
    return out


class Alias(Op):
    """out = x itself, seen through a new tensor (``x[...]``)    ∂out/∂x = 1"""

    _view = True

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        return x.view()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


class Unbind(Select, name="UnbindBackward0"):
    """The rows of a tensor, one at a time (``for row in x``, ``x.unbind()``)."""


# -- pieces: narrow, split, chunk ------------------------------------------------------------
#
# Each piece is a view of consecutive positions along one dim, exactly a Slice; only the name
# differs, as in PyTorch. (PyTorch makes one SplitBackward0 node shared by all the pieces of a
# split; here each piece has its own node. The gradients are the same.)


class Split(Slice, name="SplitBackward0"):
    """One piece of ``x.split(n)`` or ``x.chunk(k)``: a view   backward: the gradient into place"""

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return _scatter(SplitBackward, grad, ctx.shape, ctx.key)


class SplitWithSizes(Split, name="SplitWithSizesBackward0"):
    """One piece of ``x.split([sizes])``: a view               backward: the gradient into place"""


class SplitBackward(_Scatter, name="CatBackward0"):
    pass  # a piece's gradient between zeros: in PyTorch, a cat of the pieces' gradients


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """``torch.narrow(x, dim, start, length)``: a view of ``length`` positions from ``start``."""
    x = tensor_input("narrow", input)
    if x._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    start, length = operator.index(start), operator.index(length)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    d = normalize_dim(dim, x._data.ndim)
    size = x._data.shape[d]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Slice.apply(x, dim=d, start=start, stop=start + length, step=1)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.split(x, n)``: pieces of n along ``dim`` (the last may be shorter);
    ``torch.split(x, [a, b, ...])``: pieces of those sizes. Every piece is a view."""
    x = tensor_input("split", tensor, "tensor")
    if x._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = normalize_dim(dim, x._data.ndim)
    n = x._data.shape[d]
    if isinstance(split_size_or_sections, tuple | list):
        sizes = [operator.index(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                "split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={sizes}"
            )
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                f"size at dimension {d}), but got split_sizes={sizes}"
            )
        return _pieces(SplitWithSizes, x, d, sizes)
    size = operator.index(split_size_or_sections)
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and n != 0:
        raise RuntimeError(
            f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
        )
    count = -(-n // size) if n else 1  # ceil(n / size) pieces
    return _pieces(Split, x, d, [min(size, n - i * size) for i in range(count)])


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.chunk(x, k)``: at most k pieces of equal size ceil(n / k) (the last may be
    shorter, and there may be fewer than k). Every piece is a view."""
    x = tensor_input("chunk", input)
    if x._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    chunks = operator.index(chunks)
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = normalize_dim(dim, x._data.ndim)
    n = x._data.shape[d]
    if n == 0:  # k empty pieces (a split of size 0 would give only one)
        return _pieces(SplitWithSizes, x, d, [0] * chunks)
    return split(x, -(-n // chunks), d)


def _pieces(op: type[Slice], x: Tensor, dim: int, sizes: list[int]) -> tuple[Tensor, ...]:
    pieces, start = [], 0
    for size in sizes:
        pieces.append(op.apply(x, dim=dim, start=start, stop=start + size, step=1))
        start += size
    return tuple(pieces)


class IndexPut(Op, name="CopySlices"):
    """x[key] = value on a tensor in a graph    x keeps the gradient outside key, value inside"""

    @staticmethod
    def forward(ctx: Any, x: Any, value: Any, key: Any) -> Any:
        out = x.copy()
        out[key] = value
        keep = np.ones(x.shape, dtype=bool)
        keep[key] = False
        ctx.keep, ctx.key = keep, key
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        return grad * ctx.keep, grad[ctx.key]


def numpy_key(x: Tensor, index: Any) -> tuple[Any, ...]:
    """The index as a numpy key (tensors become arrays), for assignment."""
    items, _ = _normalize_key(x, index)
    return tuple(_expand_ellipsis(items, x._data.ndim))


def setitem(x: Tensor, index: Any, value: Any) -> None:
    from ._inplace import apply_inplace

    key = numpy_key(x, index)
    if not isinstance(value, Tensor):
        value = Tensor._make(np.asarray(value, dtype=x._data.dtype))
    target = x._data[key].shape  # the value must broadcast to what it replaces
    vshape = value._data.shape
    for i in range(1, len(vshape) + 1):
        n = vshape[-i]
        if n != 1 and (i > len(target) or target[-i] != n):
            raise RuntimeError(
                f"The expanded size of the tensor ({target[-i] if i <= len(target) else 1}) "
                f"must match the existing size ({n}) at non-singleton dimension "
                f"{len(target) - i}.  Target sizes: {list(target)}.  Tensor sizes: {list(vshape)}"
            )
    if _enabled[0] and x._requires_grad and x._grad_fn is None:  # x[i] = v writes via a view
        raise RuntimeError(VIEW_OF_LEAF_INPLACE_ERROR)
    apply_inplace(x, IndexPut, (value,), {"key": key})


# -- picking along a dim: index_select, gather, masked_fill --------------------------------


class IndexAdd(_Scatter):
    pass  # index_select's backward, as an op (named as PyTorch names it: IndexAddBackward0)


class ScatterAdd(_Scatter):
    pass  # gather's backward, as an op (ScatterAddBackward0)


class IndexSelect(Op):
    """out = x at positions ``index`` along dim       backward: each gradient added back there"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int, index: Any) -> Any:
        ctx.save_for_backward(index)  # PyTorch keeps the index: a second backward needs it
        ctx.shape, ctx.dim = x.shape, dim
        return x[_select_key(index, dim, x.ndim)]

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (index,) = ctx.saved_tensors
        key = _select_key(index, ctx.dim, len(ctx.shape))
        return _scatter(IndexAdd, grad, ctx.shape, key, add=True)  # repeats accumulate


def _select_key(index: np.ndarray, dim: int, ndim: int) -> tuple[Any, ...]:
    return (slice(None),) * dim + (index,) if ndim else ()  # (a 0-d tensor: itself)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``torch.index_select(x, dim, index)``: the positions in the 1-d ``index`` along ``dim``."""
    x = tensor_input("index_select", input)
    idx = tensor_input("index_select", index, "index", 2)._data
    d = normalize_dim(dim, x._data.ndim)
    if idx.dtype not in _INDEX_DTYPES:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if x._data.ndim == 0 and idx.size != 1:
        raise RuntimeError(
            f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
        )
    size = x._data.shape[d] if x._data.ndim else 1
    bad = _out_of_bounds(idx, size)
    if bad is not None:
        if x._data.ndim > 1 and d == 1:  # PyTorch's kernels word it two ways, by dim
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
        raise IndexError("index out of range in self")
    return IndexSelect.apply(x, dim=d, index=idx.reshape(-1).astype(np.int64))


_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))


def _out_of_bounds(idx: np.ndarray, size: int) -> int | None:
    """The first index outside [0, size), if any (PyTorch takes no negative indices here)."""
    bad = idx[(idx < 0) | (idx >= size)]
    return int(bad.flat[0]) if bad.size else None


class Gather(Op):
    """out[i][j] = x[i][index[i][j]]  (for dim=1)     backward: each gradient added back there"""

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int, index: Any) -> Any:
        ctx.save_for_backward(index)  # PyTorch keeps the index: a second backward needs it
        ctx.shape, ctx.dim = x.shape, dim
        return x[_gather_key(index, dim)]

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (index,) = ctx.saved_tensors
        return _scatter(ScatterAdd, grad, ctx.shape, _gather_key(index, ctx.dim), add=True)


def _gather_key(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """The numpy index that picks x[i][index[i][j]] (for dim=1): along ``dim`` the index,
    along every other dim the position itself."""
    ndim = index.ndim
    return tuple(
        index if d == dim else np.arange(n).reshape([-1 if k == d else 1 for k in range(ndim)])
        for d, n in enumerate(index.shape)
    )


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``torch.gather(x, dim, index)``: out has index's shape; along ``dim`` it picks the
    position that ``index`` holds, along the other dims it keeps its own position."""
    x = tensor_input("gather", input)
    idx = tensor_input("gather", index, "index", 2)._data
    shape = x._data.shape
    d = normalize_dim(dim, len(shape))
    if idx.dtype not in _INDEX_DTYPES:
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if idx.ndim != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(idx.ndim):
        if k != d and idx.shape[k] > shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(idx.shape)} to be no "
                f"larger than self {list(shape)} apart from dimension {d}"
            )
    size = shape[d] if shape else 1
    bad = _out_of_bounds(idx, size)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    return Gather.apply(x, dim=d, index=idx.astype(np.int64))


class MaskedFill(Op):
    """out = value where mask is True, else x       x keeps the gradient where mask is False"""

    @staticmethod
    def forward(ctx: Any, x: Any, mask: Any, value: Any) -> Any:
        ctx.save_for_backward(mask)
        return np.where(mask, value, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (mask,) = ctx.saved_tensors
        return masked_fill_zero(grad, mask)


class MaskedFillTensor(Op, name="MaskedFillBackward1"):
    """out = value where mask is True, else x (value a 0-d tensor)
    x keeps the gradient where mask is False; value gets the sum of the rest"""

    @staticmethod
    def forward(ctx: Any, x: Any, value: Any, mask: Any) -> Any:
        ctx.save_for_backward(mask)
        return np.where(mask, value, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        (mask,) = ctx.saved_tensors
        return masked_fill_zero(grad, mask), masked_fill_zero(grad, ~mask).sum()


def masked_fill_zero(a: Any, mask: np.ndarray) -> Any:
    """``a`` with 0 where ``mask`` is True, for arrays and (create_graph) tensors alike."""
    if isinstance(a, Tensor):
        return MaskedFill.apply(a, mask=mask, value=0)
    return MaskedFill.forward(_NO_CONTEXT, a, mask, 0)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``x.masked_fill(mask, value)``: ``value`` (a number or 0-d tensor) where the bool
    ``mask`` is True (it broadcasts), x elsewhere."""
    x = tensor_input("masked_fill", input)
    m = tensor_input("masked_fill", mask, "mask", 2)._data
    if m.dtype != np.bool_:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            + _CPP_TYPE_NAMES.get(m.dtype.name, m.dtype.name)
        )
    check_broadcast_shapes(m.shape, x._data.shape)
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value._data.ndim} dimension(s)."
            )
        return MaskedFillTensor.apply(x, value, mask=m)
    if not isinstance(value, int | float | np.number | np.bool_):
        raise TypeError(
            f"masked_fill(): argument 'value' must be Number or Tensor, not {type(value).__name__}"
        )
    return MaskedFill.apply(x, mask=m, value=value)


# C++ names of element types, as PyTorch's masked_fill message prints them
_CPP_TYPE_NAMES = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
    "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
}  # fmt: skip


# -- joining ----------------------------------------------------------------------------------


def _check_tensors(tensors: Any, name: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, list | tuple):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
            f"not {type(tensors).__name__}"
        )
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {tensors.index(t)} in argument 0, "
                f"but got {type(t).__name__}"
            )
    return list(tensors)


class Cat(Op):
    """out = the inputs joined along a dim      backward: cut the gradient into their pieces"""

    @staticmethod
    def forward(ctx: Any, *xs: Any, dim: int) -> Any:
        dtype = _common_dtype(xs)
        # PyTorch's old rule: a 1-d empty tensor (torch.tensor([])) joins anything, as nothing
        joined = [x for x in xs if not _legacy_empty(x)] or list(xs[:1])
        pieces: list[Any] = []
        end = 0
        for x in xs:
            if _legacy_empty(x):
                pieces.append(None)  # joined as nothing: its gradient is empty
            else:
                pieces.append((slice(None),) * dim + (slice(end, end + x.shape[dim]),))
                end += x.shape[dim]
        ctx.pieces = pieces
        return np.concatenate(joined, axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, ...]:
        return tuple(
            grad[piece] if piece is not None else _empty_like_grad(grad) for piece in ctx.pieces
        )


def _legacy_empty(x: Any) -> bool:
    return x.shape == (0,)


def _empty_like_grad(grad: Any) -> Any:
    if isinstance(grad, Tensor):
        return Tensor._make(np.zeros(0, grad._data.dtype))
    return np.zeros(0, grad.dtype)


def _common_dtype(arrays: Any) -> np.dtype:
    dt = arrays[0].dtype
    for a in arrays[1:]:
        if a.dtype != dt:
            return result_dtype(*arrays)
    return dt


def cat(tensors: Any, dim: int = 0) -> Tensor:
    tensors = _check_tensors(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # (a 1-d empty tensor is left out of the checks: PyTorch still joins it, as nothing)
    shaped = [(i, t) for i, t in enumerate(tensors) if t._data.shape != (0,)] or [(0, tensors[0])]
    first = shaped[0][1]._data.shape
    d = normalize_dim(dim, len(first))
    for i, t in shaped[1:]:
        shape = t._data.shape
        if len(shape) != len(first):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(first)} and {len(shape)}"
            )
        for j, (a, b) in enumerate(zip(first, shape)):
            if j != d and a != b:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {a} "
                    f"but got size {b} for tensor number {i} in the list."
                )
    return Cat.apply(*tensors, dim=d)


class Stack(Op):
    """out = the inputs stacked along a new dim  backward: each input gets its slice back"""

    @staticmethod
    def forward(ctx: Any, *xs: Any, dim: int) -> Any:
        ctx.pieces = [(slice(None),) * dim + (i,) for i in range(len(xs))]
        return np.stack(xs, axis=dim, dtype=_common_dtype(xs))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, ...]:
        return tuple(grad[piece] for piece in ctx.pieces)


def stack(tensors: Any, dim: int = 0) -> Tensor:
    tensors = _check_tensors(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], start=1):
        if t._data.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 "
                f"and {list(t._data.shape)} at entry {i}"
            )
    return Stack.apply(*tensors, dim=normalize_dim(dim, len(first) + 1))


# -- copies -----------------------------------------------------------------------------------


class Clone(Op):
    """out = a copy of x                         ∂out/∂x = 1"""

    @staticmethod
    def forward(ctx: Any, x: Any, order: str = "K") -> Any:
        # "K" keeps the layout (a clone of x.t() is laid out like x.t(), as in PyTorch);
        # contiguous() asks for "C", row by row
        return x.copy(order) if type(x) is np.ndarray else x

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad


class ToCopy(Op):
    """out = x converted to another dtype         backward: convert the gradient back"""

    @staticmethod
    def forward(ctx: Any, x: Any, dtype: np.dtype) -> Any:
        ctx.dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if isinstance(grad, Tensor):
            return ToCopy.apply(grad, dtype=ctx.dtype)
        return grad.astype(ctx.dtype)


class Fill(Op, name="FillBackward2"):
    """out = x with every element set to a value    ∂out/∂x = 0"""

    @staticmethod
    def forward(ctx: Any, x: Any, value: Any) -> Any:
        return np.full_like(x, value)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad * 0


class Zero(Fill, name="ZeroBackward0"):
    pass


class Copy(Op, name="CopyBackwards"):
    """out = src's values in x's place             x gets no gradient, src all of it"""

    @staticmethod
    def forward(ctx: Any, x: Any, src: Any) -> Any:
        check_broadcast_shapes(x.shape, np.shape(src))
        return np.broadcast_to(src, x.shape).astype(x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        return grad * 0, grad
