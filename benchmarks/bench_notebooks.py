"""Benchmark of the course: prints two tables, asserts nothing.

    python benchmarks/bench_notebooks.py                  # both tables
    python benchmarks/bench_notebooks.py --no-notebooks   # slider moves only (a few seconds)
    python benchmarks/bench_notebooks.py --moves 50       # more slider moves per explorer

(a) **Notebooks**: the time to re-execute each lesson notebook in ``notebooks/`` from a fresh
kernel, one kernel per notebook, one after the other, as nbval and a learner's "Run All" do
(nbclient, the interpreter running this script as the kernel). Wall-clock time, kernel start-up
included. Target: all of them together in under 60 s.

(b) **Slider moves**: for each explorer, the time from setting a slider (what a drag ends with,
since the inline backend redraws on release) to the new PNG being ready: the callback recomputes
with autograd_lab, moves the artists, and matplotlib's Agg renders the figure. The median and
the slowest of ``--moves`` moves across the slider's range. Target: under 100 ms a move. The
tracking lab has buttons, not a slider: its first visit to a mode draws that mode's graph, later
visits reuse the picture, so both are shown.

On a shared machine other work slows single runs: the medians are the figures to quote.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # what the inline backend renders with; no display needed

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_TARGET_S = 60.0
MOVE_TARGET_MS = 100.0


# -- (a) notebooks ---------------------------------------------------------------------------------


def run_notebook(path: Path, timeout: int = 120) -> float:
    """Seconds to execute ``path`` in a fresh kernel (nothing is written back)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},  # cwd = the notebook's folder
    )  # fmt: skip
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def notebook_table() -> None:
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"(a) re-executing {len(paths)} notebooks, one fresh kernel each (nbclient)")
    total = 0.0
    for path in paths:
        seconds = run_notebook(path)
        total += seconds
        print(f"    {path.name:<32} {seconds:6.2f} s")
    verdict = "ok" if total < NOTEBOOK_TARGET_S else "OVER TARGET"
    target = f"target < {NOTEBOOK_TARGET_S:.0f} s: {verdict}"
    print(f"    {'all notebooks':<32} {total:6.2f} s   ({target})")


# -- (b) slider moves ------------------------------------------------------------------------------


def time_moves(explorer: Any, move: Callable[[Any], None], values: list[Any]) -> list[float]:
    """Milliseconds per move: set the control, then render the PNG the learner would see."""
    explorer.render()  # warm up: fonts, caches
    times = []
    for value in values:
        start = time.perf_counter()
        move(value)
        explorer.render()
        times.append((time.perf_counter() - start) * 1000)
    return times


def spread(low: float, high: float, n: int) -> list[float]:
    """``n`` values across a slider's range, alternating ends to middle (every move a change)."""
    step = (high - low) / max(n - 1, 1)
    ordered = [low + k * step for k in range(n)]
    return [ordered[k // 2] if k % 2 == 0 else ordered[-1 - k // 2] for k in range(n)]


def move_table(moves: int) -> None:
    from autograd_lab.viz import (
        accumulation_lab,
        neuron_explorer,
        regression_trainer,
        tangent_explorer,
        tracking_lab,
    )

    def setter(control: Any) -> Callable[[Any], None]:
        return lambda value: setattr(control, "value", value)

    tangent = tangent_explorer()
    neuron = neuron_explorer()
    lab = accumulation_lab()
    trainer = regression_trainer()
    rates = [10 ** (-4 + 4 * k / (moves - 1)) for k in range(moves)]
    cases = [
        ("tangent_explorer: x", tangent, setter(tangent.x), spread(-3, 3, moves)),
        ("neuron_explorer: w", neuron, setter(neuron.w), spread(-3, 3, moves)),
        ("neuron_explorer: x", neuron, setter(neuron.x), spread(-8, 8, moves)),
        ("accumulation_lab: backward()", lab, lab.click, ["backward"] * moves),
        ("regression_trainer: learning rate", trainer, setter(trainer.lr), rates),
        ("regression_trainer: epochs", trainer, setter(trainer.epochs),
         [int(v) for v in spread(1, 300, moves)]),
    ]  # fmt: skip
    print(f"(b) a slider move: recompute + redraw + PNG (Agg), {moves} moves each, in ms")
    print(f"    {'explorer: control':<36} {'median':>7} {'slowest':>8}")
    for name, explorer, move, values in cases:
        times = time_moves(explorer, move, values)
        flag = "" if statistics.median(times) < MOVE_TARGET_MS else "   OVER TARGET"
        print(f"    {name:<36} {statistics.median(times):7.1f} {max(times):8.1f}{flag}")

    tracking = tracking_lab()
    modes = list(tracking.mode.options)
    first = time_moves(tracking, setter(tracking.mode), modes[1:])  # each drawn for the first time
    again = time_moves(tracking, setter(tracking.mode), modes * 3)
    print(f"    {'tracking_lab: mode, first visit':<36} {statistics.median(first):7.1f} "
          f"{max(first):8.1f}")  # fmt: skip
    print(f"    {'tracking_lab: mode, again':<36} {statistics.median(again):7.1f} "
          f"{max(again):8.1f}")  # fmt: skip
    print(f"    (target < {MOVE_TARGET_MS:.0f} ms a move)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-notebooks", action="store_true", help="skip table (a)")
    parser.add_argument("--moves", type=int, default=20, help="slider moves per explorer")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}")
    if not args.no_notebooks:
        notebook_table()
    move_table(max(args.moves, 2))


if __name__ == "__main__":
    main()
