"""The course's explorers (``autograd_lab.viz.explorers``) and plots (``viz.plots``).

Numbers, never pixels: each explorer's headless core returns what its picture shows, and these
tests check those numbers against autograd, the hand formulas and finite differences. The widget
tests move sliders and press buttons exactly as a learner would (setting ``.value``, calling
``.click()``) and check the matplotlib artists, which must be the same objects after the move
(updated in place, not redrawn). Callbacks are also called directly: inside Jupyter an exception
in a callback would be swallowed by the Output widget, so only a direct call proves it cannot
raise.
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
import warnings

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import matplotlib.pyplot as plt

import autograd_lab as torch
from autograd_lab.viz import (
    accumulation_lab,
    explorers,
    neuron_explorer,
    plot_losses,
    plots,
    progress,
    regression_trainer,
    tangent_explorer,
    tracking_lab,
)
from autograd_lab.viz.explorers import (
    AccumulationCore,
    NeuronCore,
    RegressionCore,
    TangentCore,
    TrackingCore,
)

NO_GRAD_FN = "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn"


def sin_of_square(x):
    return torch.sin(x**2)


def sin_of_square_by_hand(x: float) -> float:
    return 2 * x * math.cos(x**2)


# -- tangent explorer ------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [-2.5, -1.0, 0.0, 0.7, 3.0])
def test_tangent_slope_is_x_grad_and_the_hand_derivative(x):
    s = TangentCore(lambda t: t**2, by_hand=lambda v: 2 * v).update(x=x)
    ref = torch.tensor(x, requires_grad=True)
    (ref**2).backward()
    assert s["grad"] == ref.grad.item()  # the lesson's three lines, float32
    assert s["slope"] == pytest.approx(s["grad"], abs=1e-9)  # the line drawn has that slope
    assert s["by_hand"] == pytest.approx(2 * x)
    assert s["grad"] == pytest.approx(s["by_hand"], abs=1e-6)
    xs, ys = s["tangent"]
    assert xs[0] < x < xs[1] and np.interp(x, xs, ys) == pytest.approx(x**2, abs=1e-6)


@pytest.mark.parametrize("x", [-2.2, 0.5, 1.0, 1.5, 2.9])
def test_tangent_on_the_chain_rule_example(x):
    s = TangentCore(sin_of_square, by_hand=sin_of_square_by_hand).update(x=x)
    assert s["y"] == pytest.approx(math.sin(x**2), abs=1e-6)
    assert s["slope"] == pytest.approx(s["grad"], abs=1e-9)
    assert s["grad"] == pytest.approx(sin_of_square_by_hand(x), rel=1e-5, abs=1e-5)


def test_the_secant_closes_onto_the_tangent_as_h_shrinks():
    core = TangentCore(lambda t: t**2, by_hand=lambda v: 2 * v)
    gaps = [abs(core.update(x=3.0, h=h)["secant"] - 6.0) for h in (1.0, 0.1, 0.01, 0.001)]
    assert gaps == pytest.approx([1.0, 0.1, 0.01, 0.001], rel=1e-6)  # (3+h)² − 9)/h = 6 + h


def test_tangent_slider_moves_the_same_artists():
    ex = tangent_explorer()
    line, point = ex.tangent, ex.point
    assert ex.state["x"] == 1.5 and ex.state["grad"] == 3.0  # mid-curve: 2x = 3
    ex.x.value = -1.5  # what a drag does
    assert ex.tangent is line and ex.point is point
    xs, ys = line.get_data()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(-3.0)
    assert list(point.get_data()[0]) == [-1.5]
    assert "-3.0000" in ex.readout.value and "✓" in ex.readout.value
    ex.h.value = 0.01
    assert ex.secant.get_xdata()[1] == pytest.approx(-1.49)


def test_tangent_explorer_for_a_given_function():
    ex = tangent_explorer(sin_of_square, by_hand=sin_of_square_by_hand, x=1.0,
                          formula="z = sin(x**2)", by_hand_text="2·x·cos(x²)")  # fmt: skip
    assert ex.state["grad"] == pytest.approx(2 * math.cos(1.0), abs=1e-6)
    assert "2·x·cos(x²)" in ex.readout.value
    assert ex.ax.get_title().startswith("z = sin(x**2) at x = 1.00")


# -- neuron explorer -------------------------------------------------------------------------------


def test_neuron_starts_at_the_lessons_numbers():
    s = NeuronCore().update(x=6.7, w=1.0, b=0.0, y=0.0)
    assert s["z"] == pytest.approx(6.7)
    assert f"{s['loss']:.4f}" == "6.7012" and f"{s['y_pred']:.4f}" == "0.9988"
    # the lesson's hand calculation printed 6.691762447357178 and 0.998770534992218 (float32)
    assert s["grads"]["w"]["by_hand"] == pytest.approx(6.691762447357178, rel=1e-6)
    assert s["grads"]["b"]["by_hand"] == pytest.approx(0.998770534992218, rel=1e-6)


@pytest.mark.parametrize(
    "x, w, b, y",
    [(6.7, 1.0, 0.0, 0.0), (6.7, 1.0, 0.0, 1.0), (-3.0, 0.5, 1.0, 1.0), (2.0, -2.5, 3.0, 0.0),
     (8.0, 3.0, 4.0, 0.0), (-8.0, 3.0, -4.0, 1.0), (0.0, 1.0, -0.3, 1.0)],
)  # fmt: skip
def test_neuron_gradients_agree_three_ways(x, w, b, y):
    s = NeuronCore().update(x=x, w=w, b=b, y=y)
    for name, hand in (("w", (s["y_pred"] - y) * x), ("b", s["y_pred"] - y)):
        g = s["grads"][name]
        assert g["by_hand"] == pytest.approx(hand)
        assert g["autograd"] == pytest.approx(g["by_hand"], rel=1e-9, abs=1e-12)
        assert g["finite_difference"] == pytest.approx(g["by_hand"], rel=1e-5, abs=1e-6)
    ws, losses = s["loss_curve"]
    assert np.interp(w, ws, losses) == pytest.approx(s["loss"], rel=0.02, abs=1e-3)
    xs, ys = s["tangent"]
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(s["grads"]["w"]["autograd"])


def test_neuron_toggle_and_sliders_update_in_place():
    ex = neuron_explorer()
    point, loss_line, tangent = ex.neuron_point, ex.loss_line, ex.tangent
    before = ex.state["grads"]["w"]["autograd"]
    ex.y.value = 1.0  # click "label y = 1": the prediction is now right
    assert ex.state["y"] == 1.0 and ex.state["grads"]["w"]["autograd"] < 0 < before
    assert list(ex.label_line.get_ydata()) == [1.0, 1.0]
    ex.x.value = 0.0  # w has no influence on z any more
    assert ex.state["grads"]["w"]["autograd"] == 0.0
    assert ex.neuron_point is point and ex.loss_line is loss_line and ex.tangent is tangent
    assert list(point.get_data()[0]) == [pytest.approx(ex.state["z"])]
    assert ex.readout.value.count("✓") == 2  # both rows agree three ways


# -- accumulation lab ------------------------------------------------------------------------------


def test_backward_calls_add_up_until_cleared():
    core = AccumulationCore(x=2.0)
    assert core.update()["grad"] is None
    grads = [core.update("backward")["grad"] for _ in range(3)]
    assert grads == [4.0, 8.0, 12.0]  # the lesson's 4 → 8 → 12
    s = core.update("zero_")
    assert s["grad"] == 0.0 and s["since_zero"] == 0 and s["grad_repr"] == "tensor(0.)"
    s = core.update("backward")
    assert s["grad"] == 4.0 and s["backward_calls"] == 4 and s["since_zero"] == 1
    s = core.update("none")
    assert s["grad"] is None and s["grad_repr"] == "None"
    assert s["history"] == [4.0, 8.0, 12.0, 0.0, 4.0, None]
    assert s["actions"] == ["backward"] * 3 + ["zero_", "backward", "none"]
    assert core.update("reset")["history"] == []


def test_zero_before_any_backward_explains_instead_of_raising():
    core = AccumulationCore()
    s = core.update("zero_")
    assert s["grad"] is None and "AttributeError" in s["message"]


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="action must be one of"):
        AccumulationCore().update("step")


def test_accumulation_buttons_move_the_bars():
    lab = accumulation_lab()
    bars = list(lab.bars)
    for _ in range(3):
        lab.buttons["backward"].click()  # the same path as a learner's click
    assert [b.get_height() for b in lab.bars[:3]] == [4.0, 8.0, 12.0]
    assert not lab.bars[3].get_visible()
    lab.buttons["zero_"].click()
    assert lab.bars[3].get_visible() and lab.bars[3].get_height() == 0.0
    assert list(lab.bars) == bars
    assert "tensor(0.)" in lab.ax.get_title()
    assert "since the last clear: <b>0</b>" in lab.readout.value


def test_accumulation_callback_called_directly():
    lab = accumulation_lab(x=3.0)
    lab._on_action("backward")
    lab._on_action("backward")
    assert lab.state["grad"] == 12.0
    lab._on_action(None)  # only reports
    assert lab.state["backward_calls"] == 2


def test_the_chart_keeps_the_last_clicks():
    lab = accumulation_lab()
    for _ in range(explorers.HISTORY_BARS + 3):
        lab.click("backward")
    heights = [b.get_height() for b in lab.bars]
    assert heights[-1] == 4.0 * (explorers.HISTORY_BARS + 3)
    assert heights[0] == 4.0 * 4  # the first three clicks scrolled off


# -- tracking lab ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode, requires_grad, tracked, w_grad, b_grad, error",
    [
        ("tracking on", True, ["b", "w"], -8.0, -4.0, None),
        ("b.requires_grad_(False)", True, ["w"], -8.0, None, None),
        ("w.detach()", True, ["b"], None, -4.0, None),
        ("torch.no_grad()", False, [], None, None, NO_GRAD_FN),
    ],
)
def test_tracking_modes(mode, requires_grad, tracked, w_grad, b_grad, error):
    s = TrackingCore().update(mode)
    assert s["loss"] == 4.0  # (0.5·2 + 0 − 3)²
    assert s["loss_requires_grad"] is requires_grad
    assert (s["grad_fn"] == "PowBackward0") is requires_grad
    assert s["tracked"] == tracked
    assert s["grads"] == {"w": w_grad, "b": b_grad}
    assert s["error"] == error
    kinds = {n.label: n.kind for n in s["structure"].tensors}
    for name in ("w", "b"):
        if name in kinds:
            assert (kinds[name] == "leaf") is (name in tracked)


def test_tracking_modes_change_the_flags_only_where_they_should():
    assert TrackingCore().update("b.requires_grad_(False)")["requires_grad"] == {
        "w": True, "b": False,
    }  # fmt: skip
    for mode in ("w.detach()", "torch.no_grad()"):
        assert TrackingCore().update(mode)["requires_grad"] == {"w": True, "b": True}


def test_tracking_lab_refuses_an_unknown_mode():
    with pytest.raises(ValueError, match="mode must be one of"):
        TrackingCore().update("eval()")


def test_tracking_lab_mode_buttons(monkeypatch):
    lab = tracking_lab()
    assert "backward() fills" in lab.readout.value and "tensor(-8.)" in lab.readout.value
    lab.mode.value = "torch.no_grad()"  # a click on the button
    assert lab.state["error"] == NO_GRAD_FN
    assert "does not require grad" in lab.readout.value
    assert "with torch.no_grad():" in lab.code.value
    png = lab.render()
    assert png.startswith(b"\x89PNG") and lab.render() is png  # drawn once, then kept


# -- regression trainer ----------------------------------------------------------------------------


def test_the_lessons_run_is_reproduced():
    s = RegressionCore().update(lr=0.01, epochs=100)
    # the lesson's log: "Epoch 0: w = 0.300, loss = 30.000" ... "y = 1.846 * x + 0.452"
    assert f"{s['w'][0]:.3f}" == "0.300" and f"{s['losses'][0]:.3f}" == "30.000"
    assert f"{s['w'][10]:.3f}" == "1.559" and f"{s['losses'][10]:.3f}" == "0.833"
    assert f"{s['final_w']:.3f}" == "1.846" and f"{s['final_b']:.3f}" == "0.452"


def test_the_loss_falls_for_a_good_learning_rate():
    s = RegressionCore().update(lr=0.01, epochs=100)
    losses = s["losses"]
    assert len(losses) == 100 and all(b < a for a, b in itertools.pairwise(losses))
    assert losses[-1] < losses[0] / 100
    assert s["verdict"] == "falls" and not s["diverged"]


def test_the_loss_diverges_for_a_bad_learning_rate():
    s = RegressionCore().update(lr=0.5, epochs=100)
    losses = s["losses"]
    assert s["diverged"] and s["verdict"] == "diverged"
    assert all(b > a for a, b in itertools.pairwise(losses))  # grows every epoch
    assert len(losses) < 100  # stopped once the loss overflowed
    assert s["error"] is None


def test_forgetting_zero_makes_the_loss_swing():
    s = RegressionCore().update(lr=0.01, epochs=100, forget_zero=True)
    good = RegressionCore().update(lr=0.01, epochs=100)
    assert s["verdict"] == "swings"
    assert s["final_loss"] > 100 * good["final_loss"]
    assert s["losses"][:2] == good["losses"][:2]  # the first step is the same, the second not
    assert s["w"][1] != good["w"][1]


def test_updating_outside_no_grad_raises_at_the_first_step():
    s = RegressionCore().update(lr=0.01, epochs=100, outside_no_grad=True)
    assert s["error"] == (
        "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."
    )
    assert s["losses"] == [] and s["verdict"] == "error" and not s["diverged"]


def test_fewer_epochs_reuse_a_longer_run():
    core = RegressionCore()
    long = core.update(lr=0.03, epochs=200)
    short = core.update(lr=0.03, epochs=50)
    assert short["losses"] == long["losses"][:50] and short["final_w"] == long["w"][49]
    fresh = RegressionCore().update(lr=0.03, epochs=50)
    assert fresh["losses"] == short["losses"]
    again = core.update(lr=0.03, epochs=300)  # longer than cached: trained again
    assert len(again["losses"]) == 300 and again["losses"][:200] == long["losses"]


def test_regression_sliders_and_toggles_update_the_curves():
    tr = regression_trainer()
    loss_line, fit = tr.loss_line, tr.fit
    assert len(loss_line.get_ydata()) == 100
    tr.epochs.value = 40
    assert len(loss_line.get_ydata()) == 40
    tr.lr.value = 0.5
    assert tr.state["diverged"] and "diverged" in tr.right.get_title()
    ys = loss_line.get_ydata()
    assert all(b > a for a, b in itertools.pairwise(ys))
    tr.lr.value = 0.01
    tr.outside_no_grad.value = True
    assert "leaf Variable" in tr.readout.value and len(loss_line.get_ydata()) == 0
    assert len(fit.get_xdata()) == 0
    tr.outside_no_grad.value = False
    tr.forget_zero.value = True
    assert "swings" in tr.right.get_title() and "zero_()" in tr.readout.value
    assert tr.loss_line is loss_line and tr.fit is fit


def test_regression_callback_called_directly():
    tr = regression_trainer(lr=0.05, epochs=10)
    tr._on_change({"name": "value", "new": 0.05})
    assert len(tr.state["losses"]) == 10 and tr.state["verdict"] == "falls"
    x = np.array([0.0, 5.0])
    assert list(tr.fit.get_ydata()) == pytest.approx(tr.state["final_w"] * x + tr.state["final_b"])


# -- figures: published into the Output widget, in place, no leaks ---------------------------------


ALL_EXPLORERS = [tangent_explorer, neuron_explorer, accumulation_lab, regression_trainer]


@pytest.mark.parametrize("make", ALL_EXPLORERS, ids=lambda f: f.__name__)
def test_in_a_notebook_the_figure_goes_into_the_output_state(make, monkeypatch, capsys):
    monkeypatch.setattr(explorers, "in_notebook", lambda: True)
    ex = make()
    (shown,) = ex.out.outputs
    assert shown["output_type"] == "display_data" and shown["data"]["image/png"]
    first = shown["data"]["image/png"]
    if hasattr(ex, "x"):
        ex.x.value = 1.0
    elif hasattr(ex, "lr"):
        ex.lr.value = 0.1
    else:
        ex.click("backward")
    assert ex.out.outputs[0]["data"]["image/png"] != first  # redrawn into the same widget
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # nothing leaks to the cell's output


@pytest.mark.parametrize("make", ALL_EXPLORERS, ids=lambda f: f.__name__)
def test_a_figure_per_explorer_outside_pyplot(make):
    before = plt.get_fignums()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "More than 20 figures have been opened"
        made = [make() for _ in range(25)]
    assert plt.get_fignums() == before  # Figure objects pyplot never sees: nothing to close
    assert len({id(ex.figure) for ex in made}) == 25  # one long-lived figure per explorer
    assert all(ex.render().startswith(b"\x89PNG") for ex in made[:2])


def test_with_a_live_canvas_the_figure_is_pyplots_and_close_releases_it(monkeypatch):
    monkeypatch.setattr(plots, "interactive_canvas", lambda: True)
    monkeypatch.setattr(explorers, "interactive_canvas", lambda: True)
    before = set(plt.get_fignums())
    ex = tangent_explorer()
    assert ex.out is None and ex.x.continuous_update  # a live canvas keeps up with drags
    assert set(plt.get_fignums()) - before == {ex.figure.number}
    ex.x.value = 0.5  # redraws with draw_idle, no PNG
    ex.close()
    assert set(plt.get_fignums()) == before


def test_inline_sliders_update_on_release():
    for ex in (tangent_explorer(), neuron_explorer(), regression_trainer()):
        sliders = [w for w in vars(ex).values() if hasattr(w, "continuous_update")]
        assert sliders and not any(s.continuous_update for s in sliders)


def test_widget_layout_contains_controls_view_and_readout():
    ex = tangent_explorer()
    box = ex.widget()
    assert box.children[1] is ex.out and box.children[2] is ex.readout
    assert ex.x in box.children[0].children


# -- plots -----------------------------------------------------------------------------------------


def test_plot_losses_draws_one_line_per_curve():
    pic = plot_losses({"SGD": [3.0, 2.0, 1.0], "Adam": [torch.tensor(3.0), 0.5, 0.1]})
    assert list(pic.lines) == ["SGD", "Adam"]
    assert list(pic.lines["Adam"].get_ydata()) == [3.0, 0.5, 0.1]
    assert repr(pic) == "<loss curves: SGD: 3 values, 3 → 1; Adam: 3 values, 3 → 0.1>"
    assert pic.ax.get_yscale() == "linear" and pic._repr_png_().startswith(b"\x89PNG")


def test_plot_losses_uses_a_log_scale_when_the_losses_span_decades():
    losses = RegressionCore().update(lr=0.01, epochs=100)["losses"]
    pic = plot_losses(losses)
    assert pic.ax.get_yscale() == "log" and repr(pic).startswith("<loss curve: loss: 100 values")
    assert plot_losses(losses, logy=False).ax.get_yscale() == "linear"


def test_plot_losses_leaves_out_what_a_log_scale_cannot_show():
    pic = plot_losses([10.0, 1e4, math.inf, math.nan], logy=True)
    ys = pic.lines["loss"].get_ydata()
    assert list(ys[:2]) == [10.0, 1e4] and all(math.isnan(v) for v in ys[2:])


def test_plot_losses_into_given_axes():
    fig, ax = plt.subplots()
    try:
        pic = plot_losses([1.0, 0.5], ax=ax, title=None)
        assert pic.figure is fig and pic._repr_png_() is None  # the learner's figure shows itself
    finally:
        plt.close(fig)


def test_progress_wraps_an_iterable():
    items = range(5)
    assert progress(items, enabled=False) is items
    assert list(progress(items, desc="epochs", file=sys.stderr)) == [0, 1, 2, 3, 4]


def test_progress_without_tqdm_runs_the_loop_unchanged(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # `from tqdm.auto import ...` fails
    items = [1, 2]
    assert progress(items) is items


def test_cores_do_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys\n"
        "from autograd_lab.viz.explorers import (AccumulationCore, NeuronCore, RegressionCore,\n"
        "    TangentCore)\n"
        "TangentCore(lambda t: t ** 2).update(x=1.0)\n"
        "NeuronCore().update(6.7, 1.0, 0.0, 0.0)\n"
        "AccumulationCore().update('backward')\n"
        "RegressionCore().update(lr=0.01, epochs=5)\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'ipywidgets'})\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
