"""Plots for training loops, and the figure plumbing the explorers share.

* ``plot_losses(history)`` draws one loss curve, or several to compare (``{"SGD": [...],
  "Adam": [...]}``). It returns a ``LossPlot`` that shows itself in Jupyter as a PNG and prints
  as one deterministic line, so a notebook that ends a cell with it stays stable under nbval.
* ``progress(iterable)`` wraps a loop in a ``tqdm.auto`` bar: a widget bar in Jupyter (only
  its deterministic 0 % text reaches the notebook file), a text bar in a terminal, nothing at
  all with ``enabled=False`` or when tqdm is not installed.

The figures here are ``matplotlib.figure.Figure`` objects, not pyplot's: pyplot never sees
them, so they are not shown a second time at the end of a cell, never count toward pyplot's
"more than 20 figures" warning, and are freed like any Python object. Only with an interactive
canvas (``%matplotlib widget``, ipympl) does a widget need a pyplot figure; then it is made
under ``plt.ioff()`` and the explorer's ``close()`` releases it.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

PNG_DPI = 100  # what the inline backend would send; sharp enough, ~40 ms to render here
# blue, orange, purple first: the first curves stay apart for red-green colour blindness too
CURVE_COLORS = ("#2166ac", "#e08214", "#762a83", "#1b7837", "#b2182b", "#4d4d4d")


# -- figures shared by the explorers ---------------------------------------------------------------


def interactive_canvas() -> bool:
    """True under ``%matplotlib widget`` (ipympl): figures are live canvases that redraw
    themselves. Otherwise (inline, Agg) a figure has to be sent as a PNG after each change."""
    import matplotlib

    backend = matplotlib.get_backend().lower()
    return "ipympl" in backend or "widget" in backend


def new_figure(figsize: tuple[float, float]) -> Any:
    """A figure for a widget: pyplot's only when the canvas is interactive (see module doc)."""
    if interactive_canvas():
        import matplotlib.pyplot as plt

        with plt.ioff():  # ipympl would display the canvas by itself, a second time
            return plt.figure(figsize=figsize)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def close_figure(figure: Any) -> None:
    """Release a figure made by ``new_figure`` (only pyplot's need it; harmless otherwise)."""
    import matplotlib.pyplot as plt

    if plt.fignum_exists(getattr(figure, "number", -1)):
        plt.close(figure)


def png_bytes(figure: Any, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG bytes (what an inline notebook shows)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def publish_png(out: Any, png: bytes, text: str = "<figure>") -> None:
    """Show ``png`` in an Output widget by setting its *state*.

    ``display()`` inside ``with out:`` would send the picture as output of whichever cell
    happens to run the callback (a cell that moves a slider from code would suddenly have a
    figure in its outputs, and nbval would fail on it); setting ``outputs`` changes only the
    widget (notes/jupyter-field-notes.md §2.2)."""
    data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text}
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


def in_notebook() -> bool:
    """True inside IPython: only there is a picture worth rendering for an Output widget."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


# -- loss curves -----------------------------------------------------------------------------------


@dataclass
class LossPlot:
    """A drawn loss curve: the figure, its axes and one line per curve (in ``history`` order)."""

    figure: Any
    ax: Any
    lines: dict[str, Any]
    own_figure: bool = True

    def save(self, path: str, dpi: int = 150) -> None:
        self.figure.savefig(path, dpi=dpi, facecolor="white")

    def _repr_png_(self) -> bytes | None:
        return png_bytes(self.figure) if self.own_figure else None

    def __repr__(self) -> str:
        parts = []
        for name, line in self.lines.items():
            ys = [float(v) for v in line.get_ydata()]
            first, last = (ys[0], ys[-1]) if ys else (math.nan, math.nan)
            parts.append(f"{name}: {len(ys)} values, {first:.4g} → {last:.4g}")
        return f"<loss curve{'s' if len(parts) > 1 else ''}: {'; '.join(parts)}>"


def as_floats(values: Iterable[Any]) -> list[float]:
    """Numbers from floats, numpy scalars or one-element tensors (``l`` or ``l.item()``)."""
    return [float(v) for v in values]


def plot_losses(
    history: Sequence[Any] | Mapping[str, Sequence[Any]],
    ax: Any = None,
    title: str | None = "training loss",
    logy: bool | None = None,
    xlabel: str = "epoch",
    figsize: tuple[float, float] = (6.0, 3.2),
) -> LossPlot:
    """Draw the loss after each epoch (or step), one curve or several to compare.

    * ``history``: the losses in order (floats or one-element tensors), or ``{"name": losses}``
      for several curves on the same axes.
    * ``logy``: a log scale for the loss; by default when the losses span more than a factor of
      100, which is when a linear plot would show a cliff and then a flat line (every positive
      loss is shown; a log scale cannot show 0, nan or inf, which are left out).
    * ``ax``: draw into these axes instead of a new figure.
    """
    curves = dict(history) if isinstance(history, Mapping) else {"loss": history}
    curves = {name: as_floats(values) for name, values in curves.items()}
    own = ax is None
    if own:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=figsize, facecolor="white", layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    finite = [v for values in curves.values() for v in values if math.isfinite(v) and v > 0]
    if logy is None:
        logy = bool(finite) and max(finite) > 100 * min(finite)
    lines = {}
    for k, (name, values) in enumerate(curves.items()):
        shown = [v if math.isfinite(v) and (v > 0 or not logy) else math.nan for v in values]
        (lines[name],) = ax.plot(
            range(len(shown)), shown, color=CURVE_COLORS[k % len(CURVE_COLORS)], lw=1.8,
            label=name,
        )  # fmt: skip
    style_loss_axes(ax, logy=logy, xlabel=xlabel, title=title)
    if len(curves) > 1:
        ax.legend(frameon=False)
    return LossPlot(figure, ax, lines, own_figure=own)


def style_loss_axes(ax: Any, logy: bool, xlabel: str = "epoch", title: str | None = None) -> None:
    """The look of every loss plot in the course (also the regression trainer's right panel)."""
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss" + (" (log scale)" if logy else ""))
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


# -- progress bars ---------------------------------------------------------------------------------


def progress(
    iterable: Iterable[T],
    desc: str | None = None,
    total: int | None = None,
    enabled: bool = True,
    **tqdm_kwargs: Any,
) -> Iterator[T] | Iterable[T]:
    """``for epoch in progress(range(300), desc="epochs"):`` shows a progress bar.

    ``tqdm.auto`` picks a widget bar in Jupyter and a text bar in a terminal. In a notebook
    the widget's live state is not part of the cell's output, only its first text
    (``epochs:   0%|          | 0/300 [00:00<?, ?it/s]``), so stored outputs do not change
    from run to run (a text bar would print timings). With ``enabled=False``, or without tqdm
    installed, the loop runs with no bar.
    """
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, total=total, **tqdm_kwargs)


__all__ = ["LossPlot", "plot_losses", "progress"]
