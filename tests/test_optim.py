"""optim: SGD and Adam follow PyTorch's update rules step for step.

The reference part replays the optimizer and training cases of ``reference/record_nn.py``
(several steps with each option, state dicts, reprs, errors) against ``reference/nn.json``,
recorded from real torch. The rest checks the rules in float64 against the formulas written
out by hand, and what the updates must not do (replace the Parameter objects, record a graph,
let a stale saved value through).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from reference.harness import Case, compare, run_case
from reference.record_nn import CASES

import autograd_lab as torch
import autograd_lab.nn as nn
import autograd_lab.optim as optim

RECORDING = Path(__file__).with_name("reference") / "nn.json"
RECORDED: dict = json.loads(RECORDING.read_text())
RERECORD = "re-record with: /work/venvs/torchref/bin/python tests/reference/record_nn.py"
MINE = [c for c in CASES if c.name.split(".")[0] in ("optim", "training")]


@pytest.mark.parametrize("case", MINE, ids=[c.name for c in MINE])
def test_matches_torch(case: Case):
    expected = RECORDED["cases"].get(case.name)
    if expected is None or expected["code"] != case.source or expected["tol"] != case.tol:
        pytest.fail(f"{case.name} is missing or changed since recorded; {RERECORD}", pytrace=False)
    diffs = compare(expected, run_case(case, torch), case.tol)
    if diffs:
        pytest.fail(f"{case.name}: differs from torch\n" + "\n".join(diffs), pytrace=False)


# -- the update rules in float64, against the formulas ----------------------------------------

GRADS = [np.array([0.5, -1.0, 2.0]), np.array([-0.25, 0.5, 1.0]), np.array([1.0, 1.0, -3.0])]
START = np.array([1.0, -2.0, 0.5])


def _run(optimizer_class, **settings):
    """Feed the gradients above to an optimizer; return the parameter after each step."""
    p = nn.Parameter(torch.from_numpy(START.copy()))
    opt = optimizer_class([p], **settings)
    seen = []
    for g in GRADS:
        p.grad = torch.from_numpy(g.copy())
        opt.step()
        seen.append(p.detach().numpy().copy())
    return seen


@pytest.mark.parametrize(
    "settings",
    [
        {"lr": 0.1},
        {"lr": 0.1, "momentum": 0.9},
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.3},
        {"lr": 0.1, "momentum": 0.9, "nesterov": True},
        {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.2},
        {"lr": 0.1, "maximize": True, "weight_decay": 0.1},
    ],
)
def test_sgd_follows_its_formula(settings):
    lr, mu = settings["lr"], settings.get("momentum", 0)
    tau, wd = settings.get("dampening", 0), settings.get("weight_decay", 0)
    p, buf, want = START.copy(), None, []
    for g in GRADS:
        g = -g if settings.get("maximize") else g
        g = g + wd * p
        if mu:
            buf = g.copy() if buf is None else mu * buf + (1 - tau) * g
            g = g + mu * buf if settings.get("nesterov") else buf
        p = p - lr * g
        want.append(p)
    np.testing.assert_allclose(_run(optim.SGD, **settings), want, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6},
        {"weight_decay": 0.1},
        {"weight_decay": 0.1, "decoupled_weight_decay": True},
        {"amsgrad": True},
        {"maximize": True},
    ],
)
def test_adam_follows_its_formula(settings):
    lr, eps = settings.get("lr", 1e-3), settings.get("eps", 1e-8)
    (b1, b2), wd = settings.get("betas", (0.9, 0.999)), settings.get("weight_decay", 0)
    p, m, v, v_max, want = START.copy(), 0.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        g = -g if settings.get("maximize") else g
        if settings.get("decoupled_weight_decay"):
            p = p * (1 - lr * wd)
        else:
            g = g + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = np.maximum(v_max, v)
        v_used = v_max if settings.get("amsgrad") else v
        p = p - lr / (1 - b1**t) * m / (np.sqrt(v_used / (1 - b2**t)) + eps)
        want.append(p)
    np.testing.assert_allclose(_run(optim.Adam, **settings), want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("settings", [{}, {"weight_decay": 0.3, "lr": 0.01}, {"amsgrad": True}])
def test_adamw_is_adam_with_decoupled_weight_decay(settings):
    adam = {"weight_decay": 0.01, **settings, "decoupled_weight_decay": True}
    np.testing.assert_array_equal(_run(optim.AdamW, **settings), _run(optim.Adam, **adam))
    lr, wd = settings.get("lr", 1e-3), settings.get("weight_decay", 0.01)
    first = START * (1 - lr * wd) - lr * np.sign(GRADS[0])  # Adam's first step: ±lr
    np.testing.assert_allclose(_run(optim.AdamW, **settings)[0], first, rtol=1e-7)


# -- what a step must keep and must not do ------------------------------------------------------


def test_step_updates_in_place_without_recording_a_graph():
    model = nn.Linear(3, 2)
    params = list(model.parameters())
    arrays = [p._data for p in params]
    opt = optim.Adam(model.parameters(), lr=0.1)
    model(torch.ones(4, 3)).sum().backward()
    opt.step()
    for p, before, a in zip(model.parameters(), params, arrays):
        assert p is before and p._data is a  # same object, same memory
        assert p.is_leaf and p.grad_fn is None and p.requires_grad
    assert torch.is_grad_enabled()


def test_step_counts_as_an_in_place_change_of_the_parameter():
    """A graph that saved a parameter refuses to backward after the parameter changed."""
    w = nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    loss = (w * w).sum()  # saves w
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_step_between_forward_and_backward_of_a_linear_layer_is_detected():
    """The transposed weight that Addmm saved is a view of the weight: it sees the step."""
    layer = nn.Linear(3, 2)
    opt = optim.SGD(layer.parameters(), lr=0.1)
    x = torch.ones(4, 3, requires_grad=True)  # so Addmm saves the weight for x's gradient
    loss = layer(x).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_weight_gradients_are_fresh_arrays_of_their_own():
    """The Linear weight keeps Addmm's gradient array without a copy, so each backward must
    hand over a new one: two layers, two passes, no array shared between them."""
    model = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3))
    x = torch.ones(2, 3)
    model(x).sum().backward()
    first = [p.grad for p in model.parameters()]
    model.zero_grad()
    model(x).sum().backward()
    second = [p.grad for p in model.parameters()]
    arrays = [g._data for g in first + second]
    assert len({id(a) for a in arrays}) == len(arrays)
    assert all(a.base is None and a.flags.owndata for a in arrays)
    for a, b in zip(first, second):
        assert torch.equal(a, b)


def test_load_state_dict_takes_over_the_state_tensors_as_pytorch_does():
    w = nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    saved = opt.state_dict()
    w2 = nn.Parameter(torch.tensor([1.0, 2.0]))
    opt2 = optim.SGD([w2], lr=0.5)
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == 0.1 and opt2.param_groups[0]["params"][0] is w2
    assert opt2.state[w2]["momentum_buffer"] is opt.state[w]["momentum_buffer"]
    opt3 = optim.SGD([nn.Parameter(torch.tensor([1.0, 2.0]))], lr=0.5)
    opt3.load_state_dict(copy.deepcopy(saved))  # the way to keep them apart
    assert (
        opt3.state[opt3.param_groups[0]["params"][0]]["momentum_buffer"]
        is not (opt.state[w]["momentum_buffer"])
    )


def test_load_state_dict_checks_the_groups():
    opt = optim.SGD([nn.Parameter(torch.ones(1))], lr=0.1)
    other = optim.SGD([nn.Parameter(torch.ones(1)), nn.Parameter(torch.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict(other.state_dict())


def test_base_optimizer_step_is_abstract():
    opt = optim.Optimizer([nn.Parameter(torch.ones(1))], {"lr": 0.1})
    with pytest.raises(NotImplementedError):
        opt.step()


def test_required_setting_missing_in_a_group():
    from autograd_lab.optim.optimizer import required

    with pytest.raises(ValueError, match="didn't specify a value of required optimization"):
        optim.SGD([nn.Parameter(torch.ones(1))], lr=required)
