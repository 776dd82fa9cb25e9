"""Exercises for lesson 02, the chain rule: z = sin(x²), and the roles of x, y and z.

* ``ex1`` dz/dx at x = 2.2 by hand (numeric; eight catalogued slips, one a calculator in
  degree mode; two of them lie so close together that the nearer one is named)
* ``ex2`` the same with autograd (tensor; reads the graph: ``math.sin``, a missing square)
* ``ex3`` leaf, intermediate or root? (predictions)
* ``ex4`` what ``y.grad`` gives after ``z.backward()`` (choice)
* ``ex5`` keep y's gradient with ``retain_grad()`` (tensor)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..autograd.function import _FREED
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
    MISTAKE_RTOL,
    ChoiceExercise,
    Correct,
    Diagnosis,
    Mistake,
    NotQuite,
    NumericExercise,
    PredictExercise,
    TensorExercise,
    Verdict,
)
from .reading import (
    close,
    depends_on,
    describe,
    grad_of,
    op_names,
    read_number,
    relative_error,
    value_of,
)

LESSON = "02 chain rule"
# At x = 2.2 the answer and the slips below are all at least 40 % apart (the lesson's own
# x = 4 and x = 1 make several of them coincide), except one pair: a cosine in degrees
# (4.384) and the derivative of sin taken as −sin (4.364) are 0.5 % apart at any x near 2.2.
# ex1 names the nearer of the two (``near_pairs``).
X = 2.2


class NearestSlipExercise(NumericExercise):
    """A numeric exercise where some slips lie closer together than ``SEPARATION``.

    ``near_pairs`` names those pairs of mistake ids (the tests hold every other pair to the
    usual separation). An answer within ``MISTAKE_RTOL`` of several slips gets the diagnosis
    of the nearest one, so that a slip rounded to three digits is still named correctly.
    """

    def __init__(self, name: str, title: str, *, near_pairs: Sequence[tuple[str, str]],
                 **kwargs: Any) -> None:
        self.near_pairs = tuple(near_pairs)
        super().__init__(name, title, **kwargs)

    def _judge(self, answer: Any) -> Verdict:
        verdict = super()._judge(answer)
        if not isinstance(verdict, Diagnosis):
            return verdict
        got = read_number(answer)
        distances = {mistake_id: relative_error(got, wrong)
                     for mistake_id, wrong in self.mistake_values().items()
                     if close(got, wrong, MISTAKE_RTOL)}
        return Diagnosis(min(distances, key=distances.__getitem__))


def _dz_dx(x: float) -> float:
    return math.cos(x**2) * 2 * x


ex1 = NearestSlipExercise(
    "ex1", "dz/dx of z = sin(x²) by hand",
    lesson=LESSON,
    inputs={"x": X},
    near_pairs=[("degrees", "sine_derivative_negated")],
    answer=_dz_dx,
    mistakes=[
        Mistake("missing_inner", "You differentiated the outer function, sin(u) → cos(u), but "
                "dropped the inner derivative du/dx = 2x. The chain rule multiplies both.",
                hint="dz/dx = (dz/du)·(du/dx). What is du/dx for u = x²?",
                value=lambda x: math.cos(x**2)),
        Mistake("inner_inside", "You put the inner derivative 2x inside the cosine: cos(2x). "
                "The outer derivative is evaluated at u = x², and 2x multiplies it from outside.",
                hint="Write it as two factors: cos(u) with u = x², times du/dx.",
                value=lambda x: math.cos(2 * x)),
        Mistake("outer_at_x", "You evaluated the outer derivative at x: cos(x)·2x. It must be "
                "evaluated at the inner value u = x², i.e. cos(x²).",
                hint="dz/du = cos(u); which number is u when x = 2.2?",
                value=lambda x: 2 * x * math.cos(x)),
        Mistake("outer_not_differentiated", "You kept sin(x²) instead of differentiating it: "
                "d/du sin(u) = cos(u).",
                hint="Both factors are derivatives: the outer one is d/du sin(u) = cos(u).",
                value=lambda x: math.sin(x**2) * 2 * x),
        Mistake("half_inner", "The inner derivative is d/dx x² = 2x, not x.",
                hint="Power rule: bring the 2 down.",
                value=lambda x: math.cos(x**2) * x),
        Mistake("sign", "Check the sign: d/du sin(u) = +cos(u). (The minus belongs to "
                "d/du cos(u) = −sin(u).)",
                hint="Which of sin and cos gets a minus sign when differentiated?",
                value=lambda x: -math.cos(x**2) * 2 * x),
        Mistake("sine_derivative_negated", "Your outer factor is −sin(x²): you took the "
                "derivative of sin to be −sin. Differentiating a sine does not give a sine "
                "back.",
                hint="Keep the pair apart: d/du sin(u) = cos(u), while d/du cos(u) = −sin(u).",
                # 0.5 % from the degrees value below: ex1 names the nearer of the two
                value=lambda x: -math.sin(x**2) * 2 * x),
        Mistake("degrees", "Your cosine was taken in degrees: cos(4.84°) ≈ 0.996 is nearly 1, "
                "so your answer is nearly 2x = 4.4. In calculus, and in Python's `math.cos` "
                "and `torch.cos`, angles are in radians, where cos(4.84) is far from 1. (If you "
                "left the cosine out altogether, as if cos(x²) were 1: the outer derivative is "
                "a factor of its own.)",
                hint="Switch the calculator to radians (RAD), or evaluate the cosine with "
                "Python's `math.cos`.",
                # cos(x²) in degrees, or no cosine at all (2x): 0.4 % apart, one diagnosis
                value=lambda x: 2 * x * math.cos(math.radians(x**2))),
    ],
    hints=[
        "Split z = sin(x²) into an inner part u = x² and an outer part z = sin(u).",
        "dz/dx = (dz/du)·(du/dx) = cos(u)·2x, with u = x².",
        "Evaluate `math.cos(2.2**2) * 2 * 2.2`.",
    ],
    answer_names=["dz_dx"],
    solution="dz_dx = math.cos(2.2**2) * 2 * 2.2",
    explanation="With u = x² and z = sin(u): dz/du = cos(u) and du/dx = 2x, so "
    "dz/dx = cos(x²)·2x = cos(4.84)·4.4 ≈ 0.5600. The outer derivative is evaluated at the "
    "inner value u = 4.84, not at x.",
    on_correct="Outer derivative at the inner value, times the inner derivative: that is the "
    "chain rule, and it is what backward does node by node.",
)


def _z_slips(x: float) -> dict[str, float]:
    """Values of z built wrongly (the graph alone would not tell them apart from sin(x²))."""
    return {
        "z_is_derivative": math.cos(x**2) * 2 * x,  # dz/dx built by hand, not z
        "sine_squared": math.sin(x) ** 2,  # torch.sin(x)**2 squares after the sine
        "doubled": math.sin(2 * x),  # x * 2 for x squared
    }


def _chain(ops: list[str]) -> str:
    return " ← ".join(f"`{op}`" for op in ops) or "no operations"


def _judge_autograd(x: Any, z: Any) -> Verdict:
    problem = leaf_problem(x, "x", X)
    if problem is not None:
        return problem
    if z is None and grad_of(x) is not None:
        return Diagnosis("assigned_backward")
    if not isinstance(z, Tensor):
        if isinstance(z, int | float):
            return Diagnosis("used_math")
        return Diagnosis("z_not_tensor", {"what": describe(z)})
    if not depends_on(z, x):
        return Diagnosis("z_detached")
    ops = op_names(z)
    if z.numel() != 1:
        return NotQuite(f"`z` is {describe(z)}; for one x it is a single number, sin(x²).")
    value = float(value_of(z).reshape(()))
    if close(value, math.sin(X), 1e-5) and "PowBackward0" not in ops:
        return Diagnosis("missing_square")
    if not close(value, math.sin(X**2), 1e-5):
        for mistake_id, wrong in _z_slips(X).items():
            if close(value, wrong, 1e-5):
                return Diagnosis(mistake_id)
        if "SinBackward0" not in ops:
            return Diagnosis("no_sine", {"ops": _chain(ops)})
        return NotQuite(f"`z` holds {value:.4f}, which is not sin(x²) at x = 2.2 (your graph, "
                        f"from z back to x: {_chain(ops)}). Compare your expression with "
                        "the task one operation at a time.")
    if grad_of(x) is not None and close(value_of(grad_of(x)), 2 * X, 1e-4):
        return Diagnosis("backward_on_y")
    return grad_problem(x, "x", _dz_dx(X), output="z") or Correct(
        f"`z.grad_fn` is {ops[0]}, and behind it {', '.join(ops[1:]) or 'nothing'}: backward "
        "multiplied cos(x²) by 2x, exactly your calculation in ex1.")


ex2 = TensorExercise(
    "ex2", "dz/dx with autograd",
    lesson=LESSON,
    judge=_judge_autograd,
    mistakes=[
        *leaf_mistakes("x", X, {
            "plain_number": "x = 2.2\nz = math.sin(x**2)\n",
            "wrong_value": "x = torch.tensor(4.0, requires_grad=True)\nz = torch.sin(x**2)\n"
            "z.backward()\n",
            "not_leaf": "x = torch.tensor(2.2, requires_grad=True) + 0\nz = torch.sin(x**2)\n"
            "z.backward()\n",
            "no_requires_grad": "x = torch.tensor(2.2)\nz = torch.sin(x**2)\n",
        }),
        Mistake("used_math", "`z` is a plain number: `math.sin` works on Python numbers, so "
                "autograd cannot see through it. Use `torch.sin`, which records "
                "`SinBackward0` in the graph.",
                hint="Tensor functions live in torch: `torch.sin(x**2)`.",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = math.sin(x**2)\n"),
        Mistake("z_not_tensor", "`z` is {what}, not a tensor computed from x.",
                hint="`z = torch.sin(x**2)`.",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = [torch.sin(x**2)]\n"),
        Mistake("z_detached", "`z` does not depend on `x` in the graph: it was computed from "
                "something other than x itself (a new tensor, `x.item()`, `x.detach()`), or "
                "under `torch.no_grad()`.",
                hint="Compute z from x itself, with tracking on.",
                example="x = torch.tensor(2.2, requires_grad=True)\n"
                "z = torch.sin(x.detach()**2)\n"),
        Mistake("missing_square", "Your graph has no `PowBackward0`: `z` is sin(x), not "
                "sin(x²). Square x first.",
                hint="Two operations, in order: `x**2`, then `torch.sin(...)`.",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = torch.sin(x)\n"
                "z.backward()\n"),
        Mistake("z_is_derivative", "`z` holds the value of dz/dx: you built the derivative "
                "cos(x²)·2x by hand. Autograd works the other way round: build the function "
                "itself, and backward finds its derivative.",
                hint="z is the function of the task, z = sin(x²); its derivative will appear "
                "in `x.grad`.",
                example="x = torch.tensor(2.2, requires_grad=True)\n"
                "z = torch.cos(x**2) * 2 * x\nz.backward()\n"),
        Mistake("sine_squared", "`z` is (sin x)²: the square is applied to the sine. In "
                "sin(x²) the square comes first, inside the sine.",
                hint="Which operation acts on x first? That one goes innermost.",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = torch.sin(x)**2\n"
                "z.backward()\n"),
        Mistake("doubled", "`z` is sin(2x): `x * 2` doubles x, it does not square it.",
                hint="x² is `x**2` (or `x * x`).",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = torch.sin(x * 2)\n"
                "z.backward()\n"),
        Mistake("no_sine", "Your graph has no `SinBackward0` (from z back to x it is {ops}): "
                "the sine is missing.",
                hint="The outer function is a sine, applied to x².",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = x**2\n"
                "z.backward()\n"),
        Mistake("no_backward", "`x.grad` is None: the backward pass has not run, so no "
                "gradient was computed.",
                hint="Gradients are computed only when you call `backward()` on the output.",
                example="x = torch.tensor(2.2, requires_grad=True)\nz = torch.sin(x**2)\n"),
        several_passes_mistake("x", "x = torch.tensor(2.2, requires_grad=True)\n"
                               "for _ in range(3):\n    z = torch.sin(x**2)\n    z.backward()\n"),
        Mistake("backward_on_y", "`x.grad` is 2x = 4.4, the derivative of x² alone: the "
                "backward pass started from the inner x², not from z, so the sine's factor "
                "cos(x²) is missing.",
                hint="Backward starts from the output whose gradient you want: dz/dx.",
                example="x = torch.tensor(2.2, requires_grad=True)\ny = x**2\n"
                "z = torch.sin(y)\ny.backward()\n"),
        backward_on_input_mistake("x", "z", "x = torch.tensor(2.2, requires_grad=True)\n"
                                  "z = torch.sin(x**2)\nx.backward()\n"),
        assigned_backward_mistake("z", "x = torch.tensor(2.2, requires_grad=True)\n"
                                  "z = torch.sin(x**2)\nz = z.backward()\n"),
    ],
    hints=[
        "The lesson's Example 2 with x = 2.2: a tracked x, two operations, one backward.",
        "`torch.tensor(2.2, requires_grad=True)`, then `torch.sin(x**2)`, then backward on z.",
        "`x = torch.tensor(2.2, requires_grad=True)`; `z = torch.sin(x**2)`; `z.backward()`.",
    ],
    answer_names=["x", "z"],
    solution="""
x = torch.tensor(2.2, requires_grad=True)
z = torch.sin(x**2)
z.backward()
""",
    explanation="`x**2` records `PowBackward0` and `torch.sin` records `SinBackward0`. "
    "`z.backward()` walks them in reverse: SinBackward0 multiplies the incoming 1 by cos(x²), "
    "PowBackward0 multiplies that by 2x, and the product lands in `x.grad` ≈ 0.5600.",
)

ex3 = PredictExercise(
    "ex3", "leaf, intermediate or root?",
    lesson=LESSON,
    expected={"x": "leaf", "y": "intermediate", "z": "root"},
    choices=("leaf", "intermediate", "root"),
    mistakes=[
        Mistake("x_root", "x is where the graph starts: you created it, no operation made it. "
                "That is a leaf.", hint="Which tensors did no operation produce?",
                value=("x", "root")),
        Mistake("x_intermediate", "x was not computed from anything (it has no `grad_fn`): it "
                "is a leaf.", hint="Which tensors did no operation produce?",
                value=("x", "intermediate")),
        Mistake("y_leaf", "y was computed from x by `x**2` (it has `grad_fn=<PowBackward0>`), "
                "so it is not a leaf.", hint="A leaf has no `grad_fn`. Does y?",
                value=("y", "leaf")),
        Mistake("y_root", "y is used to compute z, so it sits between the input and the "
                "output: the root is the final output, where backward starts.",
                hint="Backward starts from the tensor you call `.backward()` on.",
                value=("y", "root")),
        Mistake("z_leaf", "z has `grad_fn=<SinBackward0>`: it was computed, so it is not a "
                "leaf. It is the final output, the root.",
                hint="Backward starts from the tensor you call `.backward()` on.",
                value=("z", "leaf")),
        Mistake("z_intermediate", "Nothing is computed from z: it is the final output, the "
                "root, where `z.backward()` starts.",
                hint="Backward starts from the tensor you call `.backward()` on.",
                value=("z", "intermediate")),
    ],
    hints=[
        "Leaves are tensors you create; the root is the output backward starts from; "
        "everything in between is intermediate.",
        "Look at each tensor's `grad_fn`: None means a leaf. Then ask which tensor "
        "`.backward()` is called on.",
    ],
    answer_names=["roles"],
    solution='roles = {"x": "leaf", "y": "intermediate", "z": "root"}',
    explanation="x was created by you (no `grad_fn`): a leaf, and the only one whose `.grad` "
    "backward fills. y = x**2 has `grad_fn=<PowBackward0>` and feeds z: intermediate. "
    "z = sin(y) is the output you call `.backward()` on: the root.",
)

ex4 = ChoiceExercise(
    "ex4", "what is y.grad?",
    lesson=LESSON,
    question="After `x = torch.tensor(2.2, requires_grad=True)`, `y = x**2`, "
    "`z = torch.sin(y)`, `z.backward()`: what does `y.grad` give?",
    options={
        "a": "dz/dy = cos(y), about 0.1273",
        "b": "None, with a UserWarning that y is not a leaf",
        "c": "a RuntimeError",
        "d": "dy/dx = 2x = 4.4",
    },
    answer="b",
    mistakes=[
        Mistake("intermediate_kept", "Backward does compute dz/dy on its way to x, but it "
                "does not keep it: only leaves get `.grad`, to save memory. An intermediate "
                "tensor's gradient is kept only if you ask for it before the backward pass "
                "(that is ex5).",
                hint="Which tensors does backward store gradients in?", value="a"),
        Mistake("error", "Reading `.grad` of a non-leaf is not an error: PyTorch returns None "
                "and warns you, because it is usually a mistake (you meant the leaf).",
                hint="Run it: what do you see, an error or a warning?", value="c"),
        Mistake("local_derivative", "y's gradient would be dz/dy (the gradient of the root "
                "with respect to y), not dy/dx; and for a non-leaf it is not kept anyway.",
                hint="`t.grad` always means d(root)/dt. Is it kept for intermediate tensors?",
                value="d"),
    ],
    hints=[
        "Is y a leaf? Which tensors does backward store `.grad` in?",
        "The lesson ran `y.grad` and showed a warning under it.",
    ],
    answer_names=["answer"],
    solution='answer = "b"',
    explanation="Only leaves keep gradients after backward. `y.grad` of the intermediate y "
    "is None, and PyTorch warns: \"The .grad attribute of a Tensor that is not a leaf Tensor "
    "is being accessed...\" suggesting `retain_grad()` if you really want it.",
)


def _kept_graph(y: Tensor) -> bool:
    """Whether a backward pass reached x through y and left the graph's saved values in place.

    A plain ``backward()`` frees what each node saved; ``backward(retain_graph=True)`` keeps
    it. So a ``x.grad`` that is filled while y's node still holds its saved values means
    ``retain_graph=True``.
    """
    node = y.grad_fn
    edges = getattr(node, "next_functions", ())
    leaf = getattr(edges[0][0], "variable", None) if edges and edges[0][0] is not None else None
    saved = getattr(node, "_saved", None)
    return (isinstance(leaf, Tensor) and grad_of(leaf) is not None
            and saved is not None and saved is not _FREED)


def _judge_retain(y: Any, y_grad: Any) -> Verdict:
    if not isinstance(y, Tensor):
        return NotQuite(f"`y` is {describe(y)}; keep the given `y = x**2`.")
    if y.is_leaf:
        return Diagnosis("y_new_leaf")
    expected = math.cos(X**2)
    got = None
    if isinstance(y_grad, int | float | Tensor) and not isinstance(y_grad, bool):
        if not isinstance(y_grad, Tensor) or y_grad.numel() == 1:
            got = float(value_of(y_grad).reshape(())) if isinstance(y_grad, Tensor) else y_grad
    if got is not None and close(got, _dz_dx(X), 1e-3):
        return Diagnosis("took_x_grad")
    if not y.retains_grad:
        if got is not None and close(got, expected, 1e-3):
            return Diagnosis("computed_by_hand")
        if _kept_graph(y):
            return Diagnosis("retained_graph")
        return Diagnosis("no_retain_grad")
    if grad_of(y) is None:
        return Diagnosis("retain_after_backward")
    if not close(value_of(grad_of(y)), expected, 1e-4):
        return NotQuite("`y.grad` is not dz/dy. Run the answer cell once, from the top.")
    if got is None or not close(got, expected, 1e-4):  # `y.grad.item()` is fine too
        return NotQuite(f"`y.grad` is right, but `y_grad` is {describe(y_grad)}: set "
                        "`y_grad = y.grad`.")
    return Correct()


ex5 = TensorExercise(
    "ex5", "keep y's gradient",
    lesson=LESSON,
    judge=_judge_retain,
    mistakes=[
        Mistake("no_retain_grad", "`y.grad` is None: y is an intermediate tensor, and "
                "backward keeps gradients only for leaves, unless you ask it before the "
                "backward pass to keep y's.",
                hint="There is a method that asks backward to keep a non-leaf's gradient.",
                example="x = torch.tensor(2.2, requires_grad=True)\ny = x**2\n"
                "z = torch.sin(y)\nz.backward()\ny_grad = y.grad\n"),
        Mistake("retain_after_backward", "You called `retain_grad()`, but after "
                "`z.backward()`: by then the gradient had passed through y and was gone. Ask "
                "before the backward pass.",
                hint="Order matters: retain_grad(), then backward().",
                example="x = torch.tensor(2.2, requires_grad=True)\ny = x**2\n"
                "z = torch.sin(y)\nz.backward()\ny.retain_grad()\ny_grad = y.grad\n"),
        Mistake("retained_graph", "`y.grad` is None: `retain_graph=True` keeps the graph "
                "(the values its nodes saved) for another backward pass, but it does not keep "
                "any gradient. Backward still dropped y's gradient after passing it on to x.",
                hint="Keeping the graph and keeping a gradient are two different requests. The "
                "second is made on the tensor itself, before the backward pass.",
                example="x = torch.tensor(2.2, requires_grad=True)\ny = x**2\n"
                "z = torch.sin(y)\nz.backward(retain_graph=True)\ny_grad = y.grad\n"),
        Mistake("computed_by_hand", "That is the right value of dz/dy, but not via `y.grad`: "
                "`y.grad` itself is still None, because backward does not keep the gradients "
                "of intermediate tensors unless asked. The exercise is to have backward keep "
                "it.",
                hint="One line before the backward pass asks backward to keep y's gradient; "
                "then `y_grad = y.grad`.",
                example="x = torch.tensor(2.2, requires_grad=True)\ny = x**2\n"
                "z = torch.sin(y)\nz.backward()\ny_grad = math.cos(2.2**2)\n"),
        Mistake("took_x_grad", "`y_grad` holds dz/dx, the gradient in `x.grad`. The "
                "exercise asks for dz/dy, the gradient arriving at y on the way to x.",
                hint="`t.grad` is d(root)/dt: for y it is dz/dy, kept only if you ask before "
                "backward.",
                example="x = torch.tensor(2.2, requires_grad=True)\ny = x**2\n"
                "z = torch.sin(y)\nz.backward()\ny_grad = x.grad\n"),
        Mistake("y_new_leaf", "`y` is a leaf now, created on its own, so it is cut off from "
                "x: its `.grad` is filled, but `x.grad` would stay None. Keep `y = x**2`: the "
                "exercise is to keep the gradient of an intermediate tensor.",
                hint="Do not re-create y; call a method on the y you have.",
                example="y = torch.tensor(2.2**2, requires_grad=True)\nz = torch.sin(y)\n"
                "z.backward()\ny_grad = y.grad\n"),
    ],
    hints=[
        "Backward drops the gradients of intermediate tensors unless you ask it to keep one.",
        "The method is `retain_grad()`; call it on y before the backward pass.",
        "Add `y.retain_grad()` right after `y = x**2`; then `y_grad = y.grad`.",
    ],
    answer_names=["y", "y_grad"],
    solution="""
x = torch.tensor(2.2, requires_grad=True)
y = x**2
y.retain_grad()
z = torch.sin(y)
z.backward()
y_grad = y.grad
""",
    explanation="`y.retain_grad()` asks backward to store the gradient arriving at y. After "
    "`z.backward()`, `y.grad` is dz/dy = cos(y) = cos(4.84) ≈ 0.1273, and `x.grad` is still "
    "filled as usual (≈ 0.5600 = 0.1273 · 2x).",
)
