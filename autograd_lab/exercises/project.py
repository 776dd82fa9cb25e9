"""The project for lesson 07: a small network that separates two interleaving moons.

* ``ex1`` ``make_model()``: 2 inputs → hidden layer with a nonlinearity → 1 logit (function)
* ``ex2`` ``train(model, x, y, epochs)``: the PyTorch training loop (function; reads the
  parameters' gradients and the returned losses)
* ``ex3`` ``accuracy(model, x, y)`` (function; thresholds, broadcasting, percentages)
* ``ex4`` why a hidden nonlinearity is needed (reflect)

The notebook's data is ``two_moons(200, noise=0.2, seed=0)``, as in lesson 07. Measured on it
(seed 0, Adam lr = 0.05, 300 epochs): two stacked Linear layers 88.5 % (the best straight
line 89 %), the 16-unit tanh network 98 %. The numbers the notebook and ``ex4`` quote are
these.

Uses ``autograd_lab.nn``, ``autograd_lab.optim`` and ``autograd_lab.data.two_moons``.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..autograd.grad_mode import no_grad
from ..creation import manual_seed, tensor
from ..data import two_moons
from ..tensor import Tensor
from ._blank import _code_objects, function_code
from .framework import (
    Correct,
    Diagnosis,
    FunctionExercise,
    Mistake,
    NotQuite,
    Probe,
    ReflectExercise,
    Verdict,
)
from .probe import LearnerRaised, Name
from .reading import describe, grad_passes, read_number, value_of

LESSON = "07 project"


def _judge_make_model(make_model: Probe) -> Verdict:
    if isinstance(make_model.func, nn.Module):
        return NotQuite("`make_model` is a model itself, not a function that makes one: "
                        "write `def make_model():` and return the model from it.")
    manual_seed(0)
    try:
        model = make_model()
    except LearnerRaised as raised:
        if "is not a Module subclass" in str(raised.error):
            return Diagnosis("not_a_layer", error=raised)
        raise
    if not isinstance(model, nn.Module):
        return NotQuite(f"`make_model` returned {describe(model)}; return a module such as "
                        "`nn.Sequential(...)`.")
    params = list(model.parameters())
    if not params or not all(p.requires_grad for p in params):
        return NotQuite("Your model has no trainable parameters.")
    points = tensor([[0.0, 0.0], [1.0, -0.5], [-1.5, 2.0], [2.0, 1.0], [-0.5, -1.0]])
    try:
        out = make_model.run(model, points, name="model")
    except LearnerRaised as raised:  # the learner's module failed on a batch of 2-d points
        if "cannot be multiplied" in str(raised.error) and "(5x2 and" not in str(raised.error):
            return Diagnosis("layer_mismatch", {"error": raised.error_line})
        return Diagnosis("wrong_inputs", {"error": raised.error_line})
    if not isinstance(out, Tensor) or tuple(out.shape) != (5, 1):
        shape = tuple(out.shape) if isinstance(out, Tensor) else describe(out)
        return Diagnosis("wrong_outputs", {"shape": shape})
    # far-away points give logits far from 0..1, unless a sigmoid squashes them
    far = value_of(make_model.run(model, points * 100.0, name="model"))
    if np.all((far >= 0) & (far <= 1)):
        return Diagnosis("ends_in_sigmoid")
    # a model without a hidden nonlinearity is affine: f(a) + f(b) = f(a + b) + f(0)
    a, b = points[1:2], points[2:3]
    outputs = [value_of(make_model.run(model, p, name="model")) for p in (a, b, a + b, points[:1])]
    lhs, rhs = outputs[0] + outputs[1], outputs[2] + outputs[3]
    if np.allclose(lhs, rhs, atol=1e-5):
        return Diagnosis("no_nonlinearity")
    return Correct()


ex1 = FunctionExercise(
    "ex1", "make_model",
    lesson=LESSON,
    function_name="make_model",
    judge=_judge_make_model,
    mistakes=[
        Mistake("wrong_inputs", "Your model failed on a batch of 2-d points ({error}). Each "
                "point has 2 coordinates, so the first layer is `nn.Linear(2, hidden)`.",
                hint="`nn.Linear(in_features, out_features)`: in_features = 2.",
                example="def make_model():\n    return nn.Sequential(nn.Linear(3, 16), "
                "nn.Tanh(), nn.Linear(16, 1))\n"),
        Mistake("layer_mismatch", "Your layers do not fit together ({error}): the points "
                "got into the first layer, but a later Linear layer expects a different number "
                "of inputs than the layer before it gives out.",
                hint="In `nn.Linear(a, b)` → `nn.Linear(c, d)`, c must equal b.",
                example="def make_model():\n    return nn.Sequential(nn.Linear(2, 16), "
                "nn.Tanh(), nn.Linear(8, 1))\n"),
        Mistake("not_a_layer", "`nn.Sequential` takes layer objects, and one of yours is not "
                "one: a layer class without brackets (`nn.Tanh`), or a plain function such as "
                "`torch.tanh`.",
                hint="Each entry is a layer made by calling its class, like `nn.Linear(2, 16)`.",
                example="def make_model():\n    return nn.Sequential(nn.Linear(2, 16), "
                "nn.Tanh, nn.Linear(16, 1))\n"),
        Mistake("wrong_outputs", "For 5 points your model gave {shape}; it should give one "
                "logit per point, shape (5, 1), for `BCEWithLogitsLoss`.",
                hint="The last layer is `nn.Linear(hidden, 1)`.",
                example="def make_model():\n    return nn.Sequential(nn.Linear(2, 16), "
                "nn.Tanh(), nn.Linear(16, 2))\n"),
        Mistake("ends_in_sigmoid", "Your model's outputs are all between 0 and 1: it ends in "
                "a sigmoid. `BCEWithLogitsLoss` applies the sigmoid itself (in a numerically "
                "safe way), so the model should output raw logits.",
                hint="Remove the final `nn.Sigmoid()`.",
                example="def make_model():\n    return nn.Sequential(nn.Linear(2, 16), "
                "nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())\n"),
        Mistake("no_nonlinearity", "Your model is a straight-line (affine) function of its "
                "input: stacked Linear layers without a nonlinearity between them collapse "
                "into one Linear layer, and no straight line separates the moons.",
                hint="Put `nn.Tanh()` or `nn.ReLU()` between the two Linear layers.",
                example="def make_model():\n    return nn.Sequential(nn.Linear(2, 16), "
                "nn.Linear(16, 1))\n"),
    ],
    hints=[
        "Three layers in an `nn.Sequential`: Linear, a nonlinearity, Linear.",
        "`nn.Linear(2, 16)`, `nn.Tanh()`, `nn.Linear(16, 1)`.",
    ],
    answer_names=["make_model"],
    solution="""
def make_model():
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
""",
    explanation="2 inputs (the point's coordinates) → 16 hidden units with tanh → 1 logit. "
    "The tanh bends the decision boundary; without it the whole model would be one linear "
    "function.",
)


def _reference_model() -> nn.Module:
    manual_seed(0)
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))


def _moons_accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    logits = value_of(model(x)).reshape(-1)
    return float(((logits > 0) == (value_of(y) > 0.5)).mean())


# The check's data: other moons than the notebook's (seed 1), with the same noise as lesson 07
# and the exercise notebook (0.2). Measured with the reference model (16 tanh units, seed 0),
# 300 epochs: Adam lr = 0.05 (what the task asks) 98.5 %, Adam lr = 0.01 98 %, SGD lr = 0.5
# 95 %, SGD lr = 0.1 84 %; the best straight line 83.5 %.
CHECK_DATA = {"n": 200, "noise": 0.2, "seed": 1}
EPOCHS = 300
MIN_ACCURACY = 0.95


def _names_used(func: object) -> set[str]:
    """The attribute and global names a learner's function uses (``Adam``, ``SGD`` ...)."""
    code = function_code(func)  # type: ignore[arg-type]
    return {n for c in _code_objects(code) for n in c.co_names} if code is not None else set()


def _judge_train(train: Probe) -> Verdict:
    model = _reference_model()
    x, y = two_moons(**CHECK_DATA)
    before = [value_of(p) for p in model.parameters()]
    epochs = EPOCHS
    try:
        shown = (Name("model"), Name("x"), Name("y"), epochs)
        losses = train(model, x, y, epochs, shown_args=shown)
    except LearnerRaised as raised:
        message = str(raised.error)
        if "target size" in message.lower():
            names = _names_used(train.func)
            also = ("" if "float" in names else " (and they must be floats, while `y` holds "
                    "integer labels)")
            return Diagnosis("label_shape", {"also": also}, error=raised)
        if "can't be cast to the desired output type Long" in message:
            return Diagnosis("label_dtype", error=raised)
        if "should be between 0 and 1" in message:
            return Diagnosis("bce_on_logits", error=raised)
        raise
    params = list(model.parameters())
    if all(np.array_equal(b, value_of(p)) for b, p in zip(before, params)):
        return Diagnosis("no_step")
    passes = grad_passes(params[0])
    if passes is not None and passes > 1:
        return Diagnosis("no_zero_grad", {"passes": passes})
    if not isinstance(losses, list | tuple) or len(losses) != epochs:
        return NotQuite(f"`train` returned {describe(losses)}; return the list of the "
                        f"{epochs} losses, one per epoch.")
    if any(isinstance(v, Tensor) and v.grad_fn is not None for v in losses):
        return Diagnosis("kept_graphs")
    values = [read_number(v) for v in losses]
    names = _names_used(train.func)
    sigmoid = ("" if not names & {"sigmoid", "Sigmoid"} else
               " Is there a sigmoid in your loop? `BCEWithLogitsLoss` applies one itself, to "
               "the model's raw logits.")
    if not values[-1] < values[0] / 2:
        return NotQuite(f"The loss went from {values[0]:.3f} to {values[-1]:.3f}: it should "
                        "fall clearly. Check the learning rate and the order zero_grad → "
                        f"forward → loss → backward → step.{sigmoid}")
    accuracy = _moons_accuracy(model, x, y)
    if accuracy < MIN_ACCURACY:
        if "SGD" in names and "Adam" not in names:
            return Diagnosis("slow_sgd", {"first": f"{values[0]:.3f}", "last": f"{values[-1]:.3f}",
                                          "accuracy": f"{accuracy:.0%}"})
        return NotQuite(f"Your loop trains (the loss fell from {values[0]:.3f} to "
                        f"{values[-1]:.3f}), but after {epochs} epochs only {accuracy:.0%} of the "
                        f"points are right; the task's setup gets at least {MIN_ACCURACY:.0%}. "
                        f"Compare your optimizer, learning rate and loss with the task.{sigmoid}")
    return Correct(f"The loss fell from {values[0]:.3f} to {values[-1]:.4f}; accuracy on the "
                   f"training points is {accuracy:.0%}.")


_TRAIN_HEAD = ("def train(model, x, y, epochs):\n"
               "    optimizer = optim.Adam(model.parameters(), lr=0.05)\n"
               "    loss_fn = nn.BCEWithLogitsLoss()\n"
               "    targets = y.float().unsqueeze(1)\n"
               "    losses = []\n"
               "    for epoch in range(epochs):\n")

ex2 = FunctionExercise(
    "ex2", "the training loop",
    lesson=LESSON,
    function_name="train",
    judge=_judge_train,
    time_limit=20.0,
    mistakes=[
        Mistake("label_shape", "Your targets have shape (n,), the model's logits (n, 1): "
                "the loss compares them entry by entry, so it needs the same shape{also}.",
                hint="`unsqueeze(1)` turns shape (n,) into (n, 1); do it once, before the loop.",
                example=_TRAIN_HEAD.replace(
                    "    targets = y.float().unsqueeze(1)\n", "    targets = y\n") +
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), targets)\n"
                "        loss.backward()\n        optimizer.step()\n"
                "        losses.append(loss.item())\n    return losses\n"),
        Mistake("label_dtype", "Your targets have the right shape, but they are integers "
                "(`y` holds the labels as int64): `BCEWithLogitsLoss` computes with "
                "probabilities, so its targets must be floats.",
                hint="`.float()` makes a float copy of an integer tensor.",
                example=_TRAIN_HEAD.replace(
                    "    targets = y.float().unsqueeze(1)\n", "    targets = y.unsqueeze(1)\n") +
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), targets)\n"
                "        loss.backward()\n        optimizer.step()\n"
                "        losses.append(loss.item())\n    return losses\n"),
        Mistake("bce_on_logits", "`nn.BCELoss` takes probabilities between 0 and 1, but the "
                "model outputs logits, which can be any number.",
                hint="The task's loss, `nn.BCEWithLogitsLoss()`, applies the sigmoid itself.",
                example=_TRAIN_HEAD.replace("nn.BCEWithLogitsLoss()", "nn.BCELoss()") +
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), targets)\n"
                "        loss.backward()\n        optimizer.step()\n"
                "        losses.append(loss.item())\n    return losses\n"),
        Mistake("slow_sgd", "Your loop is right and trains (the loss fell from {first} to "
                "{last}), but with `optim.SGD` 300 epochs are not enough on these moons: "
                "{accuracy} of the points are right, and the check asks for 95 %. The task "
                "asks for Adam, which adapts each parameter's step size.",
                hint="`optim.Adam(model.parameters(), lr=0.05)` in place of SGD.",
                example=_TRAIN_HEAD.replace("optim.Adam(model.parameters(), lr=0.05)",
                                            "optim.SGD(model.parameters(), lr=0.1)") +
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), targets)\n"
                "        loss.backward()\n        optimizer.step()\n"
                "        losses.append(loss.item())\n    return losses\n"),
        Mistake("no_step", "The parameters never changed: either `optimizer.step()` never "
                "ran, or whenever it ran there was no gradient to step with (it came before "
                "`backward()`, or right after `zero_grad()`).",
                hint="After `loss.backward()`, call `optimizer.step()`.",
                example=_TRAIN_HEAD +
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), targets)\n"
                "        loss.backward()\n        losses.append(loss.item())\n"
                "    return losses\n"),
        Mistake("no_zero_grad", "The first layer's `weight.grad` holds the sum of {passes} "
                "backward passes: `optimizer.zero_grad()` is missing, so every step used all "
                "the old gradients too.",
                hint="`optimizer.zero_grad()` at the start of each epoch.",
                example=_TRAIN_HEAD +
                "        loss = loss_fn(model(x), targets)\n        loss.backward()\n"
                "        optimizer.step()\n        losses.append(loss.item())\n"
                "    return losses\n"),
        Mistake("kept_graphs", "Your list holds the loss tensors themselves, each with its "
                "`grad_fn`: that keeps every epoch's graph alive. Store `loss.item()`, a plain "
                "number.",
                hint="`losses.append(loss.item())`.",
                example=_TRAIN_HEAD +
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), targets)\n"
                "        loss.backward()\n        optimizer.step()\n        losses.append(loss)\n"
                "    return losses\n"),
    ],
    hints=[
        "The loop of lesson 06 with an optimizer: zero_grad, forward, loss, backward, step.",
        "`optim.Adam(model.parameters(), lr=0.05)`, `nn.BCEWithLogitsLoss()`, targets "
        "`y.float().unsqueeze(1)`; append `loss.item()` each epoch.",
    ],
    answer_names=["train"],
    solution="""
def train(model, x, y, epochs):
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.BCEWithLogitsLoss()
    targets = y.float().unsqueeze(1)
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    explanation="Every epoch: clear the gradients, run the model, compare with the targets, "
    "backward, step. `loss.item()` stores a number, not a tensor that would keep the graph "
    "alive. Adam with lr = 0.05 separates the moons in 300 epochs (98.5 % of the check's "
    "points); plain SGD gets there too, but needs a much larger lr or many more epochs "
    "(lr = 0.1: 84 % after 300).",
)

# Eight points and a fixed linear "model" (logit = x₀ − x₁) whose right answer and usual slips
# all give different accuracies: 0.875 right, 0.75 thresholding logits at 0.5, 0.5 comparing
# (8, 1) with (8,), 0.125 inverted, 7 counted, 87.5 as a percentage, 0.375 taking argmax over
# the single logit column (every prediction class 0).
_POINTS = [[2.0, 0.0], [0.3, 0.0], [1.0, 2.0], [0.0, 1.0],
           [3.0, 1.0], [0.0, 2.0], [2.0, 1.0], [-1.0, 0.0]]
_LABELS = [1, 1, 0, 0, 1, 0, 1, 1]


def _fixed_model() -> nn.Module:
    model = nn.Linear(2, 1)
    with no_grad():
        model.weight.copy_(tensor([[1.0, -1.0]]))
        model.bias.zero_()
    return model


def _accuracy_values() -> dict[str, float]:
    logits = np.array(_POINTS) @ np.array([1.0, -1.0])
    labels = np.array(_LABELS)
    right = ((logits > 0) == labels).mean()
    return {
        "right": right,
        "threshold_half": ((logits > 0.5) == labels).mean(),
        "broadcast": ((logits > 0)[:, None] == labels[None, :]).mean(),
        "inverted": ((logits < 0) == labels).mean(),
        "count": ((logits > 0) == labels).sum(),
        "percent": 100 * right,
        "argmax_one_column": (labels == 0).mean(),
    }


def _judge_accuracy(accuracy: Probe) -> Verdict:
    try:
        result = accuracy(_fixed_model(), tensor(_POINTS), tensor(_LABELS),
                          shown_args=(Name("model"), Name("x"), Name("y")))
    except LearnerRaised as raised:
        if "Got: Bool" in str(raised.error):
            return Diagnosis("bool_mean", error=raised)
        raise
    if result is None:
        return NotQuite("`accuracy` returned None: did you forget `return`?")
    got = read_number(result)
    values = _accuracy_values()
    if abs(got - values["right"]) < 1e-6:
        return Correct()
    for mistake_id, wrong in values.items():
        if mistake_id != "right" and abs(got - wrong) < 1e-6:
            return Diagnosis(mistake_id)
    return NotQuite(f"On a small test set your accuracy is {got:g}; it should be the fraction "
                    "of points whose predicted class matches the label.")


ex3 = FunctionExercise(
    "ex3", "accuracy",
    lesson=LESSON,
    function_name="accuracy",
    judge=_judge_accuracy,
    mistakes=[
        Mistake("bool_mean", "You took the mean of a tensor of True/False values (the "
                "matches); `mean()` works on numbers only.",
                hint="`.float()` turns True/False into 1.0/0.0.",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = (model(x) > 0).squeeze(1)\n"
                "    return (predicted == y.bool()).mean().item()\n"),
        Mistake("threshold_half", "You thresholded the logits at 0.5. The model outputs "
                "logits, not probabilities: σ(logit) > 0.5 exactly when logit > 0.",
                hint="Class 1 where `model(x) > 0`.",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = (model(x) > 0.5).squeeze(1)\n"
                "    return (predicted == y.bool()).float().mean().item()\n"),
        Mistake("broadcast", "Your comparison broadcast the (n, 1) predictions against the "
                "(n,) labels into an n×n table, comparing every point with every label. "
                "Squeeze the predictions to shape (n,) first.",
                hint="`model(x)` has shape (n, 1); `.squeeze(1)` makes it (n,).",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = model(x) > 0\n"
                "    return (predicted == y.bool()).float().mean().item()\n"),
        Mistake("argmax_one_column", "You took `argmax` over the model's outputs, but the "
                "model has one output per point, a logit: argmax over a single column is 0 for "
                "every point, so every prediction is class 0.",
                hint="With one logit per point, the class comes from the logit's sign.",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = model(x).argmax(1)\n"
                "    return (predicted == y).float().mean().item()\n"),
        Mistake("inverted", "Your predicted classes are the wrong way round: a positive "
                "logit means class 1.",
                hint="Class 1 where the logit is > 0.",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = (model(x) < 0).squeeze(1)\n"
                "    return (predicted == y.bool()).float().mean().item()\n"),
        Mistake("count", "That is the number of correct points; accuracy is the fraction: "
                "divide by the number of points (or use `.mean()`).",
                hint="`.float().mean()` instead of `.sum()`.",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = (model(x) > 0).squeeze(1)\n"
                "    return (predicted == y.bool()).float().sum().item()\n"),
        Mistake("percent", "That is a percentage; return the fraction between 0 and 1.",
                hint="Leave out the `* 100`.",
                example="def accuracy(model, x, y):\n    with torch.no_grad():\n"
                "        predicted = (model(x) > 0).squeeze(1)\n"
                "    return 100 * (predicted == y.bool()).float().mean().item()\n"),
    ],
    hints=[
        "Predicted class: 1 where the logit is positive. Accuracy: the fraction of points "
        "where it equals the label.",
        "Mind the shapes: `model(x)` is (n, 1), `y` is (n,).",
        "`((model(x) > 0).squeeze(1) == y.bool()).float().mean().item()`, under no_grad.",
    ],
    answer_names=["accuracy"],
    solution="""
def accuracy(model, x, y):
    with torch.no_grad():
        predicted = (model(x) > 0).squeeze(1)
    return (predicted == y.bool()).float().mean().item()
""",
    explanation="Positive logit ⇔ probability above 0.5 ⇔ class 1. Squeezing to shape (n,) "
    "makes the comparison point by point; `.float().mean()` turns the matches into a "
    "fraction. `no_grad()` because evaluation needs no graph.",
)

ex4 = ReflectExercise(
    "ex4", "why a hidden nonlinearity?",
    lesson=LESSON,
    answer_names=["answer"],
    hints=[
        "What does Linear(16, 1) applied after Linear(2, 16) compute, written as one formula?",
        "Where is the decision boundary of a model whose logit is w·x + b?",
    ],
    solution='answer = "Without a nonlinearity the two Linear layers compose into one linear '
    'function, whose decision boundary is a straight line; no straight line separates the '
    'moons."',
    explanation="Linear(16, 1)(Linear(2, 16)(x)) = W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂): "
    "a single linear function of x. Its decision boundary (logit = 0) is a straight line, "
    "and the moons interleave: on the notebook's moons the best straight line gets about 89 % "
    "of the points right, and the two stacked Linear layers, trained, stop at 88 % (the "
    "network with tanh reaches 98 %). A tanh or ReLU between the layers lets the boundary "
    "bend around the moons.",
)
