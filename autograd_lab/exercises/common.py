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
from ._blank import reads_attribute
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
        Mistake(f"{name}_plain_number", f"`{name}` is a plain Python number, and autograd "
                "only tracks tensors: it has nowhere to record what happens to a float.",
                hint="`torch.tensor(value, requires_grad=True)` makes a tensor autograd tracks.",
                example=examples["plain_number"]),
        Mistake(f"{name}_wrong_value", f"`{name}` holds {{got}}, but this exercise asks for "
                f"{name} = {shown}.",
                hint=f"Create {name} with the value {shown}.",
                example=examples["wrong_value"]),
        Mistake(f"{name}_not_leaf", f"`{name}` is not a leaf: it was computed by an operation "
                f"({{fn}}), so backward does not store a gradient in `{name}.grad`.",
                hint="Leaves are the tensors you create yourself, with nothing computed after "
                "`torch.tensor(..., requires_grad=True)`; only they receive `.grad`.",
                example=examples["not_leaf"]),
        Mistake(f"{name}_no_requires_grad", f"`{name}` was created without "
                "`requires_grad=True`, so autograd recorded nothing about it (and `backward()` "
                "raised a RuntimeError, or left its `.grad` None).",
                hint=f"Tracking is opt-in: pass `requires_grad=True` when you create {name}.",
                example=examples["no_requires_grad"]),
    ]


def several_passes_mistake(name: str, example: str) -> Mistake:
    """``.grad`` holding the sum of several backward passes.

    Re-running a whole answer cell cannot cause it (the cell creates a fresh leaf), nor can a
    second ``backward()`` on the same output (that raises: the graph was freed). It takes
    several graphs built from one leaf: a loop, or re-running only the lines after the leaf's.
    """
    return Mistake(
        "several_passes", f"`{name}.grad` holds the sum of {{passes}} backward passes: "
        f"`backward()` ran on more than one graph built from this `{name}`, and gradients add "
        f"up (lesson 04). Build the graph and call `backward()` once, in the cell that creates "
        f"`{name}`.",
        hint="Each `backward()` adds to `.grad`; a freshly created tensor starts with "
        "`.grad` None.",
        example=example)


def backward_on_input_mistake(name: str, output: str, example: str) -> Mistake:
    """``x.backward()`` instead of ``y.backward()``: ``x.grad`` is dx/dx = 1."""
    return Mistake(
        "backward_on_input", f"`{name}.grad` is 1: that is d{name}/d{name}. The backward pass "
        f"started from `{name}` itself, so the gradient never went through `{output}`.",
        hint=f"Backward starts from the output whose gradient you want: d{output}/d{name}.",
        example=example)


def assigned_backward_mistake(output: str, example: str) -> Mistake:
    """``y = y.backward()``: backward ran, but returns None, which replaced the output."""
    return Mistake(
        "assigned_backward", f"`{output}` is None, although the backward pass ran: "
        f"`backward()` returns nothing, and assigning its result (`{output} = "
        f"{output}.backward()`) replaced your `{output}` with None.",
        hint="`backward()` is called for what it does (it fills `.grad`), not for what it "
        "returns.",
        example=example)


def no_grad_not_called_mistake(example: str) -> Mistake:
    """``with torch.no_grad:`` without brackets."""
    return Mistake(
        "no_grad_not_called", "`with torch.no_grad:` names the class itself; a `with` block "
        "needs an object made from it, so Python could not enter the block.",
        hint="A class is turned into an object by calling it, with brackets.",
        example=example)


def is_no_grad_not_called(error: BaseException) -> bool:
    text = str(error)
    return isinstance(error, TypeError | AttributeError) and (
        "context manager" in text or "__enter__" in text)


def grad_problem(t: Tensor, name: str, expected: float,
                 output: str | None = None) -> Diagnosis | NotQuite | None:
    """What is wrong with ``t.grad`` as the gradient ``expected``: None if nothing.

    Uses the mistake ids ``no_backward`` and ``several_passes``; a gradient that is k times
    the expected one, with k backward passes counted on it, is the second. With ``output``
    (the name of the tensor backward should start from), a gradient of exactly 1 is
    ``backward_on_input``: backward was called on ``t`` itself.
    """
    grad = grad_of(t)
    if grad is None:
        return Diagnosis("no_backward")
    got = float(value_of(grad).reshape(()))
    if close(got, expected, 1e-4):
        if grad_passes(t) is None:  # the engine counts its passes; this was assigned
            return NotQuite(f"`{name}.grad` holds the right number, but no backward pass put "
                            f"it there: it was assigned by hand. Let `backward()` compute it.")
        return None
    if output is not None and got == 1.0:
        return Diagnosis("backward_on_input")
    passes = grad_passes(t)
    if not passes and expected:  # the count is unknown: infer it from the value
        passes = round(got / expected)
    if passes and passes > 1 and close(got, passes * expected, 1e-4):
        return Diagnosis("several_passes", {"passes": passes})
    # the output may well be right: what is left is where backward started, and how
    wanted = f"d{output}/d{name}" if output else "the gradient this exercise asks for"
    start = f"on `{output}` itself" if output else "on the loss itself"
    return NotQuite(f"`{name}.grad` holds {got:g}, which is not {wanted}. Was `backward()` "
                    f"called {start}, once and with no argument? A backward pass started "
                    "from another tensor (an intermediate, or a multiple of the output) fills "
                    f"`{name}.grad` with that tensor's gradient instead.")


DATA_NOTE = (
    "A remark: `.data` works here, but it is PyTorch's old back door. It changes the values "
    "behind autograd's back, so a value that backward still needs can change without the error "
    "that would tell you. `with torch.no_grad():` is the way PyTorch recommends."
)


def data_note(func: Any) -> str:
    """The remark for a correct update written with ``w.data``, else nothing."""
    return DATA_NOTE if reads_attribute(func, "data") else ""
