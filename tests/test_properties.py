"""Gradients agree with central finite differences, for random shapes and compositions of ops.

Everything runs in float64, where a central difference with h = 1e-6 is accurate to about 1e-8:
any mistake in a derivative formula, in un-broadcasting or in accumulation shows up as a
mismatch far above that.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays, mutually_broadcastable_shapes

import autograd_lab as torch
import autograd_lab.nn.functional as F

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def numerical_grad(f: Callable[..., float], arrays_: list[np.ndarray], i: int, h: float = 1e-6):
    """d f / d arrays_[i] by central differences, one element at a time."""
    x = arrays_[i]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        orig = x[index]
        x[index] = orig + h
        up = f(*arrays_)
        x[index] = orig - h
        down = f(*arrays_)
        x[index] = orig
        grad[index] = (up - down) / (2 * h)
    return grad


def check(fn: Callable[..., torch.Tensor], *values: np.ndarray, rtol: float = 1e-5) -> None:
    """fn's gradient for each input, by backward and by finite differences, must agree."""
    leaves = [torch.tensor(v, requires_grad=True) for v in values]
    out = fn(*leaves).sum()
    out.backward()

    def f(*arrs: np.ndarray) -> float:
        with torch.no_grad():
            return fn(*(torch.from_numpy(a) for a in arrs)).sum().item()

    copies = [v.copy() for v in values]
    for i, leaf in enumerate(leaves):
        assert leaf.grad is not None, f"input {i} got no gradient"
        assert leaf.grad.shape == leaf.shape  # broadcast gradients are summed back
        expected = numerical_grad(f, copies, i)
        np.testing.assert_allclose(leaf.grad.numpy(), expected, rtol=rtol, atol=1e-6)


finite = st.floats(-3, 3, allow_nan=False, width=64)
positive = st.floats(0.2, 3, allow_nan=False, width=64)


def pair_of_broadcastable(elements: st.SearchStrategy = finite):
    """Two float64 arrays whose shapes broadcast against each other."""
    return mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3).flatmap(
        lambda s: st.tuples(
            arrays(np.float64, s.input_shapes[0], elements=elements),
            arrays(np.float64, s.input_shapes[1], elements=elements),
        )
    )


@SETTINGS
@given(pair_of_broadcastable())
@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: b - a * 2.5,
        lambda a, b: 1.5 - a + b,
    ],
    ids=["add", "sub", "mul", "scalar-mul", "rsub"],
)
def test_binary_ops_with_broadcasting(op, ab):
    check(op, *ab)


@SETTINGS
@given(pair_of_broadcastable(positive))
def test_division_and_power_with_broadcasting(ab):
    check(lambda a, b: a / b + a**b + (2.0 / b), *ab, rtol=1e-4)


UNARY = {
    "exp": lambda x: x.exp(),
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "square": lambda x: x**2,
    "cube": lambda x: x**3,
    "neg": lambda x: -x,
    "abs": lambda x: (x + 10).abs(),  # away from the kink at 0
    "relu": lambda x: (x + 10).relu(),
    "clamp": lambda x: x.clamp(-10, 10),
    "log": lambda x: (x * x + 1).log(),
    "sqrt": lambda x: (x * x + 1).sqrt(),
    "tan": lambda x: (x * 0.3).tan(),  # |0.3x| < π/2 for |x| ≤ 5: no pole
    "atan": torch.atan,
    "asin": lambda x: (x.tanh() * 0.9).asin(),
    "acos": lambda x: (x.tanh() * 0.9).acos(),
    "sinh": torch.sinh,
    "cosh": torch.cosh,
    "log2": lambda x: (x * x + 1).log2(),
    "log10": lambda x: (x * x + 1).log10(),
    "exp2": torch.exp2,
    "log1p": lambda x: (x * x).log1p(),
    "expm1": torch.expm1,
    "rsqrt": lambda x: (x * x + 1).rsqrt(),
    # the steps get arguments in (0, 1) or (-1, 1): no step is crossed, the gradient is 0
    "floor": lambda x: x * 2 + x.sigmoid().floor(),
    "ceil": lambda x: x * 2 + x.sigmoid().ceil(),
    "round": lambda x: x * 2 + (x.sigmoid() * 0.4).round() + (x.sigmoid() * 0.04).round(decimals=1),
    "trunc": lambda x: x * 2 + x.tanh().trunc(),
    "frac": lambda x: (x.tanh() * 0.9).frac(),
    "leaky_relu": lambda x: F.leaky_relu(x - 10, 0.2),  # away from the kink at 0
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "elu": F.elu,  # α = 1: smooth at 0
    "softplus": lambda x: F.softplus(x, beta=2.0),  # βx stays below the threshold (a jump)
    "hardtanh": lambda x: F.hardtanh(x, -10.0, 10.0),
}


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops(name, data):
    shape = data.draw(st.lists(st.integers(1, 3), max_size=2).map(tuple))
    x = data.draw(arrays(np.float64, shape, elements=finite))
    check(UNARY[name], x)


@SETTINGS
@given(
    arrays(np.float64, (3, 4), elements=finite),
    st.sampled_from([None, 0, 1, -1, (0, 1)]),
    st.booleans(),
)
def test_reductions(x, dim, keepdim):
    if dim is None:
        check(lambda t: t.sum() * t.mean(), x)
    else:
        check(lambda t: (t.sum(dim, keepdim=keepdim) * t.mean(dim, keepdim=keepdim)) ** 2, x)


@SETTINGS
@given(
    arrays(np.float64, (3, 4), elements=st.floats(-3, 3, width=64).filter(lambda v: abs(v) > 1e-3))
)
def test_max_min_and_softmax(x):
    x = x + np.arange(12).reshape(3, 4) * 1e-2  # no ties: max is differentiable
    check(
        lambda t: (
            t.max(dim=1).values * 2
            + t.min()
            + t.softmax(dim=1)[:, 0]
            + t.log_softmax(dim=0).sum(0)[:3]
        ),
        x,
    )


# One line per op; inputs are distinct and away from 0 (see below), where amax, norm(p=1)
# and masked_fill(t > 0) have kinks that finite differences cannot follow.
REDUCE_AND_SHAPE = {
    "amax_amin": lambda t: t.amax(1) * t.amin() + t.amin(0, keepdim=True).sum(),
    "prod": lambda t: t.prod(0) + t.prod() + t.prod(1, keepdim=True),
    "var": lambda t: t.var(1, keepdim=True) * t + t.var(correction=0),
    "std": lambda t: t.std(0, correction=0) + t.std() * t[0],
    "norm": lambda t: t.norm(dim=1) * t.norm(p=1) + t.norm(3) + t.norm(float("inf"), 1, True),
    "cumsum": lambda t: t.cumsum(1) ** 2 + t.cumsum(0),
    "repeat": lambda t: t.repeat(2, 1, 3) ** 2,
    "flip": lambda t: t.flip(0) * t + t.flip(0, 1),
    "roll": lambda t: t.roll((1, -1), (0, 1)) * t + t.roll(5),
    "tril_triu": lambda t: t.tril(1) * t.triu(-1),
    "narrow": lambda t: t.narrow(1, 1, 2) ** 2,
    "split": lambda t: t.split([1, 3], 1)[1] ** 3 + t.split(2)[1].sum(),
    "chunk": lambda t: t.chunk(2)[1] * t.chunk(3, 1)[0].sum(),
    "index_select": lambda t: t.index_select(1, torch.tensor([3, 0, 3])) ** 2,
    "gather": lambda t: t.gather(0, torch.tensor([[2, 0, 1, 2], [1, 1, 0, 2]])) ** 2,
    "masked_fill": lambda t: t.masked_fill(t > 0, 2.0) * t + t.masked_fill(t < 0, t[0, 0]),
    "outer": lambda t: torch.outer(t[0], t[1]) ** 2,
    "normalize": lambda t: F.normalize(t) * t + F.normalize(t, p=1, dim=0),
    # t − t'/2 is never 0 here (l1's kink); smooth_l1 and huber are smooth enough at ±β
    "l1_loss": lambda t: F.l1_loss(t, t.flip(1) / 2, reduction="none") + F.l1_loss(t, t.T.T / 4),
    "smooth_l1": lambda t: (
        F.smooth_l1_loss(t, t.flip(1) / 2, reduction="none", beta=0.7)
        + F.smooth_l1_loss(t, t.flip(0), beta=2.0)
    ),
    "huber": lambda t: (
        F.huber_loss(t, t.flip(1) / 2, reduction="sum", delta=0.7)
        * F.huber_loss(t * 2, t.flip(0), reduction="none")
    ),
    "dropout": lambda t: t * _seeded(F.dropout, t, 0.4) + _seeded(F.dropout, t * t, 0.25),
}


def _seeded(fn: Callable[..., torch.Tensor], *args: object) -> torch.Tensor:
    """``fn`` after ``manual_seed(0)``: a random op gives the same draw in every call."""
    torch.manual_seed(0)
    return fn(*args)


@SETTINGS
@given(st.permutations(range(12)), st.floats(0.5, 2.0))
@pytest.mark.parametrize("name", sorted(REDUCE_AND_SHAPE))
def test_more_reductions_and_shape_ops(name, order, scale):
    # 12 distinct values, at least 0.125 * scale apart from each other and from 0
    x = (np.array(order, dtype=np.float64).reshape(3, 4) - 5.5) * 0.25 * scale
    check(REDUCE_AND_SHAPE[name], x)


@SETTINGS
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.data())
def test_matmul_shapes(n, k, m, data):
    a = data.draw(arrays(np.float64, (n, k), elements=finite))
    b = data.draw(arrays(np.float64, (k, m), elements=finite))
    v = data.draw(arrays(np.float64, (k,), elements=finite))
    check(lambda x, y: x @ y, a, b)
    check(lambda x, y: x @ y, a, v)
    check(lambda x, y: x @ y, v, b)
    stack = data.draw(arrays(np.float64, (2, n, k), elements=finite))
    check(lambda x, y: x @ y, stack, b)


@SETTINGS
@given(arrays(np.float64, (4, 3), elements=finite), st.data())
def test_shape_ops_and_indexing(x, data):
    rows = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=6))
    check(lambda t: t.reshape(3, 4).t() * t + t.T.flatten()[:3], x)
    check(lambda t: (t[rows] * 3).sum(0) + t[1:, ::2].sum() + t[..., 0][:3] * t[None, 0, :], x)
    check(lambda t: torch.cat([t, t * 2], dim=1).sum(1) * torch.stack([t, t]).sum(0).sum(1), x)


@SETTINGS
@given(
    st.lists(st.sampled_from(sorted(UNARY)), min_size=1, max_size=5),
    arrays(np.float64, (3,), elements=finite),
)
def test_random_compositions_with_shared_nodes(names, x):
    """A chain of random ops where each value is also used again later (fan-out, diamonds)."""

    def fn(t):
        total = t * 0
        for name in names:
            u = UNARY[name](t)
            total = total + u * t  # t is used twice at every step
            t = u.clamp(-5, 5)
        return total + t

    check(fn, x, rtol=1e-4)


def test_higher_order_matches_finite_differences_of_the_gradient():
    x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64, requires_grad=True)

    def first(t):
        (g,) = torch.autograd.grad((torch.sin(t) * t**3).sum(), t, create_graph=True)
        return g

    (second,) = torch.autograd.grad(first(x).sum(), x)
    h = 1e-6
    xs = x.detach().numpy()
    expected = [
        (
            first(torch.tensor(xs + h * e, requires_grad=True)).sum().item()
            - first(torch.tensor(xs - h * e, requires_grad=True)).sum().item()
        )
        / (2 * h)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(second.numpy(), expected, rtol=1e-6)
