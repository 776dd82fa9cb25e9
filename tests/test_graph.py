"""The graph picture: the structure it draws (nodes, edges, labels, values, grads), the layout's
promises (no overlaps, rows that fit a notebook), and big graphs drawn as a summary.

Pixels are not compared: the structure is, and the geometry of the drawn boxes.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab.viz import draw_graph, graph_structure
from autograd_lab.viz.layout import MAX_WIDTH


def edges_by_label(structure):
    """Edges as (source label, target label, slot), for comparing with what the lesson draws."""
    nodes = structure.nodes
    return sorted((nodes[e.source].label, nodes[e.target].label, e.slot) for e in structure.edges)


# -- the lesson's three graphs --------------------------------------------------------------------


def test_y_equals_x_squared():
    x = torch.tensor(3.0, requires_grad=True)
    y = x**2
    s = graph_structure(y)  # names from the caller's variables
    assert [(n.kind, n.label) for n in s.nodes] == [
        ("leaf", "x"),
        ("op", "PowBackward0"),
        ("root", "y"),
    ]
    assert edges_by_label(s) == [("PowBackward0", "y", 0), ("x", "PowBackward0", 0)]
    assert s.node("x").value == "3" and s.node("y").value == "9"
    assert s.nodes[s.root].label == "y"


def test_z_equals_sin_of_x_squared_before_and_after_backward():
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    z = torch.sin(y)
    before = graph_structure(z)
    assert [(n.kind, n.label) for n in before.nodes] == [
        ("leaf", "x"),
        ("op", "PowBackward0"),
        ("intermediate", "y"),
        ("op", "SinBackward0"),
        ("root", "z"),
    ]
    assert edges_by_label(before) == [
        ("PowBackward0", "y", 0),
        ("SinBackward0", "z", 0),
        ("x", "PowBackward0", 0),
        ("y", "SinBackward0", 0),
    ]
    assert before.node("x").grad is None and not any(n.freed for n in before.nodes)
    assert before.node("z").value == "-0.2879"

    z.backward()
    after = graph_structure(z)
    assert after.node("x").grad == "-7.6613"  # what autograd stores: the leaf's .grad
    assert after.node("y").grad is None  # not kept for an intermediate, as in PyTorch
    assert after.node("y").value == "16"  # the forward value stays
    assert all(n.freed for n in after.ops)  # their saved tensors are gone


def neuron():
    x = torch.tensor(6.7)
    y = torch.tensor(0.0)
    w = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    z = w * x + b
    y_pred = torch.sigmoid(z)

    def binary_cross_entropy_loss(prediction, target):
        epsilon = 1e-8
        prediction = torch.clamp(prediction, epsilon, 1 - epsilon)
        return -(target * torch.log(prediction) + (1 - target) * torch.log(1 - prediction))

    loss = binary_cross_entropy_loss(y_pred, y)
    return loss, {k: v for k, v in locals().items() if k != "binary_cross_entropy_loss"}


def test_the_logistic_neuron_with_binary_cross_entropy():
    loss, names = neuron()
    s = graph_structure(loss, names=names)
    ops = Counter(n.label for n in s.ops)
    assert ops == {
        "MulBackward0": 3, "AddBackward0": 2, "SigmoidBackward0": 1, "ClampBackward1": 1,
        "LogBackward0": 2, "RsubBackward1": 1, "NegBackward0": 1,
    }  # fmt: skip
    kinds = {n.label: n.kind for n in s.tensors}
    assert {k for k, v in kinds.items() if v == "leaf"} == {"w", "b"}
    assert kinds["x"] == kinds["y"] == "constant" and kinds["loss"] == "root"
    assert kinds["z"] == kinds["y_pred"] == "intermediate"
    assert [n.label for n in s.inputs_of(s.node("MulBackward0"))] == ["w", "x"]
    add = next(n for n in s.ops if n.label == "AddBackward0" and "b" in
               [m.label for m in s.inputs_of(n)])  # fmt: skip
    assert [n.label for n in s.inputs_of(add)] == ["t1", "b"]
    assert [n.label for n in s.inputs_of(s.node("SigmoidBackward0"))] == ["z"]
    # every op has an edge per input and one to its output, nothing else
    assert len(s.edges) == sum(len(s.inputs_of(op)) + 1 for op in s.ops)
    assert s.node("y_pred").value == "0.9988" and s.node("loss").value == "6.7012"
    assert s.node("1").kind == "constant"  # 1 - target: computed without grad, a constant


def test_a_diamond_draws_both_edges():
    a = torch.tensor(1.0, requires_grad=True)
    b = a + a
    c = b + b
    d = c * b
    s = graph_structure(d)
    assert edges_by_label(s).count(("a", "AddBackward0", 0)) == 1
    assert ("a", "AddBackward0", 1) in edges_by_label(s)  # a + a: two edges, slots 0 and 1
    assert [n.label for n in s.inputs_of(s.node("MulBackward0"))] == ["c", "b"]
    picture = draw_graph(d)
    assert len(picture.arrows) == len(s.edges) == 9
    twice = [arrow for edge, arrow in picture.arrows if s.nodes[edge.source].label == "a"]
    starts = {tuple(np.round(a.get_path().vertices[0], 3)) for a in twice}
    assert len(starts) == 2  # two visible arrows, side by side


# -- names ---------------------------------------------------------------------------------------


def test_names_from_a_dict_from_locals_or_none():
    w = torch.tensor(2.0, requires_grad=True)
    h = w * 3
    out = h.exp()
    _hidden = out  # IPython's _, _1, ... must not name anything
    also_w = w  # a second name for w: the first one wins
    text = "not a tensor"
    assert [n.label for n in graph_structure(out, names=locals()).tensors] == [
        "w", "3", "h", "out"
    ]  # fmt: skip
    assert [n.label for n in graph_structure(out, names={}).tensors] == ["t1", "3", "t2", "t3"]
    assert [n.label for n in graph_structure(out, names={"h": h}).tensors] == [
        "t1", "3", "h", "t2"
    ]  # fmt: skip


def test_a_named_constant_is_recognised():
    x = torch.tensor([1.0, 2.0])  # an array: known by the very array the op received
    k = torch.tensor(6.7)  # a 0-d tensor: known by its value, as the only constant with it
    w = torch.tensor(1.0, requires_grad=True)
    out = (w * x * k).sum()
    labels = {n.label: n.kind for n in graph_structure(out).tensors}
    assert labels["x"] == labels["k"] == "constant"


def test_a_retained_grad_is_shown():
    x = torch.tensor(2.0, requires_grad=True)
    y = x * 3
    y.retain_grad()
    out = y * y
    out.backward()
    s = graph_structure(out)
    assert s.node("y").grad == "12" and s.node("x").grad == "36"


# -- drawing --------------------------------------------------------------------------------------


def boxes_overlap(picture):
    extents = [box.get_bbox() for box in picture.boxes.values()]
    for a, b in itertools.combinations(extents, 2):
        if a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5:
            return True
    return False


def test_the_lessons_pictures_have_no_overlapping_boxes_and_fit_a_notebook():
    loss, names = neuron()
    picture = draw_graph(loss, names=names)
    assert len(picture.boxes) == len(picture.structure.nodes)
    assert not boxes_overlap(picture)
    right = max(b.get_bbox().x1 for b in picture.boxes.values())
    left = min(b.get_bbox().x0 for b in picture.boxes.values())
    assert right - left <= MAX_WIDTH  # 19 columns: wrapped into rows
    rows = {round(b.get_bbox().y1) for b in picture.boxes.values()}
    assert len(rows) > 3
    assert picture._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def arrows_behind_boxes(picture):
    """(from, to, box) for every arrow that passes behind a box other than its two ends.

    The arrow's outline (curves flattened by matplotlib, arrowhead included) is tested against
    each box shrunk by half a point, so an arrow that only touches a box's edge passes.
    """
    from matplotlib.path import Path as Outline
    from matplotlib.transforms import Bbox

    nodes = picture.structure.nodes
    found = []
    for edge, arrow in picture.arrows:
        lines = [Outline(p) for p in arrow.get_path().to_polygons(closed_only=False)]
        for i, box in picture.boxes.items():
            if i in (edge.source, edge.target):
                continue
            b = box.get_bbox()
            inner = Bbox.from_extents(b.x0 + 0.5, b.y0 + 0.5, b.x1 - 0.5, b.y1 - 0.5)
            if any(line.intersects_bbox(inner, filled=False) for line in lines):
                found.append((nodes[edge.source].label, nodes[edge.target].label, nodes[i].label))
    return found


def mlp_point_loss():
    """Notebook 07's picture: a 2-16-1 network's loss on one point (a wide constant input)."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    loss = nn.BCEWithLogitsLoss()(model(torch.tensor([[0.8909, 0.1357]])), torch.zeros(1, 1))
    names = {"W1": model[0].weight, "b1": model[0].bias, "W2": model[2].weight,
             "b2": model[2].bias, "loss": loss}  # fmt: skip
    return loss, names


def random_graph(seed, ops=24):
    """Leaves, a wide constant, then ops reading earlier tensors at random; all feed the root."""
    rng = np.random.default_rng(seed)
    made = [torch.tensor(float(v), requires_grad=True) for v in rng.normal(size=4)]
    made.append(torch.tensor(rng.normal(size=(1, 3)).round(4)))
    for _ in range(ops):  # ops and their outputs, with fan-out and shared inputs
        a, b = (made[i] for i in rng.integers(0, len(made), size=2))
        made.append(a * b if rng.random() < 0.5 else (a + b).tanh())
    out = made[-1]
    for t in made[-6:-1]:
        out = out + t
    return out.sum()


def test_no_arrow_passes_behind_a_box_it_does_not_connect():
    loss, names = mlp_point_loss()
    picture = draw_graph(loss, names=names, show_values=False, show_grads=False)
    # b1 and the wide constant x both feed Addmm from the same column: b1's arrow used to run
    # straight behind the constant's box
    assert arrows_behind_boxes(picture) == []
    above = {n.label: picture.boxes[n.id].get_bbox().y0 for n in picture.structure.nodes}
    assert above["[[0.8909, 0.1357]]"] > above["b1"] > above["t1"]  # widest farthest from Addmm
    loss, names = neuron()
    assert arrows_behind_boxes(draw_graph(loss, names=names)) == []
    for seed in range(12):  # wrapped rows, long arrows through waypoints, wide boxes
        assert arrows_behind_boxes(draw_graph(random_graph(seed), names={})) == [], seed


def run_notebook(path):
    """Run a lesson notebook's code here (no kernel) and return every graph picture it drew:
    draw_graph's and the backward stepper's. Magics are skipped, on-purpose errors caught."""
    import json
    import warnings

    import matplotlib.pyplot as plt

    from autograd_lab.viz import graph

    drawn, draw_nodes = [], graph._draw_nodes

    def record(picture, *args):
        draw_nodes(picture, *args)
        drawn.append(picture)

    namespace = {"__name__": "__main__"}
    graph._draw_nodes = record
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the lessons' own warnings, on purpose
            for cell in json.loads(path.read_text())["cells"]:
                if cell["cell_type"] != "code":
                    continue
                code = "".join(cell["source"]).splitlines()
                code = "\n".join(line for line in code if not line.lstrip().startswith("%"))
                try:
                    exec(compile(code, str(path), "exec"), namespace)
                except Exception:
                    if "raises-exception" not in cell["metadata"].get("tags", []):
                        raise
    finally:
        graph._draw_nodes = draw_nodes
        plt.close("all")
    return drawn


def test_no_arrow_passes_behind_a_box_in_any_picture_of_the_course(capsys):
    notebooks = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
    pictures = {nb.name: run_notebook(nb) for nb in notebooks}
    capsys.readouterr()  # what the notebooks printed
    drawn = {name: len(p) for name, p in pictures.items() if p}
    # draw_graph in 00, 01, 02 (twice), 03, 07; the stepper in 02 and 03
    assert drawn == {"00_welcome.ipynb": 1, "01_first_gradient.ipynb": 1,
                     "02_chain_rule.ipynb": 3, "03_logistic_neuron.ipynb": 2,
                     "07_beyond_the_lesson.ipynb": 1}  # fmt: skip
    for name, found in pictures.items():
        for picture in found:
            assert arrows_behind_boxes(picture) == [], (name, picture)


def test_sixty_nodes_are_drawn_without_overlaps():
    rng = np.random.default_rng(0)
    leaves = [torch.tensor(float(v), requires_grad=True) for v in rng.normal(size=4)]
    made = list(leaves)
    for _ in range(24):  # ops and their outputs, with fan-out and shared inputs
        a, b = (made[i] for i in rng.integers(0, len(made), size=2))
        made.append(a * b if rng.random() < 0.5 else (a + b).tanh())
    out = made[-1]
    for t in made[-6:-1]:  # everything feeds the output
        out = out + t
    picture = draw_graph(out, names={})
    assert 55 <= len(picture.structure.nodes) <= 100 and not picture.summarized
    assert not boxes_overlap(picture)


def test_grads_after_backward_are_written_on_the_boxes():
    x = torch.tensor(4.0, requires_grad=True)
    z = torch.sin(x**2)
    z.backward()
    picture = draw_graph(z)
    texts = {t.get_text() for t in picture.ax.texts}
    assert "grad -7.6613" in texts
    assert "grad -7.6613" not in {t.get_text() for t in draw_graph(z, show_grads=False).ax.texts}


def png_size(data):
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_a_small_graph_shows_with_text_as_large_as_the_notebooks():
    from autograd_lab.viz.graph import DISPLAY_DPI, FIT_WIDTH, MIN_DPI

    x = torch.tensor(3.0, requires_grad=True)
    y = x**2
    y.backward()
    picture = draw_graph(y)
    assert picture.dpi == DISPLAY_DPI and png_size(picture._repr_png_()) == picture.pixels
    smallest = min(t.get_fontsize() for t in picture.ax.texts)  # points
    assert smallest * picture.dpi / 72 >= 14  # px: JupyterLab's body text is 14 px
    assert picture.pixels[0] <= FIT_WIDTH
    bigger = draw_graph(y, scale=1.5)
    assert png_size(bigger._repr_png_()) == bigger.pixels
    assert bigger.pixels[0] == pytest.approx(1.5 * picture.pixels[0], abs=1.5)
    # a wide graph shrinks to fit the notebook, never below MIN_DPI
    loss, names = neuron()
    wide = draw_graph(loss, names=names)
    inches = wide.figure.get_size_inches()[0]
    assert wide.dpi == max(MIN_DPI, FIT_WIDTH / inches) < DISPLAY_DPI
    assert wide._repr_html_() is None  # fits: a plain PNG
    scrolled = draw_graph(loss, names=names, scale=2.0)  # too wide now: a box that scrolls
    assert f"width='{scrolled.pixels[0]}'" in scrolled._repr_html_()
    with pytest.raises(ValueError, match="scale must be a positive number"):
        draw_graph(y, scale=0)


def test_drawing_into_the_learners_axes():
    import matplotlib.pyplot as plt

    x = torch.tensor(4.0, requires_grad=True)
    z = torch.sin(x**2)
    fig, ax = plt.subplots(figsize=(3, 2))
    try:
        picture = draw_graph(z, ax=ax, legend=False)
        assert picture.ax is ax and picture.figure is fig
        assert picture._repr_png_() is None  # the learner's figure shows itself
        assert 0 < max(t.get_fontsize() for t in ax.texts) < 10.5  # smaller axes, smaller text
    finally:
        plt.close(fig)


# -- big graphs -----------------------------------------------------------------------------------


def test_a_10000_node_graph_is_summarised_not_drawn():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3400):
        y = (y * 1.0001).sin()
    picture = draw_graph(y)
    assert picture.summarized
    assert len(picture.structure.nodes) > 10_000
    assert "too many to draw readably" in picture.message
    assert "SinBackward0 ×3,400" in picture.message and "MulBackward0 ×3,400" in picture.message
    assert "longest path from an input to the root: 6,800 ops" in picture.message
    assert picture.boxes == {}  # a panel of text, not a picture of 10,000 boxes
    s = graph_structure(y)  # the structure itself is complete
    assert Counter(n.kind for n in s.nodes)["op"] == 6800


def test_a_tensor_without_a_graph_is_one_box():
    # it requires no grad, so backward cannot start from it: a constant, not a root
    s = graph_structure(torch.tensor([1.0, 2.0]))
    assert [(n.kind, n.label, n.value) for n in s.nodes] == [("constant", "t1", "[1, 2]")]
    assert s.edges == ()
    assert draw_graph(torch.tensor(1.0), names={}).boxes


def test_importing_autograd_lab_imports_no_matplotlib():
    code = (
        "import sys, autograd_lab, autograd_lab.viz, autograd_lab.autograd.stepping\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("names", [None, {}])
def test_missing_names_never_break_labels(names):
    out = torch.tensor(1.0, requires_grad=True) * 2
    assert {n.label for n in graph_structure(out, names=names).tensors} >= {"2"}


def test_a_function_with_two_outputs_is_one_op_with_two_arrows_out():
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
    s = graph_structure(out)
    assert [n.label for n in s.ops] == ["SplitBackward", "MulBackward0"]
    assert ("SplitBackward", "a", 0) in edges_by_label(s)
    assert ("SplitBackward", "b", 0) in edges_by_label(s)
