"""Exercises for lesson 06: linear regression by gradient descent, then with ``optim.SGD``.

* ``ex1`` write ``train_step(w, b, x, y, lr)`` (function; probes two steps: zeroing, sign,
  sum vs mean, ``no_grad``, forgotten b, counted backward passes)
* ``ex2`` choose a learning rate (experiment: runs the lesson's loop with it)
* ``ex3`` write ``fit(x, y)`` that recovers the line (function; two data sets)
* ``ex4`` ``train_step`` with an optimizer: ``zero_grad()``, ``backward()``, ``step()``
  (function)

Data: the lesson's x = [1, 2, 3, 4], y = 2x, and MSE = mean((w·x + b − y)²).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import optim
from ..creation import tensor
from ..tensor import Tensor
from .common import data_note, is_no_grad_not_called, no_grad_not_called_mistake
from .framework import (
    Correct,
    Diagnosis,
    ExperimentExercise,
    FunctionExercise,
    Mistake,
    NotQuite,
    Probe,
    Verdict,
)
from .probe import LearnerRaised, Name
from .reading import Unreadable, describe, grad_passes, read_number, value_of

LESSON = "06 linear regression"
X_DATA = [1.0, 2.0, 3.0, 4.0]
Y_DATA = [2.0, 4.0, 6.0, 8.0]
LR = 0.01


def _reference_steps(w: float, b: float, steps: int, lr: float, *, sign: float = 1.0,
                     reduce: str = "mean", accumulate: bool = False,
                     update_b: bool = True) -> list[tuple[float, float, float]]:
    """(w, b, loss before the step) after each of ``steps`` gradient-descent steps, in float64,
    done right or with one of the catalogued slips."""
    x, y = np.array(X_DATA), np.array(Y_DATA)
    out, gw, gb = [], 0.0, 0.0
    for _ in range(steps):
        err = w * x + b - y
        n = len(x) if reduce == "mean" else 1
        loss = float((err**2).sum() / n)
        dw, db = float((2 * err * x).sum() / n), float((2 * err).sum() / n)
        gw, gb = (gw + dw, gb + db) if accumulate else (dw, db)
        w -= sign * lr * gw
        if update_b:
            b -= sign * lr * gb
        out.append((w, b, loss))
    return out


def _params() -> tuple[Tensor, Tensor]:
    return tensor(0.0, requires_grad=True), tensor(0.0, requires_grad=True)


def _near(t: Tensor, value: float) -> bool:
    got = float(value_of(t).reshape(()))
    return abs(got - value) <= 1e-4 * max(1.0, abs(value))


def _judge_train_step(train_step: Probe) -> Verdict:
    w, b = _params()
    x, y = tensor(X_DATA), tensor(Y_DATA)
    shown = (Name("w"), Name("b"), Name("x"), Name("y"), LR)
    try:
        loss = train_step(w, b, x, y, LR, shown_args=shown)
    except LearnerRaised as raised:
        text = str(raised.error)
        if "leaf Variable" in text:
            return Diagnosis("outside_no_grad", error=raised)
        if isinstance(raised.error, TypeError) and "NoneType" in text:
            return Diagnosis("no_backward", error=raised)
        if isinstance(raised.error, AttributeError) and "zero_" in text:
            return Diagnosis("unguarded_zero", error=raised)
        if is_no_grad_not_called(raised.error):
            return Diagnosis("no_grad_not_called", error=raised)
        if "only for scalar outputs" in text:
            return Diagnosis("not_reduced", error=raised)
        raise
    for t, name in ((w, "w"), (b, "b")):
        if not t.requires_grad:
            return Diagnosis("froze", {"name": name})
    if any(math.isnan(float(value_of(t).reshape(()))) for t in (w, b)):
        return NotQuite("After one step w or b is nan. Look for a division by zero or a log.")
    ref = _reference_steps(0.0, 0.0, 2, LR)
    (w1, b1, loss0), (w2, b2, _) = ref
    if _near(w, 0.0) and _near(b, 0.0):
        if w.grad is not None and abs(float(value_of(w.grad).reshape(()))) > 0:
            return Diagnosis("no_update_applied")
        return Diagnosis("cleared_before_update")
    if _near(w, -w1) and _near(b, -b1):
        return Diagnosis("uphill")
    s = _reference_steps(0.0, 0.0, 1, LR, reduce="sum")[0]
    if _near(w, s[0]) and _near(b, s[1]):
        return Diagnosis("used_sum")
    if _near(w, w1) and _near(b, 0.0):
        return Diagnosis("forgot_b")
    if not (_near(w, w1) and _near(b, b1)):
        return NotQuite(f"After one step from w = b = 0 (lr = {LR}) your w is "
                        f"{float(value_of(w)):.4f} and b {float(value_of(b)):.4f}; that is not "
                        "one gradient-descent step on the mean squared error.")
    if loss is None:
        return Diagnosis("no_return")
    try:
        loss_value = read_number(loss)
    except Unreadable:
        return NotQuite(f"`train_step` returned {describe(loss)}; return the loss (a number or a "
                        "0-d tensor).")
    if abs(loss_value - loss0) > 1e-3 * loss0:
        return NotQuite(f"The step is right, but the loss you returned ({loss_value:g}) is not "
                        "the MSE computed before the update.")
    # the second step shows whether the gradient was cleared
    train_step(w, b, x, y, LR, shown_args=shown)
    if not (_near(w, w2) and _near(b, b2)):
        a = _reference_steps(0.0, 0.0, 2, LR, accumulate=True)[1]
        if _near(w, a[0]) and _near(b, a[1]):
            return Diagnosis("no_zero", {"name": "w", "passes": grad_passes(w) or 2})
        for t, name in ((w, "w"), (b, "b")):  # e.g. only one of the two was cleared
            passes = grad_passes(t)
            if passes is not None and passes > 1:
                return Diagnosis("no_zero", {"name": name, "passes": passes})
        return NotQuite("The first step is right but the second is not: does `train_step` "
                        "leave anything behind that changes the next call?")
    return _lr_problem(train_step) or Correct(data_note(train_step.func))


OTHER_LR = 0.05  # a second learning rate: a step that ignores lr still moves by LR


def _lr_problem(train_step: Probe) -> Verdict | None:
    """A step from w = b = 0 with another learning rate: does the step scale with lr?"""
    w, b = _params()
    shown = (Name("w"), Name("b"), Name("x"), Name("y"), OTHER_LR)
    train_step(w, b, tensor(X_DATA), tensor(Y_DATA), OTHER_LR, shown_args=shown)
    w1, b1, _ = _reference_steps(0.0, 0.0, 1, OTHER_LR)[0]
    if _near(w, w1) and _near(b, b1):
        return None
    fixed = _reference_steps(0.0, 0.0, 1, LR)[0]
    if _near(w, fixed[0]) and _near(b, fixed[1]):
        return Diagnosis("ignores_lr", {"lr": OTHER_LR, "fixed": LR})
    return NotQuite(f"With lr = {LR} your step is right, but with lr = {OTHER_LR} it is not "
                    "one gradient-descent step: the step should be lr × gradient.")


_LOOP = """    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
"""

ex1 = FunctionExercise(
    "ex1", "write train_step",
    lesson=LESSON,
    function_name="train_step",
    judge=_judge_train_step,
    mistakes=[
        Mistake("outside_no_grad", "The update ran outside `torch.no_grad()`: PyTorch refuses "
                "to change a leaf that requires grad in place while it is recording.",
                hint="`with torch.no_grad():` then `w -= lr * w.grad` (and the same for b).",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    w -= lr * w.grad\n    b -= lr * b.grad\n    w.grad.zero_()\n"
                "    b.grad.zero_()\n    return loss\n"),
        no_grad_not_called_mistake("def train_step(w, b, x, y, lr):\n" + _LOOP +
                                   "    with torch.no_grad:\n        w -= lr * w.grad\n"
                                   "        b -= lr * b.grad\n    return loss\n"),
        Mistake("not_reduced", "Your loss is a vector, one squared error per point, and "
                "`backward()` needs a single number (that is the RuntimeError). The mean "
                "squared error is one number for the whole data set.",
                hint="Which method averages a tensor's entries?",
                example="def train_step(w, b, x, y, lr):\n    loss = (w * x + b - y) ** 2\n"
                "    loss.backward()\n    with torch.no_grad():\n        w -= lr * w.grad\n"
                "        b -= lr * b.grad\n        w.grad.zero_()\n        b.grad.zero_()\n"
                "    return loss\n"),
        Mistake("no_backward", "`w.grad` was still None when the update used it: the "
                "backward pass had not run yet.",
                hint="Order: loss, `loss.backward()`, then the update.",
                example="def train_step(w, b, x, y, lr):\n"
                "    loss = ((w * x + b - y) ** 2).mean()\n    with torch.no_grad():\n"
                "        w -= lr * w.grad\n        b -= lr * b.grad\n    return loss\n"),
        Mistake("unguarded_zero", "On the first call `w.grad` is still None (no backward "
                "has run yet), so `w.grad.zero_()` before the backward pass fails: there is "
                "no gradient to clear.",
                hint="Where does the lesson put `w.grad.zero_()`?",
                example="def train_step(w, b, x, y, lr):\n    w.grad.zero_()\n"
                "    b.grad.zero_()\n" + _LOOP + "    with torch.no_grad():\n"
                "        w -= lr * w.grad\n        b -= lr * b.grad\n    return loss\n"),
        Mistake("froze", "After your step `{name}.requires_grad` is False: "
                "`requires_grad_(False)` stops {name} from learning, for good.",
                hint="Don't change the parameters' flags; wrap the update in no_grad.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    w.requires_grad_(False)\n    b.requires_grad_(False)\n"
                "    w -= lr * w.grad\n    b -= lr * b.grad\n    return loss\n"),
        Mistake("no_update_applied", "w and b did not change, although `w.grad` holds a "
                "gradient: the update did not reach the caller's tensors. `w = w - ...` makes a "
                "new tensor and points the name w at it, inside the function only.",
                hint="Use in-place updates: `w -= ...`, `b -= ...`.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w = w - lr * w.grad\n"
                "        b = b - lr * b.grad\n    return loss\n"),
        Mistake("cleared_before_update", "w and b did not move: the gradients were cleared "
                "before the update used them. Order: backward, update, then clear.",
                hint="Move the clearing after the update.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w.grad.zero_()\n        b.grad.zero_()\n"
                "        w -= lr * w.grad\n        b -= lr * b.grad\n    return loss\n"),
        Mistake("uphill", "w and b moved up the slope: the loss grows. Gradient descent "
                "subtracts lr × gradient.",
                hint="The gradient points uphill; step the other way: `-=`.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w += lr * w.grad\n        b += lr * b.grad\n"
                "        w.grad.zero_()\n        b.grad.zero_()\n    return loss\n"),
        Mistake("used_sum", "Your step is 4× too big: the loss is a sum over the 4 points, the "
                "lesson's MSE is a mean. With a sum, the right learning rate would depend on "
                "the data set's size.",
                hint="`((w * x + b - y) ** 2).mean()`.",
                example="def train_step(w, b, x, y, lr):\n"
                "    loss = ((w * x + b - y) ** 2).sum()\n    loss.backward()\n"
                "    with torch.no_grad():\n        w -= lr * w.grad\n        b -= lr * b.grad\n"
                "        w.grad.zero_()\n        b.grad.zero_()\n    return loss\n"),
        Mistake("forgot_b", "w moved correctly but b did not change: update b too.",
                hint="`b -= lr * b.grad` next to the update of w.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w -= lr * w.grad\n        w.grad.zero_()\n"
                "    return loss\n"),
        Mistake("no_return", "The step is right, but `train_step` returned None: return the "
                "loss, so that the loop can print it.",
                hint="End with `return loss`.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w -= lr * w.grad\n        b -= lr * b.grad\n"
                "        w.grad.zero_()\n        b.grad.zero_()\n"),
        Mistake("ignores_lr", "Called with lr = {lr}, your `train_step` still stepped as "
                "if lr were {fixed}: the learning rate is written into the update instead of "
                "taken from the argument `lr`.",
                hint="Use the parameter: `w -= lr * w.grad`.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w -= 0.01 * w.grad\n"
                "        b -= 0.01 * b.grad\n        w.grad.zero_()\n        b.grad.zero_()\n"
                "    return loss\n"),
        Mistake("no_zero", "Your first step is right, but on the second call `{name}.grad` "
                "held the sum of {passes} backward passes: it was not cleared, so each step "
                "used the old gradients too.",
                hint="After the update: `w.grad.zero_()` and `b.grad.zero_()`.",
                example="def train_step(w, b, x, y, lr):\n" + _LOOP +
                "    with torch.no_grad():\n        w -= lr * w.grad\n        b -= lr * b.grad\n"
                "    return loss\n"),
    ],
    hints=[
        "Four steps, as in the lesson's loop: forward + loss, backward, update, clear.",
        "The update and the clearing go inside `with torch.no_grad():`; the update is "
        "in place (`-=`).",
        "loss = MSE; `loss.backward()`; under no_grad: `w -= lr * w.grad`, same for b, then "
        "`w.grad.zero_()`, `b.grad.zero_()`; `return loss`.",
    ],
    answer_names=["train_step"],
    solution="""
def train_step(w, b, x, y, lr):
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return loss
""",
    explanation="Forward and loss are recorded; `backward()` fills `w.grad` and `b.grad`. "
    "The update must not be recorded (and must keep w and b the same leaves), so it runs in "
    "place under `no_grad()`. Clearing afterwards stops the next step from adding this "
    "step's gradients to its own.",
)


def _run_lesson_loop(lr: float, epochs: int = 100) -> list[float]:
    return [loss for _, _, loss in _reference_steps(0.0, 0.0, epochs, lr)]


TARGET_LOSS = 1e-3


def _judge_lr(lr: Any) -> Verdict:
    value = read_number(lr)
    if not math.isfinite(value):
        return NotQuite(f"lr = {value:g} is not a finite number: every step would be inf or "
                        "nan. Choose an ordinary positive number.")
    if value <= 0:
        return Diagnosis("not_positive")
    with np.errstate(over="ignore", invalid="ignore"):
        losses = _run_lesson_loop(value)
    trail = " → ".join(f"{losses[i]:.3g}" for i in (0, 10, 50, 99))
    final = losses[-1]
    if not math.isfinite(final) or final > losses[0]:
        return Diagnosis("too_large", {"lr": f"{value:g}", "trail": trail})
    if final >= TARGET_LOSS:
        return Diagnosis("too_small", {"lr": f"{value:g}", "trail": trail,
                                       "final": f"{final:.3g}"})
    return Correct(f"With lr = {value:g} the loss went {trail} (epochs 0, 10, 50, 99). Just "
                   "above about 0.12 the same loop diverges: the best learning rates sit "
                   "close to the edge.")


ex2 = ExperimentExercise(
    "ex2", "choose a learning rate",
    lesson=LESSON,
    judge=_judge_lr,
    mistakes=[
        Mistake("not_positive", "A learning rate is a positive number: the step is "
                "−lr·gradient, so lr ≤ 0 stands still or climbs.",
                hint="Try numbers between 0.001 and 1.", example="lr = -0.01\n"),
        Mistake("too_large", "With lr = {lr} the loss went {trail} (epochs 0, 10, 50, 99): it "
                "diverged. Each step overshoots the minimum by more than it gained, so the "
                "errors grow. Lower the learning rate.",
                hint="Divergence means: smaller steps. Try dividing lr by 2 or 5.",
                example="lr = 0.5\n"),
        Mistake("too_small", "With lr = {lr} the loss went {trail} (epochs 0, 10, 50, 99): "
                "still falling, but too slowly to get below 0.001 in 100 epochs. Take bigger "
                "steps.",
                hint="The lesson's lr = 0.01 ends at 0.034. Try larger values, but watch for "
                "divergence.",
                example="lr = 0.01\n"),
    ],
    hints=[
        "Too small: the loss creeps down. Too large: it explodes. Look for the largest lr that "
        "still goes down.",
        "The lesson's 0.01 is too slow; 0.5 explodes. Try values in between.",
        "Anything from about 0.07 to 0.11 works.",
    ],
    answer_names=["lr"],
    solution="lr = 0.1",
    explanation="The loss is a bowl that is much steeper along one direction than the other. "
    "The steep direction limits lr (above ≈ 0.12 the steps overshoot ever more and the loop "
    "diverges); the shallow direction needs large steps to make progress. lr = 0.1 gets the "
    "loss from 30 to about 0.00015 in 100 epochs; 0.01 only to 0.034.",
)


def _judge_fit(fit: Probe) -> Verdict:
    lines = [(2.0, 0.0), (-0.5, 1.0)]  # the lesson's y = 2x, and a second line to fit
    results = []
    for slope, intercept in lines:
        y_values = [slope * v + intercept for v in X_DATA]
        out = fit(tensor(X_DATA), tensor(y_values))
        if not isinstance(out, tuple | list) or len(out) != 2:
            return NotQuite(f"`fit` returned {describe(out)}; return the pair `w, b`.")
        w, b = out
        if not isinstance(w, Tensor) or not isinstance(b, Tensor):
            return NotQuite(f"`fit` returned {describe(w)} and {describe(b)}; return the "
                            "tensors w and b.")
        for t, name in ((w, "w"), (b, "b")):
            if not t.is_leaf:
                return Diagnosis("not_leaf", {"name": name, "fn": type(t.grad_fn).__name__})
        passes = grad_passes(w)
        if passes is not None and passes > 2:  # the loop never cleared the gradients
            return Diagnosis("no_zero_fit", {"passes": passes})
        wv, bv = float(value_of(w).reshape(())), float(value_of(b).reshape(()))
        if not (math.isfinite(wv) and math.isfinite(bv)):
            return Diagnosis("diverged")
        results.append((wv, bv, slope, intercept))
    (w1, b1, *_), (w2, b2, *_) = results
    ok = [abs(wv - s) < 0.01 and abs(bv - c) < 0.01 for wv, bv, s, c in results]
    if all(ok):
        return Correct()
    if ok[0] and abs(w2 - w1) < 1e-6 and abs(b2 - b1) < 1e-6:
        return Diagnosis("hard_coded")
    wv, bv = results[0][:2]
    if abs(wv) > 10 or abs(bv) > 10:
        return Diagnosis("diverged")
    return Diagnosis("not_converged", {"w": f"{wv:.3f}", "b": f"{bv:.3f}"})


ex3 = FunctionExercise(
    "ex3", "fit the line",
    lesson=LESSON,
    function_name="fit",
    judge=_judge_fit,
    time_limit=10.0,
    mistakes=[
        Mistake("not_converged", "On the lesson's data (y = 2x) your fit ends at w = {w}, "
                "b = {b}: not there yet. Train for more epochs, or with a larger learning "
                "rate (ex2).",
                hint="The lesson's 100 epochs at lr = 0.01 stop at w ≈ 1.85, b ≈ 0.45.",
                example="def fit(x, y):\n    w = torch.tensor(0.0, requires_grad=True)\n"
                "    b = torch.tensor(0.0, requires_grad=True)\n    for epoch in range(100):\n"
                "        loss = ((w * x + b - y) ** 2).mean()\n        loss.backward()\n"
                "        with torch.no_grad():\n            w -= 0.01 * w.grad\n"
                "            b -= 0.01 * b.grad\n            w.grad.zero_()\n"
                "            b.grad.zero_()\n    return w, b\n"),
        Mistake("diverged", "Your fit diverged (w or b is huge, inf or nan): the learning rate "
                "is too large.",
                hint="Use a learning rate that worked in ex2.",
                example="def fit(x, y):\n    w = torch.tensor(0.0, requires_grad=True)\n"
                "    b = torch.tensor(0.0, requires_grad=True)\n    for epoch in range(300):\n"
                "        loss = ((w * x + b - y) ** 2).mean()\n        loss.backward()\n"
                "        with torch.no_grad():\n            w -= 0.5 * w.grad\n"
                "            b -= 0.5 * b.grad\n            w.grad.zero_()\n"
                "            b.grad.zero_()\n    return w, b\n"),
        Mistake("not_leaf", "The `{name}` you return is no longer a leaf (grad_fn={fn}): an "
                "update ran outside `no_grad()`, so from then on backward never filled its "
                "`.grad`.",
                hint="Updates go inside `with torch.no_grad():`, in place.",
                example="def fit(x, y):\n    w = torch.tensor(0.0, requires_grad=True)\n"
                "    b = torch.tensor(0.0, requires_grad=True)\n"
                "    loss = ((w * x + b - y) ** 2).mean()\n    loss.backward()\n"
                "    w = w - 0.1 * w.grad\n    b = b - 0.1 * b.grad\n    return w, b\n"),
        Mistake("no_zero_fit", "At the end `w.grad` holds the sum of {passes} backward "
                "passes: the loop never cleared the gradients, so every step used all the "
                "earlier gradients too, and w and b overshoot instead of settling.",
                hint="Each step needs a fresh gradient: clear it once per step, after the "
                "update.",
                example="def fit(x, y):\n    w = torch.tensor(0.0, requires_grad=True)\n"
                "    b = torch.tensor(0.0, requires_grad=True)\n    for epoch in range(300):\n"
                "        loss = ((w * x + b - y) ** 2).mean()\n        loss.backward()\n"
                "        with torch.no_grad():\n            w -= 0.1 * w.grad\n"
                "            b -= 0.1 * b.grad\n    return w, b\n"),
        Mistake("hard_coded", "Right for y = 2x, but a different data set gets the same "
                "answer: `fit` must learn w and b from x and y, not return fixed numbers.",
                hint="Train on the x and y you are given.",
                example="def fit(x, y):\n    return torch.tensor(2.0), torch.tensor(0.0)\n"),
    ],
    hints=[
        "Start from w = b = 0 and repeat the training step many times.",
        "Use your `train_step` from ex1 (or the lesson's loop) with a learning rate from ex2, "
        "for a few hundred epochs.",
        "`for epoch in range(300): train_step(w, b, x, y, 0.1)`, then `return w, b`.",
    ],
    answer_names=["fit"],
    solution="""
def fit(x, y):
    w = torch.tensor(0.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    for epoch in range(300):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w, b
""",
    explanation="300 steps at lr = 0.1 take w and b to within 0.001 of the best line (2 and "
    "0 for the lesson's data). Calling your ex1 `train_step` in the loop is just as good; "
    "the solution writes the step out so that it reads on its own.",
)


def _judge_optimizer_step(train_step: Probe) -> Verdict:
    w, b = _params()
    x, y = tensor(X_DATA), tensor(Y_DATA)
    optimizer = optim.SGD([w, b], lr=LR)
    shown = (*_params(), tensor(X_DATA), tensor(Y_DATA), Name("optimizer"))
    ref = _reference_steps(0.0, 0.0, 2, LR)
    loss = train_step(w, b, x, y, optimizer, shown_args=shown)
    if _near(w, 0.0) and _near(b, 0.0):
        if w.grad is None:
            return Diagnosis("zero_grad_before_step")
        return Diagnosis("no_step_after_backward")
    if _near(w, 2 * ref[0][0]) and _near(b, 2 * ref[0][1]):
        return Diagnosis("stepped_twice")
    if not (_near(w, ref[0][0]) and _near(b, ref[0][1])):
        return NotQuite("After one call w and b are not one SGD step from 0. Compute the MSE "
                        "of `w * x + b` against y, backward, then `optimizer.step()`.")
    if loss is None:
        return Diagnosis("no_return_opt")
    try:
        loss_value = read_number(loss)
    except Unreadable:
        return NotQuite(f"`train_step_opt` returned {describe(loss)}; return the loss (a "
                        "0-d tensor).")
    if abs(loss_value - ref[0][2]) > 1e-3 * ref[0][2]:
        return NotQuite(f"The step is right, but the loss you returned ({loss_value:g}) is not "
                        "the MSE computed before the step.")
    train_step(w, b, x, y, optimizer, shown_args=shown)
    if not (_near(w, ref[1][0]) and _near(b, ref[1][1])):
        passes = grad_passes(w)
        return Diagnosis("no_zero_grad", {"passes": passes or 2})
    # the optimizer must be what moves w and b: with another learning rate, the step changes
    w, b = _params()
    optimizer = optim.SGD([w, b], lr=OTHER_LR)
    train_step(w, b, tensor(X_DATA), tensor(Y_DATA), optimizer, shown_args=shown)
    other = _reference_steps(0.0, 0.0, 1, OTHER_LR)[0]
    if not (_near(w, other[0]) and _near(b, other[1])):
        if _near(w, ref[0][0]) and _near(b, ref[0][1]):
            return Diagnosis("update_by_hand", {"lr": OTHER_LR})
        return NotQuite(f"With an optimizer of lr = {OTHER_LR} your step is not one SGD step: "
                        "let `optimizer.step()` do the update, and nothing else.")
    return Correct("`zero_grad()`, `backward()`, `step()`: the loop every PyTorch user writes.")


_OPT_LOSS = "    loss = ((w * x + b - y) ** 2).mean()\n"

ex4 = FunctionExercise(
    "ex4", "train_step with an optimizer",
    lesson=LESSON,
    function_name="train_step_opt",
    judge=_judge_optimizer_step,
    mistakes=[
        Mistake("no_zero_grad", "The first step is right, but on the second `w.grad` held the "
                "sum of {passes} backward passes: nothing cleared the gradients between steps.",
                hint="`optimizer.zero_grad()` at the start of the step.",
                example="def train_step_opt(w, b, x, y, optimizer):\n" + _OPT_LOSS +
                "    loss.backward()\n    optimizer.step()\n    return loss\n"),
        Mistake("zero_grad_before_step", "w and b did not move, and their `.grad` is None: "
                "`zero_grad()` ran between `backward()` and `step()`, so the optimizer had no "
                "gradients to use. Clear before the backward pass.",
                hint="Order: zero_grad, forward, backward, step.",
                example="def train_step_opt(w, b, x, y, optimizer):\n" + _OPT_LOSS +
                "    loss.backward()\n    optimizer.zero_grad()\n    optimizer.step()\n"
                "    return loss\n"),
        Mistake("no_step_after_backward", "w and b did not move although `w.grad` holds a "
                "gradient: `optimizer.step()` did not run after `loss.backward()` (missing, "
                "too early, or written without brackets).",
                hint="`step()` applies the gradients; it needs them to exist first.",
                example="def train_step_opt(w, b, x, y, optimizer):\n"
                "    optimizer.zero_grad()\n" + _OPT_LOSS + "    loss.backward()\n"
                "    return loss\n"),
        Mistake("stepped_twice", "w and b moved twice as far as one step: you updated them by "
                "hand and with `optimizer.step()`. The optimizer does the update.",
                hint="Remove the manual `w -= ...` lines.",
                example="def train_step_opt(w, b, x, y, optimizer):\n"
                "    optimizer.zero_grad()\n" + _OPT_LOSS + "    loss.backward()\n"
                "    optimizer.step()\n    with torch.no_grad():\n"
                "        w -= 0.01 * w.grad\n        b -= 0.01 * b.grad\n    return loss\n"),
        Mistake("no_return_opt", "The step is right, but `train_step_opt` returned None: "
                "return the loss, so that the training loop can print it.",
                hint="End with `return loss`.",
                example="def train_step_opt(w, b, x, y, optimizer):\n"
                "    optimizer.zero_grad()\n" + _OPT_LOSS + "    loss.backward()\n"
                "    optimizer.step()\n"),
        Mistake("update_by_hand", "Given an optimizer with lr = {lr}, your step still moved w "
                "and b by 0.01 × gradient: the update is done by hand, not by the optimizer "
                "(whose learning rate is its own, set when it was made).",
                hint="`optimizer.step()` does the update; remove the `w -= ...` lines.",
                example="def train_step_opt(w, b, x, y, optimizer):\n"
                "    optimizer.zero_grad()\n" + _OPT_LOSS + "    loss.backward()\n"
                "    with torch.no_grad():\n        w -= 0.01 * w.grad\n"
                "        b -= 0.01 * b.grad\n    return loss\n"),
    ],
    hints=[
        "The optimizer replaces two of your lines: the update and the clearing.",
        "`optimizer.zero_grad()`, the loss, `loss.backward()`, `optimizer.step()`.",
    ],
    answer_names=["train_step_opt"],
    solution="""
def train_step_opt(w, b, x, y, optimizer):
    optimizer.zero_grad()
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    return loss
""",
    explanation="`optim.SGD([w, b], lr=...)` holds the parameters; `step()` does "
    "`p -= lr * p.grad` under no_grad for each, and `zero_grad()` clears their gradients "
    "(by setting them to None, PyTorch's default). Swap SGD for `optim.Adam` and the loop "
    "stays the same.",
)
