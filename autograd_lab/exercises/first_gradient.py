"""Exercises for lesson 01, the first gradient: y = x², by hand, by autograd and numerically.

* ``ex1`` dy/dx at x = −2.5 by hand (numeric)
* ``ex2`` the same with autograd: ``x``, ``y``, ``y.backward()`` (tensor)
* ``ex3`` write ``slope(f, x, h)``, a finite-difference estimate (function)
* ``ex4`` what ``backward()`` does when nothing requires grad (choice)
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .common import (
    assigned_backward_mistake,
    backward_on_input_mistake,
    grad_problem,
    leaf_mistakes,
    leaf_problem,
    several_passes_mistake,
)
from .framework import (
    ChoiceExercise,
    Correct,
    Diagnosis,
    FunctionExercise,
    Mistake,
    NotQuite,
    NumericExercise,
    Probe,
    TensorExercise,
    Verdict,
)
from .reading import Unreadable, close, depends_on, describe, grad_of, read_number, value_of

LESSON = "01 first gradient"
X = -2.5  # left of 0, so the slope is negative: a sign slip shows

ex1 = NumericExercise(
    "ex1", "dy/dx of y = x² by hand",
    lesson=LESSON,
    inputs={"x": X},
    answer=lambda x: 2 * x,
    mistakes=[
        Mistake("value_not_slope", "That is y = x² itself, the height of the curve. The "
                "derivative is its slope.",
                hint="The power rule: d/dx xⁿ = n·xⁿ⁻¹. What is it for n = 2?",
                value=lambda x: x**2),
        Mistake("dropped_x", "You brought the exponent 2 down but dropped the x: the "
                "slope of x² is not the same everywhere, so it must depend on x.",
                hint="After bringing the 2 down, one x remains: 2·x. Now put in x = −2.5.",
                value=lambda x: 2.0),
        Mistake("dropped_factor", "You lowered the exponent but did not bring the 2 down "
                "as a factor.",
                hint="The power rule has two steps: multiply by the exponent, then lower it.",
                value=lambda x: x),
        Mistake("kept_exponent", "You multiplied by the exponent but did not lower it: "
                "that is 2·x².",
                hint="d/dx xⁿ = n·xⁿ⁻¹: the new exponent is n − 1 = 1.",
                value=lambda x: 2 * x**2),
        Mistake("lost_sign", "The size is right but the sign is not: left of 0 the "
                "parabola goes down towards its minimum.",
                hint="Keep the minus of x = −2.5 when you multiply by 2.",
                value=lambda x: -2 * x),
    ],
    hints=[
        "The derivative is the slope of the curve y = x² at the point x = −2.5.",
        "Use the power rule: d/dx xⁿ = n·xⁿ⁻¹.",
        "dy/dx = 2·x; now put in x = −2.5 (mind the sign).",
    ],
    answer_names=["dy_dx"],
    solution="dy_dx = 2 * (-2.5)",
    explanation="By the power rule d/dx x² = 2x, so at x = −2.5 the slope is 2·(−2.5) = −5. "
    "It is negative because the parabola falls as it approaches its minimum at x = 0.",
    on_correct="The slope at x = −2.5 is 2x = −5: the curve falls there. In ex2 autograd "
    "will find the same number.",
)


def _judge_autograd(x: Any, y: Any) -> Verdict:
    problem = leaf_problem(x, "x", X)
    if problem is not None:
        return problem
    if y is None and grad_of(x) is not None:
        return Diagnosis("assigned_backward")
    if not isinstance(y, Tensor):
        return Diagnosis("y_not_tensor", {"what": describe(y)})
    if not depends_on(y, x):
        return Diagnosis("y_detached")
    if y.numel() != 1 or not close(value_of(y), X**2, 1e-6):
        return Diagnosis("y_not_square")
    return grad_problem(x, "x", 2 * X, output="y") or Correct()


ex2 = TensorExercise(
    "ex2", "let autograd find dy/dx",
    lesson=LESSON,
    judge=_judge_autograd,
    mistakes=[
        *leaf_mistakes("x", X, {
            "plain_number": "x = -2.5\ny = x**2\n",
            "wrong_value": "x = torch.tensor(2.5, requires_grad=True)\ny = x**2\ny.backward()\n",
            "not_leaf": "x = torch.tensor(-2.5, requires_grad=True) * 1\ny = x**2\ny.backward()\n",
            "no_requires_grad": "x = torch.tensor(-2.5)\ny = x**2\n",
        }),
        Mistake("y_not_tensor", "`y` is {what}, not a tensor. Compute it from the tensor x with "
                "tensor operations (`x**2`), not with `math` functions or `.item()`.",
                hint="`y = x**2` with x a tensor gives a tensor with `grad_fn=<PowBackward0>`.",
                example="x = torch.tensor(-2.5, requires_grad=True)\ny = x.item()**2\n"),
        Mistake("y_detached", "`y` does not depend on `x` in the graph: did you `detach()` x, "
                "or compute y under `torch.no_grad()`? Autograd can only follow recorded "
                "operations.",
                hint="Compute `y = x**2` from x itself, with tracking on.",
                example="x = torch.tensor(-2.5, requires_grad=True)\ny = x.detach()**2\n"),
        Mistake("y_not_square", "`y` is not x². Compute it as `y = x**2`.",
                hint="`**` is Python's power operator: `x**2` is x squared.",
                example="x = torch.tensor(-2.5, requires_grad=True)\ny = 2 * x\ny.backward()\n"),
        Mistake("no_backward", "`x.grad` is None: the backward pass has not run, so no "
                "gradient was computed.",
                hint="Gradients are computed only when you call `backward()` on the output.",
                example="x = torch.tensor(-2.5, requires_grad=True)\ny = x**2\n"),
        several_passes_mistake("x", "x = torch.tensor(-2.5, requires_grad=True)\n"
                               "for _ in range(2):\n    y = x**2\n    y.backward()\n"),
        backward_on_input_mistake("x", "y", "x = torch.tensor(-2.5, requires_grad=True)\n"
                                  "y = x**2\nx.backward()\n"),
        assigned_backward_mistake("y", "x = torch.tensor(-2.5, requires_grad=True)\n"
                                  "y = x**2\ny = y.backward()\n"),
    ],
    hints=[
        "Three steps: a tensor x that autograd tracks, the computation y = x², the backward pass.",
        "`torch.tensor(-2.5, requires_grad=True)`, then `x**2`, then a call on y.",
        "`x = torch.tensor(-2.5, requires_grad=True)`; `y = x**2`; `y.backward()`.",
    ],
    answer_names=["x", "y"],
    solution="""
x = torch.tensor(-2.5, requires_grad=True)
y = x**2
y.backward()
""",
    explanation="Autograd records `y = x**2` (y gets `grad_fn=<PowBackward0>`); "
    "`y.backward()` applies the derivative 2x and stores it in `x.grad`: tensor(-5.), the "
    "number you worked out by hand.",
    on_correct="`x.grad` is tensor(-5.), one backward pass: the same slope you found by "
    "hand.",
)


def _returned_number(value: Any) -> float:
    try:
        return read_number(value)
    except Unreadable:
        message = f"`slope` returned {describe(value)}; it should return a number."
        raise Unreadable(message) from None


def _judge_slope(slope: Probe) -> Verdict:
    def x_cubed(x: float) -> float:  # named for the learner: `slope(x_cubed, 2.0, 0.001)`
        return x**3

    cube = x_cubed

    raw = slope(cube, 2.0, 1e-3)
    if raw is None:
        return Diagnosis("no_return")
    got = _returned_number(raw)
    candidates = {  # each a correct finite difference with h = 1e-3
        "forward": (cube(2.001) - cube(2.0)) / 1e-3,
        "central": (cube(2.001) - cube(1.999)) / 2e-3,
        "backward": (cube(2.0) - cube(1.999)) / 1e-3,
    }
    mistakes = {
        "no_divide": cube(2.001) - cube(2.0),
        "wrong_way_round": (cube(2.0) - cube(2.001)) / 1e-3,
        "divided_by_2h": (cube(2.001) - cube(2.0)) / 2e-3,
        "central_over_h": (cube(2.001) - cube(1.999)) / 1e-3,
        "returned_value": cube(2.0),
    }
    if not any(close(got, c, 1e-6) for c in candidates.values()):
        for mistake_id, wrong in mistakes.items():
            if close(got, wrong, 1e-4):
                return Diagnosis(mistake_id)
        if close(got, 12.0, 1e-3):  # right slope, but not from a difference quotient with h
            return Diagnosis("ignored_h")
        return NotQuite(f"For f(x) = x³ at x = 2 with h = 0.001 your slope gave {got:g}; "
                        "expected a number close to the true slope 3x² = 12.")
    # with a large h the three estimates differ from the true slope: that shows h is used
    big = _returned_number(slope(cube, 2.0, 0.5))
    secants = [(cube(2.5) - cube(2.0)) / 0.5, (cube(2.5) - cube(1.5)) / 1.0,
               (cube(2.0) - cube(1.5)) / 0.5]
    if not any(close(big, s, 1e-6) for s in secants):
        return Diagnosis("ignored_h")
    return Correct()


ex3 = FunctionExercise(
    "ex3", "estimate a slope numerically",
    lesson=LESSON,
    function_name="slope",
    judge=_judge_slope,
    mistakes=[
        Mistake("no_return", "`slope` returned None: did you forget the `return` statement?",
                hint="A function gives back a value only with `return ...`.",
                example="def slope(f, x, h):\n    s = (f(x + h) - f(x)) / h\n"),
        Mistake("no_divide", "You computed the rise f(x+h) − f(x) but did not divide by the "
                "run h. A slope is rise over run.",
                hint="slope = (f(x + h) − f(x)) / h.",
                example="def slope(f, x, h):\n    return f(x + h) - f(x)\n"),
        Mistake("wrong_way_round", "Your slope has the wrong sign: subtract in the same order "
                "on top and below, f(x+h) − f(x) over (x+h) − x.",
                hint="Going right by h, the rise is f(x + h) − f(x).",
                example="def slope(f, x, h):\n    return (f(x) - f(x + h)) / h\n"),
        Mistake("divided_by_2h", "You divided f(x+h) − f(x) by 2h. Over the step from x to "
                "x + h the run is h; 2h belongs to the central difference f(x+h) − f(x−h).",
                hint="Divide by the distance between the two x values you used.",
                example="def slope(f, x, h):\n    return (f(x + h) - f(x)) / (2 * h)\n"),
        Mistake("central_over_h", "From x − h to x + h the run is 2h, not h: your central "
                "difference is twice too big.",
                hint="(f(x + h) − f(x − h)) / (2h).",
                example="def slope(f, x, h):\n    return (f(x + h) - f(x - h)) / h\n"),
        Mistake("returned_value", "`slope` returned f(x), the height of the curve, not its "
                "slope.",
                hint="Compare two heights, f(x + h) and f(x), and divide by h.",
                example="def slope(f, x, h):\n    return f(x)\n"),
        Mistake("ignored_h", "Your slope does not follow the `h` you are given: with a large "
                "h the estimate must be the secant's slope over that h. Use the argument `h`, "
                "not a number of your own (and no autograd: this one is by finite "
                "differences).",
                hint="The only step size in your formula should be the parameter `h`.",
                example="def slope(f, x, h):\n    return (f(x + 1e-6) - f(x)) / 1e-6\n"),
    ],
    hints=[
        "A slope is rise over run: how much f changes when x moves a little, divided by how "
        "far x moved.",
        "Move x by h: the rise is f(x + h) − f(x) and the run is h.",
        "`return (f(x + h) - f(x)) / h`",
    ],
    answer_names=["slope"],
    solution="""
def slope(f, x, h):
    return (f(x + h) - f(x)) / h
""",
    explanation="The forward difference (f(x+h) − f(x))/h is the slope of the secant through "
    "x and x + h; as h shrinks it approaches the derivative. For x² at −2.5 with h = 0.001 it "
    "gives −4.999: close to autograd's −5, but not exact (the error is h). The central "
    "difference (f(x+h) − f(x−h))/(2h) is more accurate and is accepted too.",
    on_correct="Try `slope(lambda x: x**2, -2.5, 0.001)`: about −4.999, close to `x.grad`.",
)

ex4 = ChoiceExercise(
    "ex4", "backward without requires_grad",
    lesson=LESSON,
    question="`x = torch.tensor(3.0)` (no `requires_grad`), then `y = x**2` and "
    "`y.backward()`. What happens?",
    options={
        "a": "`x.grad` becomes tensor(6.)",
        "b": "`y.backward()` raises RuntimeError: element 0 of tensors does not require grad "
        "and does not have a grad_fn",
        "c": "`x.grad` becomes tensor(0.)",
        "d": "nothing visible happens; `x.grad` stays None",
    },
    answer="b",
    mistakes=[
        Mistake("tracked_anyway", "Autograd records operations only on tensors that require "
                "grad. Without `requires_grad=True`, `y = x**2` is a plain calculation with no "
                "graph behind it, so there is nothing to backpropagate through.",
                hint="Look at `y`: does it show a `grad_fn`?", value="a"),
        Mistake("zero_gradient", "No gradient is computed at all, not even a zero: y has no "
                "`grad_fn`, so backward has nowhere to start.",
                hint="Print y. What is missing compared with the lesson's "
                "`tensor(9., grad_fn=<PowBackward0>)`?", value="c"),
        Mistake("silent", "`x.grad` does stay None, but backward is not silent about it: "
                "asking for the gradient of a y that has no graph is an error, and PyTorch "
                "says so.",
                hint="What can `backward()` do when `y.grad_fn` is None?", value="d"),
    ],
    hints=[
        "Which tensors does autograd record operations for?",
        "Without `requires_grad=True` on x, y has no `grad_fn`. What can backward do then?",
    ],
    answer_names=["answer"],
    solution='answer = "b"',
    explanation="Tracking is opt-in. y = x**2 with an untracked x is a plain tensor without "
    "`grad_fn`, so `y.backward()` has no graph to walk and raises `RuntimeError: element 0 of "
    "tensors does not require grad and does not have a grad_fn`. Search engines know this "
    "message: it nearly always means a `requires_grad=True` is missing, or a `detach()` / "
    "`no_grad()` cut the graph (lesson 05).",
    on_correct="When you meet this RuntimeError, look for a missing `requires_grad=True`, a "
    "`detach()` or a `no_grad()` block.",
)
