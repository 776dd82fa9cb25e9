"""The differentiable operations, one small class each, grouped by kind.

Every op has ``forward(ctx, ...)`` (the maths, on numpy arrays) and ``backward(ctx, grad)`` (its
derivative times the upstream gradient) side by side. The engine (``autograd/engine.py``) does
the rest: ordering, summing shared gradients, undoing broadcasting, accumulating into ``.grad``.
"""
