"""The backward engine's own promises: deep graphs, memory, sharing, accumulation.

What PyTorch prints and raises is checked by the golden cases (test_core_golden.py); these tests
check what no printout shows: that nothing recurses, that graphs are freed without Python's
cyclic garbage collector, and that gradients never share memory with something else.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import warnings
import weakref

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab.autograd.engine import steps


def test_a_chain_of_100000_ops_backpropagates():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.5
    y.backward()
    assert x.grad.item() == 1.0
    del y  # freeing the 100,000-node chain must not overflow the C stack either


def test_graphs_are_freed_by_reference_counting_alone():
    """No tensor <-> node cycles: a graph dies as soon as its root is gone, no GC needed."""
    gc.disable()
    try:
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x * 3).sigmoid()
        node = weakref.ref(y.grad_fn)
        y.retain_grad()
        z = (y * y).sum()
        z.backward()
        assert node() is not None  # the graph lives as long as its outputs do
        del y, z
        assert node() is None  # ...and not a moment longer
    finally:
        gc.enable()


def test_backward_frees_saved_values_unless_retain_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward(retain_graph=True)
    assert node.saved_tensors  # still there
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _ = node.saved_tensors
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([1.0, 2.0]), rtol=1e-6)


def test_a_shared_node_receives_the_sum_of_its_contributions():
    a = torch.tensor(1.0, requires_grad=True)
    b = a + a  # micrograd's famous bug: = instead of +=
    c = b * b + b
    c.backward()
    assert a.grad.item() == 2 * (2 * b.item() + 1)


def test_a_passed_through_gradient_is_not_shared_between_leaves():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad.zero_()
    assert b.grad.tolist() == [1.0, 1.0]  # b's gradient is its own memory
    g = torch.tensor([5.0, 6.0])
    a.backward(g)
    g.zero_()
    assert a.grad.tolist() == [5.0, 6.0]  # and a's never aliases the caller's tensor


def test_grad_is_accumulated_in_place_and_counts_its_passes():
    x = torch.tensor(2.0, requires_grad=True)
    (x**2).backward()
    grad = x.grad
    (x**2).backward()
    assert x.grad is grad and grad.item() == 8.0  # the same tensor, accumulated with +=
    assert grad._grad_passes == 2
    grad.zero_()
    assert grad._grad_passes == 0
    (x**2).backward()
    assert x.grad.item() == 4.0 and grad._grad_passes == 1


def test_non_leaf_grad_warning_points_at_the_callers_line():
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = y.grad
    assert value is None
    (w,) = caught
    assert w.category is UserWarning and ".retain_grad()" in str(w.message)
    assert w.filename == __file__  # the learner's line, not the library's


def test_retain_grad_fills_a_non_leaf_without_a_warning():
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    y.retain_grad()
    z = torch.sin(y)
    z.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad.item() == pytest.approx(np.cos(16.0), rel=1e-6)
    assert y.retains_grad and not x.retains_grad


def test_autograd_grad_leaves_every_grad_untouched():
    x = torch.tensor(3.0, requires_grad=True)
    h = x * 2
    (gx, gh) = torch.autograd.grad(h**2, [x, h])
    assert (gx.item(), gh.item()) == (24.0, 12.0)
    assert x.grad is None


def test_stepping_through_equals_backward():
    def graph():
        x = torch.tensor([0.5, -1.0], requires_grad=True)
        w = torch.tensor(2.0, requires_grad=True)
        y = ((x * w).sigmoid() * x).sum() + w * w
        return x, w, y

    x1, w1, y1 = graph()
    y1.backward()
    x2, w2, y2 = graph()
    records = list(
        steps([y2.grad_fn], [np.ones(())], retain_graph=False, create_graph=False, record=True)
    )
    assert type(records[0].node).__name__ == "AddBackward0"  # the root runs first
    assert len(records) == len({id(r.node) for r in records})  # each node once
    np.testing.assert_array_equal(x1.grad.numpy(), x2.grad.numpy())
    np.testing.assert_array_equal(w1.grad.numpy(), w2.grad.numpy())


def test_in_place_update_under_no_grad_keeps_the_leaf():
    w = torch.tensor(1.0, requires_grad=True)
    (w * 3).backward()
    before = id(w)
    with torch.no_grad():
        w -= 0.1 * w.grad
    assert id(w) == before and w.is_leaf and w.requires_grad
    assert w.item() == pytest.approx(0.7)


def test_views_taken_and_dropped_in_a_loop_are_not_remembered():
    """A view of a computed tensor is registered with it (so an in-place change of the base can
    reach the view's graph); views nobody holds any more must not pile up."""
    h = torch.ones(100, 8) @ torch.ones(8, 4, requires_grad=True)
    for i in range(20_000):
        h[i % 100]
    assert len(h._vc.views) < 200


def test_numpy_warnings_never_escape_for_inf_and_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = torch.tensor([0.0, -1.0, 1000.0], requires_grad=True)
        y = x.log() + x.sqrt() + x.exp() + 1 / x + x.sigmoid() + (x * 1e30) ** 2
        y.sum().backward()
    assert np.isnan(x.grad.numpy()[1])


def test_import_loads_numpy_only():
    code = (
        "import sys, autograd_lab; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'matplotlib', 'ipywidgets', 'IPython', 'scipy', 'torch', 'tqdm'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_float_of_a_tensor_that_requires_grad_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    tensor_module = sys.modules["autograd_lab.tensor"]  # (autograd_lab.tensor is the function)
    monkeypatch.setattr(tensor_module, "_WARNED_ONCE", set())
    loss = torch.tensor(2.0, requires_grad=True) * 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert float(loss) == 4.0
        assert float(loss) == 4.0  # PyTorch says it once per session
        assert int(loss) == 4 and loss.item() == 4.0  # these never warn
        assert float(loss.detach()) == 4.0
    assert [str(w.message).splitlines()[0] for w in caught] == [
        "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior."
    ]
    assert caught[0].filename == __file__  # attributed to the learner's line


def test_transposing_a_tensor_that_is_not_a_matrix_warns_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tensor_module = sys.modules["autograd_lab.tensor"]
    monkeypatch.setattr(tensor_module, "_WARNED_ONCE", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        v = torch.tensor([1.0, 2.0])
        assert v.T.shape == (2,) and v.T.shape == (2,)
        assert torch.ones(2, 3).T.shape == (3, 2)  # a matrix: no warning
        assert torch.tensor(1.0).T.item() == 1.0
        assert torch.ones(2, 3, 4).T.shape == (4, 3, 2)  # the same warning: said already
    assert [str(w.message)[:24] for w in caught] == [
        "The use of `x.T` on tens",
        "Tensor.T is deprecated o",
    ]
    assert all(w.filename == __file__ for w in caught)


def test_backward_with_create_graph_warns_once_about_the_cycle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules["autograd_lab.tensor"], "_WARNED_ONCE", set())
    x = torch.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (x**3).backward(create_graph=True)
        (x**3).backward(create_graph=True)
        torch.autograd.grad(x**3, x, create_graph=True)  # autograd.grad is the safe way
    assert [str(w.message)[:45] for w in caught] == [
        "Using backward() with create_graph=True will "
    ]
    assert x.grad.item() == 24.0
