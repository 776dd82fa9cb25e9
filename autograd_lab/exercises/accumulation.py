"""Exercises for lesson 04: gradients accumulate, and ``grad.zero_()`` clears them.

* ``ex1`` predict x.grad after three backward passes (numeric)
* ``ex2`` predict x.grad after two different losses (numeric)
* ``ex3`` fix a loop so x.grad holds only the last pass (function; counts the passes summed)
* ``ex4`` why PyTorch adds instead of overwriting (choice)
"""

from __future__ import annotations

from ..creation import tensor
from ..tensor import Tensor
from .framework import (
    ChoiceExercise,
    Correct,
    Diagnosis,
    FunctionExercise,
    Mistake,
    NotQuite,
    NumericExercise,
    Probe,
    Verdict,
)
from .probe import LearnerRaised
from .reading import describe, grad_of, grad_passes, value_of

LESSON = "04 gradients accumulate"
# At x = 3 the answer and every slip below are at least 11 % apart. (At the lesson's x = 2,
# "three values of y added up", 3·x², equals the answer 6x; at x = 2.5 it is 6 % from 8x.)
X = 3.0

ex1 = NumericExercise(
    "ex1", "three backward passes",
    lesson=LESSON,
    inputs={"x": X, "calls": 3},
    answer=lambda x, calls: calls * 2 * x,
    mistakes=[
        Mistake("overwrite", "That is the gradient of one pass. `backward()` does not "
                "overwrite `x.grad`: it adds to what is already there.",
                hint="The lesson's cells went 4 → 8 → 12 → 16. What was added each time?",
                value=lambda x, calls: 2 * x),
        Mistake("multiply", "Gradients add, they don't multiply: `x.grad += 2x` on each pass.",
                hint="After the first pass x.grad = 6. What does the second pass do to it?",
                value=lambda x, calls: (2 * x) ** calls),
        Mistake("one_short", "That counts two passes; the loop calls `backward()` three "
                "times.",
                hint="Count the `backward()` calls: each one adds 2x.",
                value=lambda x, calls: (calls - 1) * 2 * x),
        Mistake("one_over", "That counts four passes; the loop calls `backward()` three "
                "times.",
                hint="Count the `backward()` calls: each one adds 2x.",
                value=lambda x, calls: (calls + 1) * 2 * x),
        Mistake("value_not_grad", "That is y = x², a value; `x.grad` holds dy/dx.",
                hint="Each pass adds the derivative of x², which is 2x.",
                value=lambda x, calls: x**2),
        Mistake("summed_values", "That is three times y = x²: you added up the values of y. "
                "What each `backward()` adds to `x.grad` is the gradient dy/dx, not y.",
                hint="Each pass adds the derivative of x², which is 2x.",
                value=lambda x, calls: calls * x**2),
    ],
    hints=[
        "Each `y.backward()` adds dy/dx to `x.grad`; nothing clears it in between.",
        "One pass adds 2x = 6. How many passes ran?",
        "3 passes × 6.",
    ],
    answer_names=["prediction"],
    solution="prediction = 3 * (2 * 3.0)",
    explanation="`x.grad` starts as None; the first backward sets it to 2x = 6, and every "
    "further backward adds 6 more: 6 → 12 → 18. Only `x.grad.zero_()` (or `x.grad = None`) "
    "starts it again.",
)

ex2 = NumericExercise(
    "ex2", "two different losses",
    lesson=LESSON,
    inputs={"x": X},
    answer=lambda x: 2 * x + 4,
    mistakes=[
        Mistake("last_only", "That is only the second loss's gradient. The second "
                "`backward()` does not clear what the first one left in `x.grad`.",
                hint="Does the second `backward()` clear what the first one left?",
                value=lambda x: 4.0),
        Mistake("first_only", "That is only the first loss's gradient; the second backward "
                "adds its own gradient to it.",
                hint="What is d(4x)/dx, and where does it go?",
                value=lambda x: 2 * x),
        Mistake("multiplied", "Gradients of separate backward passes add, they don't multiply.",
                hint="`x.grad` after both = first gradient + second gradient.",
                value=lambda x: 2 * x * 4),
        Mistake("values", "That adds the losses' values (x² + 4x); `x.grad` holds the sum of "
                "their derivatives.",
                hint="Differentiate each loss: x² → 2x, 4x → 4.",
                value=lambda x: x**2 + 4 * x),
    ],
    hints=[
        "Each backward adds its loss's gradient to `x.grad`.",
        "d(x²)/dx = 2x and d(4x)/dx = 4, at x = 3.",
    ],
    answer_names=["prediction"],
    solution="prediction = 2 * 3.0 + 4",
    explanation="6 from x² plus 4 from 4x: `x.grad` = 10, which is also the gradient of the "
    "total loss x² + 4x. That is why PyTorch accumulates: backward on several losses gives "
    "the gradient of their sum.",
    on_correct="10 is also d(x² + 4x)/dx: accumulating the gradients of two losses gives the "
    "gradient of their sum. That is the point of accumulation.",
)


def _judge_last_gradient(last_gradient: Probe) -> Verdict:
    x = tensor(X, requires_grad=True)
    try:
        returned = last_gradient(x, shown_args=(tensor(X, requires_grad=True),))
    except LearnerRaised as raised:
        message = str(raised.error)
        if isinstance(raised.error, AttributeError) and "'zero_grad'" in message:
            return Diagnosis("tensor_zero_grad", error=raised)
        if isinstance(raised.error, AttributeError | TypeError) and "NoneType" in message:
            return Diagnosis("unguarded_zero", error=raised)  # x.grad.zero_(), x.grad * 0 ...
        if "leaf Variable" in message:
            return Diagnosis("zeroed_x", error=raised)
        if "assigned grad expected to be a Tensor" in message:
            return Diagnosis("grad_set_to_number", error=raised)
        raise
    if not isinstance(x, Tensor) or not x.is_leaf:
        return NotQuite("Your function changed `x` itself; it should only manage `x.grad`.")
    grad = grad_of(x)
    if grad is None:
        return Diagnosis("cleared_to_none_after")
    got = float(value_of(grad).reshape(()))
    expected = 3 * 2 * X  # the last loss is 3·x², its gradient 6x
    if abs(got - expected) > 1e-4 * expected:
        passes = grad_passes(x)
        if abs(got) < 1e-12:
            return Diagnosis("cleared_after")
        if abs(got - (1 + 2 + 3) * 2 * X) < 1e-3:
            return Diagnosis("not_cleared", {"passes": passes or 3})
        return NotQuite(f"After your loop `x.grad` is {got:g}; it should be the gradient of "
                        "the last loss 3·x² alone.")
    if grad_passes(x) is None:  # (a cleared gradient may still count its passes: .data.zero_())
        return Diagnosis("grad_by_hand")
    if not isinstance(returned, Tensor) or returned is not grad:
        return NotQuite(f"`x.grad` is right, but your function returned {describe(returned)}; "
                        "keep the last line `return x.grad`.")
    return Correct()


ex3 = FunctionExercise(
    "ex3", "fix the loop",
    lesson=LESSON,
    function_name="last_gradient",
    judge=_judge_last_gradient,
    mistakes=[
        Mistake("not_cleared", "`x.grad` holds the sum of {passes} backward passes: the "
                "gradients of all three losses added up. Clear it before each backward.",
                hint="Which call sets a gradient back to zero, in place?",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        loss.backward()\n    return x.grad\n"),
        Mistake("cleared_after", "`x.grad` is 0 at the end: you cleared it after the "
                "backward pass, so the last gradient was wiped too. Clear before `backward()`.",
                hint="Order: clear, then backward; the gradient must survive the loop's end.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        loss.backward()\n        x.grad.zero_()\n    return x.grad\n"),
        Mistake("cleared_to_none_after", "`x.grad` is None at the end: you reset it after "
                "the backward pass. Reset it before `backward()`.",
                hint="Order: clear, then backward.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        loss.backward()\n        x.grad = None\n    return x.grad\n"),
        Mistake("unguarded_zero", "On the first pass `x.grad` is still None: no backward "
                "has run yet, so there is no gradient to clear (or to compute with).",
                hint="Clear the gradient only when it exists, or clear it in a way that also "
                "works when it is None.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        x.grad.zero_()\n        loss.backward()\n    return x.grad\n"),
        Mistake("tensor_zero_grad", "Tensors have no `zero_grad()`: that is a method of "
                "optimizers (and models), which clear the gradients of all their parameters. "
                "A single tensor's gradient is its `.grad`.",
                hint="Clear `x.grad` itself; mind that it is None before the first backward.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        x.zero_grad()\n        loss.backward()\n    return x.grad\n"),
        Mistake("zeroed_x", "You called `zero_()` on `x` itself, the value, not on its "
                "gradient (and PyTorch refuses to change a leaf that requires grad in place).",
                hint="The gradient lives in `x.grad`.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        x.zero_()\n        loss.backward()\n    return x.grad\n"),
        Mistake("grad_by_hand", "`x.grad` holds the right number, but no backward pass put "
                "it there: it was assigned by hand. The exercise is to let `backward()` compute "
                "it, and clear the old gradient before each pass.",
                hint="Keep the loop and its `loss.backward()`; add the clearing.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        loss.backward()\n    x.grad = 6 * x.detach()\n    return x.grad\n"),
        Mistake("grad_set_to_number", "You assigned a plain number to `x.grad`; it must hold "
                "a tensor, or None.",
                hint="Of the plain Python values, only None may be assigned to `.grad`.",
                example="def last_gradient(x):\n    for k in (1, 2, 3):\n        loss = k * x**2\n"
                "        x.grad = 0\n        loss.backward()\n    return x.grad\n"),
    ],
    hints=[
        "Each `backward()` adds to `x.grad`. What must happen to the old gradient first?",
        "Before each backward: clear `x.grad`, but remember it is None on the first pass.",
        "`x.grad = None` works on every pass; so does `if x.grad is not None: x.grad.zero_()`.",
    ],
    answer_names=["last_gradient"],
    solution="""
def last_gradient(x):
    for k in (1, 2, 3):
        loss = k * x**2
        if x.grad is not None:
            x.grad.zero_()
        loss.backward()
    return x.grad
""",
    explanation="Clearing before each backward leaves only the last loss's gradient, "
    "d(3x²)/dx = 6x = 18. `x.grad.zero_()` keeps the same gradient tensor (what optimizers "
    "do); `x.grad = None` drops it and lets backward make a new one (PyTorch's "
    "`zero_grad()` default). Both are right.",
)

ex4 = ChoiceExercise(
    "ex4", "why accumulate?",
    lesson=LESSON,
    question="Why does `backward()` add to `.grad` instead of overwriting it?",
    options={
        "a": "to save memory: adding in place needs no new tensor",
        "b": "so that a tensor used by several losses (or several mini-batches) gets the "
        "gradient of their total",
        "c": "it is a bug kept for backward compatibility",
        "d": "so that the learning rate can be applied later",
    },
    answer="b",
    mistakes=[
        Mistake("memory", "Overwriting in place would save just as much memory, so memory "
                "cannot be the reason.",
                hint="Think of ex2: what is 2x + 4?", value="a"),
        Mistake("bug", "It is deliberate, not a bug: PyTorch documents it and code relies "
                "on it.",
                hint="Think of ex2: what is 2x + 4?", value="c"),
        Mistake("learning_rate", "The learning rate is applied in the update step, "
                "`w -= lr * w.grad`, whatever `.grad` holds. Accumulation is about combining "
                "several gradients.",
                hint="Think of ex2: what is 2x + 4?", value="d"),
    ],
    hints=[
        "Look back at ex2: what is 2x + 4 the derivative of?",
        "A tensor can appear in several losses, or in several mini-batches before one step.",
    ],
    answer_names=["answer"],
    solution='answer = "b"',
    explanation="Gradients of a sum add up. When a parameter feeds several losses, or you "
    "want the gradient of a big batch computed in pieces, calling backward on each part and "
    "letting `.grad` accumulate gives the gradient of the total. The price: in a training "
    "loop you must clear `.grad` every step.",
)
