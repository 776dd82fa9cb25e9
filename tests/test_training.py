"""Training end to end: the toolkit learns, matches hand-written numpy, and keeps no garbage."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np

import autograd_lab as torch
import autograd_lab.nn as nn
import autograd_lab.nn.functional as F
import autograd_lab.optim as optim
from autograd_lab import data


def test_mlp_learns_two_moons_to_97_percent():
    """A 2-16-16-2 MLP with Adam separates the moons, which no straight line can."""
    x, labels = data.two_moons(n=200, noise=0.1, seed=0)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2)
    )
    opt = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    first = None
    for _ in range(200):
        opt.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        opt.step()
        first = first if first is not None else loss.item()
    with torch.no_grad():
        accuracy = (model(x).argmax(dim=1) == labels).float().mean().item()
    assert accuracy >= 0.97, accuracy
    assert loss.item() < first / 5


def test_linear_regression_recovers_the_line():
    x, y = data.noisy_line(n=200, slope=2.0, intercept=1.0, noise=0.1, seed=0)
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for _ in range(200):
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        opt.step()
    assert abs(model.weight.item() - 2.0) < 0.02 and abs(model.bias.item() - 1.0) < 0.02


def _numpy_sgd(x, y, params, lr, steps):
    """Linear-ReLU-Linear-ReLU-Linear + cross-entropy, forward, backward and SGD, by hand."""
    params = [(w.copy(), b.copy()) for w, b in params]
    rows = np.arange(len(y))
    history = []
    for _ in range(steps):
        inputs, pre, a = [], [], x
        for i, (w, b) in enumerate(params):
            inputs.append(a)
            z = a @ w.T + b
            pre.append(z)
            a = np.maximum(z, 0) if i < len(params) - 1 else z
        shifted = a - a.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        history.append((a, -log_p[rows, y].mean()))
        d = np.exp(log_p)
        d[rows, y] -= 1
        d /= len(y)
        grads = []
        for i in range(len(params) - 1, -1, -1):
            grads.insert(0, (d.T @ inputs[i], d.sum(axis=0)))
            if i:
                d = (d @ params[i][0]) * (pre[i - 1] > 0)
        params = [(w - lr * gw, b - lr * gb) for (w, b), (gw, gb) in zip(params, grads)]
    return history, params


def test_mlp_training_matches_hand_written_numpy():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((16, 5))
    y = rng.integers(0, 4, 16)
    sizes = [(8, 5), (6, 8), (4, 6)]
    params = [(rng.standard_normal(s), rng.standard_normal(s[0])) for s in sizes]
    model = nn.Sequential(
        nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4)
    ).double()
    with torch.no_grad():
        for layer, (w, b) in zip(model[::2], params):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
    opt = optim.SGD(model.parameters(), lr=0.1)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    history, final = _numpy_sgd(x, y, params, lr=0.1, steps=5)
    for logits_want, loss_want in history:
        opt.zero_grad()
        logits = model(xt)
        loss = F.cross_entropy(logits, yt)
        loss.backward()
        opt.step()
        np.testing.assert_allclose(logits.detach().numpy(), logits_want, rtol=1e-11)
        np.testing.assert_allclose(loss.item(), loss_want, rtol=1e-12)
    for layer, (w, b) in zip(model[::2], final):
        np.testing.assert_allclose(layer.weight.detach().numpy(), w, rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(layer.bias.detach().numpy(), b, rtol=1e-10, atol=1e-13)


def _training_loop(steps: int, every: int, keep: list | None = None) -> list[int]:
    """Train a small classifier; return the traced memory every ``every`` steps.

    ``keep`` collects each step's loss tensor when given: holding a loss keeps its whole graph
    alive, which is the leak the flat-memory test must be able to see.
    """
    x, labels = data.blobs(n=32, centers=2, seed=1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    samples = []
    for step in range(1, steps + 1):
        opt.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        opt.step()
        if keep is not None:
            keep.append(loss)
        if step % every == 0:
            samples.append(tracemalloc.get_traced_memory()[0])
    return samples


def test_ten_thousand_steps_keep_memory_flat():
    """No graph outlives its step, and no reference cycle needs the garbage collector:
    with the collector off, memory after 10,000 steps is what it was after 1,000."""
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        flat = _training_loop(10_000, every=1000)
        tracemalloc.stop()
        tracemalloc.start()
        leaking = _training_loop(300, every=100, keep=[])  # the control: one graph kept per step
    finally:
        tracemalloc.stop()
        gc.enable()
    growth = max(flat) - flat[0]
    leak_per_step = (leaking[-1] - leaking[0]) / 200
    assert leak_per_step > 1000, leak_per_step  # a kept graph costs over 1 kB: visible
    assert growth < 20_000, f"memory grew by {growth} bytes over 9,000 steps"
