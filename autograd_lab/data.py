"""Toy data sets for the course: small, seeded, made with numpy alone.

Each function returns float32 tensors of inputs and a tensor of targets:

* ``noisy_line``  regression: y = slope·x + intercept + noise, x of shape (n, 1), y (n, 1);
* ``two_moons``   classification: two interleaving half circles, x (n, 2), labels (n,) in {0, 1};
* ``blobs``       classification: Gaussian clouds around centres, x (n, 2), labels (n,).

Labels are int64 class indices, what ``CrossEntropyLoss`` expects; for ``BCELoss`` or
``BCEWithLogitsLoss`` use ``labels.float().unsqueeze(1)``.

The same ``seed`` gives the same data on every machine. The numbers come from numpy's own
generator (``np.random.default_rng(seed)``), never from ``manual_seed``'s stream: making data
does not change which weights a seeded model gets, so a notebook that seeds PyTorch's generator
and builds a model still matches real PyTorch number for number.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["blobs", "noisy_line", "two_moons"]


def noisy_line(
    n: int = 100,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.5,
    low: float = -3.0,
    high: float = 3.0,
    seed: int = 0,
) -> tuple[Tensor, Tensor]:
    """``n`` points (x, y) with x uniform in [low, high) and y = slope·x + intercept plus
    Gaussian noise of standard deviation ``noise``: a line for linear regression to recover."""
    _check_count(n)
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=(n, 1))
    y = slope * x + intercept + noise * rng.standard_normal((n, 1))
    return _floats(x), _floats(y)


def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Two interleaving half circles (class 0 on top, class 1 below, shifted right), shuffled,
    with Gaussian noise: a set no straight line separates, so a classifier needs a hidden layer.
    """
    _check_count(n)
    rng = np.random.default_rng(seed)
    upper, lower = n - n // 2, n // 2
    t_upper = np.linspace(0, math.pi, upper)
    t_lower = np.linspace(0, math.pi, lower)
    points = np.concatenate(
        [
            np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1),
            np.stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1),
        ]
    )
    labels = np.concatenate([np.zeros(upper, np.int64), np.ones(lower, np.int64)])
    points += noise * rng.standard_normal(points.shape)
    order = rng.permutation(n)
    return _floats(points[order]), _labels(labels[order])


def blobs(
    n: int = 300,
    centers: Any = 3,
    std: float = 0.6,
    seed: int = 0,
) -> tuple[Tensor, Tensor]:
    """Gaussian clouds of 2-D points, one class per cloud, classes as balanced as ``n`` allows.

    ``centers`` is how many clouds (placed evenly on a circle of radius 3, so they are easy to
    tell apart at the default ``std``) or an array of their (x, y) coordinates.
    """
    _check_count(n)
    rng = np.random.default_rng(seed)
    if isinstance(centers, int):
        if centers < 1:
            raise ValueError(f"centers must be at least 1, got {centers}")
        angles = 2 * math.pi * np.arange(centers) / centers
        where = 3.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    else:
        where = np.asarray(centers, dtype=np.float64)
        if where.ndim != 2 or where.shape[1] != 2:
            raise ValueError(
                f"centers must be an int or (k, 2) coordinates, got shape {where.shape}"
            )
    labels = np.arange(n) % len(where)  # 0, 1, 2, 0, 1, 2, ...: balanced classes
    points = where[labels] + std * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return _floats(points[order]), _labels(labels[order])


def _check_count(n: int) -> None:
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive number of samples, got {n!r}")


def _floats(a: np.ndarray) -> Tensor:
    return Tensor._make(np.ascontiguousarray(a, dtype=np.float32))


def _labels(a: np.ndarray) -> Tensor:
    return Tensor._make(np.ascontiguousarray(a, dtype=np.int64))
