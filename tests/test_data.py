"""The toy data sets: shapes, dtypes, seeding, and that each is the problem it claims to be."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab import data


@pytest.mark.parametrize("make", [data.noisy_line, data.two_moons, data.blobs])
def test_same_seed_same_data_other_seed_other_data(make):
    a, b = make(seed=3), make(seed=3)
    c = make(seed=4)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


@pytest.mark.parametrize("make", [data.noisy_line, data.two_moons, data.blobs])
def test_data_does_not_move_the_seeded_generator(make):
    """Making data leaves manual_seed's stream alone, so seeded weights stay PyTorch's."""
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    make()
    assert torch.equal(torch.rand(3), expected)


def test_noisy_line_shapes_and_the_line_behind_it():
    x, y = data.noisy_line(n=500, slope=-1.5, intercept=0.5, noise=0.1, seed=1)
    assert x.shape == (500, 1) and y.shape == (500, 1)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    assert x.min().item() >= -3.0 and x.max().item() < 3.0
    slope, intercept = np.polyfit(x.numpy()[:, 0], y.numpy()[:, 0], 1)
    assert abs(slope + 1.5) < 0.02 and abs(intercept - 0.5) < 0.02
    residual = y.numpy() - (-1.5 * x.numpy() + 0.5)
    assert 0.08 < residual.std() < 0.12


def test_noise_free_line_is_exact():
    x, y = data.noisy_line(n=10, slope=2.0, intercept=1.0, noise=0.0)
    np.testing.assert_allclose(y.numpy(), 2 * x.numpy() + 1, rtol=1e-6)


def test_two_moons_shapes_labels_and_geometry():
    x, labels = data.two_moons(n=201, noise=0.0, seed=2)
    assert x.shape == (201, 2) and labels.shape == (201,)
    assert x.dtype == torch.float32 and labels.dtype == torch.int64
    counts = np.bincount(labels.numpy())
    assert counts.tolist() == [101, 100]
    pts, lab = x.numpy(), labels.numpy()
    upper, lower = pts[lab == 0], pts[lab == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-6)  # unit half circle
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-6)
    assert (upper[:, 1] >= 0).all() and (lower[:, 1] <= 0.5).all()
    assert not (np.diff(lab) == 0).all()  # shuffled, not sorted by class


def test_two_moons_are_not_linearly_separable():
    x, labels = data.two_moons(n=400, noise=0.05, seed=0)
    a = np.c_[x.numpy(), np.ones(400)]
    w, *_ = np.linalg.lstsq(a, labels.numpy() * 2.0 - 1, rcond=None)
    accuracy = ((a @ w > 0) == (labels.numpy() == 1)).mean()
    assert 0.75 < accuracy < 0.95  # a line gets most points, never all: a hidden layer is needed


def test_blobs_balanced_classes_around_their_centres():
    x, labels = data.blobs(n=300, centers=3, std=0.2, seed=5)
    assert x.shape == (300, 2) and labels.dtype == torch.int64
    assert np.bincount(labels.numpy()).tolist() == [100, 100, 100]
    for k in range(3):
        centre = x.numpy()[labels.numpy() == k].mean(axis=0)
        angle = 2 * np.pi * k / 3
        np.testing.assert_allclose(centre, [3 * np.cos(angle), 3 * np.sin(angle)], atol=0.06)


def test_blobs_with_given_centres():
    x, labels = data.blobs(n=40, centers=[[0.0, 0.0], [10.0, 10.0]], std=0.01)
    assert set(labels.tolist()) == {0, 1}
    assert (np.abs(x.numpy() - 10.0 * labels.numpy()[:, None]) < 0.1).all()


@pytest.mark.parametrize(
    ("make", "kwargs", "message"),
    [
        (data.noisy_line, {"n": 0}, "n must be a positive"),
        (data.two_moons, {"n": -3}, "n must be a positive"),
        (data.blobs, {"centers": 0}, "centers must be at least 1"),
        (data.blobs, {"centers": [1.0, 2.0]}, "centers must be an int or"),
    ],
)
def test_bad_arguments(make, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make(**kwargs)
