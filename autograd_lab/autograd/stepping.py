"""The backward pass one node at a time, with the chain rule written out at every step.

``loss.backward_steps()`` runs exactly the backward pass of ``loss.backward()`` (the engine's
``steps()``), and after each node yields a ``Step``: which node ran, the gradient that arrived
at it (the *upstream* gradient), for each input the *local* derivative ∂out/∂input as a number
and as a formula such as ``cos(y)``, the *contribution* upstream × local sent to that input
(summed back if the input was broadcast, and why), whether the input had already received a
gradient (a shared node: ``+=``), and the ``.grad`` of every leaf so far. Consuming every step
leaves the same ``.grad`` values as ``backward()``.

``record_steps(loss)`` is the same walk as a *dry run*: it writes no ``.grad`` and keeps the
graph (``retain_graph=True``), so the course's stepper and ledger can show a learner's backward
pass without changing what their own ``loss.backward()`` will do afterwards.

Names: a learner's tensors are known by the names they pass (``names={"w": w}``); every other
tensor gets ``t1``, ``t2``, ... in the order the forward pass made them, and constants are
shown by their value. ``Trace`` (the graph walked once, iteratively) holds these labels and
the forward values; the pictures in ``autograd_lab.viz`` draw from the same trace.

The local-derivative formulas live in ``LOCAL_DERIVATIVES`` below, one line per op, written in
the variable names of the op's ``forward`` (``x``; ``a``, ``b``; ``out`` is the op's output).
An op class or a learner's ``Function`` may instead carry ``local = ("cos(x)",)``. A formula
that mentions ``upstream`` describes the whole product (``upstream @ bᵀ`` for a matrix
product): there is no single local number then.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from ..tensor import Tensor
from . import engine, grad_mode
from .function import _FREED, AccumulateGrad, BackwardNode, Node, OutputNode

# -- local derivatives, one line per op ---------------------------------------------------------
#
# Kept here rather than as an attribute of each op class so that the ledger of formulas reads in
# one place and the ops stay exactly as their authors wrote them; ``_formulas`` also honours a
# ``local`` attribute on the class (a learner's Function can declare its own). Where the
# derivative depends on a parameter of the op, ``"Name(variant)"`` holds the formula for that
# case (``_variant`` says which applies); the op's numbers (a slope s, a bound lo) are put in by
# ``_parameters``.

LOCAL_DERIVATIVES: dict[str, tuple[str, ...]] = {
    # arithmetic.py
    "Add": ("1", "1"),
    "Sub": ("1", "−1"),
    "Rsub": ("−1",),
    "Mul": ("b", "a"),
    "Div": ("1/b", "−a/b²"),
    "Neg": ("−1",),
    "Reciprocal": ("−1/x²",),
    "Pow": ("p·x^(p−1)",),
    "PowTensor": ("b·a^(b−1)", "a^b·ln(a)"),
    "RPow": ("c^x·ln(c)",),
    "Remainder": ("1", "−⌊a/b⌋"),
    "RemainderScalar": ("1",),
    "FloorQuotient": ("0", "0"),
    # unary.py
    "Exp": ("exp(x)",),
    "Log": ("1/x",),
    "Sqrt": ("1/(2·√x)",),
    "Abs": ("sign(x)",),
    "Sign": ("0",),
    "Sin": ("cos(x)",),
    "Cos": ("−sin(x)",),
    "Tanh": ("1 − tanh(x)²",),
    "Sigmoid": ("σ(x)(1 − σ(x))",),
    "Relu": ("1 if x > 0 else 0",),
    "Clamp": ("1 if lo ≤ x ≤ hi else 0",),
    "ClampTensor": ("1 if lo ≤ x ≤ hi else 0", "1 if x < lo else 0", "1 if x > hi else 0"),
    "Maximum": ("1 if a > b else 0 (½ if equal)", "1 if b > a else 0 (½ if equal)"),
    "Minimum": ("1 if a < b else 0 (½ if equal)", "1 if b < a else 0 (½ if equal)"),
    "Where": ("1 if cond else 0", "1 if not cond else 0"),
    "Tan": ("1 + tan(x)²",),
    "Atan": ("1/(1 + x²)",),
    "Asin": ("1/√(1 − x²)",),
    "Acos": ("−1/√(1 − x²)",),
    "Sinh": ("cosh(x)",),
    "Cosh": ("sinh(x)",),
    "Log2": ("1/(x·ln(2))",),
    "Log10": ("1/(x·ln(10))",),
    "Log1p": ("1/(1 + x)",),
    "Exp2": ("2^x·ln(2)",),
    "Expm1": ("exp(x)",),
    "Rsqrt": ("−1/(2·x·√x)",),
    "MulScalar": ("c",),
    # step functions: flat wherever they are defined (PyTorch's 0 at the steps too)
    "StepFunction": ("0",),  # floor, ceil, round, trunc
    "Floor": ("0",),
    "Ceil": ("0",),
    "Round": ("0",),
    "RoundDecimals": ("0",),
    "Trunc": ("0",),
    "Frac": ("1",),
    # activation.py (Φ: the standard normal's distribution function, φ: its density)
    "LeakyRelu": ("1 if x > 0 else s",),
    "Gelu": ("Φ(x) + x·φ(x)",),
    "Gelu(tanh)": (
        "(1 + T)/2 + x·(1 − T²)·√(2/π)·(1 + 0.134145·x²)/2, T = tanh(√(2/π)·(x + 0.044715·x³))",
    ),
    "Silu": ("σ(x)·(1 + x·(1 − σ(x)))",),
    "Elu": ("1 if x > 0 else α·exp(x)",),
    "Softplus": ("σ(β·x) if β·x ≤ threshold else 1",),
    "Softplus(β=1)": ("σ(x) if x ≤ threshold else 1",),
    "Hardtanh": ("1 if lo < x < hi else 0",),
    # reduce.py
    "Sum": ("1",),
    "SumDim": ("1",),
    "Mean": ("1/n",),
    "MeanDim": ("1/n",),
    "Extreme": ("1 where x = out (ties share it), else 0",),
    "ExtremeDim": ("1 where x won, else 0",),
    "Softmax": ("out·(upstream − Σ upstream·out)",),
    "LogSoftmax": ("upstream − softmax(x)·Σ upstream",),
    "LogSumExp": ("softmax(x)",),
    "Amax": ("1 where x = out (ties share it), else 0",),
    "Prod": ("the product of the other elements",),
    "ProdDim": ("the product of the other elements of its slice",),
    "Var": ("2·(x − mean(x))/(N − c)",),
    "Std": ("(x − mean(x))/((N − c)·out)",),
    "Norm": ("sign(x)·|x|^(p−1)/out^(p−1)",),
    "Norm(2)": ("x/out",),
    "Norm(1)": ("sign(x)",),
    "Norm(inf)": ("sign(x) where |x| = out (ties share it), else 0",),
    "Cumsum": ("upstream summed from each position to the end",),
    # linalg.py
    "Mm": ("upstream @ bᵀ", "aᵀ @ upstream"),
    "Mv": ("upstream ⊗ v", "mᵀ @ upstream"),
    "Dot": ("b", "a"),
    # shape.py: values move, they do not change
    "Expand": ("1",),
    "Alias": ("1",),
    "View": ("upstream reshaped back",),
    "UnsafeView": ("upstream reshaped back",),
    "Squeeze": ("upstream reshaped back",),
    "Unsqueeze": ("upstream reshaped back",),
    "Permute": ("upstream with its dims put back",),
    "Select": ("upstream put back at the selected place, 0 elsewhere",),
    "Slice": ("upstream put back into the slice, 0 elsewhere",),
    "Index": ("upstream added back at the indexed places, 0 elsewhere",),
    "IndexPut": ("upstream, 0 where overwritten", "upstream at the written places"),
    "Cat": ("upstream's piece for this input",),
    "Repeat": ("upstream with the copies summed",),
    "Flip": ("upstream flipped back",),
    "Roll": ("upstream rolled back",),
    "Tril": ("1 on and below diagonal k, else 0",),
    "Triu": ("1 on and above diagonal k, else 0",),
    "IndexSelect": ("upstream added back at the selected positions, 0 elsewhere",),
    "Gather": ("upstream added back where each element was gathered from, 0 elsewhere",),
    "MaskedFill": ("0 where mask, else 1",),
    "MaskedFillTensor": ("upstream, 0 where mask", "upstream summed where mask"),
    "AsStrided": ("upstream put back where the view reads its base",),
    "Stack": ("upstream's slice for this input",),
    "Clone": ("1",),
    "ToCopy": ("1",),
    "Fill": ("0",),
    "Copy": ("0", "1"),
    # the backward formulas as ops of their own (a graph of the backward, create_graph=True)
    "TanhBackward": ("1 − y²", "−2·y·grad"),
    "SigmoidBackward": ("(1 − y)·y", "grad·(1 − 2·y)"),
    "ThresholdBackward": ("1 if y > 0 else 0", "0"),
    "_Scatter": ("upstream at the indexed places",),  # indexing's backward, indexed again
    # loss.py (before the reduction; 'mean' also divides by the count)
    "DivScalar": ("1/n",),
    "MseLoss": ("2·(x − y)", "−2·(x − y)"),
    "BinaryCrossEntropy": ("(p − y)/(p(1 − p))", "ln(1 − p) − ln(p)"),
    "BinaryCrossEntropyWithLogits": ("σ(x) − y", "−x"),
    "NllLoss": ("−1 at the target class, else 0", "0"),
    "Addmm": ("upstream summed over rows", "upstream @ mat2ᵀ", "mat1ᵀ @ upstream"),
    "WeightT": ("upstream transposed back",),
    "SmoothL1Loss": (
        "(x − y)/β if |x − y| < β else sign(x − y)",
        "(y − x)/β if |x − y| < β else sign(y − x)",
    ),
    "HuberLoss": (
        "x − y if |x − y| < δ else δ·sign(x − y)",
        "y − x if |x − y| < δ else δ·sign(y − x)",
    ),
}


def _parameters(node: BackwardNode) -> dict[str, Any]:
    """The numbers a formula mentions besides its inputs (the exponent p, the count n, ...)."""
    kind = _function_name(node)
    ctx = getattr(node, "__dict__", {})
    if kind == "Pow":
        saved = node._saved  # the exponent is saved with x (read before the graph is freed)
        p = ctx.get("exponent", saved[1] if isinstance(saved, tuple) and len(saved) > 1 else None)
        return {} if p is None else {"p−1": p - 1, "p": p}
    if kind == "DivScalar" and "divisor" in ctx:
        return {"n": ctx["divisor"]}
    if kind == "Mean" and "shape" in ctx:
        return {"n": math.prod(ctx["shape"])}
    if kind == "MeanDim" and "count" in ctx:
        return {"n": ctx["count"]}
    if kind == "Clamp" and isinstance(node._saved, tuple) and len(node._saved) == 3:
        x, lo, hi = node._saved  # saved with x: (x, min, max)
        lo, hi = _compared_bounds(x, lo, hi)
        return {"lo": "−∞" if lo is None else lo, "hi": "∞" if hi is None else hi}
    if kind == "RPow" and "log_base" in ctx:
        return {"c": math.exp(ctx["log_base"])}
    found = {}  # the op's own numbers, under the names its formula gives them
    for symbol, attribute in _NAMED_PARAMETERS.get(kind, {}).items():
        if attribute in ctx:
            found[symbol] = ctx[attribute]
    args = getattr(node, "_args", None)  # what the op received (the trace reads it too)
    if kind in ("Var", "Std") and "dof" in ctx and args:
        # N: how many elements each result is taken over; c: the correction (N − c divides)
        n = math.prod(np.shape(args[0])[d] for d in ctx["dim"])
        found.update({"N": n, "c": _whole(n - ctx["dof"])})
    if kind == "Norm" and "p" in ctx:
        found.update({"p−1": _whole(ctx["p"] - 1), "p": _whole(ctx["p"])})
    return found


# formula symbol -> the attribute the op's forward stores it in
_NAMED_PARAMETERS: dict[str, dict[str, str]] = {
    "MulScalar": {"c": "factor"},
    "LeakyRelu": {"s": "negative_slope"},
    "Elu": {"α": "alpha"},
    "Softplus": {"β": "beta", "threshold": "threshold"},
    "Hardtanh": {"lo": "min_val", "hi": "max_val"},
    "Tril": {"k": "diagonal"},
    "Triu": {"k": "diagonal"},
    "SmoothL1Loss": {"β": "beta"},
    "HuberLoss": {"δ": "delta"},
}


def _whole(v: Any) -> Any:
    """3.0 as 3: a float parameter that is a whole number reads as one."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _variant(kind: str, node: BackwardNode) -> str:
    """Which of an op's formulas applies, for ops whose derivative depends on a parameter:
    gelu's tanh approximation, softplus with β = 1, the norm's p."""
    ctx = getattr(node, "__dict__", {})
    if kind == "Gelu":
        return ctx.get("approximate", "none")
    if kind == "Softplus" and ctx.get("beta") == 1:
        return "β=1"
    if kind == "Norm" and "p" in ctx:
        p = ctx["p"]
        return "inf" if math.isinf(p) else f"{_whole(p)}"
    return ""


def _compared_bounds(x: Any, lo: Any, hi: Any) -> tuple[Any, Any]:
    """Clamp's bounds as its comparisons see them: numbers in the input's dtype.

    ``clamp(p, 1e-8, 1 - 1e-8)`` on a float32 ``p`` compares with float32(1 − 1e-8), which is
    exactly 1 (so the upper bound does nothing); on a float64 ``p`` the bound stays 0.99999999.
    An integer input clamped to a float bound is compared in float32, as the op computes it.
    """
    dtype = np.asarray(getattr(x, "_data", x)).dtype
    if dtype.kind != "f":
        if not (isinstance(lo, float) or isinstance(hi, float)):
            return lo, hi  # integers compared with integers: nothing rounds
        dtype = np.dtype(np.float32)
    lo, hi = (None if b is None else dtype.type(b) for b in (lo, hi))
    return lo, hi


def _function_name(node: BackwardNode) -> str:
    """The name of the op's class that has a formula (a subclass such as MinAll uses Extreme's)."""
    for cls in node._function.__mro__:
        if cls.__name__ in LOCAL_DERIVATIVES or "local" in cls.__dict__:
            return cls.__name__
    return node._function.__name__


def _formulas(node: BackwardNode) -> tuple[str, ...]:
    """One formula per input (the last one repeats for ops of any number of inputs)."""
    n = len(node._next)
    own = getattr(node._function, "local", None)
    if own is not None:
        found = tuple(own)
    else:
        kind = _function_name(node)
        variant = LOCAL_DERIVATIVES.get(f"{kind}({_variant(kind, node)})")
        found = variant or LOCAL_DERIVATIVES.get(kind, ())
    if not found:
        return tuple("∂out/∂" + v for v in _variables(node))
    return tuple(found[min(i, len(found) - 1)] for i in range(n))


_VARIABLES: dict[type, tuple[str, ...]] = {}


def _variables(node: BackwardNode) -> tuple[str, ...]:
    """The names forward gives its inputs (``a``, ``b`` for Mul): the formulas' variables."""
    fn = node._function
    names = _VARIABLES.get(fn)
    if names is None:
        params = list(inspect.signature(fn.forward).parameters.values())[1:]  # after ctx
        names = tuple(
            p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        )
        if any(p.kind is p.VAR_POSITIONAL for p in params):
            names = ()  # cat/stack take any number of inputs: their formulas name none
        _VARIABLES[fn] = names
    n = len(node._next)
    return tuple(names[i] if i < len(names) else f"input{i}" for i in range(n))


def render(formula: str, symbols: Mapping[str, str]) -> str:
    """Put names (or numbers) in place of a formula's variables: ``cos(x)`` -> ``cos(y)``.

    A replacement that is more than one word gets parentheses, so ``1/x`` with ``x`` standing for
    ``1 − y`` reads ``1/(1 − y)``. ``x^(1)`` becomes ``x`` and ``x^(2)`` becomes ``x²``.
    """
    if symbols:
        keys = sorted(symbols, key=len, reverse=True)  # "p−1" before "p"
        # variables are ASCII names; "b²" must match b, so ² does not count as part of a name
        alternatives = "|".join(map(re.escape, keys))
        pattern = re.compile(rf"(?<![A-Za-z0-9_.])({alternatives})(?![A-Za-z0-9_])")
        formula = pattern.sub(lambda m: _grouped(symbols[m.group(1)]), formula)
        formula = _DOUBLE_BRACKETS.sub(r"(\1)", formula)  # x^(p−1) with p−1 = -2: x^((-2))
    formula = formula.replace("^(1)", "")
    return _POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPTS), formula)


_DOUBLE_BRACKETS = re.compile(r"\(\(([^()]*)\)\)")
_POWER = re.compile(r"\^\(([−-]?\d)\)")
_SUPERSCRIPTS = str.maketrans("0123456789−-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def _parameter_text(v: Any) -> str:
    """A parameter exactly as the op uses it. A numpy number (a clamp bound in the input's dtype)
    prints with the fewest digits that give back that number in its dtype: float32's 1 − 1e-8
    is ``1``, float64's is ``0.99999999``; a Python float keeps ten significant digits."""
    if isinstance(v, np.floating):
        text = str(v)  # numpy's shortest round-trip repr in v's own dtype
        return text[:-2] if text.endswith(".0") else text
    return f"{v:.10g}" if isinstance(v, float) else str(v)


def _grouped(text: str) -> str:
    """A name, a non-negative number, ±∞ or a bracketed list goes in as it is; else in ()."""
    if re.fullmatch(r"[\w.]+|\[[\w., \[\]-]*\]|\d[\d.]*e[-+]\d+|−?∞", text) and text[0] != "-":
        return text
    return f"({text})"


def product(parts: list[str], sign: str = " × ") -> str:
    """Factors joined by ``sign``; a negative number after the first is bracketed: ``1 × (-2)``."""
    return sign.join(f"({p})" if k and p.startswith("-") else p for k, p in enumerate(parts))


def is_product(formula: str) -> bool:
    """Does the formula give the whole upstream × local product (``upstream @ bᵀ``)?"""
    return "upstream" in formula


def factor(formula: str) -> str:
    """A formula as a factor of a product: ``1 − tanh(y)²`` needs brackets, ``cos(y)`` not;
    nor do words, unless a clause follows a comma (``1 where x = out, else 0``)."""
    if formula.startswith(("−", "-")):
        return f"({formula})"
    depth = 0
    for i, ch in enumerate(formula):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if depth == 0 and (formula.startswith((" + ", " − ", " if ", ", "), i)):
            return f"({formula})"
    return formula


# -- numbers as the course prints them ------------------------------------------------------------


def fmt(value: Any) -> str:
    """A short text for a number or a small array: ``-7.6613``, ``[0.6667, 1.3333, 2]``."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):  # one gradient per output of a Function with several
        return "(" + ", ".join(fmt(v) for v in value) + ")"
    a = np.asarray(value)
    if a.size == 1:
        return _number(a.reshape(()).item())
    if a.size <= 6:
        return _nested(a.tolist())
    return f"[{'×'.join(map(str, a.shape))} values]"


def _number(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    # four decimals, as PyTorch prints tensor(6.6918); but never fewer than four significant
    # digits (0.001228, not 0.0012), so that products in a ledger can be checked by hand
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    if abs(v) >= 1e5 or len(text.lstrip("-0.").replace(".", "")) < 4:
        text = f"{v:.4g}"
    return text


def _nested(items: Any) -> str:
    """Text of a nested list without recursion: walk it with an explicit stack."""
    out: list[str] = []
    stack: list[Any] = [items]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a separator or bracket queued earlier
            out.append(item)
        elif isinstance(item, list):
            parts: list[Any] = ["["]
            for i, x in enumerate(item):
                if i:
                    parts.append(", ")
                parts.append(x)
            parts.append("]")
            stack.extend(reversed(parts))
        else:
            out.append(_number(item))
    return "".join(out)


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# -- the graph behind a tensor, walked once --------------------------------------------------------


@dataclass(eq=False)
class Constant:
    """An input of an op that needs no gradient: a tensor without requires_grad, or a number."""

    value: Any


def tensor_names(names: Mapping[str, Any] | None) -> dict[Any, str]:
    """``{name: tensor}`` (``locals()`` works too) as {graph key of the tensor: name}.

    Tensors that take part in a graph are known by their node (``grad_fn``, or the leaf's
    AccumulateGrad); other tensors by themselves. Names starting with ``_`` (IPython's ``_``,
    ``_i3``...) are skipped; a tensor with several names keeps the first.
    """
    found: dict[Any, str] = {}
    for name, value in (names or {}).items():
        if not isinstance(value, Tensor) or name.startswith("_"):
            continue
        key = graph_key(value)
        found.setdefault(key, name)
    return found


def graph_key(t: Tensor) -> Any:
    """What stands for a tensor in its graph: its grad_fn, its leaf node, or the tensor."""
    if t._grad_fn is not None:
        return t._grad_fn
    if t._requires_grad and t._acc is not None:
        return t._acc
    return t


class Trace:
    """The graph behind ``root``: its ops in forward order, and a label and value per tensor.

    ``inputs[op]`` lists, per input of the op, the key of the tensor it consumed: a graph node for
    tensors that require grad (``grad_fn`` or the leaf's ``AccumulateGrad``), a named constant
    tensor, or a ``Constant``. ``outputs[op]`` lists the tensors the op made: the op itself for
    the usual single output, one ``OutputNode`` per output for a Function that returns several.
    Values are those the forward pass computed (an op remembers what it received); the root's is
    its own.
    """

    def __init__(self, root: Tensor, names: Mapping[str, Any] | None = None) -> None:
        self.root = root
        named = tensor_names(names)
        if root._grad_fn is not None:
            self.root_key: Any = root._grad_fn
        elif root._requires_grad:
            self.root_key = root._accumulator()
        else:
            self.root_key = root
        self.ops: list[BackwardNode] = []  # forward order: an op comes after its inputs' ops
        self.inputs: dict[BackwardNode, tuple[Any, ...]] = {}
        self.outputs: dict[BackwardNode, list[Any]] = {}
        self.value: dict[Any, np.ndarray | None] = {self.root_key: root._data}
        self.consumers: dict[Any, int] = {}  # how many op inputs read each tensor
        self._walk(named)
        self.label: dict[Any, str] = {}
        self.kind: dict[Any, str] = {}
        self._name_tensors(named)

    def _walk(self, named: dict[Any, str]) -> None:
        constants = _NamedConstants(named)
        found: list[BackwardNode] = []
        stack: list[BackwardNode] = []
        self._made_by(self.root_key, stack)
        while stack:  # iterative depth-first walk: a 100,000-op chain is fine
            op = stack.pop()
            found.append(op)
            args = getattr(op, "_args", None) or (None,) * len(op._next)
            keys = []
            for child, arg in zip(op._next, args, strict=True):
                value = _as_array(arg)
                if child is None:
                    keys.append(constants.key(value, arg))
                    self.value.setdefault(keys[-1], value)
                    continue
                keys.append(child)
                self.consumers[child] = self.consumers.get(child, 0) + 1
                if self.value.get(child) is None:
                    self.value[child] = value
                self._made_by(child, stack)
            self.inputs[op] = tuple(keys)
        self.ops = _forward_order(found)

    def _made_by(self, key: Any, stack: list[BackwardNode]) -> None:
        """Note which op made the tensor ``key``; walk that op next if it is new."""
        op = producer(key)
        if op is None:
            return
        made = self.outputs.get(op)
        if made is None:
            made = self.outputs[op] = []
            stack.append(op)
        if key not in made:
            made.append(key)
            made.sort(key=lambda k: getattr(k, "index", 0))  # a Function's outputs in order

    def _name_tensors(self, named: dict[Any, str]) -> None:
        used = set(named.values())
        counter = 0

        def auto() -> str:
            nonlocal counter
            while True:
                counter += 1
                if f"t{counter}" not in used:
                    return f"t{counter}"

        order: list[Any] = []
        for op in self.ops:
            order.extend(self.inputs[op])
            order.extend(self.outputs[op])
        order.append(self.root_key)
        for key in order:
            if key in self.label:
                continue
            if isinstance(key, Constant):
                self.kind[key] = "constant"
                self.label[key] = _constant_label(key.value)  # a number, shown as itself
                continue
            if key is self.root_key and not (isinstance(key, Tensor) and not key.requires_grad):
                self.kind[key] = "root"  # (a result nothing was recorded for is no root)
            elif isinstance(key, AccumulateGrad):
                self.kind[key] = "leaf"
            elif isinstance(key, Tensor):
                self.kind[key] = "constant"
            else:
                self.kind[key] = "intermediate"
            self.label[key] = named[key] if key in named else auto()

    @property
    def leaves(self) -> list[AccumulateGrad]:
        return [k for k in self.label if isinstance(k, AccumulateGrad)]

    def tensor_keys(self) -> list[Any]:
        """Every tensor of the graph, in the order the forward pass made or first used it."""
        return list(self.label)

    def derivative(self, key: Any) -> str:
        """``dz/dy``: the name of the gradient of the root with respect to a tensor."""
        return f"d{self.label[self.root_key]}/d{self.label[key]}"


def producer(key: Any) -> BackwardNode | None:
    """The op that made a tensor of the graph (None for leaves and constants)."""
    if isinstance(key, OutputNode):
        return key.main
    if isinstance(key, Node) and not isinstance(key, AccumulateGrad):
        return key  # type: ignore[return-value]
    return None


def _as_array(arg: Any) -> np.ndarray | None:
    if arg is None:
        return None
    if isinstance(arg, Tensor):  # a learner's Function keeps its Tensors
        return arg._data
    return np.asarray(arg)


def _constant_label(value: Any) -> str:
    if value is None:  # an absent optional input, e.g. the max of x.clamp(lo_tensor, None)
        return "None"
    a = np.asarray(value)
    return fmt(a) if a.size <= 4 else f"const{shape_text(a.shape)}"


class _NamedConstants:
    """Recognise a learner's named constant tensors among an op's inputs.

    An op keeps what forward received: the very array for tensors with dimensions (recognised by
    identity), but a fresh numpy scalar for a 0-d tensor, recognised by its value, and only when
    exactly one named constant has that value.
    """

    def __init__(self, named: dict[Any, str]) -> None:
        self.arrays = {id(t._data): t for t in named if isinstance(t, Tensor)}
        self.scalars: dict[Any, list[Tensor]] = {}
        for t in named:
            if isinstance(t, Tensor) and t._data.ndim == 0:
                self.scalars.setdefault((t._data.item(), t._data.dtype), []).append(t)

    def key(self, value: np.ndarray | None, arg: Any) -> Any:
        if isinstance(arg, Tensor) and id(arg._data) in self.arrays:
            return self.arrays[id(arg._data)]
        if isinstance(arg, np.ndarray) and id(arg) in self.arrays:
            return self.arrays[id(arg)]
        if isinstance(arg, np.generic):
            same = self.scalars.get((arg.item(), arg.dtype), [])
            if len(same) == 1:
                return same[0]
        return Constant(value)


def _forward_order(ops: list[BackwardNode]) -> list[BackwardNode]:
    """The ops in an order where each comes after the ops that made its inputs (Kahn's)."""
    waiting = dict.fromkeys(ops, 0)  # per op: consumers (within the graph) not yet placed
    for op in ops:
        for child in map(producer, op._next):
            if child in waiting:
                waiting[child] += 1
    ready = [op for op in ops if waiting[op] == 0]
    output_first = []
    while ready:
        op = ready.pop()
        output_first.append(op)
        for child in map(producer, op._next):
            if child in waiting:
                waiting[child] -= 1
                if waiting[child] == 0:
                    ready.append(child)
    return output_first[::-1]


# -- one record per step ------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """What one input of the op receives at this step: upstream × local derivative."""

    input: str  # the input tensor's label ("y", "t2", or a constant's value)
    value: np.ndarray | None  # its value in the forward pass
    formula: str  # ∂out/∂input with the learner's names: "cos(y)", "2·x"
    local: np.ndarray | None  # the same as numbers (None where it is no single number)
    gradient: np.ndarray | None  # upstream × local, summed back to the input's shape
    summed_axes: tuple[int, ...]  # axes summed because the input was broadcast
    why: str  # a sentence explaining the summing ("" if nothing was summed)
    receiver: Node | None  # the node the gradient goes to (None: a constant)
    accumulated: bool  # True: the receiver already had a gradient in this pass (+=)
    total: np.ndarray | None  # the receiver's gradient so far, this contribution included

    @property
    def needs_grad(self) -> bool:
        return self.receiver is not None


@dataclass(frozen=True)
class Step:
    """One node of the backward pass: the chain rule at that node, with numbers."""

    index: int  # 0 for the first node (the root's grad_fn)
    node: Node
    name: str  # the node's name: "SinBackward0", or "AccumulateGrad" for a leaf
    output: str  # the label of the tensor this node belongs to ("z"; the leaf's name)
    value: np.ndarray | None  # that tensor's value in the forward pass
    grad_output: np.ndarray  # the upstream gradient d(root)/d(output), complete
    inputs: tuple[Contribution, ...]  # one per input of the op (none for a leaf)
    leaf_grads: Mapping[str, np.ndarray | None]  # every leaf's .grad after this step
    grad_before: np.ndarray | None = None  # a leaf's .grad before this step's +=
    root: str = "out"  # the root's label, for "dz/dy"
    upstream: str = ""  # the upstream gradient's name: "dz/dy" (one per output if several)
    note: str = ""  # what happens at a node that is not an op (one output of several)

    @property
    def is_leaf(self) -> bool:
        return isinstance(self.node, AccumulateGrad)

    def derivative(self, label: str) -> str:
        return f"d{self.root}/d{label}"

    def describe(self) -> str:
        """The chain rule at this step, in words and numbers (what the stepper shows)."""
        if self.is_leaf:
            grad = self.leaf_grads.get(self.output)
            if self.grad_before is None:
                return (
                    f"AccumulateGrad: {self.output} is a leaf, so its gradient is stored: "
                    f"{self.output}.grad = {fmt(grad)}"
                )
            return (
                f"AccumulateGrad: {self.output}.grad += {fmt(self.grad_output)}  "
                f"({fmt(self.grad_before)} + {fmt(self.grad_output)} = {fmt(grad)})"
            )
        if self.note:
            return f"{self.name}: {self.note}"
        lines = [f"{self.name}: upstream {self.upstream} = {fmt(self.grad_output)}"]
        for c in self.inputs:
            lines.append("  " + contribution_text(self, c))
        return "\n".join(lines)


def contribution_text(step: Step, c: Contribution) -> str:
    """``y: dz/dy = 1 × cos(y) = 1 × -0.95766 = -0.95766`` (and ``+=`` for a shared node)."""
    if not c.needs_grad:
        return f"{c.input}: a constant, needs no gradient"
    derivative = step.derivative(c.input) + (" += " if c.accumulated else " = ")
    if is_product(c.formula):  # no local number: the formula says how upstream is used
        return f"{c.input}: {derivative}{c.formula} = {fmt(c.gradient)}"
    local = fmt(c.local) if c.local is not None else factor(c.formula)
    numbers = product([fmt(step.grad_output), local])
    text = f"{c.input}: {step.derivative(c.input)} "
    text += "+= " if c.accumulated else "= "
    text += f"upstream × {factor(c.formula)} = {numbers} = {fmt(c.gradient)}"
    if c.why:
        text += f"  ({c.why})"
    if c.accumulated:
        text += f"  → {step.derivative(c.input)} = {fmt(c.total)} so far"
    return text


def _copy(value: Any) -> Any:
    """A private copy of a gradient: leaves accumulate into arrays in place."""
    if value is None:
        return None
    if isinstance(value, list | tuple):  # one per output of a Function with several
        return tuple(_copy(v) for v in value)
    if isinstance(value, Tensor):
        value = value._data
    value = getattr(value, "array", value)  # the engine's _Shared wrapper
    return np.array(value, copy=True)


def _unit_locals(node: BackwardNode, grad_output: np.ndarray, formulas: tuple[str, ...]) -> list:
    """∂out/∂input as numbers: the op's own backward, given an upstream gradient of ones.

    For an elementwise op, backward(1) is exactly the local derivative at each element (for a
    reduction such as sum or mean, the derivative for each input element). Formulas that mention
    ``upstream`` are whole products (matrix products, reshapes): they have no local number.
    """
    n = len(node._next)
    function = node._function
    if (
        function._tensor_io
        or node._saved is _FREED
        or isinstance(grad_output, tuple)
        or any(map(is_product, formulas))
    ):
        return [None] * n
    grads = function.backward(node, np.ones_like(grad_output))
    if type(grads) is not tuple:
        grads = (grads,)
    return [None if g is None else np.array(g, copy=True) for g in grads]


def _why(label: str, in_shape: tuple[int, ...], out_shape: tuple[int, ...], axes: tuple) -> str:
    if not axes:
        return ""
    which = f"axis {axes[0]}" if len(axes) == 1 else f"axes {axes}"
    copies = math.prod(out_shape[a] for a in axes)
    return (
        f"summed over {which} because {label} has shape {shape_text(in_shape)} and the output "
        f"{shape_text(out_shape)}: broadcasting used each element of {label} {copies} times, "
        f"and the gradients of all the copies add up"
    )


class _Recorder:
    """Turns the engine's raw steps into Steps, keeping the running sums a learner sees."""

    def __init__(self, trace: Trace, root_grads: list[Any], accumulate: bool) -> None:
        self.trace = trace
        self.accumulate = accumulate
        self.received: dict[Any, np.ndarray] = {}
        root_grad = _copy(root_grads[0])
        if root_grad is not None:
            self.received[trace.root_key] = root_grad
        self.leaf_grads: dict[str, np.ndarray | None] = {}
        for leaf in trace.leaves:
            t = leaf.variable
            self.leaf_grads[trace.label[leaf]] = None if t is None else _copy(t._grad)
        self.index = 0

    def step(self, raw: engine.RawStep) -> Step:
        node = raw.node
        trace = self.trace
        made = trace.outputs.get(node, [node])  # the tensors this node made (several: a tuple)
        label = ", ".join(trace.label.get(k, "?") for k in made)
        grad_output = _copy(raw.grad_output)
        common = dict(
            index=self.index,
            node=node,
            name=node.name(),
            output=label,
            value=_copy(trace.value.get(node)),
            grad_output=grad_output,
            root=trace.label[trace.root_key],
            upstream=" and ".join(trace.derivative(k) for k in made if k in trace.label),
        )
        self.index += 1
        if isinstance(node, OutputNode):  # no chain rule here: the gradient is filed away
            note = (
                f"{label} is output {node.index + 1} of {node.main.name()}: its gradient "
                f"{fmt(grad_output)} waits there until every output's gradient has arrived"
            )
            leaf_grads = MappingProxyType(dict(self.leaf_grads))
            return Step(inputs=(), leaf_grads=leaf_grads, note=note, **common)
        if isinstance(node, AccumulateGrad):
            before = self.leaf_grads.get(label)
            t = node.variable
            if self.accumulate and t is not None:
                after = _copy(t._grad)
            elif before is None:
                after = grad_output.astype(_dtype_of(t, grad_output))
            else:
                after = (before + grad_output).astype(before.dtype)
            self.leaf_grads[label] = after
            return Step(
                inputs=(),
                leaf_grads=MappingProxyType(dict(self.leaf_grads)),
                grad_before=before,
                **common,
            )
        formulas = _formulas(node)
        labels = [trace.label[k] for k in trace.inputs[node]]
        symbols = dict(zip(_variables(node), labels, strict=True))
        symbols.update({k: _parameter_text(v) for k, v in _parameters(node).items()})
        symbols.setdefault("out", label)
        locals_ = _unit_locals(node, grad_output, formulas)
        inputs = []
        for i, key in enumerate(trace.inputs[node]):
            child = node._next[i]
            gradient = _copy(raw.contributions[i]) if i < len(raw.contributions) else None
            accumulated = child is not None and child in self.received
            total = None
            if child is not None and gradient is not None:
                total = gradient if not accumulated else self.received[child] + gradient
                self.received[child] = total
            axes = raw.summed_axes[i] if i < len(raw.summed_axes) else ()
            out_shape = np.shape(raw.grads[i]) if i < len(raw.grads) else ()
            value = trace.value.get(key)
            inputs.append(
                Contribution(
                    input=trace.label[key],
                    value=_copy(value),
                    formula=render(formulas[i], symbols),
                    local=locals_[i],
                    gradient=gradient,
                    summed_axes=tuple(axes),
                    why=_why(trace.label[key], np.shape(value), out_shape, tuple(axes)),
                    receiver=child,
                    accumulated=accumulated,
                    total=_copy(total),
                )
            )
        return Step(
            inputs=tuple(inputs), leaf_grads=MappingProxyType(dict(self.leaf_grads)), **common
        )


def _dtype_of(t: Tensor | None, fallback: np.ndarray) -> np.dtype:
    return fallback.dtype if t is None else t._data.dtype


class _EngineState:
    """Run a piece of the engine's generator with the state it sets for itself, then undo it.

    The engine switches grad mode off (and numpy's warnings) for its whole pass. Between steps
    the learner's code runs, and must run in *their* grad mode, so each advance of the engine
    sets the state and puts the learner's back afterwards.
    """

    def __enter__(self) -> None:
        self.mode = grad_mode._enabled[0]
        self.errors = np.geterr()
        grad_mode._enabled[0] = False  # what the engine sets for a pass without create_graph
        np.seterr(all="ignore")  # and it silences numpy for the whole pass (log 0 is -inf)

    def __exit__(self, *exc: Any) -> None:
        grad_mode._enabled[0] = self.mode
        np.seterr(**self.errors)


def _run(
    trace: Trace, roots: list[Node], root_grads: list[Any], *, retain: bool, accumulate: bool
) -> Iterator[Step]:
    # The engine keeps the saved values (retain_graph=True) so that each node's local derivative
    # can be read after it ran; they are released right after, unless the caller retains them.
    raw_steps = engine.steps(
        roots, root_grads, retain_graph=True, create_graph=False, accumulate=accumulate,
        record=True,
    )  # fmt: skip
    recorder = _Recorder(trace, root_grads, accumulate)
    try:
        while True:
            with _EngineState():
                raw = next(raw_steps, None)
                if raw is None:
                    return
                step = recorder.step(raw)
                if not retain and getattr(raw.node, "_saved", None):
                    raw.node._saved = _FREED  # what the engine does after a node, as PyTorch
            yield step
    finally:
        with _EngineState():  # an abandoned walk: close the engine's pass now, not at some GC
            raw_steps.close()


def backward_steps(
    tensor: Tensor,
    gradient: Tensor | None = None,
    retain_graph: bool | None = None,
    *,
    names: Mapping[str, Any] | None = None,
) -> Iterator[Step]:
    """``tensor.backward()`` one node at a time: yields a ``Step`` after each node.

    Consuming every step has exactly the effect of ``backward()`` (``.grad`` of the leaves, the
    graph freed unless ``retain_graph``). ``names`` (``{"w": w, ...}`` or ``locals()``) labels the
    learner's tensors in the formulas; others are ``t1``, ``t2``, ...
    Errors that ``backward()`` would raise are raised here, before the first step.
    """
    roots, root_grads = engine.prepare(tensor, gradient, False)
    trace = Trace(tensor, names)
    return _run(trace, roots, root_grads, retain=bool(retain_graph), accumulate=True)


def record_steps(
    tensor: Tensor, gradient: Tensor | None = None, names: Mapping[str, Any] | None = None
) -> list[Step]:
    """Every step of ``tensor``'s backward pass, as a dry run: no ``.grad`` is written.

    The graph is kept (as with ``retain_graph=True``), so ``tensor.backward()`` still works
    afterwards and gives what it would have given. The leaves' ``.grad`` in the steps are what
    backward *would* leave: their current ``.grad`` plus this pass's gradients.
    """
    return dry_run(Trace(tensor, names), gradient)


def dry_run(trace: Trace, gradient: Tensor | None = None) -> list[Step]:
    """``record_steps`` for a graph already traced (the pictures label it the same way)."""
    roots, root_grads = engine.prepare(trace.root, gradient, False)
    return list(_run(trace, roots, root_grads, retain=True, accumulate=False))


__all__ = [
    "LOCAL_DERIVATIVES",
    "Contribution",
    "Step",
    "Trace",
    "backward_steps",
    "dry_run",
    "fmt",
    "is_product",
    "product",
    "record_steps",
    "render",
]
