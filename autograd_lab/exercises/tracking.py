"""Exercises for lesson 05: switching tracking off with requires_grad_(False), detach(), no_grad().

* ``ex1`` does y require grad? Five snippets (predictions)
* ``ex2`` explain the RuntimeError after ``detach()`` (choice)
* ``ex3`` write ``predict(w, b, xs)`` that builds no graph (function)
* ``ex4`` write ``sgd_update(w, lr)``: update in place under ``no_grad`` (function; reads
  whether the returned w is still the same leaf that requires grad)
"""

from __future__ import annotations

import numpy as np

from ..creation import tensor
from ..tensor import Tensor
from .common import data_note, is_no_grad_not_called, no_grad_not_called_mistake
from .framework import (
    ChoiceExercise,
    Correct,
    Diagnosis,
    FunctionExercise,
    Mistake,
    NotQuite,
    PredictExercise,
    Probe,
    Verdict,
)
from .probe import LearnerRaised
from .reading import close, describe, value_of

LESSON = "05 tracking off"

ex1 = PredictExercise(
    "ex1", "does y require grad?",
    lesson=LESSON,
    expected={"a": False, "b": False, "c": False, "d": True, "e": True},
    mistakes=[
        Mistake("a_tracked", "`x.requires_grad_(False)` switches tracking off for x itself, "
                "so `y = x**2` is computed from an untracked tensor.",
                hint="After (a), what does `x.requires_grad` say?", value=("a", True)),
        Mistake("b_tracked", "`x.detach()` returns a tensor with the same values but outside "
                "the graph; y computed from it only is not tracked.",
                hint="Does `x.detach()` require grad?", value=("b", True)),
        Mistake("c_tracked", "Inside `torch.no_grad()` nothing is recorded, even from an x "
                "that requires grad: y has no `grad_fn`.",
                hint="What does no_grad stop?", value=("c", True)),
        Mistake("d_untracked", "One factor is detached, but the other factor is x itself, "
                "which requires grad: the product is tracked (`grad_fn=<MulBackward0>`). An "
                "op's result requires grad if any input does.",
                hint="Look at each input of the multiplication.", value=("d", False)),
        Mistake("e_untracked", "`no_grad()` acts only inside its `with` block. Once the "
                "block ends, recording is back on, so y is tracked.",
                hint="Where is y computed: inside or after the block?", value=("e", False)),
    ],
    hints=[
        "A result requires grad when grad mode is on and at least one input requires grad.",
        "requires_grad_(False) changes x; detach() makes a new untracked tensor; no_grad() "
        "only acts inside its block.",
    ],
    answer_names=["predictions"],
    solution='predictions = {"a": False, "b": False, "c": False, "d": True, "e": True}',
    explanation="(a) x no longer requires grad, so nothing is tracked. (b) x.detach() is "
    "untracked. (c) nothing is recorded inside no_grad. (d) x.detach() * x still has x as an "
    "input: tracked. (e) after the with block recording is on again: tracked.",
)

ex2 = ChoiceExercise(
    "ex2", "explain the RuntimeError",
    lesson=LESSON,
    question="`x = torch.tensor(2.0, requires_grad=True)`, `z = x.detach()`, `y1 = z**2`, "
    "`y1.backward()` raises `RuntimeError: element 0 of tensors does not require grad and "
    "does not have a grad_fn`. Why?",
    options={
        "a": "z has x's values but no history and no `requires_grad`, so y1 was computed "
        "without recording: there is no graph to backpropagate through",
        "b": "the graph through x was already used by an earlier backward and freed",
        "c": "y1 is not a scalar, so backward needs a `gradient` argument",
        "d": "x.grad already holds a gradient, and backward refuses to overwrite it",
    },
    answer="a",
    mistakes=[
        Mistake("freed_graph", "A freed graph gives a different error (\"Trying to backward "
                "through the graph a second time\"). Here y1 never had a graph: it came from "
                "z, which is detached.",
                hint="Print y1: does it have a `grad_fn`?", value="b"),
        Mistake("not_scalar", "y1 = z**2 is a single number. The non-scalar error reads "
                "\"grad can be implicitly created only for scalar outputs\".",
                hint="Read the message: what does it say element 0 lacks?", value="c"),
        Mistake("grad_exists", "Backward never refuses because of an existing `.grad`; it "
                "adds to it (lesson 04). The message says y1 has no `grad_fn`.",
                hint="Read the message: what does it say element 0 lacks?", value="d"),
    ],
    hints=[
        "Read the message: element 0 (y1) \"does not have a grad_fn\". Why not?",
        "What does `x.detach()` return?",
    ],
    answer_names=["answer"],
    solution='answer = "a"',
    explanation="`detach()` returns a tensor that shares x's memory but is cut from the graph "
    "(no `grad_fn`, `requires_grad=False`). Everything computed from it alone is untracked, "
    "so `y1.backward()` has nothing to walk and raises exactly this error.",
)

_XS = [1.0, 2.0, 3.0]


def _leaf_param(value: float) -> Tensor:
    return tensor(value, requires_grad=True)


def _judge_predict(predict: Probe) -> Verdict:
    w, b = _leaf_param(2.0), _leaf_param(0.5)
    xs = tensor(_XS)
    try:
        result = predict(w, b, xs, shown_args=(_leaf_param(2.0), _leaf_param(0.5), tensor(_XS)))
    except LearnerRaised as raised:
        if is_no_grad_not_called(raised.error):
            return Diagnosis("no_grad_not_called", error=raised)
        raise
    if not w.requires_grad or not b.requires_grad:
        which = "w" if not w.requires_grad else "b"
        return Diagnosis("froze_parameter", {"name": which})
    if predict.left_grad_off:
        return Diagnosis("left_grad_off")
    if result is None:
        return Diagnosis("no_return")
    if not isinstance(result, Tensor):
        return NotQuite(f"`predict` returned {describe(result)}; return the tensor "
                        "`w * xs + b`.")
    if result.shape != xs.shape or not close(value_of(result), 2.0 * np.array(_XS) + 0.5, 1e-5):
        return NotQuite("`predict` returned the wrong values: it should compute `w * xs + b`.")
    if result.requires_grad:
        return Diagnosis("tracked_result", {"fn": type(result.grad_fn).__name__})
    return Correct()


ex3 = FunctionExercise(
    "ex3", "predict without a graph",
    lesson=LESSON,
    function_name="predict",
    judge=_judge_predict,
    mistakes=[
        Mistake("tracked_result", "Your result still requires grad (it has "
                "`grad_fn=<{fn}>`): autograd recorded a graph while computing it.",
                hint="One of lesson 05's three ways pauses recording for a block of code, "
                "without touching w and b.",
                example="def predict(w, b, xs):\n    return w * xs + b\n"),
        Mistake("froze_parameter", "After your function, `{name}.requires_grad` is False: "
                "you switched tracking off for the parameter itself, for good, so training "
                "would stop learning it.",
                hint="Don't change w and b; change how the computation is run.",
                example="def predict(w, b, xs):\n    w.requires_grad_(False)\n"
                "    b.requires_grad_(False)\n    return w * xs + b\n"),
        Mistake("left_grad_off", "Your predictions are untracked, but `predict` also left "
                "recording switched off for everything after it: `torch.set_grad_enabled(False)` "
                "outside a `with` block holds until something switches it back on, so the next "
                "training step would build no graph.",
                hint="Pause recording for a block only, so that it comes back on by itself.",
                example="def predict(w, b, xs):\n    torch.set_grad_enabled(False)\n"
                "    return w * xs + b\n"),
        no_grad_not_called_mistake("def predict(w, b, xs):\n    with torch.no_grad:\n"
                                   "        return w * xs + b\n"),
        Mistake("no_return", "`predict` returned None: did you forget `return`?",
                hint="`return w * xs + b` inside the with block works.",
                example="def predict(w, b, xs):\n    with torch.no_grad():\n"
                "        y = w * xs + b\n"),
    ],
    hints=[
        "Predictions need no gradients: don't let autograd record them.",
        "`torch.no_grad()` is a context manager: `with torch.no_grad(): ...`.",
        "`with torch.no_grad():` then `return w * xs + b` inside it.",
    ],
    answer_names=["predict"],
    solution="""
def predict(w, b, xs):
    with torch.no_grad():
        return w * xs + b
""",
    explanation="Inside `no_grad()` no graph is built, so the predictions cost no memory for "
    "backward and `requires_grad` is False, while w and b stay trainable. "
    "`(w * xs + b).detach()` gives the same tensor, but builds the graph first.",
)


def _judge_update(sgd_update: Probe) -> Verdict:
    w = _leaf_param(1.5)
    (w**2).backward()  # w.grad = 2w = 3
    try:
        result = sgd_update(w, 0.1, shown_args=(_leaf_param(1.5), 0.1))
    except LearnerRaised as raised:
        if "leaf Variable" in str(raised.error):
            return Diagnosis("outside_no_grad", error=raised)
        if is_no_grad_not_called(raised.error):
            return Diagnosis("no_grad_not_called", error=raised)
        raise
    if result is None:
        if close(value_of(w), 1.2, 1e-6):
            return Diagnosis("no_return")
        return Diagnosis("rebound_name")
    if not isinstance(result, Tensor):
        return NotQuite(f"`sgd_update` returned {describe(result)}; return the tensor `w`.")
    if result.grad_fn is not None:
        return Diagnosis("not_leaf", {"fn": type(result.grad_fn).__name__})
    if not result.requires_grad:
        if result is w:
            return Diagnosis("froze_w")
        return Diagnosis("new_untracked")
    if close(value_of(result), 1.8, 1e-6):
        return Diagnosis("uphill")
    if not close(value_of(result), 1.2, 1e-6):
        return NotQuite(f"After one step w should move from 1.5 by −lr·grad = −0.3; yours "
                        f"holds {float(value_of(result)):g}.")
    if result is not w:
        return Diagnosis("new_tensor")
    return Correct(data_note(sgd_update.func))


ex4 = FunctionExercise(
    "ex4", "an update that keeps w a leaf",
    lesson=LESSON,
    function_name="sgd_update",
    judge=_judge_update,
    mistakes=[
        Mistake("outside_no_grad", "That is the update running outside `torch.no_grad()`: "
                "PyTorch refuses to change a leaf that requires grad in place while it is "
                "recording.",
                hint="The update itself must not be recorded: run it where autograd records "
                "nothing.",
                example="def sgd_update(w, lr):\n    w -= lr * w.grad\n    return w\n"),
        Mistake("not_leaf", "The `w` you return is no longer a leaf: the update ran outside "
                "`no_grad()` and was recorded (`grad_fn=<{fn}>`). Backward would never fill "
                "its `.grad`, so training would stall after one step.",
                hint="Update in place (`-=`) inside `torch.no_grad()`.",
                example="def sgd_update(w, lr):\n    w = w - lr * w.grad\n    return w\n"),
        Mistake("new_untracked", "The `w` you return does not require grad: it is a new, "
                "untracked tensor (`w - lr * w.grad` inside `no_grad()` makes one, and so does "
                "`detach()`), and the caller's w is left behind.",
                hint="`w -= ...` changes the tensor; `w = w - ...` makes another one.",
                example="def sgd_update(w, lr):\n    with torch.no_grad():\n"
                "        w = w - lr * w.grad\n    return w\n"),
        no_grad_not_called_mistake("def sgd_update(w, lr):\n    with torch.no_grad:\n"
                                   "        w -= lr * w.grad\n    return w\n"),
        Mistake("froze_w", "`w` no longer requires grad: `requires_grad_(False)` turned "
                "tracking off for good. `no_grad()` pauses recording without changing w.",
                hint="Use `with torch.no_grad():` instead of changing w's flag.",
                example="def sgd_update(w, lr):\n    w.requires_grad_(False)\n"
                "    w -= lr * w.grad\n    return w\n"),
        Mistake("uphill", "w moved up the slope: gradient descent subtracts lr·grad.",
                hint="The gradient points uphill; step the other way.",
                example="def sgd_update(w, lr):\n    with torch.no_grad():\n"
                "        w += lr * w.grad\n    return w\n"),
        Mistake("rebound_name", "`sgd_update` returned None and the caller's w did not "
                "change: `w = w - ...` only points the name w at a new tensor, inside your "
                "function.",
                hint="In-place operators (`-=`) change the tensor the caller holds.",
                example="def sgd_update(w, lr):\n    with torch.no_grad():\n"
                "        w = w - lr * w.grad\n"),
        Mistake("no_return", "w was updated correctly, but `sgd_update` returned None: "
                "end with `return w`.",
                hint="Add `return w` at the end.",
                example="def sgd_update(w, lr):\n    with torch.no_grad():\n"
                "        w -= lr * w.grad\n"),
        Mistake("new_tensor", "The value is right, but you returned a new tensor: an "
                "optimizer holds on to the original w, so update that one in place.",
                hint="`w -= ...` keeps the same object.",
                example="def sgd_update(w, lr):\n    with torch.no_grad():\n"
                "        new = w - lr * w.grad\n    return new.requires_grad_()\n"),
    ],
    hints=[
        "The update itself must not be recorded, and must change the w the caller holds.",
        "`with torch.no_grad():` and an in-place `-=`.",
        "`with torch.no_grad(): w -= lr * w.grad`, then `return w`.",
    ],
    answer_names=["sgd_update"],
    solution="""
def sgd_update(w, lr):
    with torch.no_grad():
        w -= lr * w.grad
    return w
""",
    explanation="Under `no_grad()` the in-place `-=` is not recorded, so w stays the same "
    "leaf tensor with `requires_grad=True` and its `.grad` keeps being filled by the next "
    "backward. Outside `no_grad()` PyTorch refuses the in-place change; `w = w - ...` makes "
    "a new non-leaf tensor instead (\"w is no longer a leaf\").",
)
