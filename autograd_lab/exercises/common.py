"""Checks and mistakes that several lessons share: "is this the leaf tensor the exercise asks for?"

Each lesson asks the learner to create a leaf such as ``x = torch.tensor(2.2,
requires_grad=True)`` and gets the same four slips: a plain number, the wrong value, an
operation after the leaf (so it is no longer a leaf), no ``requires_grad``. ``leaf_problem``
finds them, ``leaf_mistakes`` gives their catalogue entries; the examples that prove each
diagnosis stay with the exercise, since they depend on what it asks.
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .framework import Diagnosis, Mistake, NotQuite
from .reading import Unreadable, close, describe, grad_of, grad_passes, value_of


def leaf_problem(t: Any, name: str, value: float) -> Diagnosis | None:
    """The first thing wrong with ``t`` as the leaf ``name`` holding ``value``, or None."""
    if not isinstance(t, Tensor):
        if isinstance(t, int | float):
            return Diagnosis(f"{name}_plain_number")
        raise Unreadable(f"`{name}` is {describe(t)}; make it a tensor with `torch.tensor(...)`.")
    if t.numel() != 1:
        raise Unreadable(f"`{name}` is {describe(t)}; it should hold the single number {value:g}.")
    if not close(value_of(t), value, 1e-6):
        return Diagnosis(f"{name}_wrong_value", {"got": f"{float(value_of(t).reshape(())):g}"})
    if not t.is_leaf:
        return Diagnosis(f"{name}_not_leaf", {"fn": type(t.grad_fn).__name__})
    if not t.requires_grad:
        return Diagnosis(f"{name}_no_requires_grad")
    return None


def leaf_mistakes(name: str, value: float, examples: dict[str, str]) -> list[Mistake]:
    """Catalogue entries for ``leaf_problem``; ``examples`` maps each id suffix to code."""
    shown = f"{value:g}".replace("-", "−")
    return [
        Mistake(f"{name}_plain_number", f"`{name}` is a plain Python number. Autograd only "
                f"tracks tensors: create it with `torch.tensor({value:g}, requires_grad=True)`.",
                hint="`torch.tensor(value, requires_grad=True)` makes a tensor autograd tracks.",
                example=examples["plain_number"]),
        Mistake(f"{name}_wrong_value", f"`{name}` holds {{got}}, but this exercise asks for "
                f"{name} = {shown}.",
                hint=f"Create {name} with the value {shown}.",
                example=examples["wrong_value"]),
        Mistake(f"{name}_not_leaf", f"`{name}` is not a leaf: it was computed by an operation "
                f"({{fn}}), so backward does not store a gradient in `{name}.grad`. Create "
                f"`{name}` directly with `torch.tensor(..., requires_grad=True)`, with no "
                "arithmetic after it.",
                hint="Leaves are the tensors you create yourself; only they receive `.grad`.",
                example=examples["not_leaf"]),
        Mistake(f"{name}_no_requires_grad", f"`{name}` was created without "
                "`requires_grad=True`, so autograd recorded nothing about it (and `backward()` "
                "raised a RuntimeError, or left its `.grad` None).",
                hint=f"Tracking is opt-in: pass `requires_grad=True` when you create {name}.",
                example=examples["no_requires_grad"]),
    ]


def several_passes_mistake(name: str, example: str) -> Mistake:
    """``.grad`` holding the sum of several backward passes (the cell was run twice)."""
    return Mistake(
        "several_passes", f"`{name}.grad` holds the sum of {{passes}} backward passes: "
        "`backward()` ran more than once without clearing the gradient, and gradients add up "
        f"(lesson 04). Run the whole answer cell once: it creates a fresh `{name}`.",
        hint="Each `backward()` adds to `.grad`; a freshly created tensor starts with "
        "`.grad` None.",
        example=example)


def grad_problem(t: Tensor, name: str, expected: float) -> Diagnosis | NotQuite | None:
    """What is wrong with ``t.grad`` as the gradient ``expected``: None if nothing.

    Uses the mistake ids ``no_backward`` and ``several_passes``; a gradient that is k times
    the expected one, with k backward passes counted on it, is the second.
    """
    grad = grad_of(t)
    if grad is None:
        return Diagnosis("no_backward")
    got = float(value_of(grad).reshape(()))
    if close(got, expected, 1e-4):
        return None
    passes = grad_passes(t)
    if not passes and expected:  # the count is unknown: infer it from the value
        passes = round(got / expected)
    if passes and passes > 1 and close(got, passes * expected, 1e-4):
        return Diagnosis("several_passes", {"passes": passes})
    return NotQuite(f"`{name}.grad` holds {got:g}, which is not the gradient this exercise asks "
                    "for. Run the answer cell again from the top, and compare it with the task.")
