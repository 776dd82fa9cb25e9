"""The backward stepper: its headless core (the numbers it shows), the widget's controls, and
that it leaves the learner's graph and ``.grad`` as they were."""

from __future__ import annotations

import pytest

import autograd_lab as torch
from autograd_lab.viz import backward_stepper
from autograd_lab.viz.stepper import StepperCore, StepPicture


def sin_graph():
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    z = torch.sin(y)
    return x, y, z


def test_the_core_shows_each_step_of_sin_of_x_squared():
    x, y, z = sin_graph()
    core = StepperCore(z, names={"x": x, "y": y, "z": z})
    assert len(core) == 4  # the start, then SinBackward0, PowBackward0, AccumulateGrad
    start = core.update(step=0)
    assert start["node"] is None and start["grads"] == {"z": 1.0}
    assert start["text"] == "Step 0 of 3: backward() starts at z with dz/dz = 1"

    sin = core.update(step=1)
    assert sin["node"] == "SinBackward0" and sin["upstream"] == 1.0
    (into_y,) = sin["products"]
    assert into_y["input"] == "y" and into_y["formula"] == "cos(y)"
    assert into_y["local"] == pytest.approx(-0.95766, abs=1e-5)
    assert sin["grads"]["y"] == pytest.approx(-0.95766, abs=1e-5)
    assert "x" not in sin["grads"]  # not reached yet

    pow_ = core.update(step=2)
    assert pow_["products"][0]["formula"] == "2·x"
    assert pow_["products"][0]["gradient"] == pytest.approx(-7.6613, abs=1e-4)
    assert "x: dz/dx = upstream × 2·x = -0.9577 × 8 = -7.6613" in pow_["text"]
    assert pow_["leaf_grads"] == {"x": None}  # stored only at the leaf's own step

    leaf = core.update(step=3)
    assert leaf["leaf_grads"]["x"] == pytest.approx(-7.6613, abs=1e-4)
    assert "x is a leaf, so autograd stores its gradient" in leaf["text"]
    assert core.update(step=99) == leaf and core.update(step=-5) == start  # clamped


def test_a_shared_tensor_waits_for_both_contributions():
    a = torch.tensor(3.0, requires_grad=True)
    b = a * 2
    c = b * b  # b is used twice by one op
    d = c + b  # ... and once more here: three contributions in all
    core = StepperCore(d, names={"a": a, "b": b, "c": c, "d": d})
    partials = [core.update(k)["partial"].get("b") for k in range(len(core))]
    # AddBackward0 runs first (b: 1 of 3), then MulBackward0 sends both of b * b's at once
    assert partials == [None, (1, 3), None, None, None]
    view = StepPicture(core, caption=False)
    view.show(1)
    b_box = next(n.id for n in core.structure.tensors if n.label == "b")
    assert view.picture.grad_texts[b_box].get_text() == "grad 1 (1/3)"  # the box says so too
    mul = core.update(2)
    assert [p["accumulated"] for p in mul["products"]] == [True, True]
    final = core.update(len(core) - 1)
    assert final["partial"] == {}
    assert final["grads"]["b"] == pytest.approx(2 * 6 + 1)  # d(b² + b)/db at b = 6
    assert final["leaf_grads"]["a"] == pytest.approx(26.0)
    plus_equals = [p for k in range(len(core)) for p in core.update(k)["products"]
                   if p["accumulated"]]  # fmt: skip
    assert len(plus_equals) == 2


def test_the_highlight_follows_the_backward_pass():
    x, y, z = sin_graph()
    core = StepperCore(z, names={"x": x, "y": y, "z": z})
    nodes = core.structure.nodes
    current, receiving, flowing, done = core.highlight(0)
    assert nodes[current].label == "z" and not flowing
    current, receiving, flowing, done = core.highlight(1)
    assert nodes[current].label == "SinBackward0"
    assert {nodes[i].label for i in receiving} == {"y"}
    assert len(flowing) == 2 and not done  # y -> Sin and Sin -> z
    current, receiving, flowing, done = core.highlight(3)
    assert nodes[current].label == "x" and len(done) == 4


def test_done_arrows_are_neutral_and_stand_apart_from_the_others():
    from matplotlib.colors import to_hex, to_rgb

    from autograd_lab.viz._common import DONE_COLOR, EDGE_COLOR, HIGHLIGHT

    x, y, z = sin_graph()
    view = StepPicture(StepperCore(z, names={"x": x, "y": y, "z": z}), caption=False)
    texts = [t.get_text() for t in view.picture.ax.texts]
    assert any(t.endswith("pink: now · black: done") for t in texts)  # the title
    view.show(2)  # at Pow: Sin's two arrows are done, Pow's two flow now
    colours = [(to_hex(a.get_edgecolor()), a.get_linewidth()) for _, a in view.picture.arrows]
    assert colours.count((DONE_COLOR, 2.0)) == 2 and colours.count((HIGHLIGHT, 2.6)) == 2

    def lightness(c):  # relative luminance: what every kind of colour vision still sees
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in to_rgb(c)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    r, g, b = to_rgb(DONE_COLOR)
    assert max(r, g, b) - min(r, g, b) < 0.02  # no hue: green means a leaf in every picture
    for other in (EDGE_COLOR, HIGHLIGHT):  # the arrows not reached yet, and the ones now
        assert (lightness(other) + 0.05) / (lightness(DONE_COLOR) + 0.05) > 3.5


def test_the_stepper_leaves_the_learners_graph_and_grads_alone():
    x, _y, z = sin_graph()
    stepper = backward_stepper(z)  # names from this function's variables
    stepper.slider.value = stepper.slider.max
    assert x.grad is None  # a dry run: nothing written
    z.backward()  # the graph is still whole, and gives what it would have given
    assert x.grad.item() == pytest.approx(-7.6613, abs=1e-4)
    assert stepper.state["leaf_grads"]["x"] == pytest.approx(x.grad.item())


def test_next_back_and_the_slider():
    x, y, z = sin_graph()
    stepper = backward_stepper(z, names={"x": x, "y": y, "z": z})
    assert stepper.slider.value == 0 and stepper.back.disabled and not stepper.next.disabled
    stepper.next.click()
    assert stepper.slider.value == 1
    assert "SinBackward0" in stepper.readout.value and "cos(y)" in stepper.readout.value
    stepper.next.click()
    stepper.next.click()
    stepper.next.click()  # past the end: stays at the last step
    assert stepper.slider.value == 3 and stepper.next.disabled
    stepper.back.click()
    assert stepper.slider.value == 2 and "2·x" in stepper.readout.value
    assert not stepper.slider.continuous_update  # inline backend: redraw on release only
    texts = {t.get_text() for t in stepper.view.picture.ax.texts}
    assert "grad -7.6613" in texts  # x has received its gradient at step 2
    stepper.slider.value = 0
    texts = {t.get_text() for t in stepper.view.picture.ax.texts}
    assert "grad -7.6613" not in texts and "grad 1" in texts  # stepping back undoes it


def test_after_backward_the_stepper_says_what_to_do():
    *_, z = sin_graph()
    z.backward()
    with pytest.raises(RuntimeError, match=r"run them before loss\.backward"):
        backward_stepper(z)


def test_a_saved_step_is_a_png_with_the_chain_rule_under_the_graph(tmp_path):
    x, y, z = sin_graph()
    core = StepperCore(z, names={"x": x, "y": y, "z": z})
    view = StepPicture(core)
    view.save(str(tmp_path / "step.png"), step=2, dpi=50)
    assert (tmp_path / "step.png").read_bytes()[:4] == b"\x89PNG"
    assert view.caption.get_text() == core.update(2)["text"]


def test_the_widget_displays_as_one_box():
    import ipywidgets as widgets

    *_, z = sin_graph()
    box = backward_stepper(z).widget()
    assert isinstance(box, widgets.VBox) and len(box.children) == 3


def test_a_deep_graph_steps_without_drawing_ten_thousand_boxes():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(2500):
        y = (y * 1.0001).sin()
    stepper = backward_stepper(y, names={})
    assert stepper.view.picture.summarized and stepper.slider.max == 5001
    stepper.slider.value = 2500
    assert stepper.state["node"] in ("SinBackward0", "MulBackward0")
    stepper.slider.value = stepper.slider.max
    assert stepper.state["leaf_grads"]["t1"] == pytest.approx(
        float(torch.autograd.grad(y, x, retain_graph=True)[0])
    )
