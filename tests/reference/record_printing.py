"""Record how torch prints tensors, as reference data for tests/test_printing.py.

autograd_lab must print tensors exactly like torch (the lesson compares the two side by
side), so this script asks a real torch for its repr of several hundred tensors and stores
the exact element values next to each repr.  The tests replay the values through
``autograd_lab._printing.tensor_repr`` without needing torch.

Run it with the reference venv only (torch is never a dependency of the package):

    /work/venvs/torchref/bin/python tests/reference/record_printing.py

Output: ``printing.json`` beside this script, a list of cases::

    {"name": ..., "data": [...], "shape": [...], "dtype": "float32",
     "requires_grad": bool, "grad_fn": "MulBackward0" | null,
     "options": {...set_printoptions kwargs...} | null, "repr": "<torch's repr>"}

Float values are JSON numbers (Python writes the shortest decimal that reads back to the
same double, so they are exact) or the strings "nan", "inf", "-inf".  A few big tensors
would not fit in the file element by element; they carry ``"data": null`` and
``"arange_div": d`` instead, meaning ``(np.arange(n, dtype=float64) / d).astype(dtype)``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).with_name("printing.json")

TORCH_DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
FLOATS = ("float32", "float64", "float16")

cases: list[dict] = []


def encode(value: float | int | bool) -> float | int | bool | str:
    """JSON cannot hold nan/inf, so those become strings; everything else is exact."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def add(
    name: str,
    arr: np.ndarray,
    dtype: str,
    *,
    requires_grad: bool = False,
    grad_fn: bool = False,
    options: dict | None = None,
    arange_div: float | None = None,
) -> None:
    """Build the tensor in torch, print it, and store values plus repr."""
    # copy(order="C"), not ascontiguousarray: the latter turns 0-d arrays into 1-d ones.
    t = torch.from_numpy(np.array(arr, order="C", copy=True)).to(TORCH_DTYPES[dtype])
    if requires_grad or grad_fn:
        t.requires_grad_(True)
    if grad_fn:
        # Multiplying by 1 leaves every value (nan, -0.0 included) unchanged and gives
        # the result a grad_fn, MulBackward0.
        t = t * 1
    name_of_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    if options is not None:
        torch.set_printoptions(**options)
    try:
        text = repr(t)
        if str(t) != text:
            raise AssertionError(f"str and repr differ for {name}")
    finally:
        torch.set_printoptions(profile="default")
    values = t.detach()
    if dtype in FLOATS:
        values = values.double()
    case = {
        "name": name,
        "data": None if arange_div is not None else [encode(v) for v in values.flatten().tolist()],
        "shape": list(t.shape),
        "dtype": dtype,
        "requires_grad": bool(t.requires_grad),
        "grad_fn": name_of_fn,
        "options": options,
        "repr": text,
    }
    if arange_div is not None:
        case["arange_div"] = arange_div
    cases.append(case)


def a(values, dtype: str = "float64") -> np.ndarray:
    # Build in float64 (or the int/bool type) first; add() then casts the way torch does.
    return np.array(values, dtype=np.float64 if dtype in FLOATS else dtype)


nan, inf = math.nan, math.inf

# --- The lesson's own values --------------------------------------------------------------
add("lesson-6.7012", a(6.70124), "float32")
add("lesson-thirds", a([2.0, 4.0, 6.0]) / 3, "float32")
add("lesson--7.6613", a(-7.66128), "float32", grad_fn=True)
add("lesson-grad-leaf", a([1.0, 2.0, 3.0]), "float32", requires_grad=True)
add("lesson-6.7012-grad", a(6.70124), "float32", grad_fn=True)

# --- 0-d tensors --------------------------------------------------------------------------
for i, v in enumerate(
    [
        0.0,
        -0.0,
        1.0,
        -1.0,
        3.5,
        0.1,
        nan,
        inf,
        -inf,
        1e-5,
        1e-4,
        9.9999e-5,
        1e8,
        1.00000001e8,
        2e8,
        123456789.0,
        1e10,
        1e-8,
        0.99995,
        9.99995,
        -123.456,
        1e30,
        5e-40,
    ]
):
    add(f"0d-float32-{i}", a(v), "float32")
for i, v in enumerate([0.1, -2.5, 1e300, 5e-324, 1 / 3, 1e16, nan]):
    add(f"0d-float64-{i}", a(v), "float64")
for i, v in enumerate([0.1, 65504.0, 6e-8, -inf]):
    add(f"0d-float16-{i}", a(v), "float16")
for dt, v in [
    ("int64", 5),
    ("int64", -3),
    ("int64", -(2**63)),
    ("int32", 7),
    ("int16", -1),
    ("int8", -128),
    ("uint8", 255),
    ("bool", True),
    ("bool", False),
]:
    add(f"0d-{dt}-{v}", a(v, dt), dt)
add("0d-requires-grad", a(2.0), "float32", requires_grad=True)
add("0d-float64-grad", a(0.25), "float64", grad_fn=True)

# --- Formatter choice at the boundaries --------------------------------------------------
boundary = {
    "zeros": [0.0, 0.0, 0.0],
    "neg-zero": [-0.0],
    "zero-negzero": [0.0, -0.0],
    "negzero-frac": [-0.0, 0.5],
    "negzero-sci": [1e-5, -0.0],
    "negzero-int": [-0.0, 2.0],
    "int-valued": [1.0, 2.0, -3.0],
    "int-big": [1.0, 12345678.0],
    "frac": [1.0, 2.5],
    "ratio-1000": [1000.0, 1.0],
    "ratio-1001": [1001.0, 1.0],
    "ratio-1000-frac": [0.5, 500.0],
    "ratio-1000.5": [0.5, 500.25],
    "max-1e8": [1e8, 1.5e7],
    "max-above-1e8": [1.0000001e8, 1.5e7],
    "min-1e-4": [1e-4, 2e-4],
    "min-below-1e-4": [9.9e-5, 2e-4],
    "carry": [9.99995, 0.1],
    "carry2": [0.99995, -0.99994],
    "huge": [1e10, 1.0],
    "tiny": [1e-8, 1.0],
    "nan-only": [nan, nan],
    "inf-only": [inf, -inf],
    "nan-zero": [nan, 0.0],
    "nan-int": [nan, 1.0, 2.0],
    "inf-int": [inf, -inf, 3.0],
    "inf-frac": [inf, 0.5, -inf],
    "nan-sci": [nan, 1e-7, 3.0],
    "inf-int-sci": [-inf, 1e9, 1.0],
    "wide-int-nan": [nan, 12345.0, -inf],
    "neg-frac": [-1.5, 2.25, -100.125],
    "mixed-sign-sci": [-1e-6, 1e6],
    "all-neg": [-1.0, -2.0],
    "halves": [0.5, 0.25, 0.125],
    "round-half": [0.00005, 0.00015, 0.5],
    "f32-max": [3.4028234663852886e38, 1.0],
    "f32-subnormal": [1.401298464324817e-45, 1.0],
    "single-int": [7.0],
    "single-frac": [7.25],
}
for key, vals in boundary.items():
    for dt in ("float32", "float64"):
        add(f"boundary-{key}-{dt}", a(vals), dt)
for key in ("frac", "int-valued", "nan-int", "inf-frac", "carry", "neg-zero", "halves"):
    add(f"boundary-{key}-float16", a(boundary[key]), "float16")
add("float16-extremes", a([65504.0, -65504.0, 6e-8, 1.0]), "float16")
add("float64-extremes", a([1e300, -1e-300, 1.0]), "float64")
add("float64-denormal", a([5e-324, 0.0]), "float64")

# --- Integers and bools ------------------------------------------------------------------
add("int-basic", a([1, 2, 3], "int64"), "int64")
add("int-neg", a([-1, 20, -300, 4000], "int64"), "int64")
add("int-zero", a([0, 0], "int64"), "int64")
add("int64-extremes", a([-(2**63), 2**63 - 1, 0], "int64"), "int64")
add("int32-extremes", a([-(2**31), 2**31 - 1], "int32"), "int32")
add("int16-extremes", a([-(2**15), 2**15 - 1], "int16"), "int16")
add("int8-extremes", a([-128, 127, 0], "int8"), "int8")
add("uint8-range", a([0, 7, 255], "uint8"), "uint8")
add("int-2d", a([[1, -2, 3], [40, 5, -600]], "int64"), "int64")
add("int32-2d", a([[1, -2], [3, 4]], "int32"), "int32")
add("bool-mixed", a([True, False, True], "bool"), "bool")
add("bool-true", a([True, True], "bool"), "bool")
add("bool-false", a([False], "bool"), "bool")
add("bool-2d", a([[True, False], [False, False]], "bool"), "bool")
add("bool-3d", np.arange(12).reshape(2, 3, 2) % 3 == 0, "bool")

# --- Empty tensors -----------------------------------------------------------------------
for shape in [(0,), (0, 3), (3, 0), (2, 0, 4), (0, 0), (1, 0, 1, 2)]:
    for dt in ("float32", "float64", "int64", "int32", "bool", "uint8"):
        add(f"empty-{shape}-{dt}", np.zeros(shape), dt)
add("empty-requires-grad", np.zeros((0,)), "float32", requires_grad=True)
add("empty-2d-grad", np.zeros((0, 2)), "float64", grad_fn=True)

# --- Nesting and blank lines -------------------------------------------------------------
add("2d", a([[1.5, 2.0], [3.0, -4.25]]), "float32")
add("3d", np.arange(24.0).reshape(2, 3, 4) / 4, "float32")
add("4d", np.arange(36.0).reshape(2, 3, 2, 3) - 10, "float32")
add("4d-int", np.arange(48).reshape(2, 2, 3, 4) - 20, "int64")
add("5d", np.arange(32.0).reshape(2, 2, 2, 2, 2), "float64")
add("singleton-dims", a([[[[3.25]]]]), "float32")
add("column", np.arange(5.0).reshape(5, 1) / 3, "float32", grad_fn=True)

# --- Line wrapping -----------------------------------------------------------------------
add("wrap-arange100", np.arange(100.0), "float32")
add("wrap-arange100-int", np.arange(100), "int64")
add("wrap-frac", np.arange(40.0) / 7 - 3, "float32")
add("wrap-sci", (np.arange(30.0) + 1) ** 7, "float32")
add("wrap-2d", np.arange(90.0).reshape(3, 30) / 3, "float32")
add("wrap-3d", np.arange(120).reshape(2, 3, 20) * 1001 - 50000, "int64")
add("wrap-bool", np.arange(50) % 2 == 0, "bool")
add("wrap-float64-grad", np.arange(30.0) / 9, "float64", grad_fn=True)
add("wrap-wide-elements", np.arange(12.0) * 1.0e7 + 0.5, "float64")

# Suffix wrapping: rows whose last line length lands around the 80-column limit.
for n in range(8, 16):
    add(f"suffix-float64-{n}", np.arange(float(n)) + 0.5, "float64", grad_fn=True)
    add(f"suffix-int32-{n}", np.arange(n) * 11111, "int32")
    add(f"suffix-req-{n}", np.arange(float(n)) / 3, "float32", requires_grad=True)
add("suffix-0d-long", a(1.5), "float16", grad_fn=True)

# --- Summarisation around the threshold --------------------------------------------------
add("thr-1000", np.arange(1000.0), "float32")
add("thr-1001", np.arange(1001.0), "float32")
add("thr-1001-int", np.arange(1001) - 500, "int64")
add("thr-1001-bool", np.arange(1001) % 3 == 0, "bool")
add("thr-2d-10x100", np.arange(1000.0).reshape(10, 100) / 3, "float32")
add("thr-2d-7x143", np.arange(1001.0).reshape(7, 143) / 3, "float32")
add("thr-2d-1001x1", np.arange(1001.0).reshape(1001, 1), "float32")
add("thr-2d-1x1001", np.arange(1001.0).reshape(1, 1001), "float32")
add("thr-3d", np.arange(1008.0).reshape(4, 6, 42) * 0.5, "float64", grad_fn=True)
add("thr-3d-small-axes", np.arange(1008).reshape(2, 2, 252), "int32")
add("thr-4d", np.arange(1080.0).reshape(4, 5, 6, 9) / 7, "float32")
# The hidden middle decides nothing: a huge value there must not switch to sci notation.
mid = np.arange(1001.0) / 4
mid[500] = 1e12
add("thr-hidden-huge", mid, "float32")
for shape, div in [((1000, 1000), 3.0), ((200, 300), 1.0), ((50, 40, 30), 8.0), ((2000,), 1e-3)]:
    n = int(np.prod(shape))
    add(
        f"big-{shape}",
        (np.arange(n, dtype=np.float64) / div).reshape(shape),
        "float32",
        arange_div=div,
    )

# --- Print options -----------------------------------------------------------------------
opt_data = {
    "frac": (a([1.123456789, -22.5, 0.333333333]), "float32"),
    "int": (a([1.0, 20.0, -300.0]), "float32"),
    "sci": (a([1e-6, 2.5, 1e5]), "float64"),
    "zeros": (a([0.0, -0.0]), "float32"),
    "nan": (a([nan, 1.5, inf]), "float32"),
    "ints": (a([1, -22, 333], "int64"), "int64"),
    "long": (np.arange(60.0) / 7, "float32"),
    "2d": (np.arange(40.0).reshape(5, 8) / 3, "float32"),
    "3d": (np.arange(60).reshape(3, 4, 5), "int64"),
    "big": (np.arange(1200.0).reshape(30, 40) / 3, "float32"),
    "0d": (a(3.14159), "float32"),
}
option_sets = [
    {"precision": 2},
    {"precision": 0},
    {"precision": 8},
    {"precision": 1, "sci_mode": True},
    {"sci_mode": True},
    {"sci_mode": False},
    {"threshold": 5},
    {"threshold": 0},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 0},
    {"edgeitems": 1},
    {"edgeitems": 5},
    {"linewidth": 40},
    {"linewidth": 10},
    {"linewidth": 120},
    {"profile": "short"},
    {"profile": "full"},
    {"profile": "default"},
    {"profile": "short", "precision": 6},
    {"profile": "full", "linewidth": 60},
    {"threshold": 100, "edgeitems": 2, "linewidth": 50, "precision": 3},
]
for i, opts in enumerate(option_sets):
    for key, (arr, dt) in opt_data.items():
        add(
            f"opt{i}-{key}",
            arr,
            dt,
            options=opts,
            grad_fn=(key == "frac" and i % 2 == 0),
            arange_div=3.0 if key == "big" else None,
        )

# --- Seeded random tensors ---------------------------------------------------------------
rng = np.random.default_rng(20240613)


def random_shape() -> tuple[int, ...]:
    ndim = int(rng.choice([0, 1, 1, 1, 2, 2, 2, 3, 3, 4]))
    limits = {0: 0, 1: 40, 2: 12, 3: 6, 4: 4}[ndim]
    return tuple(int(rng.integers(1, limits + 1)) for _ in range(ndim))


def random_floats(shape: tuple[int, ...]) -> np.ndarray:
    lo = rng.uniform(-8, 10)
    hi = min(10.0, lo + rng.choice([0.5, 2.0, 4.0, 18.0]))
    mags = 10.0 ** rng.uniform(lo, hi, size=shape)
    signs = np.where(rng.random(shape) < 0.3, -1.0, 1.0)
    vals = np.asarray(mags * signs, dtype=np.float64)
    style = rng.random()
    if style < 0.2:
        vals = np.round(vals)  # integral values exercise int mode
    elif style < 0.3:
        vals = np.round(vals, 2)
    if vals.size and rng.random() < 0.25:
        flat = vals.reshape(-1)
        for _ in range(int(rng.integers(1, 3))):
            flat[int(rng.integers(flat.size))] = rng.choice([nan, inf, -inf, 0.0, -0.0])
    return vals


for i in range(260):
    shape = random_shape()
    dt = str(
        rng.choice(
            ["float32"] * 6
            + ["float64"] * 3
            + ["float16", "int64", "int32", "int8", "uint8", "int16", "bool"]
        )
    )
    if dt in FLOATS:
        arr = random_floats(shape)
        if dt == "float16":
            arr = np.clip(arr, -6e4, 6e4)
    elif dt == "bool":
        arr = rng.random(shape) < 0.5
    else:
        info = np.iinfo(dt)
        top = int(min(info.max, 10 ** rng.integers(1, 12)))
        bottom = max(int(info.min), -top) if rng.random() < 0.6 else 0
        arr = rng.integers(bottom, top, size=shape, endpoint=True, dtype=np.int64)
    grad = dt in FLOATS and rng.random() < 0.25
    req = dt in FLOATS and not grad and rng.random() < 0.15
    add(f"random-{i}", arr, dt, grad_fn=grad, requires_grad=req)

# Random tensors just around the summarisation threshold.
for i, shape in enumerate([(999,), (1001,), (9, 112), (10, 101), (3, 7, 48), (2, 2, 2, 126)]):
    add(f"random-thr-{i}", np.round(rng.standard_normal(shape), 3), "float32")

OUT.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
