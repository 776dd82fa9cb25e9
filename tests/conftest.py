"""Shared pytest setup."""

import os

# viz tests (test_graph.py, test_stepper.py, test_explain.py): matplotlib draws off-screen with
# the Agg backend, so no display is needed. Set before anything imports matplotlib.pyplot.
os.environ.setdefault("MPLBACKEND", "Agg")
