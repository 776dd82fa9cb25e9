"""Seeing gradients: graph pictures, a step-by-step backward, plots and widgets for the course.

matplotlib and ipywidgets are imported only when one of these is first used, so that
``import autograd_lab`` stays numpy-only.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule that defines it
_WHERE = {
    # the computational graph and the backward pass (graph.py, stepper.py, ledger.py)
    "draw_graph": "graph",
    "graph_structure": "graph",
    "backward_stepper": "stepper",
    "explain": "ledger",
    # explorers for the lessons (explorers.py) and training plots (plots.py)
    "tangent_explorer": "explorers",
    "neuron_explorer": "explorers",
    "accumulation_lab": "explorers",
    "tracking_lab": "explorers",
    "regression_trainer": "explorers",
    "plot_losses": "plots",
    "progress": "plots",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'autograd_lab.viz' has no attribute {name!r}")
    module = importlib.import_module(f".{_WHERE[name]}", __name__)
    value = getattr(module, name)
    globals()[name] = value  # found once; later lookups don't come here

    return value


def __dir__() -> list[str]:
    return __all__
