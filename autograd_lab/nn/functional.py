"""``torch.nn.functional``: layers and losses as plain functions of tensors.

The modules in ``nn`` (``nn.Linear``, ``nn.MSELoss``, ...) hold their settings and parameters and
call these functions. Each function checks its arguments the way PyTorch does (same exception
types and messages), then runs one op from ``autograd_lab/ops`` so the graph shows PyTorch's node
names: ``AddmmBackward0`` for a linear layer, ``MseLossBackward0``, ``NllLossBackward0`` after
``LogSoftmaxBackward0`` for cross-entropy, and so on.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _random
from ..ops import activation as _act
from ..ops import linalg as _linalg
from ..ops import loss as _loss
from ..ops import unary as _unary
from ..ops.arithmetic import Mul, check_broadcast, promote_tensors
from ..tensor import Tensor, _scalar_type_name
from .module import typename

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "elu",
    "gelu",
    "hardtanh",
    "huber_loss",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "normalize",
    "one_hot",
    "relu",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]


# -- layers -----------------------------------------------------------------------------------


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: the affine map of ``nn.Linear``.

    With a bias it is one fused op, ``AddmmBackward0`` (bias, input, weightᵀ), as in PyTorch;
    inputs with more than two dims are flattened to a matrix around it (``ViewBackward0``).
    """
    if bias is not None and isinstance(input, Tensor) and isinstance(weight, Tensor):
        x, w, b = input._data, weight._data, bias._data
        # the usual case, checked in a few comparisons: a batch of rows, matching sizes
        if (
            x.ndim == 2
            and w.ndim == 2
            and x.shape[1] == w.shape[1]
            and b.shape == w.shape[:1]
            and x.dtype == w.dtype == b.dtype
        ):
            return _loss.Addmm.apply(bias, input, _loss.WeightT.apply(weight))  # TBackward0
    return _linear_other(input, weight, bias)


def _linear_other(input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """Every other case of ``linear``, with PyTorch's errors."""
    _require_tensor("linear", input, "input", 1)
    _require_tensor("linear", weight, "weight", 2)
    if input._data.ndim == 0 or weight._data.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{input._data.ndim}D and {weight._data.ndim}D"
        )
    if bias is None or weight._data.ndim != 2:  # a plain product (PyTorch's graph for it too)
        out = _linalg.matmul(input, weight.t())  # t(): PyTorch's error beyond 2-D weights
        return out if bias is None else out + bias
    # rows of features (one row for a 1-d input), one matrix product, then the shape back
    rows = input if input._data.ndim == 2 else input.view(-1, input._data.shape[-1])
    weight_t = _loss.WeightT.apply(weight)
    _check_addmm(bias, rows, weight_t)
    out = _loss.Addmm.apply(bias, rows, weight_t)
    if input._data.ndim == 2:
        return out
    return out.view(*input._data.shape[:-1], weight_t._data.shape[-1])


def _check_addmm(bias: Tensor, mat1: Tensor, mat2: Tensor) -> None:
    """PyTorch's checks for ``addmm``, in its order and words."""
    a, b, c = bias._data, mat1._data, mat2._data
    if a.dtype != c.dtype:
        raise RuntimeError(
            "self and mat2 must have the same dtype, but got "
            f"{_scalar_type_name(a.dtype)} and {_scalar_type_name(c.dtype)}"
        )
    if b.dtype != c.dtype:
        raise RuntimeError(
            "mat1 and mat2 must have the same dtype, but got "
            f"{_scalar_type_name(b.dtype)} and {_scalar_type_name(c.dtype)}"
        )
    if b.shape[1] != c.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({b.shape[0]}x{b.shape[1]} and "
            f"{c.shape[0]}x{c.shape[1]})"
        )
    target = [b.shape[0], c.shape[1]]  # the bias is expanded to the product's shape
    if a.ndim > 2:
        raise RuntimeError(
            f"expand(torch.{_legacy_name(a.dtype)}{{{list(a.shape)}}}, size={target}): the "
            "number of sizes provided (2) must be greater or equal to the number of dimensions "
            f"in the tensor ({a.ndim})"
        )
    for i in range(1, a.ndim + 1):  # from the right, as broadcasting lines shapes up
        size, wanted = a.shape[-i], target[-i]
        if size not in (1, wanted):
            raise RuntimeError(
                f"The expanded size of the tensor ({wanted}) must match the existing size "
                f"({size}) at non-singleton dimension {2 - i}.  Target sizes: {target}.  "
                f"Tensor sizes: {list(a.shape)}"
            )


def _legacy_name(dtype: np.dtype) -> str:
    return _scalar_type_name(dtype) + "Tensor"  # FloatTensor, DoubleTensor, ...


# -- activations ------------------------------------------------------------------------------


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0) elementwise (``ReluBackward0``); ``inplace=True`` overwrites ``input``."""
    _require_tensor("relu", input, "input", 1)
    if inplace:
        return input._inplace(_unary.Relu)
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ) elementwise (``SigmoidBackward0``), without overflow at x = −1000."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, ``negative_slope``·x below (``LeakyReluBackward0``): negative inputs keep a
    small gradient, so a unit cannot die as with relu."""
    _require_tensor("leaky_relu", input, "input", 1)
    if inplace:
        return input._inplace(_act.LeakyReluInplace, negative_slope=negative_slope)
    return _act.LeakyRelu.apply(input, negative_slope=negative_slope)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x), x weighted by the probability that a standard normal is below it
    (``GeluBackward0``); ``approximate='tanh'`` uses the tanh formula of the GELU paper."""
    _require_tensor("gelu", input, "input", 1)
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _act.Gelu.apply(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x), also called swish (``SiluBackward0``)."""
    _require_tensor("silu", input, "input", 1)
    if inplace:
        return input._inplace(_act.Silu)
    return _act.Silu.apply(input)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, α(eˣ − 1) below (``EluBackward0``): smooth, and negative down to −α."""
    _require_tensor("elu", input, "input", 1)
    if inplace:
        return input._inplace(_act.EluInplace, alpha=alpha)
    return _act.Elu.apply(input, alpha=alpha)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """ln(1 + e^(βx))/β, a smooth relu (``SoftplusBackward0``); x itself where βx > threshold,
    where the two agree to float precision and e^(βx) might overflow."""
    _require_tensor("softplus", input, "input", 1)
    return _act.Softplus.apply(input, beta=beta, threshold=threshold)


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """x clipped to [min_val, max_val] (``HardtanhBackward0``); unlike ``clamp`` the gradient
    is 0 at the bounds themselves."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    _require_tensor("hardtanh", input, "input", 1)
    if inplace:
        return input._inplace(_act.Hardtanh, min_val=min_val, max_val=max_val)
    return _act.Hardtanh.apply(input, min_val=min_val, max_val=max_val)


def softmax(
    input: Tensor,
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
) -> Tensor:
    """eˣⁱ / Σⱼ eˣʲ along ``dim`` (``SoftmaxBackward0``); computed after subtracting the max."""
    dim = _softmax_dim("softmax", input, dim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.softmax(dim)


def log_softmax(
    input: Tensor,
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
) -> Tensor:
    """xᵢ − log Σⱼ eˣʲ along ``dim`` (``LogSoftmaxBackward0``): never takes the log of 0."""
    dim = _softmax_dim("log_softmax", input, dim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.log_softmax(dim)


def _softmax_dim(name: str, input: Tensor, dim: int | None, stacklevel: int) -> int:
    """PyTorch's old guess when no ``dim`` is given, with its deprecation warning."""
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if input._data.ndim in (0, 1, 3) else 1


# -- losses -----------------------------------------------------------------------------------


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """The ``reduction`` string, from the legacy ``size_average``/``reduce`` flags if given."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            UserWarning,
            stacklevel=2,  # as PyTorch: it points into the library
        )
        return "mean"
    if reduction not in _loss.REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def legacy_reduction(size_average: bool | None, reduce: bool | None, warn: bool = True) -> str:
    """Translate PyTorch's old pair of flags into a ``reduction`` (with its warning)."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    result = "mean" if size_average and reduce else "sum" if reduce else "none"
    if warn:
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{result}' instead.",
            UserWarning,
            stacklevel=2,  # as PyTorch: it points into the library, at the caller of this
        )
    return result


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error (x − y)², reduced (``MseLossBackward0``).

    A target of another shape is broadcast against the input, with PyTorch's warning: that is
    almost always a bug (a (N,) target against (N, 1) predictions makes an (N, N) loss).
    """
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    input, target = _broadcast(input, target)
    if weight is not None:  # PyTorch composes the weighted loss from elementary ops
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        weighted = (input - target) ** 2 * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.sum() / weight.sum()
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    reduction = _reduction(None, None, reduction)
    if input._data.dtype.kind != "f":
        name = _scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{name}'")
    return _loss.MseLoss.apply(input, target, reduction=reduction)


def _warn_target_size(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,  # the caller of the loss function
        )


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """A loss composed of elementary ops, reduced by one more (``MeanBackward0``, ...)."""
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def _weighted(loss: Tensor, weight: Tensor, reduction: str, mean: Any) -> Tensor:
    """A per-element loss times ``weight``, reduced (``mean(weighted)`` for 'mean')."""
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return mean(weighted)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error |x − y|, reduced. PyTorch builds it from the elementary ops, and so
    does this: ``SubBackward0``, ``AbsBackward0``, then ``MeanBackward0`` (or ``SumBackward0``)."""
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    input, target = _broadcast(input, target)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        return _weighted(
            (input - target).abs(), weight, reduction, lambda w: w.sum() / weight.sum()
        )
    return _reduce((input - target).abs(), _reduction(None, None, reduction))


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """½(x − y)²/β for |x − y| < β, |x − y| − ½β beyond (``SmoothL1LossBackward0``): squared
    error near the target, absolute error far from it (so outliers pull less)."""
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    input, target = _broadcast(input, target)
    reduction = _reduction(None, None, reduction)
    if beta == 0.0:
        return _reduce((input - target).abs(), reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _float_loss("smooth_l1_cpu", input)
    return _loss.SmoothL1Loss.apply(input, target, reduction=reduction, beta=beta)


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """½(x − y)² for |x − y| < δ, δ(|x − y| − ½δ) beyond (``HuberLossBackward0``): smooth_l1
    scaled by δ, so its slope far from the target is ±δ."""
    _warn_target_size(input, target)
    input, target = _broadcast(input, target)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        loss = huber_loss(input, target, "none", delta)
        return _weighted(loss, weight, reduction, lambda w: w.mean())
    reduction = _reduction(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _float_loss("huber_cpu", input)
    return _loss.HuberLoss.apply(input, target, reduction=reduction, delta=delta)


def _float_loss(kernel: str, input: Tensor) -> None:
    if input._data.dtype.kind != "f":
        name = _scalar_type_name(input._data.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")


def _broadcast(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """Both tensors in their common dtype (float32 for a float32 input and an int64 target, as
    PyTorch computes), expanded to their common shape (ExpandBackward0 only where needed)."""
    if a._data.dtype != b._data.dtype:
        a, b = promote_tensors(a, b)
    if a._data.shape == b._data.shape:
        return a, b
    try:
        shape = np.broadcast_shapes(a._data.shape, b._data.shape)
    except ValueError:
        check_broadcast(a._data, b._data)  # raises PyTorch's message
        raise
    return (
        a if a._data.shape == shape else a.expand(*shape),
        b if b._data.shape == shape else b.expand(*shape),
    )


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """−[y ln p + (1 − y) ln(1 − p)] for probabilities p (``BinaryCrossEntropyBackward0``).

    The logarithms are clamped at −100, so p = 0 or 1 gives 100 rather than infinity. Prefer
    ``binary_cross_entropy_with_logits`` on the logits: it loses no precision to σ rounding to
    exactly 0 or 1.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    _same_dtype(input, target, weight)
    w = None
    if weight is not None:
        w = np.broadcast_to(weight._data, np.broadcast_shapes(target.shape, weight.shape))
        if np.broadcast_shapes(w.shape, input.shape) != input.shape:
            raise RuntimeError(
                f"output with shape {list(input.shape)} doesn't match the broadcast shape "
                f"{list(np.broadcast_shapes(w.shape, input.shape))}"
            )
    return _loss.BinaryCrossEntropy.apply(input, target, weight=w, reduction=reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross-entropy of σ(x) computed from the logits x directly
    (``BinaryCrossEntropyWithLogitsBackward0``): finite loss and gradient even at x = ±1000.

    ``pos_weight`` scales the loss of the positive targets (one weight per class).
    """
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    if target._data.dtype.kind != "f" and input._data.dtype.kind == "f":
        raise RuntimeError(
            f"result type {_scalar_type_name(input._data.dtype)} can't be cast to the desired "
            f"output type {_scalar_type_name(target._data.dtype)}"
        )
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    for extra in (w, pw):
        if extra is not None:
            check_broadcast(input._data, extra)  # PyTorch's message if they cannot broadcast
    return _loss.BinaryCrossEntropyWithLogits.apply(
        input, target, weight=w, pos_weight=pw, reduction=reduction
    )


def _same_dtype(input: Tensor, *others: Tensor | None) -> None:
    expected = input._data.dtype
    for other in others:
        if other is not None and other._data.dtype != expected:
            raise RuntimeError(
                f"Found dtype {_scalar_type_name(other._data.dtype)} but expected "
                f"{_scalar_type_name(expected)}"
            )


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """−x[target] averaged over the batch, for log-probabilities x (``NllLossBackward0``).

    ``input`` is (C,) for one sample or (N, C) or (N, C, d₁, ...); ``target`` holds class
    indices (int64). Samples whose target is ``ignore_index`` count for nothing.
    """
    reduction = _reduction(size_average, reduce, reduction)
    x, t = input._data, target._data
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim != 1 and t.ndim and x.shape[0] != t.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({x.shape[0]}) to match target batch_size ({t.shape[0]})."
        )
    if t.dtype not in (np.int64, np.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_scalar_type_name(t.dtype)}"
        )
    classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    w = None
    if weight is not None:
        if weight._data.ndim != 1 or weight._data.shape[0] != classes:
            raise RuntimeError(
                f"weight tensor should be defined either for all {classes} classes or no "
                f"classes but got weight tensor of shape: {list(weight.shape)}"
            )
        w = weight._data
    params = {"weight": w, "reduction": reduction, "ignore_index": ignore_index}
    if x.ndim <= 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if (x.ndim == 1) != (t.ndim == 0):
            raise RuntimeError(
                f"size mismatch (got input: {list(x.shape)}, target: {list(t.shape)})"
            )
        return _loss.NllLoss.apply(input, target=t, **params)
    # per-position targets (N, d₁, ...): PyTorch's image version on (N, C, H, W)
    if t.shape[1:] != x.shape[2:]:
        expected = [x.shape[0], *x.shape[2:]]
        raise RuntimeError(f"Expected target size {expected}, got {list(t.shape)}")
    if x.ndim == 4:
        return _loss.NllLoss2d.apply(input, target=t, **params)
    n = x.shape[0]
    flat = input.view(n, classes, 1, -1) if x.size else input.view(n, classes, 0, 0)
    flat_target = t.reshape((n, 1, -1) if t.size else (n, 0, 0))
    out = _loss.NllLoss2d.apply(flat, target=flat_target, **params)
    return out.view(n, *x.shape[2:]) if reduction == "none" else out


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy of logits against class indices: ``nll_loss(log_softmax(x, 1), target)``.

    The graph is PyTorch's: ``NllLossBackward0`` after ``LogSoftmaxBackward0``. A float target
    of the input's shape holds class probabilities instead of indices.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if label_smoothing != 0.0:
        raise NotImplementedError("cross_entropy: label_smoothing is not part of autograd_lab")
    class_dim = 0 if input._data.ndim == 1 else 1
    if input._data.shape == target._data.shape:
        return _cross_entropy_probabilities(input, target, weight, reduction, class_dim)
    return nll_loss(
        log_softmax(input, class_dim),
        target,
        weight,
        ignore_index=ignore_index,
        reduction=reduction,
    )


def _cross_entropy_probabilities(
    input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, class_dim: int
) -> Tensor:
    """−Σ_c target_c · log softmax(x)_c, from the elementary ops (PyTorch's graph too)."""
    if target._data.dtype.kind != "f":
        raise RuntimeError(
            "Expected floating point type for target with class probabilities, got "
            f"{_scalar_type_name(target._data.dtype)}"
        )
    log_p = log_softmax(input, class_dim)
    terms = log_p * target
    if weight is not None:
        shape = [1] * input._data.ndim
        shape[class_dim] = -1
        terms = terms * weight.view(*shape)
    if reduction == "none":
        return -terms.sum(class_dim)
    if reduction == "sum":
        return -terms.sum()
    samples = input._data.size // input._data.shape[class_dim] if input._data.size else 0
    return _loss.DivScalar.apply(-terms.sum(), divisor=samples)


# -- other tools ------------------------------------------------------------------------------


def normalize(
    input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None
) -> Tensor:
    """x / max(‖x‖ₚ, eps) along ``dim``: unit vectors (1 is the feature dim of a batch).

    PyTorch's graph: ``LinalgVectorNormBackward0``, ``ClampMinBackward0``, ``ExpandBackward0``,
    ``DivBackward0``. The ``eps`` floor keeps a zero vector zero instead of 0/0.
    """
    if out is not None:
        raise NotImplementedError("normalize(out=...) is not part of autograd_lab")
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices to rows of 0s with one 1 (int64): ``one_hot(tensor([2]), 4)`` is
    ``[[0, 0, 1, 0]]``. ``num_classes=-1`` takes the largest index + 1."""
    _require_tensor("one_hot", tensor, "input", 1)
    t = tensor._data
    if t.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if t.size == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    else:
        if t.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if num_classes == -1:
            num_classes = int(t.max()) + 1
        elif t.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((np.arange(num_classes) == t[..., None]).astype(np.int64))


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1 − p), so the
    expected value is unchanged; in evaluation (``training=False``) the input itself.

    As in PyTorch the result is ``input * mask`` (``MulBackward0``): the gradient flows only
    through the kept elements, scaled the same. The mask is drawn as PyTorch draws it (one
    64-bit draw per element, kept when its uniform is below 1 − p), so after the same
    ``manual_seed`` the same elements are dropped.
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    _require_tensor("dropout", input, "input", 1)
    x = input._data
    if p == 0 or not training or x.size == 0:
        return input
    if p == 1:
        noise = np.zeros((), x.dtype)  # PyTorch multiplies by a zero: -x gives -0.
    else:
        shape, back = _fill_order(x)
        keep = _random.bernoulli(shape, 1 - p).transpose(back)
        if x.dtype.kind != "f":
            raise RuntimeError(
                f"result type Float can't be cast to the desired output type "
                f"{_scalar_type_name(x.dtype)}"
            )
        noise = keep.astype(x.dtype) / x.dtype.type(1 - p)
    if inplace:
        return input._inplace(Mul, Tensor._make(noise))
    return Mul.apply(input, Tensor._make(noise))


def _fill_order(x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The shape in which PyTorch fills a tensor like ``x`` element by element, and the
    permutation back to ``x``'s dims: its memory order when ``x`` is dense (a transpose is
    filled column by column), row by row otherwise."""
    if x.flags.c_contiguous or x.ndim < 2:
        return x.shape, tuple(range(x.ndim))
    order = sorted(range(x.ndim), key=lambda d: -abs(x.strides[d]))
    step = x.itemsize
    for d in reversed(order):
        if x.shape[d] != 1 and x.strides[d] != step:
            return x.shape, tuple(range(x.ndim))  # not dense: a fresh tensor, row by row
        step *= x.shape[d]
    return tuple(x.shape[d] for d in order), tuple(np.argsort(order))


def _require_tensor(function: str, value: Any, name: str, position: int) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument '{name}' (position {position}) must be Tensor, not "
            f"{typename(value)}"
        )
    return value
