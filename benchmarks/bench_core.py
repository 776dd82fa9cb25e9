"""Benchmark of the autograd core: prints a table, asserts nothing.

    python benchmarks/bench_core.py                      # autograd_lab and hand-written numpy
    python benchmarks/bench_core.py --torch-python PATH  # also PyTorch, run by that interpreter

Workloads (all single-threaded, best of several repeats, CPU time of this process):

* ``lesson epoch``   one epoch of the lesson's linear regression (forward, MSE, backward,
                     update under no_grad, zero_()), the lesson's own code;
* ``neuron step``    the lesson's logistic neuron with its clamped BCE, backward and an update;
* ``op fwd+bwd``     per elementary op: a chain of 1,000 ``y = y * c`` on a 0-d tensor, forward
                     and backward, divided by 1,000;
* ``deep chain``     per-op cost of the same chain at 1,000 and at 100,000 ops (flat = linear).

The numpy column is the same computation written by hand (forward and the derivative formulas),
the floor any autograd library pays on top of.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402


def best_time(fn: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Best per-call CPU time in microseconds over ``repeat`` runs of ``number`` calls."""
    for _ in range(max(1, number // 10)):
        fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - start) / number)
    return best * 1e6


def library_workloads(torch: object) -> dict[str, float]:
    """Time the workloads with a torch-like module (autograd_lab or torch itself)."""
    t = torch
    x = t.tensor([1.0, 2.0, 3.0, 4.0])
    y_true = t.tensor([2.0, 4.0, 6.0, 8.0])
    w = t.tensor(0.0, requires_grad=True)
    b = t.tensor(0.0, requires_grad=True)

    def epoch() -> None:  # the lesson's loop body, unchanged
        y_pred = w * x + b
        loss = ((y_pred - y_true) ** 2).mean()
        loss.backward()
        with t.no_grad():
            w.sub_(0.01 * w.grad)
            b.sub_(0.01 * b.grad)
            w.grad.zero_()
            b.grad.zero_()

    xn = t.tensor(6.7)
    yn = t.tensor(0.0)
    wn = t.tensor(1.0, requires_grad=True)
    bn = t.tensor(0.0, requires_grad=True)

    def neuron() -> None:
        z = wn * xn + bn
        y_pred = t.sigmoid(z)
        p = t.clamp(y_pred, 1e-8, 1 - 1e-8)
        loss = -(yn * t.log(p) + (1 - yn) * t.log(1 - p))
        loss.backward()
        with t.no_grad():
            wn.sub_(0.1 * wn.grad)
            bn.sub_(0.1 * bn.grad)
            wn.grad.zero_()
            bn.grad.zero_()

    def chain(n: int) -> Callable[[], None]:
        a = t.tensor(1.5, requires_grad=True)

        def run() -> None:
            y = a
            for _ in range(n):
                y = y * 1.0001
            y.backward()

        return run

    return {
        "lesson epoch": best_time(epoch, 2000),
        "neuron step": best_time(neuron, 2000),
        "op fwd+bwd": best_time(chain(1000), 20) / 1000,
        "deep chain 1k /op": best_time(chain(1_000), 20) / 1_000,
        "deep chain 100k /op": best_time(chain(100_000), 1, repeat=3) / 100_000,
    }


def numpy_workloads() -> dict[str, float]:
    """The same computations written by hand in numpy: forward and derivative formulas."""
    x = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    y_true = np.array([2.0, 4.0, 6.0, 8.0], np.float32)
    state = {"w": np.float32(0.0), "b": np.float32(0.0)}

    def epoch() -> None:
        w, b = state["w"], state["b"]
        err = w * x + b - y_true
        dw = (2 * err * x).mean()
        db = (2 * err).mean()
        state["w"], state["b"] = w - 0.01 * dw, b - 0.01 * db

    nstate = {"w": np.float32(1.0), "b": np.float32(0.0)}
    xn, yn = np.float32(6.7), np.float32(0.0)

    def neuron() -> None:
        w, b = nstate["w"], nstate["b"]
        y_pred = 1 / (1 + np.exp(-(w * xn + b)))
        p = np.clip(y_pred, 1e-8, 1 - 1e-8)
        _ = -(yn * np.log(p) + (1 - yn) * np.log(1 - p))
        dz = (p - yn) if 1e-8 < y_pred < 1 - 1e-8 else np.float32(0)
        nstate["w"], nstate["b"] = w - 0.1 * dz * xn, b - 0.1 * dz

    def chain(n: int) -> Callable[[], None]:
        def run() -> None:
            y = np.float32(1.5)
            for _ in range(n):
                y = y * np.float32(1.0001)
            g = np.float32(1.0)
            for _ in range(n):
                g = g * np.float32(1.0001)

        return run

    return {
        "lesson epoch": best_time(epoch, 2000),
        "neuron step": best_time(neuron, 2000),
        "op fwd+bwd": best_time(chain(1000), 20) / 1000,
        "deep chain 1k /op": best_time(chain(1_000), 20) / 1_000,
        "deep chain 100k /op": best_time(chain(100_000), 1, repeat=3) / 100_000,
    }


def torch_workloads(python: str) -> dict[str, float] | None:
    """Run this script's torch part with another interpreter (a venv that has torch)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_core as b; import torch; "
        "torch.set_num_threads(1); print(json.dumps(b.library_workloads(torch)))"
    )
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([python, "-c", code, here], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"(PyTorch not measured: {out.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--torch-python", help="a Python interpreter that can import torch")
    args = parser.parse_args()

    import autograd_lab

    columns = {"autograd_lab": library_workloads(autograd_lab), "numpy": numpy_workloads()}
    if args.torch_python:
        measured = torch_workloads(args.torch_python)
        if measured:
            columns["PyTorch"] = measured

    names = list(columns["autograd_lab"])
    header = f"{'workload (µs)':22s}" + "".join(f"{c:>14s}" for c in columns)
    if "PyTorch" in columns:
        header += f"{'lab/torch':>11s}"
    print(header)
    for name in names:
        row = f"{name:22s}" + "".join(f"{columns[c][name]:14.2f}" for c in columns)
        if "PyTorch" in columns:
            row += f"{columns['autograd_lab'][name] / columns['PyTorch'][name]:11.2f}"
        print(row)
    lab = columns["autograd_lab"]
    print(
        f"\ndeep chain: per-op cost at 100k / at 1k = "
        f"{lab['deep chain 100k /op'] / lab['deep chain 1k /op']:.2f}"
    )


if __name__ == "__main__":
    main()
