"""``gradcheck``: compare backward with finite differences, as ``torch.autograd.gradcheck``.

For every input element x_j the numerical derivative of every output element f_i is the central
difference (f_i(x + ε e_j) − f_i(x − ε e_j)) / 2ε; the analytical one comes from backward with a
one-hot gradient. Both Jacobians must agree within atol + rtol·|numerical|.

The differences are computed in the inputs' own dtype, exactly as PyTorch does, which is why a
float32 input usually fails (ε = 1e-6 is close to float32's resolution): the check warns about it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor
from .engine import grad as autograd_grad
from .grad_mode import no_grad


class GradcheckError(RuntimeError):
    """The analytical and numerical Jacobians differ."""


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, tuple | list) else (x,)


def _outputs(func: Callable[..., Any], inputs: tuple[Any, ...]) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical(
    func: Callable[..., Any], inputs: tuple[Any, ...], x: Tensor, out_index: int, eps: float
) -> np.ndarray:
    """Jacobian d out / d x by central differences, shape (x.numel(), out.numel())."""
    # Each element is perturbed where it lives, by its index: x._data.reshape(-1) would be a
    # copy for a non-contiguous x (x.t(), a slice), and perturbing a copy leaves x unchanged.
    data = x._data
    columns = []
    with no_grad():
        for index in np.ndindex(data.shape):  # row-major order, as backward's flattened rows
            orig = data[index].copy()
            data[index] = orig + eps
            plus = _outputs(func, inputs)[out_index]._data.copy()
            data[index] = orig - eps
            minus = _outputs(func, inputs)[out_index]._data.copy()
            data[index] = orig
            columns.append(((plus - minus) / (2 * eps)).reshape(-1))
    return np.stack(columns) if columns else np.zeros((0, 0))


def _analytical(output: Tensor, x: Tensor) -> np.ndarray:
    """Jacobian d out / d x from backward, one output element at a time."""
    rows = []
    for i in range(output._data.size):
        one_hot = np.zeros(output._data.size, dtype=output._data.dtype)
        one_hot[i] = 1
        seed = Tensor._make(one_hot.reshape(output._data.shape))
        (g,) = autograd_grad(output, x, grad_outputs=seed, retain_graph=True, allow_unused=True)
        rows.append(np.zeros(x._data.size) if g is None else g._data.reshape(-1))
    return np.stack(rows, axis=1).astype(output._data.dtype)


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **ignored: Any,
) -> bool:
    """True if backward matches finite differences for every (output, input) pair."""
    from .._printing import tensor_repr

    inputs = _as_tuple(inputs)
    differentiable = [
        (i, t) for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad
    ]
    if not differentiable:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of "
            "them have requires_grad=True."
        )
    for i, t in differentiable:
        if t._data.dtype != np.float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=1,  # PyTorch's points into its own gradcheck, not at the caller
            )
    outputs = _outputs(func, inputs)
    for out_index, output in enumerate(outputs):
        if not output.requires_grad:
            continue
        for in_index, x in differentiable:
            numerical = _numerical(func, inputs, x, out_index, eps).astype(output._data.dtype)
            analytical = _analytical(output, x)
            if not np.allclose(analytical, numerical, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {out_index} with respect to input {in_index},\n"
                    f"numerical:{tensor_repr(numerical)}\nanalytical:{tensor_repr(analytical)}\n"
                )
    return True
