"""Benchmark of a training step: prints a table, asserts nothing.

    python benchmarks/bench_training.py                      # autograd_lab and hand-written numpy
    python benchmarks/bench_training.py --torch-python PATH  # also PyTorch, run by that interpreter
    PYTHONPATH=. PATH_TO_TORCH_VENV/bin/python benchmarks/bench_training.py
                                                             # all three in one process

A step is what a training loop repeats: ``zero_grad()``, forward through an MLP (Linear, ReLU,
Linear, ReLU, Linear), cross-entropy against class labels, ``backward()``, ``SGD.step()``.
Two networks:

* ``small``  64-128-128-10, batch 64 (overhead-bound: each op is a few microseconds of numpy);
* ``large``  784-512-512-10, batch 256 (compute-bound: the matrix products dominate).

The numpy column is the same step written by hand: forward, the derivative formulas, the same
update, with arrays in the same layout; it is the floor any library built on numpy pays on top
of. The "ops alone" column runs the numpy calls of autograd_lab's own ops with no graph around
them: what is left between it and the autograd_lab column is the bookkeeping.

Each figure is the best single-step CPU time of this process (``time.process_time``) over
thousands of steps (hundreds for the large network), with BLAS and OpenMP held to one thread.
autograd_lab and numpy take turns step by step, so a burst of other work on a shared machine
hits both alike, and their best steps compare like with like. Run by an interpreter that has
torch (autograd_lab needs only numpy, so ``PYTHONPATH=.`` is enough), PyTorch takes turns with
them in the same process; otherwise ``--torch-python`` runs it in a subprocess of that
interpreter, alone. torch is never a dependency of autograd_lab. PyTorch runs on one thread too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from typing import Any

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # before numpy (or torch) loads its BLAS

import numpy as np  # noqa: E402

NETWORKS = {  # name: (layer sizes, batch size, timed steps per contender)
    "small 64-128-128-10 b64": ((64, 128, 128, 10), 64, 3000),
    "large 784-512-512-10 b256": ((784, 512, 512, 10), 256, 200),
}
LR = 0.01


def best_times(fns: list[Callable[[], object]], samples: int) -> list[float]:
    """Best single-step CPU time in microseconds of each function over ``samples`` steps.

    The functions take turns step by step (in alternating order), so a burst of other work on
    the machine slows both alike, and the best step of each is one that ran undisturbed.
    """
    for _ in range(5):  # warm up: caches, the allocator, first-call work
        for fn in fns:
            fn()
    best = [float("inf")] * len(fns)
    clock = time.process_time
    for i in range(samples):
        order = range(len(fns)) if i % 2 else range(len(fns) - 1, -1, -1)
        for k in order:
            start = clock()
            fns[k]()
            best[k] = min(best[k], clock() - start)
    return [b * 1e6 for b in best]


def _data(sizes: tuple[int, ...], batch: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Inputs, labels and initial (weight, bias) arrays, the same for every contender."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch).astype(np.int64)
    params = []
    for fan_in, fan_out in pairwise(sizes):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    return x, y, params


def library_step(torch: Any, sizes: tuple[int, ...], batch: int) -> Callable[[], None]:
    """A training step written for PyTorch, run with ``torch`` = PyTorch or autograd_lab."""
    nn, functional, optim = torch.nn, torch.nn.functional, torch.optim
    x_np, y_np, params = _data(sizes, batch)
    layers: list[Any] = []
    for i, (fan_in, fan_out) in enumerate(pairwise(sizes)):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for p, value in zip(model.parameters(), params):
            p.copy_(torch.from_numpy(value))
    optimizer = optim.SGD(model.parameters(), lr=LR)
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)

    def step() -> None:
        optimizer.zero_grad()
        loss = functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

    return step


def numpy_step(sizes: tuple[int, ...], batch: int) -> Callable[[], None]:
    """The same step by hand: forward, softmax cross-entropy, derivatives, SGD update."""
    x, y, params = _data(sizes, batch)
    weights, biases = params[0::2], params[1::2]
    rows = np.arange(batch)

    def step() -> None:
        # forward: keep each layer's input and pre-activation for the backward pass
        inputs, pre = [], []
        a = x
        for i, (w, b) in enumerate(zip(weights, biases)):
            inputs.append(a)
            z = a @ w.T
            z += b
            pre.append(z)
            a = np.maximum(z, 0) if i < len(weights) - 1 else z
        shifted = a - a.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        _loss = -(shifted[rows, y] - np.log(total[:, 0])).mean()
        # backward: d loss / d logits = (softmax − onehot) / batch
        grad = e / total
        grad[rows, y] -= 1
        grad /= batch
        grads = []
        for i in range(len(weights) - 1, -1, -1):
            grads.append((grad.T @ inputs[i], grad.sum(axis=0)))
            if i:
                grad = grad @ weights[i]
                grad *= pre[i - 1] > 0
        for (gw, gb), w, b in zip(reversed(grads), weights, biases):
            w -= LR * gw
            b -= LR * gb

    return step


def ops_alone_step(sizes: tuple[int, ...], batch: int) -> Callable[[], None]:
    """The numpy calls autograd_lab's ops make in one step, without the graph around them.

    PyTorch's graph is AddmmBackward0 and ReluBackward0 per layer, then LogSoftmaxBackward0
    and NllLossBackward0: the loss and its derivative take a few more numpy calls than the
    fused formula above. Set against the autograd_lab column, this tells the cost of the
    arithmetic from the cost of the bookkeeping (nodes, tensors, saved values, checks).
    """
    x, y, params = _data(sizes, batch)
    weights, biases = params[0::2], params[1::2]
    ones = np.ones(batch, np.float32)

    def step() -> None:
        inputs, outs = [], []
        a = x
        for i, (w, b) in enumerate(zip(weights, biases)):  # Addmm, then Relu
            inputs.append(a)
            a = a @ w.T
            a += b
            if i < len(weights) - 1:
                a = np.maximum(0, a)
                outs.append(a)
        shifted = a - np.maximum.reduce(a, axis=1, keepdims=True)  # LogSoftmax
        log_p = shifted - np.log(np.add.reduce(np.exp(shifted), axis=1, keepdims=True))
        _valid = y.min() >= 0 and y.max() < log_p.shape[1]  # NllLoss
        _loss = -np.add.reduce(log_p[np.arange(batch), y], axis=None) / batch
        grad = np.zeros_like(log_p)  # NllLoss, backward
        grad[np.arange(batch), y] = -(np.float32(1) / batch)
        grad = grad - np.exp(log_p) * np.add.reduce(grad, axis=1, keepdims=True)  # LogSoftmax
        grads = []
        for i in range(len(weights) - 1, -1, -1):  # Addmm and Relu, backward
            grads.append(((grad.T @ inputs[i]), ones @ grad))
            if i:
                grad = grad @ weights[i]
                grad = grad * (outs[i - 1] != 0)
                grad += 0.0  # (+0 where the mask stopped a negative gradient, as PyTorch)
        for (gw, gb), w, b in zip(reversed(grads), weights, biases):  # SGD
            w += -LR * gw
            b += -LR * gb

    return step


def measure(libraries: dict[str, Any], with_numpy: bool) -> dict[str, dict[str, float]]:
    """Per contender and network, the best step time; all contenders take turns step by step."""
    names = list(libraries) + (["numpy", "ops alone"] if with_numpy else [])
    figures: dict[str, dict[str, float]] = {name: {} for name in names}
    for network, (sizes, batch, samples) in NETWORKS.items():
        steps = [library_step(module, sizes, batch) for module in libraries.values()]
        if with_numpy:
            steps.append(numpy_step(sizes, batch))
            steps.append(ops_alone_step(sizes, batch))
        for name, best in zip(names, best_times(steps, samples)):
            figures[name][network] = best
    return figures


def torch_figures(python: str) -> dict[str, float] | None:
    """Run this script's PyTorch part with another interpreter (a venv that has torch)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_training as b; "
        "import torch; torch.set_num_threads(1); "
        "print(json.dumps(b.measure({'PyTorch': torch}, with_numpy=False)['PyTorch']))"
    )
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([python, "-c", code, here], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"(PyTorch not measured: {out.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def _torch_here() -> Any:
    """PyTorch, if this interpreter has it (then it takes turns with the others, in-process)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--torch-python", help="a Python interpreter that can import torch")
    args = parser.parse_args()

    # importing the subpackages makes autograd_lab.nn and autograd_lab.optim attributes
    import autograd_lab
    import autograd_lab.nn
    import autograd_lab.optim

    libraries = {"autograd_lab": autograd_lab}
    torch = _torch_here()
    if torch is not None:
        libraries["PyTorch"] = torch
    columns = measure(libraries, with_numpy=True)
    where = "in-process, taking turns"
    if torch is None and args.torch_python:
        figures = torch_figures(args.torch_python)
        where = "in a subprocess"
        if figures:
            columns["PyTorch"] = figures

    samples = ", ".join(f"{n[2]:,}" for n in NETWORKS.values())
    print(f"one training step, µs: best single step of {samples} (CPU time, 1 thread)")
    if "PyTorch" in columns:
        print(f"PyTorch measured {where}")
    header = f"{'network':28s}" + "".join(f"{c:>14s}" for c in columns) + f"{'lab/numpy':>11s}"
    if "PyTorch" in columns:
        header += f"{'lab/torch':>11s}"
    print(header)
    lab = columns["autograd_lab"]
    for name in NETWORKS:
        row = f"{name:28s}" + "".join(f"{columns[c][name]:14.1f}" for c in columns)
        row += f"{lab[name] / columns['numpy'][name]:11.3f}"
        if "PyTorch" in columns:
            row += f"{lab[name] / columns['PyTorch'][name]:11.3f}"
        print(row)


if __name__ == "__main__":
    main()
