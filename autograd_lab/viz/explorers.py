"""Explorers: move a number, watch the gradient answer.

Each explorer is two objects:

* a **core** that knows no widgets (``TangentCore``, ``NeuronCore``, ``AccumulationCore``,
  ``TrackingCore``, ``RegressionCore``). ``core.update(**params)`` runs the lesson's code with
  autograd_lab and returns every number the picture shows, as a dict. Tests check those numbers,
  never pixels;
* a **widget** (what ``tangent_explorer()`` and friends return): sliders and buttons whose
  callbacks call ``core.update`` and move long-lived matplotlib artists in place
  (``line.set_data``), then publish the figure.

How a figure reaches the screen follows the pattern measured in
``notes/jupyter-field-notes.md`` §2.2: with the inline backend the figure is rendered to a PNG
and put into an ``Output`` widget's *state* (never ``display()``, which would leak into the
output of whichever cell moved the slider); sliders then redraw on release
(``continuous_update=False``), since each redraw is a full PNG. Under ``%matplotlib widget``
(ipympl) the figure is a live canvas, redrawn with ``draw_idle``, and sliders update
continuously.

matplotlib and ipywidgets are imported when a widget is made, never by the cores, so the cores
run anywhere numpy does.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd_lab as torch

from ..tensor import Tensor
from .plots import (
    close_figure,
    in_notebook,
    interactive_canvas,
    new_figure,
    png_bytes,
    publish_png,
    style_loss_axes,
)

# One look for all explorers (the graph pictures' palette, see _common.py).
BLUE, RED, GREEN, GREY, PURPLE = "#2166ac", "#b2182b", "#1b7837", "#969696", "#762a83"


def _close(a: float | None, b: float | None, rel: float = 1e-4, abs_: float = 1e-5) -> bool:
    """Whether two gradients agree (float32 autograd vs float64 hand formulas)."""
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return False
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _mark(ok: bool) -> str:
    return "<span style='color:#1b7837'>✓</span>" if ok else "<span style='color:#b2182b'>✗</span>"


def _table(rows: list[tuple[str, ...]], head: tuple[str, ...] | None = None) -> str:
    """A small HTML table for a readout (monospace numbers line up)."""
    cell = "style='padding:1px 12px 1px 0;text-align:left;font-family:monospace'"
    parts = ["<table style='border-collapse:collapse'>"]
    if head:
        parts.append("<tr>" + "".join(f"<th {cell}>{h}</th>" for h in head) + "</tr>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td {cell}>{c}</td>" for c in row) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def _tidy(ax: Any) -> None:
    ax.grid(True, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


# -- what every widget shares ----------------------------------------------------------------------


class _Explorer:
    """One long-lived figure, a readout, and the controls a subclass adds.

    ``state`` holds what the core's last ``update`` returned: the numbers on screen. Subclasses
    set ``self.controls`` (a list of widgets) and call ``self._refresh()`` from their callbacks
    after changing artists.
    """

    figsize: tuple[float, float] = (9.0, 3.3)

    def __init__(self) -> None:
        import ipywidgets as widgets

        self.interactive_canvas = interactive_canvas()
        self.figure = new_figure(self.figsize)
        self.out = None if self.interactive_canvas else widgets.Output()
        self.readout = widgets.HTML()
        self.controls: list[Any] = []

    def _slider_update(self) -> bool:
        """continuous_update for sliders: only a live canvas keeps up with every pixel."""
        return self.interactive_canvas

    def _refresh(self) -> None:
        """Show the figure as it is now (the artists were changed in place)."""
        if self.interactive_canvas:
            self.figure.canvas.draw_idle()
        elif in_notebook():  # plain Python or pytest: nothing to render into
            publish_png(self.out, png_bytes(self.figure))

    def render(self) -> bytes:
        """The figure as PNG bytes, as the inline backend would show it (benchmarks, docs)."""
        return png_bytes(self.figure)

    def save(self, path: str, dpi: int = 120) -> None:
        self.figure.savefig(path, dpi=dpi, facecolor="white")

    def close(self) -> None:
        """Release the figure (needed only for pyplot's figures, under ``%matplotlib widget``)."""
        close_figure(self.figure)

    def widget(self) -> Any:
        import ipywidgets as widgets

        view = self.figure.canvas if self.interactive_canvas else self.out
        return widgets.VBox([widgets.HBox(self.controls), view, self.readout])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


# -- 01, 02: the tangent whose slope is x.grad -----------------------------------------------------


class TangentCore:
    """f, the tangent at ``x`` with autograd's slope, and a secant of width ``h``.

    ``f`` is written with autograd_lab operations (``lambda x: x**2``,
    ``lambda x: torch.sin(x**2)``); ``by_hand`` is the derivative derived on paper, a function
    of a float (``lambda x: 2 * x``). The gradient comes from the lesson's own three lines:
    ``x = torch.tensor(x0, requires_grad=True); y = f(x); y.backward()`` (float32, as in the
    lesson); the secant is computed in float64 so that a small ``h`` is not lost to rounding.
    """

    def __init__(
        self,
        f: Callable[[Tensor], Tensor],
        by_hand: Callable[[float], float] | None = None,
        x_range: tuple[float, float] = (-3.0, 3.0),
        points: int = 400,
    ) -> None:
        self.f = f
        self.by_hand = by_hand
        self.x_range = (float(x_range[0]), float(x_range[1]))
        grid = np.linspace(*self.x_range, points)
        self.curve = (grid, self._f64(grid))
        # the tangent is drawn this far either side of x
        self.half_width = (self.x_range[1] - self.x_range[0]) / 8

    def _f64(self, x: Any) -> np.ndarray:
        with torch.no_grad():
            return np.asarray(self.f(torch.tensor(x, dtype=torch.float64)).numpy(), dtype=float)

    def update(self, x: float, h: float = 0.5) -> dict[str, Any]:
        """The numbers at ``x``: y, x.grad, the hand derivative, the tangent and the secant."""
        x = float(x)
        xt = torch.tensor(x, requires_grad=True)
        y = self.f(xt)
        y.backward()
        grad = xt.grad.item()
        xs = np.array([x - self.half_width, x + self.half_width])
        ys = y.item() + grad * (xs - x)
        fx, fxh = float(self._f64(x)), float(self._f64(x + h))
        return {
            "x": x,
            "y": y.item(),
            "grad": grad,
            "by_hand": None if self.by_hand is None else float(self.by_hand(x)),
            "slope": float((ys[1] - ys[0]) / (xs[1] - xs[0])),  # of the line drawn
            "tangent": (xs, ys),
            "h": float(h),
            "secant": (fxh - fx) / h,
            "secant_points": (np.array([x, x + h]), np.array([fx, fxh])),
        }


class TangentExplorer(_Explorer):
    """Slider ``x`` (and ``h``): the curve, the tangent with slope x.grad, the secant."""

    figsize = (6.4, 3.9)

    def __init__(
        self,
        f: Callable[[Tensor], Tensor],
        by_hand: Callable[[float], float] | None = None,
        x: float = 1.5,
        x_range: tuple[float, float] = (-3.0, 3.0),
        h: float = 0.5,
        formula: str = "y = x**2",
        by_hand_text: str = "2·x",
        step: float = 0.1,
    ) -> None:
        import ipywidgets as widgets

        super().__init__()
        self.core = TangentCore(f, by_hand, x_range)
        self.formula = formula
        self.by_hand_text = by_hand_text
        self.x = widgets.FloatSlider(
            value=x, min=x_range[0], max=x_range[1], step=step, description="x",
            continuous_update=self._slider_update(), readout_format=".2f",
        )  # fmt: skip
        self.h = widgets.FloatLogSlider(
            value=h, base=10, min=-3, max=0, step=0.25, description="h (secant)",
            continuous_update=self._slider_update(), readout_format=".3f",
            style={"description_width": "initial"},
        )  # fmt: skip
        self.controls = [self.x, self.h]
        self._draw_static()
        for s in self.controls:
            s.observe(self._on_change, names="value")
        self._on_change()

    def _draw_static(self) -> None:
        ax = self.ax = self.figure.add_subplot()
        self.figure.subplots_adjust(left=0.11, right=0.97, bottom=0.25, top=0.91)
        grid, ys = self.core.curve
        ax.plot(grid, ys, color=BLUE, lw=2, label=self.formula)
        spread = float(ys.max() - ys.min()) or 1.0
        ax.set_ylim(ys.min() - 0.12 * spread, ys.max() + 0.12 * spread)
        ax.set_xlim(*self.core.x_range)
        (self.tangent,) = ax.plot([], [], color=RED, lw=2, label="tangent: slope = x.grad")
        (self.secant,) = ax.plot(
            [], [], color=GREEN, lw=1.8, ls="--", marker="o", ms=5, label="secant over h"
        )
        (self.point,) = ax.plot([], [], "o", color=RED, ms=7, zorder=5)
        ax.set_xlabel("x")
        # under the axes: a steep tangent can cross any corner of the plot, never this
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), fontsize=8.5, frameon=False,
                  ncol=3)  # fmt: skip
        _tidy(ax)

    def _on_change(self, change: Any = None) -> None:
        s = self.state = self.core.update(x=self.x.value, h=self.h.value)
        self.tangent.set_data(*s["tangent"])
        self.secant.set_data(*s["secant_points"])
        self.point.set_data([s["x"]], [s["y"]])
        self.ax.set_title(f"{self.formula} at x = {s['x']:.2f}:  slope = x.grad = {s['grad']:.4f}")
        rows = [(f"value at x = {s['x']:.2f}", f"{s['y']:.4f}", self.formula)]
        if s["by_hand"] is not None:
            rows.append(("by hand", f"{s['by_hand']:.4f}", self.by_hand_text))
        agree = "" if s["by_hand"] is None else _mark(_close(s["grad"], s["by_hand"]))
        rows.append(("autograd x.grad", f"{s['grad']:.4f}", agree))
        rows.append(
            (
                f"secant, h = {s['h']:.3g}",
                f"{s['secant']:.4f}",
                "(f(x+h) − f(x)) / h → x.grad as h → 0",
            )
        )
        self.readout.value = _table(rows)
        self._refresh()


def tangent_explorer(
    f: Callable[[Tensor], Tensor] | None = None,
    by_hand: Callable[[float], float] | None = None,
    x: float = 1.5,
    x_range: tuple[float, float] = (-3.0, 3.0),
    h: float = 0.5,
    formula: str | None = None,
    by_hand_text: str | None = None,
) -> TangentExplorer:
    """Move ``x``: the tangent to ``f`` at x has slope ``x.grad``; the hand derivative beside it.

    With no arguments it is the lesson's ``y = x**2`` (by hand: 2·x), starting at x = 1.5:
    mid-curve, where the secant stands clear of the tangent. For the chain rule::

        tangent_explorer(lambda x: torch.sin(x**2), by_hand=lambda x: 2 * x * math.cos(x**2),
                         x=1.0, formula="z = sin(x**2)", by_hand_text="2·x·cos(x²)")

    The ``h`` slider draws the secant through f(x) and f(x+h): its slope closes onto the
    tangent's as h shrinks (that limit is what a derivative is).
    """
    if f is None:
        f, by_hand = (lambda t: t**2), (by_hand or (lambda v: 2 * v))
        formula = formula or "y = x**2"
        by_hand_text = by_hand_text or "2·x"
    return TangentExplorer(
        f, by_hand, x=x, x_range=x_range, h=h, formula=formula or "y = f(x)",
        by_hand_text=by_hand_text or "",
    )  # fmt: skip


# -- 03: a logistic neuron -------------------------------------------------------------------------


def bce(y_pred: Tensor, y: Tensor) -> Tensor:
    """Binary cross-entropy, the lesson's formula: −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]."""
    return -(y * torch.log(y_pred) + (1 - y) * torch.log(1 - y_pred))


class NeuronCore:
    """z = w·x + b, ŷ = σ(z), L = BCE(ŷ, y); dL/dw and dL/db three ways.

    * by hand: the lesson's simplified results, dL/dw = (ŷ − y)·x and dL/db = ŷ − y;
    * by autograd: ``loss.backward()``, then ``w.grad`` and ``b.grad``;
    * by finite difference: (L(w + h) − L(w − h)) / 2h, the same for b. L is evaluated here in
      the form log(1 + eᶻ) − y·z, the same function rearranged so that no digits are lost:
      written as ln(1 − ŷ), two losses a tiny step apart would differ in digits that rounding
      has already removed once ŷ is within about 1e-12 of 1.

    Computed in float64: over the sliders' ranges (|z| ≤ 28) ŷ stays strictly between 0 and 1,
    so the loss needs no clamp. (The lesson clamps ŷ to [1e-8, 1 − 1e-8], but in float32
    1 − 1e-8 rounds to exactly 1, so the upper bound does nothing: from z ≈ 16.6, σ(z) rounds
    to 1, ln(1 − ŷ) is −inf and the gradients nan. Where a clamp does act, a clamped ŷ passes
    no gradient back, and autograd would disagree with the hand formula, which knows nothing
    of the clamp.)
    """

    W_RANGE = (-3.0, 3.0)
    FD_STEP = 1e-6

    def __init__(self, points: int = 241) -> None:
        self.w_grid = np.linspace(*self.W_RANGE, points)

    @staticmethod
    def _loss(x: float, w: Any, b: float, y: float) -> Tensor:
        f64 = torch.float64
        z = torch.tensor(w, dtype=f64) * x + b
        return bce(torch.sigmoid(z), torch.tensor(y, dtype=f64))

    @staticmethod
    def _loss_value(x: float, w: float, b: float, y: float) -> float:
        """The loss, computed stably (for the finite difference; see the class docstring)."""
        z = w * x + b
        return float(np.logaddexp(0.0, z) - y * z)

    def update(self, x: float, w: float, b: float, y: float) -> dict[str, Any]:
        """Every number the neuron explorer shows for these inputs."""
        x, w, b, y = float(x), float(w), float(b), float(y)
        f64 = torch.float64
        wt = torch.tensor(w, dtype=f64, requires_grad=True)
        bt = torch.tensor(b, dtype=f64, requires_grad=True)
        z = wt * x + bt
        y_pred = torch.sigmoid(z)
        loss = bce(y_pred, torch.tensor(y, dtype=f64))
        loss.backward()
        p = y_pred.item()
        e = self.FD_STEP
        fd_w = (self._loss_value(x, w + e, b, y) - self._loss_value(x, w - e, b, y)) / (2 * e)
        fd_b = (self._loss_value(x, w, b + e, y) - self._loss_value(x, w, b - e, y)) / (2 * e)
        grads = {
            "w": {"by_hand": (p - y) * x, "autograd": wt.grad.item(), "finite_difference": fd_w},
            "b": {"by_hand": p - y, "autograd": bt.grad.item(), "finite_difference": fd_b},
        }
        with torch.no_grad():
            curve = self._loss(x, self.w_grid, b, y).numpy()
        xs = np.array([w - 0.6, w + 0.6])
        return {
            "x": x, "w": w, "b": b, "y": y,
            "z": z.item(), "y_pred": p, "loss": loss.item(),
            "grads": grads,
            "loss_curve": (self.w_grid, curve),
            "tangent": (xs, loss.item() + grads["w"]["autograd"] * (xs - w)),
        }  # fmt: skip


class NeuronExplorer(_Explorer):
    """Sliders x, w, b and the label y: σ(z) with the neuron's point; L(w) with its tangent."""

    figsize = (9.4, 3.4)

    def __init__(self, x: float = 6.7, w: float = 1.0, b: float = 0.0, y: float = 0.0) -> None:
        import ipywidgets as widgets

        super().__init__()
        self.core = NeuronCore()
        live = self._slider_update()
        self.x = widgets.FloatSlider(value=x, min=-8, max=8, step=0.1, description="x",
                                     continuous_update=live)  # fmt: skip
        self.w = widgets.FloatSlider(value=w, min=-3, max=3, step=0.05, description="w",
                                     continuous_update=live)  # fmt: skip
        self.b = widgets.FloatSlider(value=b, min=-4, max=4, step=0.1, description="b",
                                     continuous_update=live)  # fmt: skip
        self.y = widgets.ToggleButtons(  # the true label: 0 or 1
            options=[("0", 0.0), ("1", 1.0)], value=float(y), description="y",
            tooltips=["true label y = 0", "true label y = 1"], style={"button_width": "56px"},
        )  # fmt: skip
        for s in (self.x, self.w, self.b):
            s.layout.width = "260px"
        self.controls = [widgets.VBox([self.x, self.w]), widgets.VBox([self.b, self.y])]
        self._draw_static()
        for s in (self.x, self.w, self.b, self.y):
            s.observe(self._on_change, names="value")
        self._on_change()

    def _draw_static(self) -> None:
        left, right = self.left, self.right = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.86, wspace=0.25)
        zs = np.linspace(-10, 10, 201)
        left.plot(zs, 1 / (1 + np.exp(-zs)), color=BLUE, lw=2, label="ŷ = σ(z)")
        (self.label_line,) = left.plot([-10, 10], [0, 0], color=GREY, ls=":", lw=1.5,
                                       label="label y")  # fmt: skip
        (self.neuron_point,) = left.plot([], [], "o", color=RED, ms=8, zorder=5)
        (self.error_bar,) = left.plot([], [], color=RED, lw=1.5, label="ŷ − y")
        left.set_xlim(-10, 10)
        left.set_ylim(-0.08, 1.3)  # room above 1 for the legend, clear of the label line
        left.set_yticks([0, 0.25, 0.5, 0.75, 1])
        left.set_xlabel("z = w·x + b")
        left.legend(loc="upper left", fontsize=8, frameon=False, ncol=3)
        _tidy(left)
        (self.loss_line,) = right.plot([], [], color=BLUE, lw=2, label="L(w)")
        (self.tangent,) = right.plot([], [], color=RED, lw=2, label="tangent: slope dL/dw")
        (self.loss_point,) = right.plot([], [], "o", color=RED, ms=7, zorder=5)
        right.set_xlim(*NeuronCore.W_RANGE)
        right.set_xlabel("w  (x, b and y held)")
        right.legend(loc="upper center", fontsize=8, frameon=False, ncol=2)
        _tidy(right)

    def _on_change(self, change: Any = None) -> None:
        s = self.state = self.core.update(self.x.value, self.w.value, self.b.value, self.y.value)
        z = min(max(s["z"], -10.0), 10.0)  # beyond ±10 the point sits on the edge
        self.neuron_point.set_data([z], [s["y_pred"]])
        self.error_bar.set_data([z, z], [s["y"], s["y_pred"]])
        self.label_line.set_ydata([s["y"], s["y"]])
        self.left.set_title(f"z = {s['z']:.4f}   ŷ = {s['y_pred']:.4f}", fontsize=10)
        ws, losses = s["loss_curve"]
        self.loss_line.set_data(ws, losses)
        self.tangent.set_data(*s["tangent"])
        self.loss_point.set_data([s["w"]], [s["loss"]])
        top = max(float(losses.max()), s["loss"]) * 1.12 + 0.05
        self.right.set_ylim(-0.04 * top, top)
        self.right.set_title(
            f"loss = {s['loss']:.4f}   dL/dw = {s['grads']['w']['autograd']:.4f}", fontsize=10
        )
        self.readout.value = _neuron_table(s)
        self._refresh()


def _neuron_table(s: dict[str, Any]) -> str:
    rows = []
    for name, hand_text in (("w", "(ŷ − y)·x"), ("b", "ŷ − y")):
        g = s["grads"][name]
        ok = _close(g["by_hand"], g["autograd"]) and _close(g["by_hand"], g["finite_difference"])
        rows.append((
            f"dL/d{name}", f"{g['by_hand']:.4f}", f"{g['autograd']:.4f}",
            f"{g['finite_difference']:.4f}", _mark(ok), hand_text,
        ))  # fmt: skip
    head = ("", "by hand", "autograd", "finite diff.", "", "formula")
    numbers = (
        f"z = w·x + b = {s['z']:.4f} &nbsp; ŷ = σ(z) = {s['y_pred']:.4f} &nbsp; "
        f"loss = {s['loss']:.4f}"
    )
    return f"<div style='font-family:monospace'>{numbers}</div>" + _table(rows, head)


def neuron_explorer(
    x: float = 6.7, w: float = 1.0, b: float = 0.0, y: float = 0.0
) -> NeuronExplorer:
    """The lesson's neuron with sliders: z, ŷ, the loss and dL/dw, dL/db three ways.

    Starts at the lesson's numbers (x = 6.7, label y = 0, w = 1, b = 0). Left: the sigmoid,
    with the neuron's (z, ŷ) and the distance ŷ − y that drives both gradients. Right: the
    loss as a function of w alone, with the tangent whose slope is dL/dw.
    """
    return NeuronExplorer(x=x, w=w, b=b, y=y)


# -- 04: gradients accumulate ----------------------------------------------------------------------

HISTORY_BARS = 10  # the chart shows the last this-many clicks


class AccumulationCore:
    """The lesson's ``x`` and ``y = x ** 2``, and the three things a learner can do to x.grad.

    ``update(action)`` with ``"backward"`` (a new forward pass, then ``y.backward()``: each
    click builds the graph again, as re-running the lesson's cells does), ``"zero_"``
    (``x.grad.zero_()``), ``"none"`` (``x.grad = None``) or ``"reset"``; with no action it only
    reports. ``x.grad.zero_()`` while ``x.grad`` is None raises AttributeError in PyTorch; the
    lab says so instead of doing it.
    """

    ACTIONS = ("backward", "zero_", "none", "reset")

    def __init__(self, x: float = 2.0) -> None:
        self.x0 = float(x)
        self.reset()

    def reset(self) -> None:
        self.x = torch.tensor(self.x0, requires_grad=True)
        self.history: list[tuple[str, float | None]] = []  # (action, x.grad after it)
        self.backward_calls = 0
        self.since_zero = 0
        self.message = "x.grad is None: no backward() yet."

    @property
    def grad(self) -> float | None:
        return None if self.x.grad is None else self.x.grad.item()

    def update(self, action: str | None = None) -> dict[str, Any]:
        """Do ``action`` (one of ACTIONS, or None), then report the numbers the chart shows."""
        if action is not None and action not in self.ACTIONS:
            raise ValueError(f"action must be one of {self.ACTIONS} or None, got {action!r}")
        if action == "reset":
            self.reset()
        elif action == "backward":
            y = self.x**2  # a fresh graph: backward() freed the last one
            y.backward()
            self.backward_calls += 1
            self.since_zero += 1
            self.message = (
                f"y.backward() #{self.since_zero} since the last clear: adds dy/dx = 2·x = "
                f"{2 * self.x0:g} to x.grad."
            )
        elif action == "zero_":
            if self.x.grad is None:
                self.message = (
                    "x.grad is None: there is nothing to clear, and x.grad.zero_() would raise "
                    "AttributeError ('NoneType' object has no attribute 'zero_')."
                )
            else:
                self.x.grad.zero_()
                self.since_zero = 0
                self.message = "x.grad.zero_(): the same tensor, filled with 0."
        elif action == "none":
            self.x.grad = None
            self.since_zero = 0
            self.message = "x.grad = None: the next backward() creates a fresh x.grad."
        if action in ("backward", "zero_", "none"):
            self.history.append((action, self.grad))
        return {
            "x": self.x0,
            "grad": self.grad,
            "grad_repr": repr(self.x.grad),  # as the lesson prints it: tensor(8.)
            "true_grad": 2 * self.x0,  # what one backward() contributes
            "backward_calls": self.backward_calls,
            "since_zero": self.since_zero,
            "history": [g for _, g in self.history],
            "actions": [a for a, _ in self.history],
            "message": self.message,
        }


ACTION_TEXT = {"backward": "backward", "zero_": "zero_", "none": "None"}
ACTION_COLOR = {"backward": BLUE, "zero_": GREY, "none": "white"}


class AccumulationLab(_Explorer):
    """Buttons y.backward(), x.grad.zero_(), x.grad = None; a bar of x.grad after each click."""

    figsize = (7.6, 3.2)

    def __init__(self, x: float = 2.0) -> None:
        import ipywidgets as widgets

        super().__init__()
        self.core = AccumulationCore(x)
        buttons = []
        for action, text, style in (
            ("backward", "y = x**2; y.backward()", "primary"),
            ("zero_", "x.grad.zero_()", "warning"),
            ("none", "x.grad = None", ""),
            ("reset", "start again", ""),
        ):
            button = widgets.Button(description=text, button_style=style,
                                    layout=widgets.Layout(width="auto"))  # fmt: skip
            button.on_click(self._callback(action))
            buttons.append(button)
        self.buttons = dict(zip(("backward", "zero_", "none", "reset"), buttons))
        self.controls = buttons
        self._draw_static()
        self._on_action(None)

    def _callback(self, action: str) -> Callable[[Any], None]:
        return lambda _button: self._on_action(action)

    def click(self, action: str) -> dict[str, Any]:
        """What a button does, callable from code (and from tests)."""
        self._on_action(action)
        return self.state

    def _draw_static(self) -> None:
        ax = self.ax = self.figure.add_subplot()
        self.figure.subplots_adjust(left=0.1, right=0.97, bottom=0.2, top=0.86)
        slots = range(HISTORY_BARS)
        self.bars = ax.bar(slots, [0] * HISTORY_BARS, width=0.7, color=BLUE, edgecolor=BLUE)
        self.bar_texts = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=8.5) for i in slots]
        true = 2 * self.core.x0
        self.true_line = ax.axhline(true, color=RED, ls="--", lw=1.3,
                                    label=f"one backward(): dy/dx = 2·x = {true:g}")  # fmt: skip
        ax.set_xlim(-0.6, HISTORY_BARS - 0.4)
        ax.set_ylabel("x.grad after the click")
        ax.legend(loc="upper left", fontsize=8.5, frameon=False)
        ax.tick_params(axis="x", labelsize=7.5, length=0)
        _tidy(ax)

    def _on_action(self, action: str | None) -> None:
        s = self.state = self.core.update(action)
        actions = s["actions"][-HISTORY_BARS:]
        grads = s["history"][-HISTORY_BARS:]
        first = len(s["history"]) - len(grads)
        labels = []
        for i, bar in enumerate(self.bars):
            if i < len(grads):
                g, a = grads[i], actions[i]
                bar.set_visible(True)
                bar.set_height(0.0 if g is None else g)
                bar.set_facecolor(ACTION_COLOR[a])
                bar.set_edgecolor(GREY if a != "backward" else BLUE)
                bar.set_hatch("//" if g is None else "")
                self.bar_texts[i].set_text("None" if g is None else f"{g:g}")
                self.bar_texts[i].set_y(0.0 if g is None else g)
                labels.append(f"#{first + i + 1}\n{ACTION_TEXT[a]}")
            else:
                bar.set_visible(False)
                self.bar_texts[i].set_text("")
                labels.append("")
        self.ax.set_xticks(range(HISTORY_BARS), labels)
        top = max([2 * s["x"], *(g for g in grads if g is not None)])
        self.ax.set_ylim(0, top * 1.25)
        self.ax.set_title(f"x = {s['x']:g}, y = x**2   ·   x.grad = {s['grad_repr']}", fontsize=10)
        self.readout.value = (
            f"<div style='font-family:monospace'>backward() calls since the last clear: "
            f"<b>{s['since_zero']}</b> &nbsp; (x.grad = {s['since_zero']} × {s['true_grad']:g} "
            f"= {s['since_zero'] * s['true_grad']:g})<br>{html.escape(s['message'])}</div>"
        )
        self._refresh()


def accumulation_lab(x: float = 2.0) -> AccumulationLab:
    """Click ``backward()`` a few times and watch x.grad grow; ``zero_()`` starts it again.

    The lesson's ``x = torch.tensor(2.0, requires_grad=True)`` and ``y = x ** 2``: every
    ``y.backward()`` *adds* dy/dx = 4 to ``x.grad``.
    """
    return AccumulationLab(x)


# -- 05: switching tracking off --------------------------------------------------------------------

TRACKING_MODES: dict[str, str] = {
    "tracking on": "loss = (w * x + b - t) ** 2",
    "b.requires_grad_(False)": "b.requires_grad_(False)\nloss = (w * x + b - t) ** 2",
    "w.detach()": "w_fixed = w.detach()     # the same number, no history\n"
    "loss = (w_fixed * x + b - t) ** 2",
    "torch.no_grad()": "with torch.no_grad():\n    loss = (w * x + b - t) ** 2",
}
TRACKING_TITLES: dict[str, str] = {
    "tracking on": "tracking on: w and b are leaves, both get .grad",
    "b.requires_grad_(False)": "b.requires_grad_(False): b is a constant",
    "w.detach()": "w.detach(): the graph never reaches w",
    "torch.no_grad()": "torch.no_grad(): nothing was recorded",
}
TRACKING_SETUP = (
    "x, t = torch.tensor(2.0), torch.tensor(3.0)     # an input and its target\n"
    "w = torch.tensor(0.5, requires_grad=True)\n"
    "b = torch.tensor(0.0, requires_grad=True)"
)


class TrackingCore:
    """One tiny model, ``loss = (w * x + b - t) ** 2``, under each way of switching tracking off.

    ``update(mode)`` runs the mode's code (``TRACKING_MODES``) on fresh tensors, then
    ``loss.backward()``, and reports what was recorded: whether ``loss`` requires grad, its
    ``grad_fn``, the graph's structure (which tensors are leaves that get a gradient, which are
    constants) and ``w.grad``/``b.grad``, or the RuntimeError that backward() raised.
    """

    def update(self, mode: str = "tracking on") -> dict[str, Any]:
        if mode not in TRACKING_MODES:
            raise ValueError(f"mode must be one of {list(TRACKING_MODES)}, got {mode!r}")
        from .graph import graph_structure

        x, t = torch.tensor(2.0), torch.tensor(3.0)
        w = torch.tensor(0.5, requires_grad=True)
        b = torch.tensor(0.0, requires_grad=True)
        names: dict[str, Tensor] = {"x": x, "t": t, "w": w, "b": b}
        if mode == "torch.no_grad()":
            with torch.no_grad():
                loss = (w * x + b - t) ** 2
        elif mode == "w.detach()":
            w_fixed = w.detach()
            product = w_fixed * x  # a constant: named, so the picture says where it came from
            names.update({"w_fixed": w_fixed, "w_fixed * x": product})
            loss = (product + b - t) ** 2
        else:
            if mode == "b.requires_grad_(False)":
                b.requires_grad_(False)
            loss = (w * x + b - t) ** 2
        names["loss"] = loss
        structure = graph_structure(loss, names=names)
        tracked = sorted(n.label for n in structure.nodes if n.kind == "leaf")
        before = {
            "requires_grad": loss.requires_grad,
            "grad_fn": None if loss.grad_fn is None else loss.grad_fn.name(),
        }
        error = None
        try:
            loss.backward()
        except RuntimeError as e:
            error = f"RuntimeError: {e}"
        return {
            "mode": mode,
            "code": TRACKING_MODES[mode],
            "loss": loss.item(),
            "loss_requires_grad": before["requires_grad"],
            "grad_fn": before["grad_fn"],
            "tracked": tracked,  # the leaves backward() will fill
            "requires_grad": {"w": w.requires_grad, "b": b.requires_grad},
            "grads": {
                "w": None if w.grad is None else w.grad.item(),
                "b": None if b.grad is None else b.grad.item(),
            },
            "grad_reprs": {"w": repr(w.grad), "b": repr(b.grad)},
            "error": error,
            "structure": structure,
            "names": names,
        }


class TrackingLab:
    """Pick a way of switching tracking off: the code, what is recorded, and its graph.

    The graph picture of each mode is drawn once (drawing a graph takes a few tenths of a
    second) and kept: there are four of them. Shown as a PNG in an Output widget's state, as
    the other explorers do.
    """

    def __init__(self, mode: str = "tracking on") -> None:
        import ipywidgets as widgets

        self.core = TrackingCore()
        self.pictures: dict[str, bytes] = {}
        self.mode = widgets.ToggleButtons(options=list(TRACKING_MODES), value=mode,
                                          style={"button_width": "190px"})  # fmt: skip
        self.code = widgets.HTML()
        self.out = widgets.Output()
        self.readout = widgets.HTML()
        self.mode.observe(self._on_change, names="value")
        self._on_change()

    def picture(self, mode: str) -> bytes:
        """The graph of ``loss`` under ``mode``, as PNG bytes (drawn on first use)."""
        if mode not in self.pictures:
            from .graph import draw_graph

            s = self.core.update(mode) if mode != self.state["mode"] else self.state
            drawn = draw_graph(s["names"]["loss"], names=s["names"], title=TRACKING_TITLES[mode])
            self.pictures[mode] = png_bytes(drawn.figure)
        return self.pictures[mode]

    def render(self) -> bytes:
        return self.picture(self.mode.value)

    def _on_change(self, change: Any = None) -> None:
        s = self.state = self.core.update(self.mode.value)
        code = html.escape(TRACKING_SETUP + "\n" + s["code"] + "\nloss.backward()")
        self.code.value = f"<pre style='margin:4px 0'>{code}</pre>"
        grads = ", ".join(f"{k}.grad = {v}" for k, v in s["grad_reprs"].items())
        rows = [
            ("loss.requires_grad", str(s["loss_requires_grad"])),
            ("loss.grad_fn", f"&lt;{s['grad_fn']}&gt;" if s["grad_fn"] else "None"),
            ("leaves backward() fills", ", ".join(s["tracked"]) or "none"),
            ("w.requires_grad, b.requires_grad",
             f"{s['requires_grad']['w']}, {s['requires_grad']['b']}"),
            ("after loss.backward()", html.escape(s["error"] or grads)),
        ]  # fmt: skip
        self.readout.value = _table(rows)
        if in_notebook():
            publish_png(self.out, self.picture(s["mode"]), text=f"<graph: {s['mode']}>")

    def close(self) -> None:
        """Nothing to release: the pictures are kept as PNG bytes, not as figures."""

    def widget(self) -> Any:
        import ipywidgets as widgets

        return widgets.VBox([self.mode, self.code, self.readout, self.out])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def tracking_lab(mode: str = "tracking on") -> TrackingLab:
    """Switch tracking off three ways and see what autograd records (and what backward does).

    Modes: ``"tracking on"``, ``"b.requires_grad_(False)"`` (b becomes a constant; w still
    learns), ``"w.detach()"`` (the graph is cut at w: b still learns) and ``"torch.no_grad()"``
    (nothing is recorded: backward raises, as in the lesson).
    """
    return TrackingLab(mode)


# -- 06: linear regression by gradient descent -----------------------------------------------------

LESSON_X = (1.0, 2.0, 3.0, 4.0)
LESSON_Y = (2.0, 4.0, 6.0, 8.0)


class RegressionCore:
    """The lesson's training loop (``y = w * x + b``, MSE, plain gradient descent from w = b = 0),
    with two classic bugs that can be switched on:

    * ``forget_zero``: the ``w.grad.zero_()`` / ``b.grad.zero_()`` lines are left out, so each
      step uses the sum of every gradient so far;
    * ``outside_no_grad``: the update runs without ``with torch.no_grad():``; PyTorch (and
      autograd_lab) refuse to change a leaf that requires grad in place, at the first step.

    ``update(lr, epochs, ...)`` returns the loss, w and b after every epoch. A run stops early
    when the loss is no longer finite (it diverged: the learning rate is too large).
    Runs are cached by their settings, so moving only the ``epochs`` slider costs nothing.
    """

    def __init__(self, x: Any = LESSON_X, y: Any = LESSON_Y) -> None:
        self.x = torch.tensor(x)
        self.y = torch.tensor(y)
        self._runs: dict[tuple[float, bool, bool], dict[str, Any]] = {}

    def _train(self, lr: float, epochs: int, forget_zero: bool, outside_no_grad: bool) -> dict:
        x, y_true = self.x, self.y
        w = torch.tensor(0.0, requires_grad=True)
        b = torch.tensor(0.0, requires_grad=True)
        run: dict[str, Any] = {"loss": [], "w": [], "b": [], "error": None}
        for _ in range(epochs):
            loss = ((w * x + b - y_true) ** 2).mean()
            if not math.isfinite(loss.item()):
                break
            loss.backward()
            try:
                if outside_no_grad:
                    w -= lr * w.grad
                    b -= lr * b.grad
                else:
                    with torch.no_grad():
                        w -= lr * w.grad
                        b -= lr * b.grad
            except RuntimeError as e:
                run["error"] = f"RuntimeError: {e}"
                break
            if not forget_zero:
                w.grad.zero_()
                b.grad.zero_()
            run["loss"].append(loss.item())
            run["w"].append(w.item())
            run["b"].append(b.item())
        run["epochs"] = epochs
        return run

    def update(
        self,
        lr: float = 0.01,
        epochs: int = 100,
        forget_zero: bool = False,
        outside_no_grad: bool = False,
    ) -> dict[str, Any]:
        """Train (or reuse a longer cached run) and report every epoch's loss, w and b."""
        key = (float(lr), bool(forget_zero), bool(outside_no_grad))
        epochs = int(epochs)
        run = self._runs.get(key)
        stopped = run is not None and len(run["loss"]) < run["epochs"]  # diverged or raised
        if run is None or (run["epochs"] < epochs and not stopped):
            run = self._runs[key] = self._train(key[0], epochs, key[1], key[2])
        losses, ws, bs = run["loss"][:epochs], run["w"][:epochs], run["b"][:epochs]
        finished = len(losses) == epochs
        diverged = run["error"] is None and (
            not finished or (len(losses) > 1 and losses[-1] > 10 * losses[0])
        )
        rises = sum(later > earlier for earlier, later in itertools.pairwise(losses))
        if run["error"]:
            verdict = "error"
        elif diverged:
            verdict = "diverged"
        elif rises > len(losses) // 10:  # going up about as often as down
            verdict = "swings"
        else:
            verdict = "falls"
        return {
            "lr": key[0], "epochs": epochs, "forget_zero": key[1], "outside_no_grad": key[2],
            "losses": losses, "w": ws, "b": bs,
            "final_w": ws[-1] if ws else 0.0,
            "final_b": bs[-1] if bs else 0.0,
            "final_loss": losses[-1] if losses else math.nan,
            "diverged": diverged,
            "verdict": verdict,  # "falls", "swings", "diverged" or "error"
            "error": run["error"],
            "x": list(LESSON_X) if self.x.shape == (4,) else self.x.tolist(),
            "y": self.y.tolist(),
        }  # fmt: skip


LINE_HISTORY = 6  # earlier lines drawn faintly, to show the fit moving


class RegressionTrainer(_Explorer):
    """Sliders for the learning rate (log scale) and epochs, two bug toggles; the data with the
    fitted line, and the loss after every epoch (log scale)."""

    figsize = (9.4, 3.8)

    def __init__(
        self,
        lr: float = 0.01,
        epochs: int = 100,
        forget_zero: bool = False,
        outside_no_grad: bool = False,
    ) -> None:
        import ipywidgets as widgets

        super().__init__()
        self.core = RegressionCore()
        live = self._slider_update()
        self.lr = widgets.FloatLogSlider(
            value=lr, base=10, min=-4, max=0, step=0.1, description="learning rate",
            readout_format=".2g", continuous_update=live,
            style={"description_width": "initial"},
        )  # fmt: skip
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=300, step=1,
                                        description="epochs", continuous_update=live)  # fmt: skip
        self.forget_zero = widgets.Checkbox(value=forget_zero, description="bug: forget zero_()",
                                            indent=False)  # fmt: skip
        self.outside_no_grad = widgets.Checkbox(
            value=outside_no_grad, description="bug: update outside no_grad", indent=False
        )
        self.controls = [
            widgets.VBox([self.lr, self.epochs]),
            widgets.VBox([self.forget_zero, self.outside_no_grad]),
        ]
        self._draw_static()
        for c in (self.lr, self.epochs, self.forget_zero, self.outside_no_grad):
            c.observe(self._on_change, names="value")
        self._on_change()

    def _draw_static(self) -> None:
        left, right = self.left, self.right = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.25, top=0.88, wspace=0.25)
        xs, ys = np.array(LESSON_X), np.array(LESSON_Y)
        left.plot(xs, ys, "o", color="black", ms=6, label="data (y = 2x)", zorder=5)
        self.old_lines = [
            left.plot([], [], color=BLUE, lw=1, alpha=0.15 + 0.1 * k)[0]
            for k in range(LINE_HISTORY)
        ]
        (self.fit,) = left.plot([], [], color=RED, lw=2.2, label="y = w·x + b, after training")
        left.set_xlim(0, 5)
        left.set_ylim(-1, 11)
        left.set_xlabel("x")
        left.set_ylabel("y")
        # under the axes: a swinging or diverging fit sweeps through every corner of the plot
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), fontsize=8, frameon=False,
                    ncol=2)  # fmt: skip
        _tidy(left)
        (self.loss_line,) = right.plot([], [], color=BLUE, lw=1.8)
        style_loss_axes(right, logy=True)
        # a diverging loss spans dozens of decades: a few labelled ones and no minor ticks keep
        # the axis readable, and each redraw cheap
        from matplotlib.ticker import LogLocator, NullLocator

        right.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
        right.yaxis.set_minor_locator(NullLocator())

    def _on_change(self, change: Any = None) -> None:
        s = self.state = self.core.update(
            lr=self.lr.value, epochs=self.epochs.value,
            forget_zero=self.forget_zero.value, outside_no_grad=self.outside_no_grad.value,
        )  # fmt: skip
        line_x = np.array([0.0, 5.0])
        n = len(s["w"])
        for k, old in enumerate(self.old_lines):  # evenly spaced epochs before the last
            i = (k * n) // LINE_HISTORY
            if n > 1 and i < n - 1 and math.isfinite(s["w"][i]):
                old.set_data(line_x, s["w"][i] * line_x + s["b"][i])
            else:
                old.set_data([], [])
        if n and math.isfinite(s["final_w"]) and math.isfinite(s["final_b"]):
            self.fit.set_data(line_x, s["final_w"] * line_x + s["final_b"])
        else:
            self.fit.set_data([], [])
        self.left.set_title(f"w = {_short(s['final_w'])}, b = {_short(s['final_b'])}", fontsize=10)
        losses = np.array(s["losses"], dtype=float)
        self.loss_line.set_data(np.arange(len(losses)), losses)
        positive = losses[np.isfinite(losses) & (losses > 0)]
        self.right.set_xlim(0, max(s["epochs"] - 1, 1))
        if positive.size:
            self.right.set_ylim(positive.min() / 2, positive.max() * 2)
        self.right.set_title(_regression_verdict(s), fontsize=10)
        self.readout.value = _regression_readout(s)
        self._refresh()


def _short(v: float) -> str:
    """w and b as the lesson prints them (1.846), or 1.29e+07 once training has diverged."""
    return f"{v:.3f}" if abs(v) < 1e4 else f"{v:.3g}"


def _regression_verdict(s: dict[str, Any]) -> str:
    return {
        "error": "stopped at the first update: RuntimeError",
        "diverged": f"diverged: the loss grows (lr = {s['lr']:.4g} is too large)",
        "swings": "the loss swings up and down instead of falling",
    }.get(s["verdict"], f"loss after {s['epochs']} epochs: {s['final_loss']:.4g}")


def _regression_readout(s: dict[str, Any]) -> str:
    if s["error"]:
        body = (
            f"{html.escape(s['error'])}<br>The update must not be recorded: wrap it in "
            "<code>with torch.no_grad():</code>"
        )
    else:
        body = (
            f"epoch {len(s['losses'])}: w = {_short(s['final_w'])}, b = {_short(s['final_b'])}, "
            f"loss = {s['final_loss']:.4g}"
        )
        if s["forget_zero"]:
            body += (
                "<br>Without zero_() each step uses the sum of all gradients so far: the steps "
                "keep growing and the fit overshoots."
            )
        if s["diverged"]:
            body += "<br>Each step overshoots the minimum by more than it started: lower the rate."
    return f"<div style='font-family:monospace'>{body}</div>"


def regression_trainer(
    lr: float = 0.01,
    epochs: int = 100,
    forget_zero: bool = False,
    outside_no_grad: bool = False,
) -> RegressionTrainer:
    """The lesson's linear regression with a learning-rate slider (log scale), an epochs slider
    and two bug switches: the fitted line and the loss curve answer at once.

    At the lesson's lr = 0.01 the loss falls steadily; above about 0.12 it diverges (for this
    data every step then overshoots the minimum by more than it started).
    """
    return RegressionTrainer(lr, epochs, forget_zero, outside_no_grad)


__all__ = [
    "AccumulationCore",
    "AccumulationLab",
    "NeuronCore",
    "NeuronExplorer",
    "RegressionCore",
    "RegressionTrainer",
    "TangentCore",
    "TangentExplorer",
    "TrackingCore",
    "TrackingLab",
    "accumulation_lab",
    "neuron_explorer",
    "regression_trainer",
    "tangent_explorer",
    "tracking_lab",
]
