"""nn, nn.functional and nn.init show exactly what torch 2.13 shows.

The reference part replays the catalogue of ``reference/record_nn.py`` (module reprs, Linear's
default initialisation under ``manual_seed``, every loss with every reduction and its gradients,
the error messages) against autograd_lab and compares with ``reference/nn.json``, recorded
from real torch. The rest checks what a recording cannot: an MLP's forward and backward against
a hand-written numpy implementation, gradients against finite differences, no numpy warnings
at extreme inputs, and bugs of our own making (shared memory, stale state).
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference.harness import Case, compare, run_case
from reference.record_nn import CASES

import autograd_lab as torch
import autograd_lab.nn as nn
import autograd_lab.nn.functional as F
import autograd_lab.optim

RECORDING = Path(__file__).with_name("reference") / "nn.json"
RECORDED: dict = json.loads(RECORDING.read_text())
RERECORD = "re-record with: /work/venvs/torchref/bin/python tests/reference/record_nn.py"
AREAS = ("init", "module", "linear", "activation", "dropout", "loss", "differential")
MINE = [c for c in CASES if c.name.split(".")[0] in AREAS]


def replay(case: Case) -> None:
    """Run ``case`` on autograd_lab and fail with the differences from torch's recording."""
    expected = RECORDED["cases"].get(case.name)
    if expected is None:
        pytest.fail(f"{case.name} is not in nn.json; {RERECORD}", pytrace=False)
    if expected["code"] != case.source or expected["tol"] != case.tol:
        pytest.fail(f"{case.name} changed since it was recorded; {RERECORD}", pytrace=False)
    diffs = compare(expected, run_case(case, torch), case.tol)
    if diffs:
        code = "".join(f"    {line}" for line in case.source.splitlines(True))
        pytest.fail(f"{case.name}: differs from torch\n{code}\n" + "\n".join(diffs), pytrace=False)


def test_recording_covers_the_catalogue():
    assert sorted(RECORDED["cases"]) == sorted(c.name for c in CASES), RERECORD
    assert RECORDED["torch_version"].startswith("2.13.0")


@pytest.mark.parametrize("case", MINE, ids=[c.name for c in MINE])
def test_matches_torch(case: Case):
    replay(case)


# -- against a hand-written numpy MLP ---------------------------------------------------------


def _numpy_mlp(x, y, params):
    """Forward and backward of Linear-ReLU-Linear-ReLU-Linear + cross-entropy, by hand (float64)."""
    (w1, b1), (w2, b2), (w3, b3) = params
    z1 = x @ w1.T + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ w2.T + b2
    a2 = np.maximum(z2, 0)
    logits = a2 @ w3.T + b3
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    loss = -log_p[np.arange(n), y].mean()
    d = np.exp(log_p)
    d[np.arange(n), y] -= 1
    d /= n
    grads = [(d.T @ a2, d.sum(0))]
    d = (d @ w3) * (z2 > 0)
    grads.insert(0, (d.T @ a1, d.sum(0)))
    d = (d @ w2) * (z1 > 0)
    grads.insert(0, (d.T @ x, d.sum(0)))
    return logits, loss, grads, d @ w1


def test_mlp_forward_and_backward_match_hand_written_numpy():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((16, 5))
    y = rng.integers(0, 4, 16)
    params = [
        (rng.standard_normal((8, 5)), rng.standard_normal(8)),
        (rng.standard_normal((6, 8)), rng.standard_normal(6)),
        (rng.standard_normal((4, 6)), rng.standard_normal(4)),
    ]
    model = nn.Sequential(
        nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4)
    ).double()
    with torch.no_grad():
        for layer, (w, b) in zip(model[::2], params):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
    xt = torch.from_numpy(x).requires_grad_()
    logits = model(xt)
    loss = F.cross_entropy(logits, torch.from_numpy(y))
    loss.backward()

    want_logits, want_loss, want_grads, want_dx = _numpy_mlp(x, y, params)
    np.testing.assert_allclose(logits.detach().numpy(), want_logits, rtol=1e-12)
    assert math.isclose(loss.item(), want_loss, rel_tol=1e-12)
    for layer, (gw, gb) in zip(model[::2], want_grads):
        np.testing.assert_allclose(layer.weight.grad.numpy(), gw, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer.bias.grad.numpy(), gb, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(xt.grad.numpy(), want_dx, rtol=1e-10, atol=1e-14)


# -- gradients against finite differences (float64) ---------------------------------------


def _check_gradients(fn, *inputs):
    assert torch.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_gradients_match_finite_differences(reduction):
    rng = np.random.default_rng(5)

    def leaf(a):
        return torch.from_numpy(np.asarray(a, dtype=np.float64)).requires_grad_()

    x, y = leaf(rng.standard_normal((3, 4))), leaf(rng.standard_normal((3, 4)))
    _check_gradients(lambda a, b: F.mse_loss(a, b, reduction=reduction), x, y)
    p, q = leaf(rng.uniform(0.05, 0.95, (3, 4))), leaf(rng.uniform(0, 1, (3, 4)))
    w = torch.from_numpy(rng.uniform(0.5, 2, 4))
    _check_gradients(lambda a, b: F.binary_cross_entropy(a, b, w, reduction=reduction), p, q)
    pos = torch.from_numpy(rng.uniform(0.5, 2, 4))
    _check_gradients(
        lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, w, reduction=reduction, pos_weight=pos
        ),
        x,
        q,
    )
    target = torch.tensor([0, 3, 1])
    weight = torch.from_numpy(rng.uniform(0.5, 2, 4))
    _check_gradients(
        lambda a: F.cross_entropy(a, target, weight, reduction=reduction, ignore_index=3), x
    )
    spatial = leaf(rng.standard_normal((2, 4, 3)))
    _check_gradients(
        lambda a: F.cross_entropy(a, torch.tensor([[0, 1, 3], [2, 2, 0]]), reduction=reduction),
        spatial,
    )
    # (standard normal samples: no difference sits exactly at l1's kink at 0)
    _check_gradients(lambda a, b: F.l1_loss(a, b, reduction=reduction), x, y)
    _check_gradients(lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.8), x, y)
    _check_gradients(lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.6), x, y)


def test_linear_gradients_match_finite_differences():
    rng = np.random.default_rng(6)
    x, w, b = (
        torch.from_numpy(rng.standard_normal(s)).requires_grad_() for s in [(3, 4), (2, 4), (2,)]
    )
    _check_gradients(F.linear, x, w, b)
    _check_gradients(lambda a, c: F.linear(a, c), x, w)
    x3 = torch.from_numpy(rng.standard_normal((2, 3, 4))).requires_grad_()
    _check_gradients(F.linear, x3, w, b)


def test_second_derivatives_through_losses():
    """create_graph=True runs the losses' backward formulas on tensors (a graph of its own)."""
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 1.0, 1.0], dtype=torch.float64)
    (g,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(x, y), x, create_graph=True)
    g.sum().backward()
    s = 1 / (1 + np.exp(-x.detach().numpy()))
    np.testing.assert_allclose(x.grad.numpy(), s * (1 - s) / 3, rtol=1e-12)

    logits = torch.tensor([[1.0, 2.0, 0.5]], dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy(logits, torch.tensor([1]))
    (g,) = torch.autograd.grad(loss, logits, create_graph=True)
    (g * torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)).sum().backward()
    p = np.exp(logits.detach().numpy()) / np.exp(logits.detach().numpy()).sum()
    want = p[0, 0] * (np.eye(3)[0] - p[0])  # d softmax_0 / d logits
    np.testing.assert_allclose(logits.grad.numpy()[0], want, rtol=1e-12)


def _first_derivative(fn):
    """x ↦ ∂Σfn(x)/∂x, computed with create_graph=True so that it can be differentiated."""

    def derivative(a):
        with torch.enable_grad():  # (gradcheck calls it under no_grad for finite differences)
            (g,) = torch.autograd.grad(fn(a).sum(), a, create_graph=True)
        return g

    return derivative


@pytest.mark.parametrize(
    "fn",
    [
        F.gelu,
        lambda t: F.gelu(t, approximate="tanh"),
        F.silu,
        lambda t: F.elu(t, alpha=0.7),
        lambda t: F.softplus(t, beta=1.5),
        lambda t: F.leaky_relu(t, 0.3) * t,
        lambda t: F.hardtanh(t, -0.9, 1.1) * t,
        lambda t: F.smooth_l1_loss(t, t.flip(0) / 3, beta=0.5) * t,
        lambda t: F.huber_loss(t * t, t.flip(0), delta=0.5),
    ],
    ids=[
        "gelu",
        "gelu_tanh",
        "silu",
        "elu",
        "softplus",
        "leaky_relu",
        "hardtanh",
        "smooth_l1",
        "huber",
    ],
)
def test_second_derivatives_match_finite_differences_of_the_first(fn):
    x = torch.tensor([-2.3, -0.7, 0.4, 1.7, 0.05], dtype=torch.float64, requires_grad=True)
    _check_gradients(_first_derivative(fn), x)


def test_elu_inplace_second_derivative_uses_its_output():
    def fn(t):
        h = t * 1.0
        return F.elu(h, alpha=0.7, inplace=True) * t

    x = torch.tensor([-2.3, -0.7, 0.4, 1.7], dtype=torch.float64, requires_grad=True)
    _check_gradients(_first_derivative(fn), x)
    assert fn(x).grad_fn.next_functions[0][0].name() == "EluBackward1"


# -- numerical safety --------------------------------------------------------------------------


def test_extreme_logits_give_finite_losses_and_gradients_without_warnings():
    z = torch.tensor([[-1000.0, 1000.0, 0.0], [1000.0, -1000.0, 50.0]], requires_grad=True)
    y = torch.tensor([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any numpy RuntimeWarning fails the test
        with np.errstate(all="warn"):
            losses = [
                F.binary_cross_entropy_with_logits(z, y),
                F.binary_cross_entropy(torch.sigmoid(z), y),
                F.cross_entropy(z, torch.tensor([0, 1])),
                F.mse_loss(torch.sigmoid(z), y),
            ]
            for loss in losses:
                z.grad = None
                loss.backward()
                assert math.isfinite(loss.item())
                assert np.isfinite(z.grad.numpy()).all()
    # log 0 is clamped at -100, as PyTorch does: a confident wrong answer costs exactly 100
    assert F.binary_cross_entropy(torch.tensor([0.0]), torch.tensor([1.0])).item() == 100.0


# -- modules -----------------------------------------------------------------------------------


def test_parameter_shares_memory_and_version_with_its_data():
    t = torch.zeros(3)
    p = nn.Parameter(t)
    with torch.no_grad():
        p.add_(1.0)
    assert t.tolist() == [1.0, 1.0, 1.0]
    assert t._version == p._version == 1


def test_deepcopy_and_pickle_give_independent_parameters():
    import copy
    import pickle

    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    model(torch.ones(1, 2)).sum().backward()
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        w = clone[0].weight
        assert isinstance(w, nn.Parameter) and w is not model[0].weight
        assert torch.equal(w, model[0].weight)
        with torch.no_grad():
            w.add_(1.0)
        assert not torch.equal(w, model[0].weight)
        clone(torch.ones(1, 2)).sum().backward()  # the copy trains on its own


def test_state_dict_values_share_memory_and_are_not_parameters():
    l = nn.Linear(2, 1)
    sd = l.state_dict()
    assert type(sd["weight"]) is torch.Tensor and not sd["weight"].requires_grad
    sd["bias"].zero_()
    assert l.bias.item() == 0.0


def test_linear_without_bias_registers_none_and_is_not_listed():
    l = nn.Linear(3, 2, bias=False)
    assert l.bias is None and "bias" in l._parameters
    assert [n for n, _ in l.named_parameters()] == ["weight"]
    assert list(l.state_dict()) == ["weight"]


def test_shared_layer_is_listed_once_but_saved_under_both_names():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(list(model.parameters())) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_modules_walk_deep_trees_without_recursion():
    model = nn.Sequential()
    inner = model
    for _ in range(3000):  # deeper than Python's recursion limit
        child = nn.Sequential()
        inner.append(child)
        inner = child
    inner.append(nn.Linear(1, 1))
    assert len(list(model.parameters())) == 2
    assert len(list(model.modules())) == 3002


def test_module_dir_lists_registered_members():
    l = nn.Linear(2, 2)
    assert {"weight", "bias", "forward", "in_features"} <= set(dir(l))


# -- properties over random logits (hypothesis) -------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    logits=arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(2, 5)),
        elements=st.one_of(st.floats(-30, 30), st.sampled_from([-1000.0, 1000.0])),
    ),
    data=st.data(),
)
def test_classification_losses_are_finite_and_match_their_formulas(logits, data):
    """Any logits, ±1000 included: finite losses and gradients, equal to the textbook formulas
    computed stably in float64."""
    n, c = logits.shape
    target = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    probs = np.array(
        data.draw(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=n * c, max_size=n * c))
    ).reshape(n, c)
    x = torch.from_numpy(logits.copy()).requires_grad_()
    ce = F.cross_entropy(x, torch.from_numpy(target))
    ce.backward()
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    assert np.isclose(ce.item(), -log_p[np.arange(n), target].mean(), rtol=1e-12)
    want = np.exp(log_p)
    want[np.arange(n), target] -= 1
    np.testing.assert_allclose(x.grad.numpy(), want / n, rtol=1e-10, atol=1e-15)

    x.grad = None
    bce = F.binary_cross_entropy_with_logits(x, torch.from_numpy(probs), reduction="sum")
    bce.backward()
    softplus = np.maximum(logits, 0) + np.log1p(np.exp(-np.abs(logits)))  # ln(1 + eˣ)
    assert np.isclose(bce.item(), (softplus - probs * logits).sum(), rtol=1e-12, atol=1e-12)
    sigma = np.exp(-np.logaddexp(0, -logits))
    np.testing.assert_allclose(x.grad.numpy(), sigma - probs, rtol=1e-10, atol=1e-15)
