"""Exercises for lesson 03, a logistic neuron: z = w·x + b, ŷ = σ(z), binary cross-entropy.

* ``ex1`` dL/dz by hand (numeric: sign, an extra σ′, dL/dŷ only, no sigmoid, no label; σ′
  taken as σ, 1 − σ or σ(1 + σ), the squared error's gradient, a sign slip in e^(−z))
* ``ex2`` dL/dw by hand (numeric; the same σ′ slips, carried through dz/dw = x)
* ``ex3`` the neuron with autograd, loss written out (tensor: minus sign, MSE, NaN, detach;
  a loss missing one of BCE's two terms, read from the graph since this sample's y = 1 hides
  it in the value; the library's ``nn.BCELoss`` / ``BCEWithLogitsLoss``, which are refused
  gently: the task is to write the formula out with ``torch.log``)
* ``ex4`` the batch gradient dL/dw by hand (numeric: sum vs mean, one sample, mean·mean)
* ``ex5`` the batch loss with autograd (tensor: reads sum/mean from the graph)

One sample: x = 3, label y = 1, w = b = −0.5, so z = −2 and ŷ = σ(−2) ≈ 0.119: a confident,
wrong neuron with a large gradient. The batch holds it as its last sample.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor
from .common import assigned_backward_mistake, grad_problem, several_passes_mistake
from .framework import (
    Correct,
    Diagnosis,
    Mistake,
    NotQuite,
    NumericExercise,
    TensorExercise,
    Verdict,
)
from .reading import (
    close,
    depends_on,
    describe,
    grad_of,
    op_names,
    tracked_inputs,
    value_of,
)

LESSON = "03 logistic neuron"
SAMPLE = {"x": 3.0, "y": 1.0, "w": -0.5, "b": -0.5}
BATCH_X = [1.0, -2.0, -0.5, 3.0]
BATCH_Y = [1.0, 0.0, 0.0, 1.0]


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _a(x: float, w: float, b: float) -> float:
    return _sigmoid(w * x + b)


def _bce(a: float, y: float) -> float:
    return -(y * math.log(a) + (1 - y) * math.log(1 - a))


def _sigma_prime(x: float, w: float, b: float) -> float:
    a = _a(x, w, b)
    return a * (1 - a)


def _dl_da(x: float, y: float, w: float, b: float) -> float:
    """dL/dŷ of BCE: (ŷ − y)/(ŷ(1 − ŷ))."""
    a = _a(x, w, b)
    return (a - y) / (a * (1 - a))


def _sigmoid_slips(times_x: bool) -> list[Mistake]:
    """The sigmoid's derivative got wrong: dL/dŷ times something other than σ′ = ŷ(1 − ŷ).

    Shared by ex1 (dL/dz) and ex2 (dL/dw, where ``times_x`` carries the slip through
    dz/dw = x). A sign slip in d/dz e^(−z) gives −σ′, the value of the ``sign`` mistake, so
    that one is named there. At this sample, slips and answer stay more than 10 % apart (the
    closest: σ(1 + σ) and σ, 10.7 %; σ and the answer, 11.9 %).
    """

    def carried(value: Any) -> Any:
        return lambda x, y, w, b: value(x, y, w, b) * (x if times_x else 1.0)

    return [
        Mistake("sigma_prime_is_sigma", "You took the sigmoid's derivative σ′(z) to be σ(z) "
                "itself. The sigmoid is not its own derivative.",
                hint="σ′(z) = σ(z)·(1 − σ(z)) = ŷ(1 − ŷ). With BCE it then cancels against the "
                "denominator of dL/dŷ.",
                value=carried(lambda x, y, w, b: _dl_da(x, y, w, b) * _a(x, w, b))),
        Mistake("sigma_prime_one_factor", "You took σ′(z) to be 1 − σ(z): the sigmoid's "
                "derivative has two factors, and one of them is missing.",
                hint="σ′(z) = σ(z)·(1 − σ(z)) = ŷ(1 − ŷ).",
                value=carried(lambda x, y, w, b: _dl_da(x, y, w, b) * (1 - _a(x, w, b)))),
        Mistake("sigma_prime_plus", "You took σ′(z) to be σ(z)·(1 + σ(z)): a sign in the "
                "sigmoid's derivative went wrong.",
                hint="σ′(z) = σ(z)·(1 − σ(z)). A check: σ′ is largest at z = 0, where it is "
                "1/4.",
                value=carried(lambda x, y, w, b: _dl_da(x, y, w, b) * _a(x, w, b)
                              * (1 + _a(x, w, b)))),
        Mistake("used_mse", "That is the gradient of the squared error (ŷ − y)², not of "
                "binary cross-entropy: the factor 2(ŷ − y) comes from differentiating a "
                "square.",
                hint="Differentiate BCE = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)] with respect to ŷ, "
                "then multiply by σ′(z) = ŷ(1 − ŷ).",
                value=carried(lambda x, y, w, b: 2 * (_a(x, w, b) - y)
                              * _sigma_prime(x, w, b))),
        Mistake("exp_sign", "Your ŷ came out above 1/2, although z is negative: a sign "
                "slipped in e^(−z), so you computed σ(+2) instead of σ(z).",
                hint="z = −2, so −z = +2 and e^(−z) = e². Then ŷ = 1/(1 + e²), which is "
                "below 1/2, as σ(z) is for every negative z.",
                value=carried(lambda x, y, w, b: _sigmoid(-(w * x + b)) - y)),
    ]


ex1 = NumericExercise(
    "ex1", "dL/dz by hand",
    lesson=LESSON,
    inputs=SAMPLE,
    answer=lambda x, y, w, b: _a(x, w, b) - y,
    mistakes=[
        Mistake("sign", "The sign is flipped. Here ŷ is too small for the label 1, so "
                "increasing z lowers the loss: the gradient is negative.",
                hint="dL/dz = ŷ − y, not y − ŷ: start from dL/dŷ = (ŷ − y)/(ŷ(1 − ŷ)) and "
                "keep its sign. If you differentiated σ yourself: d/dz e^(−z) = −e^(−z), and "
                "that minus cancels the one from differentiating 1/(1 + e^(−z)).",
                value=lambda x, y, w, b: y - _a(x, w, b)),
        Mistake("extra_sigma_prime", "You multiplied by σ′(z) = ŷ(1 − ŷ) once too often. With "
                "BCE, dL/dŷ already has ŷ(1 − ŷ) in its denominator, so the σ′ cancels.",
                hint="Write dL/dŷ = (ŷ − y)/(ŷ(1 − ŷ)) and dŷ/dz = ŷ(1 − ŷ) as fractions and "
                "cancel before multiplying.",
                value=lambda x, y, w, b: (_a(x, w, b) - y) * _sigma_prime(x, w, b)),
        Mistake("only_dl_da", "That is dL/dŷ, only the first factor. The chain rule continues "
                "through the sigmoid.",
                hint="dL/dz = dL/dŷ · dŷ/dz, and dŷ/dz = ŷ(1 − ŷ).",
                value=lambda x, y, w, b: (_a(x, w, b) - y) / _sigma_prime(x, w, b)),
        Mistake("no_sigmoid", "You used z where ŷ = σ(z) belongs: compute ŷ = 1/(1 + e^(−z)) "
                "first.",
                hint="z = w·x + b = −2. What is σ(−2)?",
                value=lambda x, y, w, b: (w * x + b) - y),
        Mistake("no_label", "You gave ŷ itself: the label y is missing from your gradient.",
                hint="The gradient compares the prediction with the label: dL/dz = ŷ − y.",
                value=lambda x, y, w, b: _a(x, w, b)),
        *_sigmoid_slips(times_x=False),
    ],
    hints=[
        "Forward first: z = w·x + b, then ŷ = σ(z).",
        "dL/dz = dL/dŷ · dŷ/dz; with BCE and the sigmoid this simplifies to ŷ − y.",
        "z = −0.5·3 − 0.5 = −2; ŷ = 1/(1 + e²); dL/dz = ŷ − 1.",
    ],
    answer_names=["dL_dz"],
    solution="""
z = -0.5 * 3.0 + -0.5
y_pred = 1 / (1 + math.exp(-z))
dL_dz = y_pred - 1.0
""",
    explanation="z = −2 and ŷ = σ(−2) ≈ 0.1192. dL/dŷ = (ŷ − y)/(ŷ(1 − ŷ)) and "
    "dŷ/dz = ŷ(1 − ŷ); their product is ŷ − y ≈ −0.8808. Negative: raising z would lower "
    "the loss, as it should when the label is 1 and ŷ is small.",
)

ex2 = NumericExercise(
    "ex2", "dL/dw by hand",
    lesson=LESSON,
    inputs=SAMPLE,
    answer=lambda x, y, w, b: (_a(x, w, b) - y) * x,
    mistakes=[
        Mistake("forgot_x", "That is dL/dz (and dL/db): one factor is missing, dz/dw = x.",
                hint="z = w·x + b. How much does z change when w changes by 1?",
                value=lambda x, y, w, b: _a(x, w, b) - y),
        Mistake("times_w", "You multiplied by w, but dz/dw = x (w's partner in w·x), not w.",
                hint="Differentiate w·x + b with respect to w: x is a constant here.",
                value=lambda x, y, w, b: (_a(x, w, b) - y) * w),
        Mistake("sign", "The sign is flipped. Here x = 3 is positive, so a larger w raises z and "
                "brings ŷ closer to the label 1: the loss falls, so dL/dw is negative.",
                hint="dL/dw = (ŷ − y)·x: start from dL/dz = ŷ − y and keep its sign. If you "
                "differentiated σ yourself, mind the minus in d/dz e^(−z) = −e^(−z).",
                value=lambda x, y, w, b: (y - _a(x, w, b)) * x),
        Mistake("extra_sigma_prime", "You multiplied by σ′(z) = ŷ(1 − ŷ) once too often: with "
                "BCE it cancels against the denominator of dL/dŷ.",
                hint="dL/dw = (dL/dz)·(dz/dw), and dL/dz = ŷ − y already.",
                value=lambda x, y, w, b: (_a(x, w, b) - y) * _sigma_prime(x, w, b) * x),
        Mistake("no_sigmoid", "You used z where ŷ = σ(z) belongs.",
                hint="Apply the sigmoid: ŷ = σ(−2) ≈ 0.12.",
                value=lambda x, y, w, b: ((w * x + b) - y) * x),
        *_sigmoid_slips(times_x=True),
    ],
    hints=[
        "dL/dw = (dL/dz)·(dz/dw), and you have dL/dz from ex1.",
        "z = w·x + b, so dz/dw = x.",
        "Multiply your ex1 answer by x = 3.",
    ],
    answer_names=["dL_dw"],
    solution="""
z = -0.5 * 3.0 + -0.5
y_pred = 1 / (1 + math.exp(-z))
dL_dw = (y_pred - 1.0) * 3.0
""",
    explanation="dL/dw = (ŷ − y)·x = (0.1192 − 1)·3 ≈ −2.6424. (And dL/db = ŷ − y, since "
    "dz/db = 1.)",
)


def _given_leaf_problem(t: Any, name: str) -> NotQuite | None:
    """``t`` should still be the answer cell's ``torch.tensor(-0.5, requires_grad=True)``."""
    given = "`torch.tensor(-0.5, requires_grad=True)`"
    if isinstance(t, Tensor) and not t.is_leaf:
        return NotQuite(f"`{name}` is no longer the given leaf {given}: it was recomputed by "
                        f"an operation (`{type(t.grad_fn).__name__}`). Leave `{name}` as the "
                        "cell gives it; this exercise only reads its gradient.")
    if not isinstance(t, Tensor) or not t.requires_grad:
        return NotQuite(f"`{name}` should stay the given leaf {given}; it is {describe(t)}"
                        f"{'' if not isinstance(t, Tensor) else ' that does not require grad'}.")
    return None


def _one_sample_loss() -> float:
    s = SAMPLE
    return _bce(_a(s["x"], s["w"], s["b"]), s["y"])


def _used_in_a_graph(t: Tensor) -> bool:
    """Whether some recorded operation took the leaf ``t`` as input (``z = w * x + b`` did).

    A leaf gets its AccumulateGrad node when a graph first uses it, and keeps it.
    """
    return getattr(t, "_acc", None) is not None


def _has_y0_term(loss: Tensor, a: float) -> bool:
    """Whether the graph behind ``loss`` computes BCE's y = 0 term, however it is spelled.

    The learner's ``y`` never enters the graph (``1 - y`` is 0 before any operation records
    it), so the loss cannot be evaluated again for a sample labelled 0. What the graph does
    keep is what each operation received: the term ln(1 − ŷ) has some operation working on
    1 − ŷ (``torch.log(1 - y_pred)``, ``torch.log(torch.sigmoid(-z))``,
    ``(1 - y_pred) ** (1 - y)``) or on ln(1 − ŷ) itself, or its negation (``torch.log1p(-y_pred)``
    feeding the product with 1 − y, ``softplus(z)``).
    """
    targets = (1 - a, math.log(1 - a), -math.log(1 - a))
    return any(close(v, t, 1e-4) for v in tracked_inputs(loss) if v.size == 1 for t in targets)


def _judge_neuron(loss: Any, w: Any, b: Any) -> Verdict:
    s = SAMPLE
    for t, name in ((w, "w"), (b, "b")):
        problem = _given_leaf_problem(t, name)
        if problem is not None:
            return problem
    if loss is None and grad_of(w) is not None:
        return Diagnosis("assigned_backward")
    if not isinstance(loss, Tensor):
        return Diagnosis("loss_not_tensor", {"what": describe(loss)})
    if loss.numel() != 1:
        return NotQuite(f"`loss` is {describe(loss)}; for one sample it is a single number.")
    value = float(value_of(loss).reshape(()))
    if math.isnan(value):
        return Diagnosis("nan_loss")
    if loss.grad_fn is None and _used_in_a_graph(w) and _used_in_a_graph(b):
        return Diagnosis("loss_lost_graph")
    for t, name in ((w, "w"), (b, "b")):
        if not depends_on(loss, t):
            return Diagnosis("detached", {"name": name})
    library = [op for op in op_names(loss) if op.startswith("BinaryCrossEntropy")]
    if library:
        return Diagnosis("library_loss", {"op": library[0]})
    expected = _one_sample_loss()
    a = _a(s["x"], s["w"], s["b"])
    if close(value, -expected, 1e-4):
        return Diagnosis("missing_minus")
    if close(value, (a - s["y"]) ** 2, 1e-4):
        return Diagnosis("used_mse")
    if abs(value) < 1e-6:
        return Diagnosis("only_y0_term")
    if not close(value, expected, 1e-4):
        return NotQuite(f"`loss` is {value:.4f}, which is not the binary cross-entropy "
                        "−[y·ln ŷ + (1 − y)·ln(1 − ŷ)] of this sample.")
    # This sample's label is 1, so a loss without the (1 − y) term has the right value too;
    # the graph tells them apart (see _has_y0_term).
    if not _has_y0_term(loss, a):
        return Diagnosis("only_y1_term")
    return (grad_problem(w, "w", (a - s["y"]) * s["x"]) or grad_problem(b, "b", a - s["y"])
            or Correct("Autograd agrees with your hand-derived gradients: w.grad ≈ −2.6424 = "
                       "(ŷ − y)·x and b.grad ≈ −0.8808 = ŷ − y."))


_NEURON_SETUP = """x = torch.tensor(3.0)
y = torch.tensor(1.0)
w = torch.tensor(-0.5, requires_grad=True)
b = torch.tensor(-0.5, requires_grad=True)
"""

ex3 = TensorExercise(
    "ex3", "the neuron with autograd",
    lesson=LESSON,
    judge=_judge_neuron,
    mistakes=[
        Mistake("loss_not_tensor", "`loss` is {what}. Compute it from `y_pred` with tensor "
                "operations (`torch.log`), so that autograd records it.",
                hint="`torch.log`, not `math.log`; and no `.item()` before backward.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = -math.log(y_pred.item())\n"),
        Mistake("nan_loss", "`loss` is nan: a log of a negative number or of 0. Did you apply "
                "the sigmoid? BCE needs a prediction strictly between 0 and 1.",
                hint="`y_pred = torch.sigmoid(z)` before taking logs.",
                example=_NEURON_SETUP + "y_pred = w * x + b\n"
                "loss = -(y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred))\n"),
        Mistake("loss_lost_graph", "`loss` is a tensor without a graph, although your forward "
                "pass from w and b recorded one: some step between `y_pred` and `loss` lost it. "
                "A `math` function such as `math.log` works on plain numbers only, so it turns "
                "the tensor into one; `.item()`, `float()` and `.detach()` leave the graph "
                "behind too. Autograd cannot follow such a loss back to w and b (and "
                "`loss.backward()` raises a RuntimeError: \"does not have a grad_fn\").",
                hint="Every step from `y_pred` to `loss` must be a tensor operation: `torch.log`, "
                "not `math.log`.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = -(y * math.log(y_pred) + (1 - y) * math.log(1 - y_pred))\n"),
        Mistake("detached", "`loss` does not depend on `{name}`: did you `detach()` it, use "
                "`.item()` or compute under `torch.no_grad()`? Then `{name}.grad` stays None.",
                hint="Use the tensors w and b themselves in `z = w * x + b`, with tracking on.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w.detach() * x + b)\n"
                "loss = -(y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred))\n"
                "loss.backward()\n"),
        Mistake("missing_minus", "Your loss is negative: the minus in front of BCE is missing. "
                "Logs of probabilities are ≤ 0, so BCE = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)] ≥ 0. "
                "Without the minus, gradient descent would make the predictions worse.",
                hint="Put the whole bracket under one minus sign.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred)\n"
                "loss.backward()\n"),
        Mistake("used_mse", "That is the squared error (ŷ − y)², not binary cross-entropy. "
                "BCE is −[y·ln ŷ + (1 − y)·ln(1 − ŷ)], as in the lesson.",
                hint="BCE uses `torch.log` of the prediction.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = (y_pred - y) ** 2\nloss.backward()\n"),
        Mistake("only_y1_term", "Your loss has the right value here only because this "
                "sample's label is y = 1: it has no (1 − y)·ln(1 − ŷ) term (nothing in your "
                "graph works on 1 − ŷ or its log). For a sample labelled 0 your loss would be "
                "0 whatever the prediction, so the neuron could never learn from negative "
                "examples.",
                hint="BCE has one term per label: y·ln ŷ counts when y = 1, (1 − y)·ln(1 − ŷ) "
                "when y = 0. Write both, under one minus sign.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = -(y * torch.log(y_pred))\nloss.backward()\n"),
        Mistake("only_y0_term", "Your loss is 0: it holds only the (1 − y)·ln(1 − ŷ) term, "
                "which vanishes for this sample's label y = 1. The y·ln ŷ term, the one that "
                "counts here, is missing.",
                hint="BCE has one term per label: y·ln ŷ for y = 1 and (1 − y)·ln(1 − ŷ) for "
                "y = 0.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = -((1 - y) * torch.log(1 - y_pred))\nloss.backward()\n"),
        Mistake("library_loss", "You used the library's loss (your graph ends in `{op}`). In "
                "real code that is the better choice, but this "
                "exercise asks you to write BCE out with `torch.log`, so that each of its terms "
                "is a node you can see in the graph.",
                hint="BCE = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)], with `torch.log` for ln.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = nn.BCELoss()(y_pred, y)\nloss.backward()\n"),
        Mistake("no_backward", "`w.grad` or `b.grad` is None: the backward pass has not run.",
                hint="Gradients appear only after `backward()` on the loss.",
                example=_NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                "loss = -(y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred))\n"),
        assigned_backward_mistake("loss", _NEURON_SETUP + "y_pred = torch.sigmoid(w * x + b)\n"
                                  "loss = -(y * torch.log(y_pred) + (1 - y) * "
                                  "torch.log(1 - y_pred))\nloss = loss.backward()\n"),
        several_passes_mistake("w", _NEURON_SETUP + "for _ in range(2):\n"
                               "    y_pred = torch.sigmoid(w * x + b)\n"
                               "    loss = -(y * torch.log(y_pred) + (1 - y) * "
                               "torch.log(1 - y_pred))\n    loss.backward()\n"),
    ],
    hints=[
        "Forward: z, then the sigmoid, then BCE; then backward on the loss.",
        "`z = w * x + b`; `y_pred = torch.sigmoid(z)`; BCE with `torch.log`.",
        "`loss = -(y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred))`; "
        "`loss.backward()`.",
    ],
    answer_names=["loss", "w", "b"],
    solution=_NEURON_SETUP + """
z = w * x + b
y_pred = torch.sigmoid(z)
loss = -(y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred))
loss.backward()
""",
    explanation="The graph is w, b → MulBackward0/AddBackward0 → SigmoidBackward0 → log, "
    "mul, add → NegBackward0. `loss.backward()` fills `w.grad` ≈ −2.6424 and `b.grad` ≈ "
    "−0.8808: the numbers from ex1 and ex2.",
)


BATCH = {"xs": BATCH_X, "ys": BATCH_Y, "w": SAMPLE["w"], "b": SAMPLE["b"]}


def _batch_parts(xs: list[float], ys: list[float], w: float,
                 b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = np.array(xs), np.array(ys)
    return x, y, 1 / (1 + np.exp(-(w * x + b)))


def _batch(kind: str, **batch: Any) -> float:
    """The batch gradient dL/dw, done right ("mean") or in one of the usual wrong ways."""
    x, y, a = _batch_parts(**batch)
    per_sample = (a - y) * x
    return float({
        "mean": per_sample.mean(),
        "sum": per_sample.sum(),
        "divided_twice": per_sample.mean() / len(x),
        "last_only": per_sample[-1],
        "first_only": per_sample[0],
        "mean_times_mean": (a - y).mean() * x.mean(),
        "forgot_x": (a - y).mean(),
    }[kind])


ex4 = NumericExercise(
    "ex4", "the batch gradient by hand",
    lesson=LESSON,
    inputs=BATCH,
    answer=lambda **batch: _batch("mean", **batch),
    mistakes=[
        Mistake("sum", "That is the sum of the per-sample gradients, 4× too large. The loss "
                "is the mean over the batch, so its gradient is the mean too.",
                hint="The derivative of a mean is the mean of the derivatives.",
                value=lambda **batch: _batch("sum", **batch)),
        Mistake("divided_twice", "You divided by the batch size twice: the mean already "
                "divides by 4.",
                hint="Either `.mean()` or `.sum() / 4`, not both.",
                value=lambda **batch: _batch("divided_twice", **batch)),
        Mistake("last_only", "That is the gradient of the last sample only (x = 3, your "
                "ex2 answer). The batch loss averages all four samples.",
                hint="Compute (ŷᵢ − yᵢ)·xᵢ for every i, then average.",
                value=lambda **batch: _batch("last_only", **batch)),
        Mistake("first_only", "That is the gradient of the first sample only. The batch loss "
                "averages all four samples.",
                hint="Compute (ŷᵢ − yᵢ)·xᵢ for every i, then average.",
                value=lambda **batch: _batch("first_only", **batch)),
        Mistake("mean_times_mean", "You multiplied mean(ŷ − y) by mean(x). The mean of a "
                "product is not the product of the means: multiply per sample, then average.",
                hint="`((y_pred - ys) * xs).mean()`: the product comes first.",
                value=lambda **batch: _batch("mean_times_mean", **batch)),
        Mistake("forgot_x", "That is mean(ŷ − y), the batch's dL/db. For w each sample's "
                "error is multiplied by its own x.",
                hint="dzᵢ/dw = xᵢ.",
                value=lambda **batch: _batch("forgot_x", **batch)),
    ],
    hints=[
        "The batch loss is the mean of the four per-sample losses, so its gradient is the "
        "mean of the four per-sample gradients.",
        "Per sample, dLᵢ/dw = (ŷᵢ − yᵢ)·xᵢ, as in ex2.",
        "`y_pred = torch.sigmoid(w * xs + b)`; `dL_dw = ((y_pred - ys) * xs).mean()`.",
    ],
    answer_names=["dL_dw"],
    solution="""
xs = torch.tensor([1.0, -2.0, -0.5, 3.0])
ys = torch.tensor([1.0, 0.0, 0.0, 1.0])
w, b = -0.5, -0.5
y_pred = torch.sigmoid(w * xs + b)
dL_dw = ((y_pred - ys) * xs).mean()
""",
    explanation="Per sample dLᵢ/dw = (ŷᵢ − yᵢ)·xᵢ; the mean loss has the mean gradient: "
    "((ŷ − y)·x).mean() ≈ −1.2093. Using the sum instead would make every step 4× larger, "
    "and change with the batch size.",
)


def _batch_loss(reduce: str) -> float:
    _, y, a = _batch_parts(**BATCH)
    losses = -(y * np.log(a) + (1 - y) * np.log(1 - a))
    return float(losses.mean() if reduce == "mean" else losses.sum())


def _judge_batch(loss: Any, w: Any) -> Verdict:
    problem = _given_leaf_problem(w, "w")
    if problem is not None:
        return problem
    if loss is None and grad_of(w) is not None:
        return Diagnosis("assigned_backward")
    if not isinstance(loss, Tensor):
        return Diagnosis("loss_not_tensor", {"what": describe(loss)})
    if loss.numel() == len(BATCH_X) and loss.dim() == 1:
        return Diagnosis("not_reduced")
    if loss.numel() != 1:
        return NotQuite(f"`loss` is {describe(loss)}; it should be a single number.")
    if not depends_on(loss, w):
        return Diagnosis("detached")
    value = float(value_of(loss).reshape(()))
    root = (op_names(loss) or ["(none)"])[0]
    if close(value, _batch_loss("sum"), 1e-4):
        return Diagnosis("used_sum", {"root": root})
    if close(value, _batch_loss("mean") / len(BATCH_X), 1e-4):
        return Diagnosis("divided_twice")
    if not close(value, _batch_loss("mean"), 1e-4):
        return NotQuite(f"`loss` is {value:.4f}, which is not the mean of the per-sample "
                        "losses.")
    return grad_problem(w, "w", _batch("mean", **BATCH)) or Correct(
        f"The root of your graph is {root}, and `w.grad` is the mean of the four per-sample "
        "gradients: your ex4 answer.")


_BATCH_SETUP = """xs = torch.tensor([1.0, -2.0, -0.5, 3.0])
ys = torch.tensor([1.0, 0.0, 0.0, 1.0])
w = torch.tensor(-0.5, requires_grad=True)
b = torch.tensor(-0.5, requires_grad=True)
y_pred = torch.sigmoid(w * xs + b)
losses = -(ys * torch.log(y_pred) + (1 - ys) * torch.log(1 - y_pred))
"""

ex5 = TensorExercise(
    "ex5", "the batch loss with autograd",
    lesson=LESSON,
    judge=_judge_batch,
    mistakes=[
        Mistake("loss_not_tensor", "`loss` is {what}. Reduce the tensor `losses` with a tensor "
                "method so that autograd records it.",
                hint="`losses.mean()` is a tensor with a `grad_fn`.",
                example=_BATCH_SETUP + "loss = float(losses.mean())\n"),
        Mistake("not_reduced", "`loss` still has 4 values, one per sample. `backward()` needs "
                "one number (that is the RuntimeError \"grad can be implicitly created only "
                "for scalar outputs\"): the batch needs one loss for all its samples.",
                hint="Which method turns a vector of losses into their average?",
                example=_BATCH_SETUP + "loss = losses\n"),
        Mistake("detached", "`loss` does not depend on `w`: did you `detach()` it, or compute "
                "under `torch.no_grad()`?",
                hint="Reduce `losses` itself.",
                example=_BATCH_SETUP + "loss = losses.detach().mean()\n"),
        Mistake("used_sum", "You added the per-sample losses up (the root of your graph is "
                "{root}), but the batch loss is their average. With a sum, the gradient, and "
                "so every step, grows with the batch size: here it is 4× too large.",
                hint="An average divides the total by the number of samples; a tensor has a "
                "method that does both in one go, as in the lesson's vector example.",
                example=_BATCH_SETUP + "loss = losses.sum()\nloss.backward()\n"),
        Mistake("divided_twice", "You divided by the batch size twice: `mean()` already "
                "divides by 4.",
                hint="`losses.mean()` alone.",
                example=_BATCH_SETUP + "loss = losses.mean() / 4\nloss.backward()\n"),
        Mistake("no_backward", "`w.grad` is None: the backward pass has not run.",
                hint="Gradients appear only after `backward()` on the loss.",
                example=_BATCH_SETUP + "loss = losses.mean()\n"),
        assigned_backward_mistake("loss", _BATCH_SETUP + "loss = losses.mean()\n"
                                  "loss = loss.backward()\n"),
        several_passes_mistake("w", _BATCH_SETUP + "loss = losses.mean()\n"
                               "loss.backward(retain_graph=True)\nloss.backward()\n"),
    ],
    hints=[
        "`backward()` needs a single number: combine the four losses into one.",
        "The lesson's vector example used `.mean()`.",
        "`loss = losses.mean()`; `loss.backward()`.",
    ],
    answer_names=["loss", "w"],
    solution=_BATCH_SETUP + """
loss = losses.mean()
loss.backward()
""",
    explanation="`losses.mean()` records `MeanBackward0`, whose backward hands each sample "
    "1/4 of the incoming gradient. So `w.grad` is the mean of the per-sample gradients, "
    "≈ −1.2093, exactly your ex4 answer.",
)
