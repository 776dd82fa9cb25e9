"""``SGD``: stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

For each parameter p with gradient g (PyTorch's rule, step for step):

    g ← g + weight_decay · p                          (L2 penalty, if weight_decay ≠ 0)
    b ← g at the first step, then momentum · b + (1 − dampening) · g    (if momentum ≠ 0)
    g ← g + momentum · b  (Nesterov)   or   g ← b     (plain momentum)
    p ← p − lr · g

The momentum buffer starts as the first gradient itself (not zero), so dampening only applies
from the second step on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, mark_modified, required


class SGD(Optimizer):
    """Gradient descent on ``params`` (an iterable of tensors or of parameter-group dicts)."""

    _later_settings: ClassVar[dict[str, Any]] = {
        "nesterov": False,
        "maximize": False,
        "foreach": None,
        "differentiable": False,
        "fused": False,
    }

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        if differentiable or fused:
            raise NotImplementedError(
                "autograd_lab's SGD has one implementation: differentiable and fused are not "
                "available"
            )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,  # accepted for PyTorch's sake: one loop serves every setting
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (others are left alone)."""
        return self._step_each(closure)

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        grad = p._grad._data
        if group["maximize"]:
            grad = -grad
        weight_decay, momentum = group["weight_decay"], group["momentum"]
        if weight_decay != 0:
            grad = grad + weight_decay * p._data
        if momentum != 0:
            grad = self._momentum(p, grad, momentum, group["dampening"], group["nesterov"])
        _add_scaled(p._data, grad, -group["lr"])
        mark_modified(p)

    def _momentum(
        self, p: Any, grad: np.ndarray, momentum: float, dampening: float, nesterov: bool
    ) -> np.ndarray:
        """Update p's velocity and return the direction of this step."""
        state = self.state[p]
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = Tensor._make(np.array(grad))  # the first velocity
        else:
            velocity = buf._data
            velocity *= momentum
            _add_scaled(velocity, grad, 1 - dampening)
        if nesterov:
            return grad + momentum * buf._data
        return buf._data


def _add_scaled(target: np.ndarray, values: np.ndarray, alpha: float) -> None:
    """target += alpha · values, in place (PyTorch's ``add_(values, alpha=alpha)``)."""
    if alpha == 1:
        target += values
    else:
        target += alpha * values
