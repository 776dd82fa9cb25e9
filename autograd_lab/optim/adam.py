"""``Adam`` and ``AdamW``: gradient descent with per-parameter step sizes from running gradient
statistics.

For each parameter p with gradient g, at step t (PyTorch's rule, step for step):

    g ← g + weight_decay · p               (or p ← p · (1 − lr · weight_decay), decoupled)
    m ← m + (1 − β₁)(g − m)                running mean of the gradient
    v ← β₂ v + (1 − β₂) g²                 running mean of its square
    m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)    bias correction: m and v start at 0
    p ← p − lr · m̂ / (√v̂ + eps)            (amsgrad: the largest v so far instead of v)

Dividing by √v̂ gives every parameter a step of about ``lr``, whatever the scale of its
gradient. (The code folds the corrections into ``step_size`` and the denominator, as PyTorch
does, so the numbers agree.) ``AdamW`` is Adam with the decoupled weight decay: it shrinks p
itself rather than adding to g, so the decay is not divided by √v̂ along with the gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, mark_modified


class Adam(Optimizer):
    """Adam on ``params``; ``decoupled_weight_decay=True`` makes it AdamW."""

    _later_settings: ClassVar[dict[str, Any]] = {
        "amsgrad": False,
        "maximize": False,
        "foreach": None,
        "capturable": False,
        "differentiable": False,
        "decoupled_weight_decay": False,
        "fused": None,
    }

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if capturable or differentiable or fused:
            raise NotImplementedError(
                "autograd_lab's Adam has one implementation: capturable, differentiable and "
                "fused are not available"
            )
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,  # accepted for PyTorch's sake: one loop serves every setting
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        for state in self.state.values():  # older versions saved the step as a plain number
            if "step" in state and not isinstance(state["step"], Tensor):
                state["step"] = Tensor._make(np.array(float(state["step"]), np.float32))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient (others are left alone)."""
        return self._step_each(closure)

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        state = self.state[p]
        if not state:  # the first step: averages start at zero
            state["step"] = Tensor._make(np.array(0.0, np.float32))
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        param, grad = p._data, p._grad._data
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        state["step"]._data += 1  # a float32 count, as PyTorch keeps it
        step = state["step"]._data.item()

        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * param

        _lerp(exp_avg, grad, 1 - beta1)
        exp_avg_sq *= beta2
        squared = (1 - beta2) * grad  # value · g · g, in PyTorch's order
        squared *= grad
        exp_avg_sq += squared

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = lr / bias_correction1
        if group["amsgrad"]:
            highest = state["max_exp_avg_sq"]._data
            np.maximum(highest, exp_avg_sq, out=highest)
            denom = np.sqrt(highest)
        else:
            denom = np.sqrt(exp_avg_sq)
        denom /= bias_correction2**0.5
        denom += eps
        update = exp_avg / denom
        update *= -step_size
        param += update
        mark_modified(p)


class AdamW(Adam):
    """Adam with decoupled weight decay (p ← p·(1 − lr·weight_decay) before each step), on by
    default (``weight_decay=0.01``): PyTorch's ``AdamW`` is exactly this subclass."""

    _later_settings: ClassVar[dict[str, Any]] = {
        **Adam._later_settings,
        "decoupled_weight_decay": True,
    }

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """As Adam's; the weight decay stays decoupled whatever the saved groups say."""
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start ← start + weight · (end − start), in place, with PyTorch's two formulas: from the
    nearer end, so that weight = 1 gives exactly ``end``."""
    diff = end - start
    if weight < 0.5:
        diff *= weight
        start += diff
    else:
        diff *= 1 - weight
        np.subtract(end, diff, out=start)
