"""A chain-rule ledger: how ``d loss / d x`` is put together, line by line, with numbers.

``explain(x, z)`` for the lesson's ``y = x**2; z = torch.sin(y)`` prints::

    dz/dx by the chain rule (z = -0.2879, x = 4)

      dz/dz = 1
      dz/dy = dz/dz · cos(y)  = 1 · -0.9577  = -0.9577
      dz/dx = dz/dy · 2·x     = -0.9577 · 8  = -7.6613

    along the path x → y → z:
      dz/dx = cos(y) · 2·x = cos(16) · 8 = -0.9577 · 8 = -7.6613

Each line is one step of the backward pass: a gradient is the gradient of the tensor after it
times the local derivative (summed over every tensor that used it, when it was used twice).
Then the same product along each path from ``x`` to the output. The gradient is the sum over
the paths.

``by_hand`` compares a formula the learner derived with the chain rule's number: for the
lesson's neuron, ``explain(w, loss, by_hand={"z": "y_pred - y", "w": "(y_pred - y) * x"})``
marks the line of ``z`` with ``= y_pred − y ✓``: the lesson's ``(ŷ − y)·x`` emerging from the
ledger. The formula is read by a small evaluator that knows only numbers, the names of the
graph's tensors, ``+ - * / **`` and sin, cos, exp, log, sqrt, tanh, sigmoid (σ).

It reads the graph without changing it (a dry run: no ``.grad`` written, the graph kept), so it
must run before ``loss.backward()`` frees the graph (or after ``backward(retain_graph=True)``).
Printed, it is plain text; in Jupyter it shows as a table.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autograd.function import AccumulateGrad
from ..autograd.stepping import (
    Step,
    Trace,
    factor,
    fmt,
    graph_key,
    is_product,
    product,
    render,
)
from ..tensor import Tensor
from ._common import caller_names, frame_of_caller
from .stepper import record

MAX_PATHS = 8  # more paths than this are summed in the ledger, not listed one by one


@dataclass
class Term:
    """One consumer's share of a gradient: d(root)/d(out) × ∂out/∂v."""

    upstream: str  # "dz/dy"
    formula: str  # "cos(y)"
    upstream_value: Any
    local: Any  # the local derivative as numbers (None: no single number)
    value: Any  # what this term contributes (after any summing for broadcasting)
    why: str = ""


@dataclass
class Line:
    """``d root / d v`` as the sum of its terms."""

    label: str
    derivative: str  # "dz/dx"
    terms: list[Term]
    value: Any
    by_hand: str = ""  # "= y_pred − y ✓" when the learner gave a formula for this tensor


@dataclass
class Explanation:
    """The ledger for ``d root / d target``: print it, or let Jupyter show it as a table."""

    root: str
    target: str
    root_value: Any
    target_value: Any
    lines: list[Line]
    # per path: (labels, symbolic product, with values, as numbers, value)
    paths: list[tuple[list[str], str, str, str, Any]]
    path_count: int
    value: Any  # d root / d target
    leaf_grad: Any = None  # what .grad would hold after backward (leaves only)
    grad_before: Any = None  # what .grad holds now
    is_leaf: bool = False
    checks: list[str] = field(default_factory=list)

    # -- text ---------------------------------------------------------------------------------

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(gradient, upstream × local, numbers, value) per ledger line."""
        rows = []
        for line in self.lines:
            if not line.terms:
                rows.append((line.derivative, "", "", fmt(line.value)))
                continue
            symbolic = " + ".join(_term(t) for t in line.terms)
            numbers = " + ".join(
                fmt(t.value) if is_product(t.formula)
                else product([fmt(t.upstream_value), _number(t)], " · ")
                for t in line.terms
            )  # fmt: skip
            value = fmt(line.value) + (f"   {line.by_hand}" if line.by_hand else "")
            whys = [t.why for t in line.terms if t.why]
            if whys:
                value += f"   ({'; '.join(whys)})"
            rows.append((line.derivative, symbolic, numbers, value))
        return rows

    def __str__(self) -> str:
        head = (
            f"{self.lines[-1].derivative} by the chain rule "
            f"({self.root} = {fmt(self.root_value)}, {self.target} = {fmt(self.target_value)})"
        )
        rows = self.rows()
        widths = [max(len(r[c]) for r in rows) for c in range(3)]
        out = [head, ""]
        for gradient, symbolic, numbers, value in rows:
            if not symbolic:
                out.append(f"  {gradient.ljust(widths[0])} = {value}")
                continue
            out.append(
                f"  {gradient.ljust(widths[0])} = {symbolic.ljust(widths[1])}  = "
                f"{numbers.ljust(widths[2])}  = {value}"
            )
        out.append("")
        out.extend(self._path_text())
        out.extend(self._closing())
        return "\n".join(out)

    __repr__ = __str__

    def _path_text(self) -> list[str]:
        derivative = self.lines[-1].derivative
        if not self.paths and self.path_count > MAX_PATHS:
            return [f"{self.path_count:,} paths lead from {self.target} to {self.root}: too many "
                    "to list; the ledger above sums them node by node."]  # fmt: skip
        if not self.paths:
            return ["(products along each path are written out when every local derivative is "
                    "a single number; here the ledger above is the chain rule)"]  # fmt: skip
        out = []
        if len(self.paths) == 1:
            labels, symbolic, substituted, numbers, value = self.paths[0]
            out.append(f"along the path {' → '.join(labels)}:")
            out.append("  " + _chain(derivative, symbolic, substituted, numbers, value))
            return out
        out.append(f"along each of the {len(self.paths)} paths from {self.target} to {self.root}:")
        for labels, symbolic, substituted, numbers, value in self.paths:
            out.append(f"  {' → '.join(labels)}:")
            out.append("    " + _chain("", symbolic, substituted, numbers, value).lstrip("= "))
        total = " + ".join(fmt(p[4]) for p in self.paths)
        out.append(f"  {derivative} = the sum over the paths = {total} = {fmt(self.value)}")
        return out

    def _closing(self) -> list[str]:
        out = list(self.checks)
        if self.is_leaf and self.grad_before is None:
            out.append(
                f"{self.root}.backward() would store {fmt(self.value)} in {self.target}.grad."
            )
        elif self.is_leaf:
            out.append(
                f"{self.root}.backward() would add {fmt(self.value)} to {self.target}.grad, "
                f"making it {fmt(self.leaf_grad)}: gradients accumulate until zeroed."
            )
        return out

    # -- Jupyter ------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        e = html.escape
        head = (
            f"<b>{e(self.lines[-1].derivative)}</b> by the chain rule "
            f"({e(self.root)} = {e(fmt(self.root_value))}, "
            f"{e(self.target)} = {e(fmt(self.target_value))})"
        )
        cell = "style='padding:2px 10px;text-align:left;font-family:monospace'"
        rows = "".join(
            f"<tr><td {cell}><b>{e(g)}</b></td><td {cell}>{'= ' + e(s) if s else ''}</td>"
            f"<td {cell}>{'= ' + e(n) if n else ''}</td><td {cell}>= {e(v)}</td></tr>"
            for g, s, n, v in self.rows()
        )
        tail = "<br>".join(e(line) for line in self._path_text() + self._closing())
        return (
            f"<div>{head}<table style='border-collapse:collapse;margin:6px 0'>{rows}</table>"
            f"<div style='font-family:monospace;white-space:pre-wrap'>{tail}</div></div>"
        )


def _term(t: Term) -> str:
    """``dz/dy · cos(y)``; for a whole product, the formula with the upstream's name in it."""
    if is_product(t.formula):
        return t.formula.replace("upstream", t.upstream)
    return f"{t.upstream} · {factor(t.formula)}"


def _number(term: Term) -> str:
    if is_product(term.formula):
        return "…"
    return fmt(term.local) if term.local is not None else factor(term.formula)


def _chain(derivative: str, symbolic: str, substituted: str, numbers: str, value: Any) -> str:
    parts = [symbolic]
    for part in (substituted, numbers, fmt(value)):
        if part != parts[-1]:
            parts.append(part)
    return (f"{derivative} = " if derivative else "= ") + " = ".join(parts)


# -- building the ledger ------------------------------------------------------------------------


def explain(
    x: Tensor,
    loss: Tensor,
    names: Mapping[str, Any] | None = None,
    by_hand: str | Mapping[str, str] | None = None,
    gradient: Tensor | None = None,
) -> Explanation:
    """The chain rule for ``d loss / d x``, node by node and path by path, with numbers.

    * ``names``: ``{"x": x, ...}`` or ``locals()``; by default the caller's variables.
    * ``by_hand``: a formula for ``d loss / d x`` in the tensors' names (``"(y_pred - y) * x"``),
      or ``{name: formula}`` for several tensors of the ledger; each is checked against the
      chain rule's number and marked ✓ or ✗.
    """
    named = caller_names(names, frame_of_caller(2))
    trace = Trace(loss, named)
    target = graph_key(x)
    if target not in trace.label:
        raise ValueError(
            f"{trace.label.get(target, 'this tensor')} is not part of the graph that computed "
            f"{trace.label[trace.root_key]}: no path leads from it to the output, so the "
            "chain rule gives it no gradient"
        )
    steps = record(trace, gradient)
    ledger = _Ledger(trace, steps, target)
    hand = {trace.label[target]: by_hand} if isinstance(by_hand, str) else dict(by_hand or {})
    checks = ledger.check(hand, named)
    leaf_grad = grad_before = None
    if isinstance(target, AccumulateGrad) and steps:
        leaf_grad = steps[-1].leaf_grads.get(trace.label[target])
        grad_before = None if x._grad is None else x._grad._data.copy()
    return Explanation(
        root=trace.label[trace.root_key],
        target=trace.label[target],
        root_value=trace.value.get(trace.root_key),
        target_value=trace.value.get(target),
        lines=ledger.lines,
        paths=ledger.paths,
        path_count=ledger.path_count,
        value=ledger.lines[-1].value,
        leaf_grad=leaf_grad,
        grad_before=grad_before,
        is_leaf=isinstance(target, AccumulateGrad),
        checks=checks,
    )


class _Ledger:
    """The ledger's lines (one per tensor between the target and the root) and paths."""

    def __init__(self, trace: Trace, steps: list[Step], target: Any) -> None:
        self.trace = trace
        root = trace.root_key
        # the tensors that depend on the target: the gradient flows back through exactly these
        users: dict[Any, list[Any]] = {}
        for op, keys in trace.inputs.items():
            for key in keys:
                users.setdefault(key, []).extend(trace.outputs[op])  # key -> tensors made from it
        on_path = {target}
        stack = [target]
        while stack:
            for made in users.get(stack.pop(), []):
                if made not in on_path:
                    on_path.add(made)
                    stack.append(made)
        # every (consumer op, input slot) that sends a gradient to a tensor on the path
        self.terms: dict[Any, list[tuple[Step, int]]] = {}
        order = []  # a tensor's line comes when its gradient is complete: when its node runs
        for step in steps:
            if step.node in on_path:
                order.append(step.node)
            made = trace.outputs.get(step.node, [step.node])
            if step.is_leaf or not any(k in on_path for k in made):
                continue
            for slot, c in enumerate(step.inputs):
                if c.receiver in on_path:
                    self.terms.setdefault(c.receiver, []).append((step, slot))
        if target not in order:  # an intermediate target: its own node may not be on the path
            order.append(target)
        self.order = order
        self.lines = [self._line(key) for key in order]
        self.paths, self.path_count = self._paths(target, root)

    def _line(self, key: Any) -> Line:
        trace = self.trace
        if key is trace.root_key:
            root = np.ones_like(np.asarray(trace.value[key]))
            return Line(trace.label[key], trace.derivative(key), [], root)
        terms = []
        total = None
        for step, slot in self.terms.get(key, []):
            c = step.inputs[slot]
            terms.append(
                Term(
                    upstream=step.upstream,
                    formula=c.formula,
                    upstream_value=step.grad_output,
                    local=_single(c.local),
                    value=c.gradient,
                    why=c.why,
                )
            )
            total = c.total
        return Line(trace.label[key], trace.derivative(key), terms, total)

    def _paths(self, target: Any, root: Any) -> tuple[list, int]:
        """Each path from the root back to the target, as a product of local derivatives."""
        links: dict[Any, list[tuple[Any, Step, int]]] = {}  # tensor -> (consumer, step, slot)
        made = self.trace.outputs
        for key, terms in self.terms.items():
            for step, slot in terms:
                for out in made.get(step.node, [step.node]):  # each tensor the op made
                    links.setdefault(out, []).append((key, step, slot))
        # how many paths reach each tensor: counted line by line (a + a + ... doubles them;
        # walking them one by one would take 2ⁿ steps)
        reaching = {root: 1}
        for line_key in self.order:
            for step, _ in self.terms.get(line_key, []):
                for out in made.get(step.node, [step.node]):
                    reaching[line_key] = reaching.get(line_key, 0) + reaching.get(out, 0)
        count = reaching.get(target, 0)
        scalars = all(  # products along paths are written out for numbers only
            np.size(step.inputs[slot].gradient) == 1 and step.inputs[slot].local is not None
            for terms in self.terms.values() for step, slot in terms
        )  # fmt: skip
        if count > MAX_PATHS or not scalars:
            return [], count
        found: list[list[tuple[Any, Step, int]]] = []
        stack: list[tuple[Any, list]] = [(root, [])]
        while stack:  # depth-first over the (few) paths, with an explicit stack
            key, path = stack.pop()
            if key is target:
                found.append(path)
                continue
            for nxt, step, slot in reversed(links.get(key, [])):
                stack.append((nxt, [*path, (nxt, step, slot)]))
        values = {
            label: v for key, label in self.trace.label.items()
            if (v := self.trace.value.get(key)) is not None and np.size(v) == 1
        }  # fmt: skip
        return [self._path(path, values) for path in found], count

    def _path(self, path: list, values: dict[str, Any]) -> tuple[list[str], str, str, str, Any]:
        trace = self.trace
        labels = [trace.label[trace.root_key]]
        for key, step, slot in path:
            twice = sum(1 for k in trace.inputs[step.node] if k is key) > 1
            # an op that uses the same tensor twice (a + a) has two paths through it
            labels.append(trace.label[key] + (f" (as input {slot + 1})" if twice else ""))
        factors = [step.inputs[slot] for _, step, slot in path]
        kept = [c for c in factors if not _is_one(c)] or factors[-1:]
        symbolic = " · ".join(factor(c.formula) for c in kept)
        substituted = product([_substituted(c, values) for c in kept], " · ")
        numbers = product([fmt(c.local) if c.local is not None else "?" for c in kept], " · ")
        value = np.asarray(trace.value.get(trace.root_key)) * 0 + 1.0
        for c in factors:
            value = value * (c.local if c.local is not None else np.nan)
        if all(np.size(c.local) == 1 for c in factors if c.local is not None):
            value = float(np.asarray(value).reshape(-1)[0])
        return labels[::-1], symbolic, substituted, numbers, value

    def check(self, hand: Mapping[str, str], named: Mapping[str, Any]) -> list[str]:
        """Evaluate the learner's formulas and mark the ledger's lines ✓ or ✗."""
        if not hand:
            return []
        values = {k: np.asarray(v._data, dtype=np.float64) for k, v in named.items()}
        for key, label in self.trace.label.items():  # t1, t2... and names given by label
            v = self.trace.value.get(key)
            if v is not None:
                values.setdefault(label, np.asarray(v, dtype=np.float64))
        out = []
        for label, formula in hand.items():
            line = next((ln for ln in self.lines if ln.label == label), None)
            if line is None:
                out.append(f"by hand, d/d{label}: {label} is not on the way from "
                           f"{self.lines[-1].label} to the output")  # fmt: skip
                continue
            mine = evaluate(formula, values)
            same = np.allclose(mine, np.asarray(line.value, dtype=np.float64), rtol=1e-4, atol=1e-6)
            mark = "✓" if same else "✗"
            shown = _pretty(formula)
            line.by_hand = f"= {shown} {mark}"
            out.append(
                f"by hand: {line.derivative} = {shown} = {_pretty(formula, values)} = {fmt(mine)}  "
                + ("✓ the same as the chain rule" if same
                   else f"✗ the chain rule gives {fmt(line.value)}")
            )  # fmt: skip
        return out


def _is_one(c: Any) -> bool:
    """A factor that is exactly 1 here (``+``, or a clamp inside its bounds): left out of paths."""
    return c.formula == "1" or (c.local is not None and bool(np.all(np.asarray(c.local) == 1)))


def _single(local: Any) -> Any:
    """A local derivative that is the same everywhere is shown as one number."""
    if local is None:
        return None
    a = np.asarray(local)
    return a.reshape(-1)[0] if a.size and np.all(a == a.reshape(-1)[0]) else a


def _substituted(c: Any, values: dict[str, Any]) -> str:
    """``cos(y)`` -> ``cos(16)``: a factor that applies a function shows it applied to numbers;
    any other factor shows its value (``2·x`` -> ``8``)."""
    if c.local is not None and not _CALL.search(c.formula):
        return fmt(_single(c.local))
    return factor(render(c.formula, {k: fmt(v) for k, v in values.items()}))


_CALL = re.compile(r"[A-Za-zσ√]\(|√")


def _pretty(formula: str, values: Mapping[str, Any] | None = None) -> str:
    """A learner's formula as the ledger writes maths: ``·`` and ``−``, values if given."""
    text = formula
    if values:
        names = {k: fmt(v) for k, v in values.items() if np.size(v) == 1}
        text = re.sub(
            r"[A-Za-z_σ]\w*",
            lambda m: _wrap(names[m.group(0)]) if m.group(0) in names else m.group(0),
            text,
        )
    return text.replace("**", "^").replace("*", "·").replace(" - ", " − ")


def _wrap(number: str) -> str:
    return f"({number})" if number.startswith("-") else number


# -- a small evaluator for the learner's formulas ------------------------------------------------

_FUNCTIONS = {
    "sin": np.sin,
    "cos": np.cos,
    "exp": np.exp,
    "log": np.log,
    "ln": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
    "σ": lambda v: 1 / (1 + np.exp(-v)),
    "abs": np.abs,
}
_OPERATORS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}


def evaluate(formula: str, values: Mapping[str, Any]) -> Any:
    """The value of a formula such as ``"(y_pred - y) * x"``, with numpy, without ``eval``.

    Walks the parsed expression with an explicit stack (no recursion): each node is visited
    once to queue its parts, and once more to combine their values.
    """
    tree = ast.parse(formula.replace("·", "*").replace("−", "-"), mode="eval").body
    results: list[Any] = []
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    with np.errstate(all="ignore"):  # log(0) is -inf here, as in the tensors
        _run(stack, results, values, formula)
    return results[0] * 1.0


def _run(stack: list, results: list, values: Mapping[str, Any], formula: str) -> None:
    while stack:
        node, ready = stack.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            results.append(np.float64(node.value))
        elif isinstance(node, ast.Name):
            if node.id not in values:
                raise NameError(f"{node.id!r} in {formula!r} is not a tensor of this graph")
            results.append(values[node.id])
        elif isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            if not ready:
                stack += [(node, True), (node.right, False), (node.left, False)]
            else:
                right, left = results.pop(), results.pop()
                results.append(_OPERATORS[type(node.op)](left, right))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            if not ready:
                stack += [(node, True), (node.operand, False)]
            else:
                value = results.pop()
                results.append(-value if isinstance(node.op, ast.USub) else value)
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS and len(node.args) == 1 and not node.keywords
        ):  # fmt: skip
            if not ready:
                stack += [(node, True), (node.args[0], False)]
            else:
                results.append(_FUNCTIONS[node.func.id](results.pop()))
        else:
            raise ValueError(
                f"cannot read {ast.unparse(node)!r} in {formula!r}: use numbers, tensor names, "
                f"+ - * / **, and {', '.join(sorted(_FUNCTIONS))}"
            )


__all__ = ["Explanation", "evaluate", "explain"]
