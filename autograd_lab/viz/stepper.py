"""Step through the backward pass on the learner's own graph: Next, Back, or drag the slider.

``backward_stepper(loss)`` draws the graph behind ``loss`` and, at each step, highlights the node
the backward pass is at and writes the chain rule there: the upstream gradient × the local
derivative = what each input receives. A tensor used twice receives twice (``+=``), and its box
shows ``(1/2)`` until the second contribution arrives. Gradients flow right to left: the arrows
they flow along now are pink, the ones they have gone back through turn black.

How it treats the learner's graph: it records the whole backward pass once, when it is created,
as a *dry run* (``autograd.stepping.record_steps``): no ``.grad`` is written and the graph is
kept (``retain_graph=True``). So stepping back and forth is only looking at records, and after
playing with the stepper ``loss.backward()`` works and gives exactly what it would have given.
The leaves' ``.grad`` shown is what backward *would* store (their current ``.grad`` plus this
pass). It needs the graph, so create it before ``loss.backward()`` (or after
``loss.backward(retain_graph=True)``).

``StepperCore`` does all the work without a widget: ``core.update(step=k)`` returns the numbers
on screen, which is how the tests (and nbval) check it. The widget follows the course's pattern
(``notes/jupyter-field-notes.md`` §2.2): one long-lived figure whose artists change, published
through the Output widget's state (nothing leaks into other cells), redrawn on release of the
slider under the inline backend.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..autograd.function import FREED_MESSAGE, AccumulateGrad
from ..autograd.stepping import Step, Trace, contribution_text, dry_run, fmt
from ..tensor import Tensor
from ._common import (
    DONE_COLOR,
    EDGE_COLOR,
    GRAD_COLOR,
    HIGHLIGHT,
    KIND_STYLE,
    caller_names,
    frame_of_caller,
)
from .graph import MAX_NODES, GraphStructure, display_dpi, draw_structure, structure_of

NEEDS_GRAPH_HINT = (
    " (backward_stepper and explain read the graph that backward() frees: run them before "
    "loss.backward(), or call loss.backward(retain_graph=True).)"
)


def record(trace: Trace, gradient: Tensor | None = None) -> list[Step]:
    """The dry run, with a hint added to the error a freed graph gives."""
    try:
        return dry_run(trace, gradient)
    except RuntimeError as e:
        if str(e) == FREED_MESSAGE:
            raise RuntimeError(FREED_MESSAGE + NEEDS_GRAPH_HINT) from None
        raise


class StepperCore:
    """The stepper without a widget: the recorded steps, and what each slider position shows.

    Position 0 is the start (the root's gradient is 1); position k shows the state just after
    step k (1-based), so the last position shows every gradient in place.
    """

    def __init__(
        self, loss: Tensor, names: Mapping[str, Any] | None = None, gradient: Tensor | None = None
    ) -> None:
        self.trace = Trace(loss, names)
        self.steps = record(self.trace, gradient)
        self.structure: GraphStructure = structure_of(self.trace)
        # an op and the tensor it made share a key (the grad_fn): keep them apart
        self.op_ids = {n.key: n.id for n in self.structure.nodes if n.is_op}
        self.tensor_ids = {n.key: n.id for n in self.structure.nodes if not n.is_op}
        self.root = self.trace.label[self.trace.root_key]
        start = np.ones_like(np.asarray(loss._data)) if gradient is None else gradient._data
        self._root_grad = start
        self._states: dict[int, dict[str, Any]] = {}  # made when first shown

    def __len__(self) -> int:
        """The number of positions: the start, then one per step."""
        return len(self.steps) + 1

    def update(self, step: int) -> dict[str, Any]:
        """The numbers shown at position ``step`` (clamped to 0 .. number of steps)."""
        k = min(max(int(step), 0), len(self.steps))
        if k not in self._states:  # one pass over the steps so far: fine for a slider
            self._states[k] = self._state(k)
        return self._states[k]

    @property
    def states(self) -> list[dict[str, Any]]:
        """What every position shows (for a small graph: it reads the whole pass)."""
        return [self.update(k) for k in range(len(self))]

    def _state(self, k: int) -> dict[str, Any]:
        received: dict[Any, np.ndarray] = {self.trace.root_key: self._root_grad}
        arrivals: dict[Any, int] = {}
        for s in self.steps[:k]:
            for c in s.inputs:
                if c.receiver is not None and c.total is not None:
                    received[c.receiver] = c.total
                    arrivals[c.receiver] = arrivals.get(c.receiver, 0) + 1
        grads, partial = {}, {}
        for key, value in received.items():
            label = self.trace.label[key]
            grads[label] = _plain(value)
            expected = self.trace.consumers.get(key, 0)
            if 0 < arrivals.get(key, 0) < expected:
                partial[label] = (arrivals[key], expected)
        state: dict[str, Any] = {
            "step": k,
            "steps": len(self.steps),
            "grads": grads,  # d(root)/d(tensor) received so far, by tensor label
            "partial": partial,  # tensors still waiting: (contributions received, expected)
            "leaf_grads": {
                self.trace.label[leaf]: _plain(self._leaf_grad(leaf, k))
                for leaf in self.trace.leaves
            },
        }
        if k == 0:
            state.update(node=None, output=self.root, upstream=_plain(self._root_grad), products=[])
            state["text"] = (
                f"Step 0 of {len(self.steps)}: backward() starts at {self.root} with "
                f"d{self.root}/d{self.root} = {fmt(self._root_grad)}"
            )
            state["status"] = state["text"]
            return state
        s = self.steps[k - 1]
        state.update(
            node=s.name,
            output=s.output,
            upstream=_plain(s.grad_output),
            products=[
                {
                    "input": c.input,
                    "formula": c.formula,
                    "local": _plain(c.local),
                    "gradient": _plain(c.gradient),
                    "accumulated": c.accumulated,
                    "total": _plain(c.total),
                    "why": c.why,
                }
                for c in s.inputs
            ],
        )
        state["text"] = self._text(s, k)
        state["status"] = state["text"].splitlines()[0]
        return state

    def _leaf_grad(self, leaf: AccumulateGrad, k: int) -> Any:
        label = self.trace.label[leaf]
        if k == 0:
            t = leaf.variable
            return None if t is None or t._grad is None else t._grad._data
        return self.steps[k - 1].leaf_grads.get(label)

    def _text(self, s: Step, k: int) -> str:
        head = f"Step {k} of {len(self.steps)}: {type(s.node).__name__}"  # not torch::autograd::
        if s.is_leaf:
            grad = s.leaf_grads.get(s.output)
            if s.grad_before is None:
                return f"{head}: {s.output} is a leaf, so autograd stores its gradient\n" + (
                    f"{s.output}.grad = {fmt(grad)}"
                )
            return f"{head}: {s.output} is a leaf; its .grad accumulates\n" + (
                f"{s.output}.grad += {fmt(s.grad_output)}:  "
                f"{fmt(s.grad_before)} + {fmt(s.grad_output)} = {fmt(grad)}"
            )
        if s.note:
            return f"{head}\n{s.note}"
        lines = [f"{head} (it made {s.output}); upstream {s.upstream} = {fmt(s.grad_output)}"]
        lines += [contribution_text(s, c) for c in s.inputs]
        return "\n".join(lines)

    def highlight(self, k: int) -> tuple[int | None, set[int], list[int], set[int]]:
        """What to mark at position ``k``: the node the pass is at, the tensors receiving a
        gradient now, the edges it flows along now, and the edges it already flowed along."""
        if k == 0:
            return self.structure.root, set(), [], set()
        step = self.steps[k - 1]
        # an op's box; a leaf's, or one output of several: the tensor's box
        current = self.op_ids.get(step.node, self.tensor_ids.get(step.node))
        receiving = {self.tensor_ids[c.receiver] for c in step.inputs if c.receiver is not None}
        done_ops = {self.op_ids[s.node] for s in self.steps[: k - 1] if s.node in self.op_ids}
        flowing, done = [], set()
        for n, e in enumerate(self.structure.edges):
            source = self.structure.nodes[e.source]
            if source.kind == "constant":  # no gradient flows back to a constant
                continue
            op = e.target if self.structure.nodes[e.target].is_op else e.source
            if op == current:
                flowing.append(n)
            elif op in done_ops:
                done.add(n)
        return current, receiving, flowing, done


def _plain(value: Any) -> Any:
    """Numbers for the learner and the tests: a float for one number, else nested lists."""
    if value is None:
        return None
    a = np.asarray(value)
    return a.item() if a.size == 1 else a.tolist()


class StepPicture:
    """The graph drawn once, with artists that move to any step (``show(k)``).

    With ``caption`` the chain rule of the step is written under the graph (for saved PNGs);
    the widget shows it as HTML instead, crisp and selectable.
    """

    def __init__(self, core: StepperCore, figure: Any = None, caption: bool = True) -> None:
        self.core = core
        longest: dict[int, str] = {}
        lines = 2
        if len(core.structure.nodes) <= MAX_NODES:  # (a bigger graph is drawn as a summary)
            for state in core.states:  # room for the longest texts any step will show
                for i, text in _grad_texts(core, state).items():
                    if len(text) > len(longest.get(i, "")):
                        longest[i] = text
                lines = max(lines, len(state["text"].splitlines()))
        footer = 16.0 * lines + 18.0 if caption else 0.0
        root = core.root
        title = f"backward(), node by node · red: d{root}/d(tensor) · pink: now · black: done"
        self.picture = draw_structure(
            core.structure, grads={}, reserve=longest, footer=footer, figure=figure, title=title
        )
        self.caption = None
        if caption:
            left, bottom = self.picture.ax.get_xlim()[0], self.picture.ax.get_ylim()[0]
            self.caption = self.picture.ax.text(
                left + 14, bottom + footer - 4, "", va="top", ha="left",
                family="DejaVu Sans Mono", fontsize=9.5, linespacing=1.45, zorder=5,
            )  # fmt: skip

    @property
    def figure(self) -> Any:
        return self.picture.figure

    def show(self, step: int) -> dict[str, Any]:
        """Move the picture to ``step``; return the numbers it shows."""
        core, picture = self.core, self.picture
        state = core.update(step)
        if picture.summarized:  # no boxes to move: the chain rule is all there is to show
            if self.caption is not None:
                self.caption.set_text(state["text"])
            return state
        texts = _grad_texts(core, state)
        for i, artist in picture.grad_texts.items():
            artist.set_text(texts.get(i, ""))
            artist.set_color(GRAD_COLOR)
        current, receiving, flowing, done = core.highlight(state["step"])
        for i, box in picture.boxes.items():
            style = KIND_STYLE[core.structure.nodes[i].kind]
            marked = i == current or i in receiving
            box.set_edgecolor(HIGHLIGHT if marked else style["edge"])
            box.set_linewidth(3.2 if i == current else 2.2 if marked else 1.4)
        for n, (_, arrow) in enumerate(picture.arrows):
            color, width = EDGE_COLOR, 1.2
            if n in flowing:
                color, width = HIGHLIGHT, 2.6
            elif n in done:
                color, width = DONE_COLOR, 2.0
            arrow.set_color(color)
            arrow.set_linewidth(width)
        if self.caption is not None:
            self.caption.set_text(state["text"])
        return state

    def save(self, path: str, step: int, dpi: int = 150) -> None:
        self.show(step)
        self.figure.savefig(path, dpi=dpi, facecolor="white")


def _grad_texts(core: StepperCore, state: dict[str, Any]) -> dict[int, str]:
    """What each tensor's box says about its gradient at this step: "grad 813.36 (1/2)"."""
    texts = {}
    for node in core.structure.tensors:
        if node.label in state["grads"]:
            text = "grad " + fmt(state["grads"][node.label])
            if node.label in state["partial"]:
                got, expected = state["partial"][node.label]
                text += f" ({got}/{expected})"
            texts[node.id] = text
    return texts


class BackwardStepper:
    """The widget: ◀ Back, a slider over the steps, Next ▶; the graph, then the chain rule."""

    def __init__(
        self, loss: Tensor, names: Mapping[str, Any] | None = None, gradient: Tensor | None = None
    ) -> None:
        import ipywidgets as widgets
        import matplotlib.pyplot as plt

        self.core = StepperCore(loss, names, gradient)
        backend = plt.get_backend().lower()
        self.interactive_canvas = "ipympl" in backend or "widget" in backend
        figure = None
        if self.interactive_canvas:
            with plt.ioff():  # ipympl would display the canvas by itself, a second time
                figure = plt.figure()
        self.view = StepPicture(self.core, figure, caption=False)
        self.slider = widgets.IntSlider(
            value=0, min=0, max=len(self.core) - 1, description="step",
            continuous_update=self.interactive_canvas,  # inline: one PNG per release, not per pixel
        )  # fmt: skip
        self.back = widgets.Button(description="◀ Back", layout=widgets.Layout(width="90px"))
        self.next = widgets.Button(description="Next ▶", layout=widgets.Layout(width="90px"))
        self.back.on_click(lambda _: self._move(-1))
        self.next.on_click(lambda _: self._move(+1))
        self.readout = widgets.HTML()
        self.out = None if self.interactive_canvas else widgets.Output()
        self.slider.observe(self._on_change, names="value")
        self._on_change()

    @property
    def state(self) -> dict[str, Any]:
        """The numbers on screen now."""
        return self.core.update(self.slider.value)

    def save(self, path: str, step: int | None = None, dpi: int = 150) -> None:
        """A PNG of ``step`` (default: the step on screen), the chain rule written under it."""
        StepPicture(self.core).save(path, self.slider.value if step is None else step, dpi)

    def _move(self, by: int) -> None:
        self.slider.value = min(max(self.slider.value + by, self.slider.min), self.slider.max)

    def _on_change(self, change: Any = None) -> None:
        state = self.view.show(self.slider.value)
        self.readout.value = _html(state)
        self.back.disabled = state["step"] == 0
        self.next.disabled = state["step"] == state["steps"]
        self._publish()

    def _publish(self) -> None:
        if self.interactive_canvas:
            self.view.figure.canvas.draw_idle()
            return
        from IPython import get_ipython

        if get_ipython() is None:  # plain Python or pytest: nothing to render into
            return
        buffer = io.BytesIO()
        dpi = display_dpi(self.view.figure)  # as large as draw_graph's pictures
        self.view.figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        # the Output widget's state, not display(): nothing leaks into the cell that moved us
        self.out.outputs = (  # type: ignore[union-attr]
            {"output_type": "display_data", "data": {"image/png": png, "text/plain": "<graph>"},
             "metadata": {}},
        )  # fmt: skip

    def widget(self) -> Any:
        import ipywidgets as widgets

        view = self.view.figure.canvas if self.interactive_canvas else self.out
        return widgets.VBox([widgets.HBox([self.back, self.slider, self.next]), view, self.readout])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def _html(state: dict[str, Any]) -> str:
    """The chain rule at this step, for the readout under the figure."""
    import html

    lines = state["text"].splitlines()
    body = "<br>".join(html.escape(line) for line in lines[1:])
    return (
        f"<div style='font-family:monospace;line-height:1.5'><b>{html.escape(lines[0])}</b>"
        + (f"<br>{body}" if body else "")
        + "</div>"
    )


def backward_stepper(
    loss: Tensor, names: Mapping[str, Any] | None = None, gradient: Tensor | None = None
) -> BackwardStepper:
    """A widget to step through ``loss``'s backward pass (Next / Back / slider).

    ``names``: ``{"w": w, ...}`` or ``locals()``; by default the variables of the calling code
    (in a notebook, the learner's). It does not change the learner's graph or ``.grad``: see the
    module's docstring.
    """
    return BackwardStepper(loss, caller_names(names, frame_of_caller(2)), gradient)


__all__ = ["BackwardStepper", "StepPicture", "StepperCore", "backward_stepper"]
