"""autograd_lab must print tensors exactly like torch 2.13.

The expected strings were recorded from a real torch by tests/reference/record_printing.py;
torch is not needed here.  The printing module is loaded straight from its file so these
tests do not depend on the rest of the package importing.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).with_name("reference") / "printing.json"


def _load_printing() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "autograd_lab_printing_under_test", ROOT / "autograd_lab" / "_printing.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


printing = _load_printing()
CASES: list[dict[str, Any]] = json.loads(REFERENCE.read_text())

_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _array(case: dict[str, Any]) -> np.ndarray:
    """Rebuild the exact array a case was recorded from."""
    dtype = np.dtype(case["dtype"])
    shape = tuple(case["shape"])
    if case["data"] is None:
        n = math.prod(shape)
        values = np.arange(n, dtype=np.float64) / case["arange_div"]
        return values.astype(dtype).reshape(shape)
    if dtype.kind == "f":
        # The values are the exact doubles torch saw; narrowing to float32/float16 is exact.
        floats = [_NONFINITE[v] if isinstance(v, str) else float(v) for v in case["data"]]
        return np.array(floats, dtype=np.float64).astype(dtype).reshape(shape)
    return np.array(case["data"], dtype=dtype).reshape(shape)


@pytest.fixture(autouse=True)
def _default_options():
    printing.set_printoptions(profile="default")
    yield
    printing.set_printoptions(profile="default")


def test_reference_file_is_substantial() -> None:
    assert len(CASES) >= 300
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_torch(case: dict[str, Any]) -> None:
    data = _array(case)
    if case["options"] is not None:
        printing.set_printoptions(**case["options"])
    got = printing.tensor_repr(
        data, grad_fn_name=case["grad_fn"], requires_grad=case["requires_grad"]
    )
    assert got == case["repr"]


def test_float_values_round_trip_exactly() -> None:
    # Guard against the reference data itself being lossy: float32 data must be exactly
    # representable, or _array() would silently print a different number than torch did.
    for case in CASES:
        if case["data"] is None or case["dtype"] not in ("float32", "float16"):
            continue
        data = _array(case)
        back = data.astype(np.float64).reshape(-1).tolist()
        for want, got in zip(case["data"], back, strict=True):
            if isinstance(want, str):
                continue
            assert want == got and math.copysign(1, want) == math.copysign(1, got)


def test_default_options() -> None:
    assert printing.get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }


def test_set_get_round_trip() -> None:
    printing.set_printoptions(precision=2, threshold=10, edgeitems=1, linewidth=50, sci_mode=True)
    saved = printing.get_printoptions()
    assert saved == {
        "precision": 2,
        "threshold": 10,
        "edgeitems": 1,
        "linewidth": 50,
        "sci_mode": True,
    }
    printing.set_printoptions(profile="default")
    assert printing.get_printoptions()["precision"] == 4
    printing.set_printoptions(**saved)
    assert printing.get_printoptions() == saved


def test_get_printoptions_returns_a_copy() -> None:
    opts = printing.get_printoptions()
    opts["precision"] = 99
    assert printing.get_printoptions()["precision"] == 4


def test_profiles() -> None:
    printing.set_printoptions(profile="short")
    assert printing.get_printoptions() == {
        "precision": 2,
        "threshold": 1000,
        "edgeitems": 2,
        "linewidth": 80,
        "sci_mode": None,
    }
    printing.set_printoptions(profile="full")
    assert printing.get_printoptions()["threshold"] == math.inf
    assert printing.get_printoptions()["edgeitems"] == 3
    # Explicit options override the profile, as in torch.
    printing.set_printoptions(profile="short", precision=6)
    assert printing.get_printoptions()["precision"] == 6
    assert printing.get_printoptions()["edgeitems"] == 2


def test_unknown_profile_is_ignored() -> None:
    printing.set_printoptions(precision=3)
    printing.set_printoptions(profile="nonsense")
    assert printing.get_printoptions()["precision"] == 3


def test_sci_mode_resets_when_omitted() -> None:
    # torch quirk: every call assigns sci_mode, so omitting it restores automatic mode.
    printing.set_printoptions(sci_mode=False)
    assert printing.get_printoptions()["sci_mode"] is False
    printing.set_printoptions(precision=3)
    assert printing.get_printoptions()["sci_mode"] is None


def test_printoptions_context_manager_restores() -> None:
    before = printing.get_printoptions()
    with printing.printoptions(precision=1, sci_mode=False):
        assert printing.tensor_repr(np.array([1.26], dtype=np.float32)) == "tensor([1.3])"
    assert printing.get_printoptions() == before


def test_options_change_output() -> None:
    x = np.array([1.123456, 2.0], dtype=np.float32)
    assert printing.tensor_repr(x) == "tensor([1.1235, 2.0000])"
    printing.set_printoptions(precision=2)
    assert printing.tensor_repr(x) == "tensor([1.12, 2.00])"
    printing.set_printoptions(threshold=1, edgeitems=0)
    assert printing.tensor_repr(x) == "tensor([...], size=(2,))"


@pytest.mark.parametrize(
    ("dtype", "name"),
    [
        (np.float32, "torch.float32"),
        (np.float64, "torch.float64"),
        (np.float16, "torch.float16"),
        (np.int64, "torch.int64"),
        (np.int32, "torch.int32"),
        (np.int16, "torch.int16"),
        (np.int8, "torch.int8"),
        (np.uint8, "torch.uint8"),
        (np.bool_, "torch.bool"),
    ],
)
def test_dtype_name(dtype: type, name: str) -> None:
    assert printing.dtype_name(np.dtype(dtype)) == name


def test_dtype_name_rejects_unknown() -> None:
    with pytest.raises(TypeError):
        printing.dtype_name(np.dtype("datetime64[s]"))


def test_tensor_repr_rejects_unsupported_dtype() -> None:
    with pytest.raises(TypeError):
        printing.tensor_repr(np.array(["a"]))


def test_non_contiguous_input() -> None:
    x = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    assert printing.tensor_repr(x.T) == printing.tensor_repr(np.ascontiguousarray(x.T))


def test_huge_tensor_is_summarised() -> None:
    # only the shown corners are formatted: a million-element tensor prints in a few lines
    big = np.ones((1000, 1000), dtype=np.float32) / 3
    text = printing.tensor_repr(big)
    assert len(text.splitlines()) == 7
    assert "..." in text
