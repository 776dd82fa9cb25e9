"""Ops of the training toolkit: the losses, and ``Linear``'s fused matrix product.

A loss could be written with the elementary ops (``((x - y) ** 2).mean()``), but PyTorch gives
each loss one node of its own (``MseLossBackward0``), and two of them need care that the
elementary ops cannot give: binary cross-entropy clamps its logarithms at -100 so that a
prediction of exactly 0 or 1 costs 100 instead of infinity, and the logits version never
forms e^x, so logits of ±1000 give finite losses and gradients.

Every loss takes ``reduction``: ``'none'`` keeps one loss per element, ``'sum'`` adds them up,
``'mean'`` averages. Its backward first computes the gradient of each element's loss, then
divides by the count for ``'mean'``, in the order PyTorch does (so the numbers agree to the bit
where the arithmetic allows).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Op
from ..tensor import Tensor
from .unary import sigmoid, where

LOG_FLOOR = -100.0  # PyTorch's clamp for log(0) in binary cross-entropy
BCE_EPSILON = 1e-12  # PyTorch's floor for x(1 - x) in binary cross-entropy's derivative


# -- Linear -----------------------------------------------------------------------------------


class Addmm(Op):
    """out = bias + mat1 @ mat2     ∂L/∂bias = Σ_rows grad,  ∂L/∂mat1 = grad @ mat2ᵀ,
    ∂L/∂mat2 = mat1ᵀ @ grad

    ``nn.Linear`` calls it with ``mat2 = weight.t()`` (``WeightT`` below), as PyTorch does, so
    the weight's gradient flows through a ``TBackward0`` node like PyTorch's.
    """

    @staticmethod
    def forward(ctx: Any, bias: Any, mat1: Any, mat2: Any) -> Any:
        # each factor is needed only for the other one's gradient (PyTorch saves the same way)
        ctx.save_for_backward(
            mat1 if ctx.needs_input_grad[2] else None, mat2 if ctx.needs_input_grad[1] else None
        )
        ctx.row_bias = np.ndim(bias) == 1  # one bias per output column, added to every row
        out = mat1 @ mat2
        out += bias  # in place: the product is a fresh array, adding into it saves a copy
        return out

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any, Any]:
        mat1, mat2 = ctx.saved_tensors
        need_bias, need_mat1, need_mat2 = ctx.needs_input_grad
        grad_bias = grad_mat2 = None
        if need_bias:
            # the bias was added to every row: its gradient is the column sum (any other
            # broadcast bias gets the full gradient, which the engine sums back to its shape)
            grad_bias = _column_sums(grad) if ctx.row_bias else grad
        if need_mat2:
            # (gradᵀ @ mat1)ᵀ equals mat1ᵀ @ grad, but is made in the layout of mat2ᵀ (the
            # weight's): transposed back by TBackward0 it is a plain array the weight can keep
            # as its .grad (PyTorch arranges its product the same way)
            grad_mat2 = (grad.swapaxes(0, 1) @ mat1).swapaxes(0, 1)
        grad_mat1 = grad @ mat2.swapaxes(0, 1) if need_mat1 else None
        return grad_bias, grad_mat1, grad_mat2


def _column_sums(grad: Any) -> Any:
    """Σ over the rows of a matrix: the bias gradient of ``Linear``.

    As a product with a vector of ones it is one BLAS call, about twice as fast as numpy's
    reduction down the columns of a small batch.
    """
    if type(grad) is not np.ndarray or grad.dtype.kind != "f":
        return grad.sum(0)  # (a tensor, when the graph of the backward is recorded)
    key = (grad.shape[0], grad.dtype)
    ones = _ONES.get(key)
    if ones is None:
        if len(_ONES) >= 32:  # batch sizes that vary without end: keep the cache small
            _ONES.clear()
        ones = _ONES[key] = np.ones(key[0], key[1])
        ones.flags.writeable = False  # shared by every Linear with this batch size
    return ones @ grad


_ONES: dict[tuple[int, np.dtype], np.ndarray] = {}


class WeightT(Op, name="TBackward0"):
    """out = Wᵀ, a view (``nn.Linear``'s weight, transposed for ``Addmm``)
    backward: transpose the gradient back

    The same node as ``weight.t()`` (``TBackward0``), specialised for its one consumer: Addmm
    computes the weight's gradient as the transpose of a fresh array in the weight's own layout,
    so the transpose back is that array itself, which the leaf can keep as ``.grad`` without a
    copy (a general transpose must hand the leaf a view, and the leaf copies every view).
    """

    _view = True

    @staticmethod
    def forward(ctx: Any, w: Any) -> Any:
        return w.T

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        base = grad.base if isinstance(grad, np.ndarray) else None
        if base is not None and base.shape == grad.shape[::-1] and base.T.strides == grad.strides:
            return base  # grad is exactly base.T: the fresh array Addmm made, in W's layout
        return grad.T


class DivScalar(Op, name="DivBackward1"):
    """out = x / n for a plain number n      ∂out/∂x = 1/n

    PyTorch's node for dividing by a number inside its own functions (a mean over samples);
    ``x / n`` written in Python records ``DivBackward0`` instead.
    """

    @staticmethod
    def forward(ctx: Any, x: Any, divisor: float) -> Any:
        ctx.divisor = divisor
        return x / divisor  # 0/0 is nan, as PyTorch gives for an empty batch

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad / ctx.divisor


# -- reductions shared by the losses ----------------------------------------------------------

REDUCTIONS = ("none", "mean", "sum")


def apply_reduction(loss: Any, reduction: str) -> Any:
    """Combine the per-element losses as ``reduction`` says (the mean of nothing is nan)."""
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    return total / loss.size  # the mean of nothing is 0/0 = nan, as in PyTorch


def _mean_of(grad: Any, ctx: Any) -> Any:
    """The last step of a loss's backward: for ``'mean'`` every element counted 1/n."""
    return grad / ctx.count if ctx.reduction == "mean" else grad


# -- regression -------------------------------------------------------------------------------


class MseLoss(Op):
    """loss = (x − y)²  (then reduced)     ∂loss/∂x = 2(x − y),  ∂loss/∂y = −2(x − y)"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, reduction: str) -> Any:
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.count = reduction, np.size(x)
        diff = x - y
        return apply_reduction(diff * diff, reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        # PyTorch folds the mean into the factor: 2/n, then (x − y), then the upstream gradient
        # (an empty batch has an empty gradient: any factor will do, but not a division by 0)
        norm = 2 / max(ctx.count, 1) if ctx.reduction == "mean" else 2.0
        need_x, need_y = ctx.needs_input_grad
        return (
            norm * (x - y) * grad if need_x else None,
            norm * (y - x) * grad if need_y else None,
        )


class SmoothL1Loss(Op):
    """loss = ½(x − y)²/β where |x − y| < β, else |x − y| − ½β  (then reduced)
    ∂loss/∂x = (x − y)/β inside, ±1 outside (the sign of x − y)"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, reduction: str, beta: float) -> Any:
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.count, ctx.beta = reduction, np.size(x), beta
        z = np.abs(x - y)
        return apply_reduction(np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta), reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        norm = _norm(ctx)
        beta = ctx.beta
        # y's gradient is x's with the two swapped (PyTorch's formula: not −grad_x, whose zeros
        # would print as −0)
        return (
            _smooth_l1_grad(x, y, grad, norm, beta) if need_x else None,
            _smooth_l1_grad(y, x, grad, norm, beta) if need_y else None,
        )


def _smooth_l1_grad(a: Any, b: Any, grad: Any, norm: float, beta: float) -> Any:
    d = a - b
    inside = norm * d * grad / beta
    return where(d <= -beta, -norm * grad, where(d >= beta, norm * grad, inside))


class HuberLoss(Op):
    """loss = ½(x − y)² where |x − y| < δ, else δ(|x − y| − ½δ)  (then reduced)
    ∂loss/∂x = x − y inside, ±δ outside"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, reduction: str, delta: float) -> Any:
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.count, ctx.delta = reduction, np.size(x), delta
        z = np.abs(x - y)
        return apply_reduction(
            np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta)), reduction
        )

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        norm = _norm(ctx)
        delta = ctx.delta
        return (
            _huber_grad(x, y, grad, norm, delta) if need_x else None,
            _huber_grad(y, x, grad, norm, delta) if need_y else None,
        )


def _huber_grad(a: Any, b: Any, grad: Any, norm: float, delta: float) -> Any:
    d = a - b
    return where(
        d <= -delta, -norm * grad * delta, where(d >= delta, norm * grad * delta, norm * d * grad)
    )


def _norm(ctx: Any) -> float:
    """The factor of every element's gradient: 1/n for ``'mean'`` (PyTorch multiplies by it)."""
    return 1.0 / max(ctx.count, 1) if ctx.reduction == "mean" else 1.0  # (max: empty batches)


# -- binary classification --------------------------------------------------------------------


def _in_unit_interval(a: Any) -> bool:
    """Every element in [0, 1] (False for nan: it compares False with everything)."""
    return np.size(a) == 0 or bool(np.min(a) >= 0 and np.max(a) <= 1)


class BinaryCrossEntropy(Op):
    """loss = −w [y ln p + (1 − y) ln(1 − p)]   ∂loss/∂p = w (p − y) / (p(1 − p)),
    ∂loss/∂y = −w ln(p / (1 − p))

    Both logarithms are clamped at −100 and p(1 − p) at 1e−12, so p = 0 or 1 gives finite
    values (PyTorch's choice, kept for the same numbers).
    """

    @staticmethod
    def forward(ctx: Any, p: Any, y: Any, weight: Any, reduction: str) -> Any:
        if not _in_unit_interval(p):
            raise RuntimeError("all elements of input should be between 0 and 1")
        if not _in_unit_interval(y):
            raise RuntimeError("all elements of target should be between 0 and 1")
        ctx.save_for_backward(p, y)
        ctx.weight, ctx.reduction, ctx.count = weight, reduction, np.size(p)
        # ln 0 = −inf is clamped at −100 (the op runs with numpy's warnings off, as all do);
        # log1p(−p) rather than log(1 − p) keeps the precision of a tiny p
        log_p = np.maximum(np.log(p), LOG_FLOOR)
        log_1mp = np.maximum(np.log1p(-p), LOG_FLOOR)
        loss = (y - 1) * log_1mp - y * log_p
        if weight is not None:
            loss = loss * weight
        return apply_reduction(loss, reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        p, y = ctx.saved_tensors
        need_p, need_y = ctx.needs_input_grad
        grad_p = grad_y = None
        if need_p:
            grad_p = grad * (p - y) / np.maximum((1 - p) * p, BCE_EPSILON)
            grad_p = _mean_of(grad_p if ctx.weight is None else grad_p * ctx.weight, ctx)
        if need_y:
            grad_y = -_logit(p) * grad
            grad_y = _mean_of(grad_y if ctx.weight is None else grad_y * ctx.weight, ctx)
        return grad_p, grad_y


def _logit(p: Any) -> Any:
    """ln(p / (1 − p)): inf at p = 1 and −inf at p = 0, as PyTorch gives them."""
    if isinstance(p, Tensor):
        return (p / (1 - p)).log()
    return np.log(p / (1 - p))


def log_sigmoid(x: Any) -> Any:
    """ln σ(x) = min(x, 0) − ln(1 + e^−|x|): e^−|x| ≤ 1, so nothing overflows at x = ±1000."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


class BinaryCrossEntropyWithLogits(Op):
    """loss = (1 − y) x − ln σ(x)  (= BCE of σ(x), computed without forming σ)
    ∂loss/∂x = σ(x) − y,  ∂loss/∂y = −x;  with pos_weight q the ln σ(x) term is scaled by
    1 + (q − 1) y"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, weight: Any, pos_weight: Any, reduction: str) -> Any:
        ctx.save_for_backward(x, y)
        ctx.weight, ctx.pos_weight, ctx.reduction = weight, pos_weight, reduction
        ctx.count = np.size(x)
        log_sig = log_sigmoid(x)
        if pos_weight is not None:
            log_sig = log_sig * ((pos_weight - 1) * y + 1)
        loss = (1 - y) * x - log_sig
        if weight is not None:
            loss = loss * weight
        return apply_reduction(loss, reduction)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        q = ctx.pos_weight
        need_x, need_y = ctx.needs_input_grad
        grad_x = grad_y = None
        if need_x:
            if q is None:
                grad_x = (_sigmoid(x) - y) * grad
            else:
                qy = q * y
                grad_x = ((qy + 1 - y) * _sigmoid(x) - qy) * grad
            grad_x = _mean_of(grad_x if ctx.weight is None else grad_x * ctx.weight, ctx)
        if need_y:
            if q is None:
                grad_y = -x * grad
            else:  # ln σ(−x) − q ln σ(x)
                grad_y = (_log_sigmoid(-x) - q * _log_sigmoid(x)) * grad
            grad_y = _mean_of(grad_y if ctx.weight is None else grad_y * ctx.weight, ctx)
        return grad_x, grad_y


def _sigmoid(x: Any) -> Any:
    return x.sigmoid() if isinstance(x, Tensor) else sigmoid(x)


def _log_sigmoid(x: Any) -> Any:
    if isinstance(x, Tensor):  # recorded (create_graph): from ops that have derivatives
        return x.sigmoid().log()
    return log_sigmoid(x)


# -- classification over classes --------------------------------------------------------------


class NllLoss(Op):
    """loss_i = −w[t_i] · x[i, t_i]   (x: log-probabilities, t: class indices)
    ∂loss/∂x[i, c] = −w[t_i] where c = t_i, else 0

    The class dimension is 1 (or 0 for a single sample). ``'mean'`` divides by the total weight
    of the counted targets; targets equal to ``ignore_index`` count nothing. The targets are a
    setting (an int64 array), not an input: indices have no gradient, and PyTorch's node has
    one edge, to x.
    """

    @staticmethod
    def forward(
        ctx: Any, x: Any, target: Any, weight: Any, reduction: str, ignore_index: int
    ) -> Any:
        target = np.asarray(target)  # a single sample's target arrives as a numpy scalar
        counted = _counted(target, x.shape[0 if x.ndim == 1 else 1], ignore_index)
        if counted is not None:
            target = np.where(counted, target, 0)  # an ignored index may be anything, e.g. -100
        picked = _pick(x, target)
        w = None if weight is None else weight[target]
        if counted is not None:
            w = np.where(counted, 1 if w is None else w, 0).astype(picked.dtype)
        ctx.target, ctx.shape, ctx.w, ctx.reduction = target, x.shape, w, reduction
        ctx.counted = counted
        if reduction == "none":
            return -picked if w is None else -(w * picked)
        total = -(picked.sum() if w is None else (w * picked).sum())
        if reduction == "sum":
            return total
        ctx.total_weight = total_weight = np.size(picked) if w is None else w.sum()
        return total / total_weight  # nothing counted: 0/0 = nan

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        if ctx.reduction == "mean":
            grad = grad / ctx.total_weight
        values = -grad if ctx.w is None else -grad * ctx.w
        if ctx.counted is not None:  # an ignored target gets exactly 0, as in PyTorch: not nan
            # (when every target is ignored, grad/0 is inf) and not −0
            values = where(ctx.counted, values, 0)
        return _scatter_classes(values, ctx.target, ctx.shape)


def _counted(target: np.ndarray, classes: int, ignore_index: int) -> np.ndarray | None:
    """None when every target is a valid class (the usual case, found with two reductions);
    else a mask of the targets that count. An index out of range is an IndexError."""
    if target.size == 0:
        return None
    valid = target.min() >= 0 and target.max() < classes
    if valid and not (0 <= ignore_index < classes and (target == ignore_index).any()):
        return None
    counted = target != ignore_index
    bad = counted & ((target < 0) | (target >= classes))
    if bad.any():
        raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")
    return counted


def _pick(x: np.ndarray, target: np.ndarray) -> np.ndarray:
    """x[i, t_i, ...]: each sample's entry for its target class (class dim 1, or 0 alone)."""
    if x.ndim == 1:
        return x[target]
    if x.ndim == 2:
        return x[np.arange(x.shape[0]), target]
    return np.take_along_axis(x, np.expand_dims(target, 1), 1).squeeze(1)


class NllLoss2d(NllLoss, name="NllLoss2DBackward0"):
    """The same loss on (N, C, H, W) inputs (PyTorch names it after images)."""


def _scatter_classes(values: Any, target: np.ndarray, shape: tuple[int, ...]) -> Any:
    """An array of ``shape`` holding ``values`` at each sample's target class, 0 elsewhere.

    With arrays: zeros, then one write per sample. With tensors (create_graph) it must stay
    differentiable, so it is a ``where`` over the one-hot mask (a product with the mask would
    turn the zeros into −0.0 where the values are negative).
    """
    ndim = len(shape)
    if isinstance(values, Tensor):
        from ..functions import where

        classes = np.arange(shape[0 if ndim == 1 else 1])
        if ndim == 1:
            return where(Tensor._make(classes == target), values, 0.0)
        onehot = classes.reshape((1, -1) + (1,) * (ndim - 2)) == np.expand_dims(target, 1)
        if values.ndim:
            values = values.unsqueeze(1)
        return where(Tensor._make(onehot), values, 0.0)
    out = np.zeros(shape, np.result_type(values))
    if ndim == 1:
        out[target] = values
    elif ndim == 2:
        out[np.arange(shape[0]), target] = values
    else:
        values = np.broadcast_to(values, target.shape)
        np.put_along_axis(out, np.expand_dims(target, 1), np.expand_dims(values, 1), 1)
    return out
