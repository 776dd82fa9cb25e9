"""Stepping through backward: the steps are the backward pass, with the chain rule written out.

Random graphs (hypothesis) check the promises that hold for every graph: consuming the steps
gives exactly ``backward()``'s gradients, each contribution is upstream × local (summed back
where broadcast), and the contributions a shared tensor receives add up to its gradient.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_lab as torch
from autograd_lab.autograd.function import AccumulateGrad
from autograd_lab.autograd.stepping import backward_steps, fmt, record_steps, render

# -- random graphs --------------------------------------------------------------------------------

SHAPES = [(), (3,), (2, 3), (2, 1), (1, 3)]


@st.composite
def programs(draw):
    """A recipe for a graph: leaf shapes and values, then ops reading earlier tensors."""
    n_leaves = draw(st.integers(1, 3))
    leaves = []
    for _ in range(n_leaves):
        shape = draw(st.sampled_from(SHAPES))
        size = int(np.prod(shape)) if shape else 1
        values = draw(st.lists(st.floats(-2, 2, width=32), min_size=size, max_size=size))
        leaves.append(np.array(values, dtype=np.float32).reshape(shape))
    ops = []
    for k in range(draw(st.integers(1, 8))):
        available = n_leaves + k
        if draw(st.booleans()):
            kind = draw(st.sampled_from(sorted(UNARY_OPS)))
            ops.append(("u", kind, draw(st.integers(0, available - 1))))
        else:
            a, b = draw(st.integers(0, available - 1)), draw(st.integers(0, available - 1))
            kind = draw(st.sampled_from(sorted(BINARY_OPS)))
            ops.append(("b", kind, a, b))  # a == b: a shared input
    return leaves, ops


UNARY_OPS = {
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: torch.sigmoid(x),
    "square": lambda x: x**2,
    "exp_small": lambda x: (x * 0.1).exp(),
    "neg": lambda x: -x,
    "relu": lambda x: x.relu(),
    "log_pos": lambda x: (x * x + 1).log(),
}
BINARY_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div_pos": lambda a, b: a / (b * b + 1),
}


def build(program):
    """Run the recipe: returns the leaves and a scalar loss (the sum of every tensor made)."""
    values, ops = program
    leaves = [torch.tensor(v, requires_grad=True) for v in values]
    made = list(leaves)
    for op in ops:
        if op[0] == "u":
            made.append(UNARY_OPS[op[1]](made[op[2]]))
        else:
            made.append(BINARY_OPS[op[1]](made[op[2]], made[op[3]]))
    loss = made[-1].sum() if made[-1].dim() else made[-1] * 1.0
    for t in made[-3:-1]:  # fan-in at the root: several tensors feed the loss
        loss = loss + t.sum()
    return leaves, loss


def grads(leaves):
    return [None if t.grad is None else t.grad.numpy().copy() for t in leaves]


@settings(max_examples=60, deadline=None)
@given(programs())
def test_consuming_every_step_gives_exactly_backwards_gradients(program):
    leaves, loss = build(program)
    loss.backward()
    expected = grads(leaves)

    leaves, loss = build(program)
    for _ in loss.backward_steps():
        pass
    for got, want in zip(grads(leaves), expected, strict=True):
        assert (got is None) == (want is None)
        if got is not None:
            np.testing.assert_array_equal(got, want)  # the same engine: the same bits


@settings(max_examples=60, deadline=None)
@given(programs())
def test_each_contribution_is_upstream_times_local_summed_back(program):
    _, loss = build(program)
    for step in loss.backward_steps():
        for c in step.inputs:
            if c.gradient is None or c.local is None:
                continue
            full = np.asarray(step.grad_output) * c.local
            if c.summed_axes:
                full = full.sum(axis=c.summed_axes, keepdims=True)
            np.testing.assert_allclose(
                c.gradient, full.reshape(np.shape(c.gradient)), rtol=1e-5, atol=1e-6
            )
            assert np.shape(c.gradient) == np.shape(c.value)  # back to the input's shape


@settings(max_examples=60, deadline=None)
@given(programs())
def test_fan_out_contributions_add_up_to_the_gradient_that_arrives(program):
    _, loss = build(program)
    steps = list(loss.backward_steps())
    sent: dict = {}
    for step in steps:
        if step.node in sent:  # everything it received came before it ran
            total = sum(sent[step.node][1:], sent[step.node][0])
            np.testing.assert_allclose(step.grad_output, total, rtol=1e-5, atol=1e-6)
        for c in step.inputs:
            if c.gradient is not None:
                sent.setdefault(c.receiver, []).append(c.gradient)
                assert c.accumulated == (len(sent[c.receiver]) > 1)  # the 2nd one is a +=
    for leaf_step in (s for s in steps if s.is_leaf):
        np.testing.assert_array_equal(
            leaf_step.leaf_grads[leaf_step.output], leaf_step.node.variable.grad.numpy()
        )


@settings(max_examples=40, deadline=None)
@given(programs())
def test_a_dry_run_writes_no_grad_and_shows_what_backward_will_store(program):
    leaves, loss = build(program)
    steps = record_steps(loss)
    assert all(t.grad is None for t in leaves)
    loss.backward()  # the graph is still there
    final = steps[-1].leaf_grads
    labels = {s.node: s.output for s in steps if s.is_leaf}
    for t in leaves:
        if t.grad is not None:
            np.testing.assert_array_equal(final[labels[t._acc]], t.grad.numpy())


# -- the lesson's examples, by name ---------------------------------------------------------------


def lesson_sin():
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    z = torch.sin(y)
    return x, y, z


def test_sin_of_x_squared_step_by_step():
    x, y, z = lesson_sin()
    steps = list(backward_steps(z, names={"x": x, "y": y, "z": z}))
    assert [s.name for s in steps[:2]] == ["SinBackward0", "PowBackward0"]
    assert isinstance(steps[2].node, AccumulateGrad)
    sin, pow_, leaf = steps
    assert sin.output == "z" and pow_.output == "y" and leaf.output == "x"
    assert sin.value == pytest.approx(np.sin(16.0), abs=1e-6)
    assert sin.grad_output == 1.0
    (into_y,) = sin.inputs
    assert into_y.input == "y" and into_y.formula == "cos(y)"
    assert into_y.local == pytest.approx(np.cos(16.0), rel=1e-6)
    assert into_y.gradient == pytest.approx(np.cos(16.0), rel=1e-6)
    (into_x,) = pow_.inputs
    assert into_x.formula == "2·x" and into_x.local == pytest.approx(8.0)
    assert into_x.gradient == pytest.approx(-7.6613, abs=1e-4)
    assert leaf.is_leaf and leaf.grad_before is None
    assert leaf.leaf_grads["x"] == pytest.approx(-7.6613, abs=1e-4)
    assert x.grad.item() == pytest.approx(-7.6613, abs=1e-4)
    assert "y: dz/dy = upstream × cos(y) = 1 × (-0.9577) = -0.9577" in sin.describe()


def test_sigmoid_and_the_formulas_of_the_neuron():
    w = torch.tensor(1.0, requires_grad=True)
    x = torch.tensor(6.7)
    z = w * x
    y_pred = torch.sigmoid(z)
    steps = record_steps(y_pred, names=locals())
    sigmoid, mul, _ = steps
    assert sigmoid.inputs[0].formula == "σ(z)(1 − σ(z))"
    s = 1 / (1 + np.exp(-6.7))
    assert sigmoid.inputs[0].local == pytest.approx(s * (1 - s), rel=1e-4)
    by_name = {c.input: c for c in mul.inputs}
    assert by_name["w"].formula == "x" and by_name["w"].local == pytest.approx(6.7)
    assert by_name["x"].formula == "w" and not by_name["x"].needs_grad  # a constant


def test_unnamed_tensors_are_numbered_in_the_order_they_were_made():
    a = torch.tensor(2.0, requires_grad=True)
    out = (a * 3).exp()
    steps = list(out.backward_steps())
    assert [s.output for s in steps] == ["t3", "t2", "t1"]  # exp(t2) made last, a first
    assert steps[1].inputs[0].input == "t1" and steps[1].inputs[1].input == "3"


def test_a_shared_node_receives_plus_equals():
    a = torch.tensor(1.0, requires_grad=True)
    b = a + a
    steps = list(b.backward_steps())
    first, second = steps[0].inputs
    assert not first.accumulated and second.accumulated
    assert second.total == 2.0
    # Tensor.backward_steps() takes no names: a is t1, b is t2
    assert "t1: dt2/dt1 += upstream × 1 = 1 × 1 = 1  → dt2/dt1 = 2 so far" in steps[0].describe()
    assert steps[1].grad_output == 2.0 and a.grad.item() == 2.0


def test_the_summed_axes_are_explained():
    a = torch.ones(4, 3, requires_grad=True)
    b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = torch.ones(4, 1, requires_grad=True)
    out = (a + b) * c
    steps = record_steps(out.sum(), names={"a": a, "b": b, "c": c})
    add = next(s for s in steps if s.name == "AddBackward0")
    into_b = next(i for i in add.inputs if i.input == "b")
    assert into_b.summed_axes == (0,)
    assert into_b.why.startswith(
        "summed over axis 0 because b has shape (3,) and the output (4, 3)"
    )
    assert "used each element of b 4 times" in into_b.why
    mul = next(s for s in steps if s.name == "MulBackward0")
    into_c = next(i for i in mul.inputs if i.input == "c")
    assert into_c.summed_axes == (1,) and into_c.gradient.shape == (4, 1)
    into_a = next(i for i in add.inputs if i.input == "a")
    assert into_a.summed_axes == () and into_a.why == ""


def test_a_leaf_that_already_has_a_grad_shows_the_accumulation():
    x = torch.tensor(2.0, requires_grad=True)
    (x**2).backward()
    steps = list((x**2).backward_steps())
    leaf = steps[-1]
    assert leaf.grad_before == 4.0 and leaf.leaf_grads["t1"] == 8.0
    assert "t1.grad += 4  (4 + 4 = 8)" in leaf.describe()


# -- what stepping must not break -----------------------------------------------------------------


def test_grad_mode_is_the_learners_between_steps():
    x = torch.tensor(2.0, requires_grad=True)
    walk = (x * 3).backward_steps()
    next(walk)
    assert torch.is_grad_enabled()
    assert (x * 2).grad_fn is not None  # recorded: the engine's no-grad does not leak out
    with torch.no_grad():
        del walk  # abandoned mid-way: its clean-up must not switch grad mode back on here
        gc.collect()
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_numpy_warnings_are_the_learners_between_steps():
    x = torch.tensor(2.0, requires_grad=True)
    before = np.geterr()
    walk = (x * 3).backward_steps()
    next(walk)
    assert np.geterr() == before
    list(walk)
    assert np.geterr() == before


def test_the_graph_is_freed_unless_retained():
    x = torch.tensor(2.0, requires_grad=True)
    y = x.sin() * x
    list(y.backward_steps())
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    y = x.sin() * x
    list(y.backward_steps(retain_graph=True))
    y.backward()  # still there
    assert x.grad.item() == pytest.approx(3 * (np.sin(2.0) + 2 * np.cos(2.0)), rel=1e-5)


def test_errors_come_at_the_call_as_with_backward():
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch.tensor(1.0).backward_steps()
    with pytest.raises(RuntimeError, match="implicitly created only for scalar"):
        torch.ones(2, requires_grad=True).backward_steps()


def test_a_gradient_for_a_vector_output():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    steps = list(y.backward_steps(torch.tensor([1.0, 10.0])))
    np.testing.assert_array_equal(steps[0].grad_output, [1.0, 10.0])
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 40.0])


# -- formulas and numbers -------------------------------------------------------------------------


def test_formulas_take_the_learners_names():
    assert render("cos(x)", {"x": "y"}) == "cos(y)"
    assert render("−a/b²", {"a": "y", "b": "1 − y"}) == "−y/(1 − y)²"
    assert render("p·x^(p−1)", {"p": "3", "p−1": "2", "x": "w"}) == "3·w²"
    assert render("p·x^(p−1)", {"p": "2", "p−1": "1", "x": "x"}) == "2·x"
    assert render("p·x^(p−1)", {"p": "-1", "p−1": "-2", "x": "t1"}) == "(-1)·t1⁻²"
    assert render("1 if lo ≤ x ≤ hi else 0", {"lo": "1e-08", "x": "p", "hi": "1"}) == (
        "1 if 1e-08 ≤ p ≤ 1 else 0"
    )


@pytest.mark.parametrize(("dtype", "upper"), [(torch.float32, "1"), (torch.float64, "0.99999999")])
def test_clamp_bounds_are_shown_as_the_comparison_uses_them(dtype, upper):
    # the lesson's clamp: in float32, 1 - 1e-8 rounds to exactly 1 before x is compared with it
    p = torch.tensor(0.7, dtype=dtype, requires_grad=True)
    step = record_steps(torch.clamp(p, 1e-8, 1 - 1e-8), names={"p": p})[0]
    assert step.inputs[0].formula == f"1 if 1e-08 ≤ p ≤ {upper} else 0"
    one_sided = record_steps(torch.clamp(p, min=0), names={"p": p})[0]
    assert one_sided.inputs[0].formula == "1 if 0 ≤ p ≤ ∞ else 0"


def test_numbers_print_as_pytorch_prints_them_but_never_lose_digits():
    assert fmt(6.69176) == "6.6918" and fmt(-7.66128) == "-7.6613" and fmt(16.0) == "16"
    assert fmt(0.001228) == "0.001228"  # four decimals would say 0.0012
    assert fmt(np.array([1.0, 2.5])) == "[1, 2.5]"
    assert fmt(np.ones((4, 3))) == "[4×3 values]"
    assert fmt(None) == "None" and fmt(float("nan")) == "nan"


def test_ops_without_a_single_local_number_say_so():
    a = torch.ones(2, 3, requires_grad=True)
    b = torch.ones(3, 2, requires_grad=True)
    step = list((a @ b).sum().backward_steps())[1]
    assert step.name == "MmBackward0"
    assert [c.formula for c in step.inputs] == ["upstream @ t2ᵀ", "t1ᵀ @ upstream"]
    assert all(c.local is None for c in step.inputs)
    assert "t1: dt4/dt1 = upstream @ t2ᵀ = [[2, 2, 2], [2, 2, 2]]" in step.describe()


def test_a_function_with_two_outputs():
    class Split(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            return ga * 2 + gb * 3

    x = torch.tensor(1.0, requires_grad=True)
    a, b = Split.apply(x)
    out = a * b
    steps = record_steps(out, names={"x": x, "a": a, "b": b, "out": out})
    notes = [s.note for s in steps if s.note]
    assert len(notes) == 2 and "a is output 1 of SplitBackward" in " ".join(notes)
    split = next(s for s in steps if s.output == "a, b")
    assert split.upstream == "dout/da and dout/db" and split.grad_output == (3.0, 2.0)
    assert split.inputs[0].formula == "∂(a, b)/∂x" and split.inputs[0].gradient == 12.0
    assert steps[-1].leaf_grads["x"] == 12.0
