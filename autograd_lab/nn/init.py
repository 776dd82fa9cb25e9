"""``torch.nn.init``: fill a weight tensor in place with well-scaled starting values.

Why the scale matters: with n inputs, a sum of n products has a variance n times that of one
product. Drawing weights with variance about 1/n (``fan_in``) keeps each layer's outputs about
as large as its inputs, so deep networks neither blow up nor fade out at the start of training.
Each scheme below picks a standard deviation from the tensor's fan-in/fan-out and a ``gain``
for the activation that follows.

The bounds are computed with exactly PyTorch's float64 arithmetic and filled by ``uniform_`` /
``normal_``, which draw PyTorch's own random stream: after ``manual_seed(s)`` the weights are
bit for bit those of PyTorch.
"""

from __future__ import annotations

import math
import warnings

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor by which an activation shrinks the spread of its inputs, compensated for.

    ReLU zeroes half of its inputs, halving the variance, so its gain is √2; leaky ReLU with
    slope a keeps a bit of the negative half: √(2 / (1 + a²)).
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, float) or (isinstance(param, int) and not isinstance(param, bool)):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out): how many inputs feed each output, and outputs each input feeds.

    A weight is (out, in, *kernel): every output sees ``in × kernel`` inputs.
    """
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _fans(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: None = None) -> Tensor:
    """Fill with values drawn uniformly from [a, b)."""
    _no_generator(generator)
    with no_grad():
        return tensor.uniform_(a, b)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: None = None) -> Tensor:
    """Fill with values drawn from N(mean, std²)."""
    _no_generator(generator)
    with no_grad():
        return tensor.normal_(mean, std)


def constant_(tensor: Tensor, val: float) -> Tensor:
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    with no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    """The identity matrix (a layer that starts by passing its input through)."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        tensor.zero_()
        for i in range(min(tensor.shape)):
            tensor[i, i] = 1.0
    return tensor


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: None = None) -> Tensor:
    """Glorot's scheme: std = gain·√(2 / (fan_in + fan_out)), balancing forward and backward."""
    fan_in, fan_out = _fans(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std  # U(−b, b) has standard deviation b/√3
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: None = None) -> Tensor:
    fan_in, fan_out = _fans(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: None = None,
) -> Tensor:
    """He's scheme: std = gain / √fan, drawn uniformly from [−√3·std, √3·std].

    ``nn.Linear`` uses it with a = √5, which works out to U(−1/√fan_in, 1/√fan_in).
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: None = None,
) -> Tensor:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0, std, generator)


def _no_generator(generator: object) -> None:
    if generator is not None:
        raise NotImplementedError(
            "autograd_lab has one random generator: seed it with manual_seed() instead of "
            "passing generator="
        )


def fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight tensor (PyTorch's ``_calculate_fan_in_and_fan_out``)."""
    return _fans(tensor)


_calculate_fan_in_and_fan_out = fans  # PyTorch's private name, which tutorials call
