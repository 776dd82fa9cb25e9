"""The chain-rule ledger: the lesson's two derivations, shared nodes, the learner's formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab.autograd.stepping import fmt
from autograd_lab.viz import explain
from autograd_lab.viz.ledger import MAX_PATHS, evaluate


def test_sin_of_x_squared_reads_as_the_lesson_derives_it():
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    z = torch.sin(y)
    ledger = explain(x, z)
    text = str(ledger)
    assert text.splitlines()[0] == "dz/dx by the chain rule (z = -0.2879, x = 4)"
    assert "  dz/dy = dz/dz · cos(y)  = 1 · (-0.9577)  = -0.9577" in text
    assert "  dz/dx = dz/dy · 2·x     = -0.9577 · 8    = -7.6613" in text
    assert "along the path x → y → z:" in text
    assert "  dz/dx = cos(y) · 2·x = cos(16) · 8 = -0.9577 · 8 = -7.6613" in text
    assert "z.backward() would store -7.6613 in x.grad." in text
    assert ledger.value == pytest.approx(2 * 4 * np.cos(16.0), rel=1e-5)
    assert x.grad is None  # a dry run
    z.backward()
    assert x.grad.item() == pytest.approx(float(ledger.value))


def neuron():
    x = torch.tensor(6.7)
    y = torch.tensor(0.0)
    w = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    z = w * x + b
    y_pred = torch.sigmoid(z)
    prediction = torch.clamp(y_pred, 1e-8, 1 - 1e-8)
    loss = -(y * torch.log(prediction) + (1 - y) * torch.log(1 - prediction))
    del prediction  # the lesson's function keeps it local: unnamed here too
    return loss, locals()


def test_the_neuron_shows_y_pred_minus_y_times_x_emerging():
    loss, names = neuron()
    ledger = explain(names["w"], loss, names=names,
                     by_hand={"z": "y_pred - y", "w": "(y_pred - y) * x"})  # fmt: skip
    text = str(ledger)
    z_line = next(line for line in text.splitlines() if line.startswith("  dloss/dz "))
    assert "dloss/dy_pred · σ(z)(1 − σ(z))" in z_line and z_line.endswith("= y_pred − y ✓")
    w_line = next(line for line in text.splitlines() if line.startswith("  dloss/dw "))
    assert "dloss/dt1 · x" in w_line and w_line.endswith("= 6.6918   = (y_pred − y) · x ✓")
    assert "by hand: dloss/dw = (y_pred − y) · x = (0.9988 − 0) · 6.7 = 6.6918  ✓" in text
    assert "along each of the 2 paths from w to loss:" in text
    assert "dloss/dw = the sum over the paths = 0 + 6.6918 = 6.6918" in text
    loss.backward()
    assert names["w"].grad.item() == pytest.approx(float(ledger.value), rel=1e-6)


def test_a_wrong_formula_is_marked_and_corrected():
    loss, names = neuron()
    text = str(explain(names["b"], loss, names=names, by_hand="y - y_pred"))  # sign flipped
    assert "✗ the chain rule gives 0.9988" in text
    assert "= y − y_pred ✗" in text


def test_a_node_used_twice_sums_its_terms():
    a = torch.tensor(3.0, requires_grad=True)
    b = a * a
    ledger = explain(a, b, names={"a": a, "b": b})
    line = ledger.lines[-1]
    assert [t.formula for t in line.terms] == ["a", "a"]
    assert "db/da = db/db · a + db/db · a  = 1 · 3 + 1 · 3  = 6" in str(ledger)
    assert "a (as input 1) → b:" in str(ledger) and "a (as input 2) → b:" in str(ledger)


def test_too_many_paths_are_summed_not_listed():
    a = torch.tensor(1.0, requires_grad=True)
    t = a
    for _ in range(4):  # 2 × 2 × 2 × 2 = 16 paths
        t = t + t
    ledger = explain(a, t, names={})
    assert ledger.path_count == 16 > MAX_PATHS and ledger.paths == []
    assert "16 paths lead from t1 to t5: too many to list" in str(ledger)
    assert ledger.value == 16


def test_an_intermediate_target_and_accumulated_grads():
    x = torch.tensor(2.0, requires_grad=True)
    h = x.exp()
    out = h * 3
    assert explain(h, out, names={"h": h, "out": out}).value == 3
    (x * 1).backward()
    ledger = explain(x, out, names={"x": x, "out": out})
    assert "would add 22.1672 to x.grad, making it 23.1672" in str(ledger)


def test_html_for_jupyter():
    x = torch.tensor(4.0, requires_grad=True)
    z = torch.sin(x**2)
    page = explain(x, z)._repr_html_()
    assert page.count("<tr>") == 3 and "cos(16) · 8" in page


def test_explain_is_callable_however_it_was_imported():
    import autograd_lab.viz as viz

    x = torch.tensor(1.0, requires_grad=True)
    y = x * 5
    assert viz.explain(x, y).value == 5
    assert viz.explain(x, y).value == 5  # the second lookup finds the same function
    assert explain(x, y).lines[-1].derivative == "dy/dx"  # names from this function


def test_errors_say_what_went_wrong():
    x = torch.tensor(1.0, requires_grad=True)
    other = torch.tensor(2.0, requires_grad=True)
    y = x * 2
    with pytest.raises(ValueError, match="is not part of the graph"):
        explain(other * 1, y)
    y.backward()
    with pytest.raises(RuntimeError, match=r"run them before loss\.backward"):
        explain(x, y)


def test_the_formula_evaluator_reads_maths_and_nothing_else():
    values = {"y_pred": np.float64(0.75), "y": np.float64(1.0), "x": np.float64(2.0)}
    assert evaluate("(y_pred - y) * x", values) == pytest.approx(-0.5)
    assert evaluate("σ(0) + sigmoid(0) + cos(0) - 2 ** 3 / 4", values) == pytest.approx(0.0)
    assert evaluate("(y_pred − y)·x", values) == pytest.approx(-0.5)  # the ledger's own signs
    with pytest.raises(ValueError, match="cannot read"):
        evaluate("__import__('os').system('true')", values)
    with pytest.raises(ValueError, match="cannot read"):
        evaluate("x.real", values)
    with pytest.raises(NameError, match="'q'"):
        evaluate("q + 1", values)


def test_exponentially_many_paths_are_counted_not_walked():
    a = torch.tensor(1.0, requires_grad=True)
    t = a
    for _ in range(40):  # 2**40 paths: walking them would never end
        t = t + t
    ledger = explain(a, t, names={})
    assert ledger.path_count == 2**40
    assert "1,099,511,627,776 paths lead from t1 to t41" in str(ledger)


def test_arrays_and_matrix_products():
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = torch.tensor([1.0, -1.0])
    b = torch.tensor([0.5, 0.5], requires_grad=True)
    loss = (w @ x + b).sum()
    ledger = explain(w, loss, names={"w": w, "x": x, "b": b, "loss": loss})
    text = str(ledger)
    assert ledger.paths == [] and "here the ledger above is the chain rule" in text
    line = next(ln for ln in text.splitlines() if ln.startswith("  dloss/dw "))
    assert "dloss/dt1 ⊗ x" in line and "[[1, -1], [1, -1]]" in line
    np.testing.assert_array_equal(ledger.value, [[1.0, -1.0], [1.0, -1.0]])


def test_newer_ops_read_with_their_formulas_and_numbers():
    x = torch.tensor(0.7, requires_grad=True)
    h = torch.nn.functional.gelu(x)
    out = torch.tan(h) * 2
    text = str(explain(x, out, names={"x": x, "h": h, "out": out}))
    phi = math.exp(-0.245) / math.sqrt(2 * math.pi)  # the normal density at 0.7
    slope = 0.5 * (1 + math.erf(0.7 / math.sqrt(2))) + 0.7 * phi  # Φ(x) + x·φ(x)
    tan_slope = 1 + math.tan(h.item()) ** 2
    assert f"dout/dh   = dout/dt1 · (1 + tan(h)²)   = 2 · {tan_slope:.4f}" in text
    assert f"dout/dx   = dout/dh · (Φ(x) + x·φ(x))  = {2 * tan_slope:.4f} · {slope:.4f}" in text
    assert "dout/dx = 2 · (1 + tan(h)²) · (Φ(x) + x·φ(x)) = 2 · (1 + tan(0.5306)²) · 0.9766" in text
    out.backward()
    assert x.grad.item() == pytest.approx(2 * tan_slope * slope, rel=1e-6)

    w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    s = w.std()
    loss = torch.nn.functional.softplus(s, beta=2, threshold=5)
    text = str(explain(w, loss, names={"w": w, "s": s, "loss": loss}))
    assert "dloss/ds    = dloss/dloss · (σ(2·s) if 2·s ≤ 5 else 1)  = 1 · 1" in text  # 2·s > 5
    line = next(ln for ln in text.splitlines() if ln.startswith("  dloss/dw "))
    want = (np.array([1.0, -2.0, 3.0]) - 2 / 3) / (2 * s.item())  # (w − mean(w))/((3 − 1)·s)
    assert "dloss/ds · (w − mean(w))/((3 − 1)·s)" in line
    assert line.endswith(f"= {fmt(want)}")
