"""Run one reference case against a torch-like module, and compare two runs.

One definition shared by the recorder (``record_core.py``, against real torch) and the golden
tests (``tests/test_core_golden.py``, against autograd_lab), so both sides are observed in
exactly the same way.

A case is a snippet of Python that uses only the names ``torch`` (bound to real torch or to
autograd_lab) and ``np`` (numpy). What it shows:
  * ``stdout``: everything it printed;
  * ``warnings``: each warning raised, as category name, message, and the line of the case's
    code it is attributed to (``None`` when the warning points into library code);
  * ``exception``: type name and message of the exception that ended it, or ``None``;
  * ``values``: the dict the code may assign to the name ``values``, converted to plain JSON
    data (tensors as data + dtype + shape, numbers with their Python or numpy type).

Printed text, warnings and exceptions are compared exactly; ``values`` numerically, with
tolerances chosen by the case's ``tol`` (see ``TOLERANCES``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import io
import linecache
import math
import re
import textwrap
import warnings
from typing import Any

import numpy as np

# torch appends the C++ source location to some messages; it depends on the build, not on
# the behaviour, so it is not part of what a case shows.
_CPP_LOCATION = re.compile(r"\s*\(Triggered internally at .*?\)\s*$", re.DOTALL)

# (rtol, atol) per float dtype. ``None`` is the default; "loose" is for transcendental
# functions whose last bits may differ between numpy and torch's vectorised math (and for
# values derived from them); "exact" demands bit-identical floats (RNG streams).
TOLERANCES: dict[str | None, dict[str, tuple[float, float]]] = {
    None: {"float32": (1e-6, 1e-7), "float64": (1e-12, 1e-12)},
    "loose": {"float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)},
    "exact": {"float32": (0.0, 0.0), "float64": (0.0, 0.0)},
}
# Python floats carry no dtype; most come from ``item()`` of float32 tensors.
_PY_FLOAT_DTYPE = "float32"


@dataclasses.dataclass(frozen=True)
class Case:
    """One snippet of the catalogue. ``code`` may be indented (it is dedented to run)."""

    name: str
    code: str
    tol: str | None = None

    def __post_init__(self) -> None:
        if self.tol not in TOLERANCES:
            raise ValueError(f"case {self.name}: unknown tol {self.tol!r}")

    @property
    def source(self) -> str:
        """The code as it is compiled: dedented, without the leading blank line."""
        return textwrap.dedent(self.code).strip("\n") + "\n"


def clean_message(text: str) -> str:
    """A warning or exception message without torch's C++ location suffix."""
    return _CPP_LOCATION.sub("", text)


def case_filename(name: str) -> str:
    return f"<case:{name}>"


def run_case(case: Case, torch_module: Any) -> dict:
    """Execute ``case`` with ``torch`` bound to ``torch_module``; return what it shows.

    The RNG is seeded with 0 before and the grad mode is restored afterwards, so cases do
    not leak state into each other.
    """
    filename = case_filename(case.name)
    source = case.source
    code = compile(source, filename, "exec")
    # Lets warnings (and tracebacks) show the case's source line.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {"torch": torch_module, "np": np, "__name__": "__case__"}
    stdout = io.StringIO()
    exception = None
    grad_mode = torch_module.is_grad_enabled()
    torch_module.manual_seed(0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with contextlib.redirect_stdout(stdout):
                    exec(code, namespace)
            except Exception as exc:
                exception = {"type": type(exc).__name__, "message": clean_message(str(exc))}
    finally:
        torch_module.set_grad_enabled(grad_mode)
    shown_warnings = [
        {
            "category": w.category.__name__,
            "message": clean_message(str(w.message)),
            "line": w.lineno if w.filename == filename else None,
        }
        for w in caught
    ]
    return {
        "stdout": stdout.getvalue(),
        "warnings": shown_warnings,
        "exception": exception,
        "values": _convert_values(namespace.get("values"), torch_module),
    }


# ----------------------------------------------------------------------------- conversion


def _float(x: float) -> float | str:
    """JSON has no nan/inf: spell them as strings."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _plain(data: Any) -> Any:
    """Nested lists of Python numbers as JSON data, keeping int / float / bool apart."""
    if isinstance(data, list | tuple):
        return [_plain(d) for d in data]
    if isinstance(data, float):
        return _float(data)
    if isinstance(data, bool | int):
        return data
    # Anything else (a numpy scalar from a tolist() that should give Python numbers, ...)
    # is a difference in itself: keep its type visible.
    return f"<{type(data).__name__}: {data!r}>"


def _convert_values(values: Any, torch_module: Any) -> dict | None:
    if values is None:
        return None
    if not isinstance(values, dict):
        return {"<values>": {"kind": "error", "error": f"values is a {type(values).__name__}"}}
    return {str(k): _convert(v, torch_module) for k, v in values.items()}


def _convert(v: Any, torch_module: Any) -> dict:
    try:
        if isinstance(v, torch_module.Tensor):
            return {
                "kind": "tensor",
                "dtype": str(v.dtype),
                "shape": list(v.shape),
                "data": _plain(v.detach().tolist()),
            }
        if isinstance(v, np.ndarray):
            return {
                "kind": "ndarray",
                "dtype": str(v.dtype),
                "shape": list(v.shape),
                "data": _plain(v.tolist()),
            }
        if isinstance(v, np.generic):
            return {"kind": "numpy-scalar", "dtype": str(v.dtype), "value": _plain(v.item())}
        if v is None or isinstance(v, bool | str):
            return {"kind": type(v).__name__, "value": v}
        if isinstance(v, int):
            return {"kind": "int", "value": int(v)}
        if isinstance(v, float):
            return {"kind": "float", "value": _float(v)}
        if isinstance(v, list | tuple):
            return {
                "kind": "list" if isinstance(v, list) else "tuple",
                "items": [_convert(item, torch_module) for item in v],
            }
        if isinstance(v, torch_module.dtype):
            return {"kind": "dtype", "value": str(v)}
    except Exception as exc:  # a broken tolist() etc. is a difference, not a crash
        return {"kind": "error", "error": f"{type(exc).__name__}: {exc}"}
    return {"kind": "error", "error": f"unsupported value type {type(v).__name__}"}


# ----------------------------------------------------------------------------- comparison


def compare(expected: dict, actual: dict, tol: str | None = None) -> list[str]:
    """Human-readable differences between two ``run_case`` results (empty when they agree)."""
    diffs: list[str] = []
    if expected["exception"] != actual["exception"]:
        diffs.append(
            "exception differs:\n"
            f"  expected: {_show_exception(expected['exception'])}\n"
            f"  actual:   {_show_exception(actual['exception'])}"
        )
    if expected["stdout"] != actual["stdout"]:
        diff = difflib.unified_diff(
            expected["stdout"].splitlines(keepends=True),
            actual["stdout"].splitlines(keepends=True),
            "expected (torch)",
            "actual",
        )
        diffs.append("stdout differs:\n" + "".join(_ensure_newlines(diff)).rstrip("\n"))
    if expected["warnings"] != actual["warnings"]:
        diffs.append(
            "warnings differ:\n"
            f"  expected: {_show_list(expected['warnings'])}\n"
            f"  actual:   {_show_list(actual['warnings'])}"
        )
    diffs.extend(_compare_values(expected["values"], actual["values"], tol))
    return diffs


def _ensure_newlines(lines: Any) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def _show_exception(exc: dict | None) -> str:
    return "no exception" if exc is None else f"{exc['type']}: {exc['message']!r}"


def _show_list(items: list) -> str:
    shown = [repr(dict(sorted(i.items()))) if isinstance(i, dict) else repr(i) for i in items]
    return "[]" if not items else "\n    " + "\n    ".join(shown)


def _compare_values(expected: dict | None, actual: dict | None, tol: str | None) -> list[str]:
    if expected is None and actual is None:
        return []
    if expected is None or actual is None:
        return [f"values: expected {_keys(expected)}, actual {_keys(actual)}"]
    diffs = []
    if set(expected) != set(actual):
        diffs.append(f"values keys differ: expected {sorted(expected)}, actual {sorted(actual)}")
    for key in sorted(set(expected) & set(actual)):
        diffs.extend(_compare_one(f"values[{key!r}]", expected[key], actual[key], tol))
    return diffs


def _keys(values: dict | None) -> str:
    return "no values" if values is None else f"keys {sorted(values)}"


def _compare_one(where: str, exp: dict, act: dict, tol: str | None) -> list[str]:
    if exp["kind"] != act["kind"] or exp["kind"] == "error":
        return [f"{where}: expected {exp}, actual {act}"]
    kind = exp["kind"]
    if kind in ("list", "tuple"):
        if len(exp["items"]) != len(act["items"]):
            return [f"{where}: expected {len(exp['items'])} items, actual {len(act['items'])}"]
        out = []
        for i, (e, a) in enumerate(zip(exp["items"], act["items"], strict=True)):
            out.extend(_compare_one(f"{where}[{i}]", e, a, tol))
        return out
    if kind in ("tensor", "ndarray"):
        out = []
        if exp["dtype"] != act["dtype"]:
            out.append(f"{where}: dtype expected {exp['dtype']}, actual {act['dtype']}")
        if exp["shape"] != act["shape"]:
            out.append(f"{where}: shape expected {exp['shape']}, actual {act['shape']}")
            return out
        dtype = exp["dtype"].removeprefix("torch.")
        bad = _mismatches(_flatten(exp["data"]), _flatten(act["data"]), dtype, tol)
        if bad:
            out.append(f"{where} ({exp['dtype']}, tol={tol}): {bad}")
        return out
    if kind == "numpy-scalar":
        if exp["dtype"] != act["dtype"]:
            return [f"{where}: numpy dtype expected {exp['dtype']}, actual {act['dtype']}"]
        bad = _mismatches([exp["value"]], [act["value"]], exp["dtype"], tol)
        return [f"{where} ({exp['dtype']} scalar, tol={tol}): {bad}"] if bad else []
    if kind == "float":
        bad = _mismatches([exp["value"]], [act["value"]], _PY_FLOAT_DTYPE, tol)
        return [f"{where} (float, tol={tol}): {bad}"] if bad else []
    if exp != act:
        return [f"{where}: expected {exp['value']!r}, actual {act['value']!r}"]
    return []


def _flatten(data: Any) -> list:
    if not isinstance(data, list):
        return [data]
    flat: list = []
    stack = [iter(data)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            flat.append(item)
        else:
            stack.pop()
    return flat


def _mismatches(exp: list, act: list, dtype: str, tol: str | None) -> str:
    """'' if all elements agree, else a short description of the first few that don't."""
    if len(exp) != len(act):
        return f"{len(exp)} elements expected, {len(act)} found"
    # Integer and bool dtypes are not in the table: they must match exactly.
    rtol, atol = TOLERANCES[tol].get(dtype, (0.0, 0.0))
    bad = []
    for i, (e, a) in enumerate(zip(exp, act, strict=True)):
        if not _close(e, a, rtol, atol):
            bad.append(f"[{i}] expected {e!r}, actual {a!r}")
    if not bad:
        return ""
    shown = "; ".join(bad[:5])
    more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
    return f"{len(bad)} of {len(exp)} elements differ (rtol={rtol}, atol={atol}): {shown}{more}"


def _close(e: Any, a: Any, rtol: float, atol: float) -> bool:
    # The Python type is part of the value: tolist() of an int64 tensor gives ints, of a
    # float tensor floats; nan / inf are spelled as strings, so they compare exactly.
    if type(e) is not type(a):
        return False
    if not isinstance(e, float) or rtol == atol == 0.0:
        return e == a
    return abs(e - a) <= atol + rtol * abs(e)


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def record(cases: list[Case], torch_module: Any, out: Any) -> dict | None:
    """Run every case twice against real torch and write what it showed to ``out`` (a Path).

    A case that shows something different the second time depends on what ran before it
    (torch warns only once per process for some warnings), and one that shows a memory address
    could never match: either refuses the whole recording (problems printed, None returned).
    Returns the recorded cases.
    """
    import json
    import platform
    import sys

    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        print("duplicate case names", file=sys.stderr)
        return None
    torch_module.set_num_threads(1)  # reductions then sum in one fixed order
    first = {c.name: run_case(c, torch_module) for c in cases}
    problems = []
    for c in cases:
        again = run_case(c, torch_module)
        if again != first[c.name]:
            diffs = "\n".join(compare(first[c.name], again, c.tol)) or "(values differ)"
            problems.append(f"{c.name}: differs when run a second time:\n{diffs}")
        address = _ADDRESS.search(json.dumps(first[c.name]))
        if address:
            problems.append(f"{c.name}: shows a memory address: {address[0]}")
    if problems:
        print("\n\n".join(problems), file=sys.stderr)
        print(f"\n{len(problems)} problem(s); {out.name} not written", file=sys.stderr)
        return None
    recorded = {c.name: {"code": c.source, "tol": c.tol, **first[c.name]} for c in cases}
    data = {
        "torch_version": torch_module.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "cases": recorded,
    }
    out.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return recorded
