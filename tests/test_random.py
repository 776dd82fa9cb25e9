"""``autograd_lab._random`` must reproduce PyTorch's CPU random streams bit-for-bit.

The expected numbers come from ``tests/reference/random.json``, written by
``tests/reference/record_random.py`` with real torch; torch is not needed here.  The module is
loaded straight from its file so these tests do not depend on the rest of the package.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "reference" / "random.json"


def _load_module() -> ModuleType:
    name = "autograd_lab_random_under_test"
    spec = importlib.util.spec_from_file_location(name, ROOT / "autograd_lab" / "_random.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


R = _load_module()
DATA: dict[str, Any] = json.loads(REFERENCE.read_text())
SEQUENCES: list[dict[str, Any]] = DATA["sequences"]


def perform(call: dict[str, Any]) -> np.ndarray:
    """Replay one recorded call with our generator."""
    op = call["op"]
    shape = tuple(call.get("shape", ()))
    dtype = np.dtype(call.get("dtype", "float32"))
    if op == "rand":
        return R.uniform(shape, 0.0, 1.0, dtype)
    if op == "randn":
        return R.normal(shape, 0.0, 1.0, dtype)
    if op == "uniform_":
        return R.uniform(shape, float.fromhex(call["low"]), float.fromhex(call["high"]), dtype)
    if op == "normal_":
        mean, std = float.fromhex(call["mean"]), float.fromhex(call["std"])
        return R.normal(shape, mean, std, dtype, contiguous=not call.get("transposed", False))
    if op == "randint":
        return R.randint(call["low"], call["high"], shape, np.dtype(call.get("int_dtype", "int64")))
    if op == "randperm":
        return R.randperm(call["n"])
    raise ValueError(op)


def assert_bit_exact(got: np.ndarray, call: dict[str, Any], where: str) -> None:
    want_dtype = np.dtype(call["result_dtype"])
    assert got.dtype == want_dtype, f"{where}: dtype {got.dtype} != {want_dtype}"
    assert list(got.shape) == call["result_shape"], f"{where}: shape {got.shape}"
    raw = got.astype(want_dtype.newbyteorder("<"), order="C").tobytes()
    if "values" in call:
        assert got.ravel().tolist() == call["values"], where
    elif "hex" in call:
        if raw.hex() != call["hex"]:
            want = np.frombuffer(bytes.fromhex(call["hex"]), want_dtype.newbyteorder("<"))
            bad = np.flatnonzero(got.ravel().view(want_dtype) != want)
            pytest.fail(
                f"{where}: {bad.size} of {want.size} values differ, first at {bad[:5]}: "
                f"got {got.ravel()[bad[:3]]}, want {want[bad[:3]]}"
            )
    else:
        head = raw[: len(call["head_hex"]) // 2]
        assert head.hex() == call["head_hex"], f"{where}: first values differ"
        assert hashlib.sha256(raw).hexdigest() == call["sha256"], f"{where}: digest differs"


def state_digest() -> str:
    return hashlib.sha256(R.get_state().tobytes()).hexdigest()


@pytest.mark.parametrize("seq", SEQUENCES, ids=[f"{s['name']}-seed{s['seed']}" for s in SEQUENCES])
def test_replays_recorded_torch_stream(seq: dict[str, Any]) -> None:
    R.manual_seed(seq["seed"])
    assert R.initial_seed() == seq["initial_seed"]
    for i, call in enumerate(seq["calls"]):
        assert_bit_exact(perform(call), call, f"call {i} ({call['op']} {call.get('shape')})")
    # The whole generator state (engine position and cached normal) matches torch's bytes.
    assert state_digest() == seq["final_state_sha256"]


def test_recorded_data_covers_the_interesting_cases() -> None:
    """Guard against an accidentally thinned-out reference file."""
    sizes = {
        (c["op"], c.get("dtype"), int(np.prod(c["result_shape"])))
        for s in SEQUENCES
        for c in s["calls"]
    }
    for dtype in ("float32", "float64"):
        for numel in (1, 3, 15, 16, 17, 31, 35, 100):
            assert ("randn", dtype, numel) in sizes
            assert ("normal_", dtype, numel) in sizes
    assert {s["seed"] for s in SEQUENCES} >= {0, 1, 42, 2**31 - 1}
    assert any(s["seed"] >= 2**32 for s in SEQUENCES)


def test_set_state_accepts_a_torch_state() -> None:
    snap = DATA["state_snapshot"]
    R.set_state(np.frombuffer(bytes.fromhex(snap["state_hex"]), dtype=np.uint8))
    assert R.get_state().tobytes().hex() == snap["state_hex"]  # byte-identical round trip
    for i, call in enumerate(snap["calls"]):
        assert_bit_exact(perform(call), call, f"after set_state, call {i}")


def test_get_state_set_state_round_trip() -> None:
    R.manual_seed(123)
    R.normal((3,), 0.0, 1.0, np.float32)  # leaves a cached sample, which the state must carry
    saved = R.get_state()
    first = [R.normal((5,), 0.0, 1.0, np.float64), R.uniform((40,), -1.0, 1.0, np.float32)]
    R.manual_seed(999)
    R.set_state(saved)
    again = [R.normal((5,), 0.0, 1.0, np.float64), R.uniform((40,), -1.0, 1.0, np.float32)]
    for a, b in zip(first, again, strict=True):
        assert a.tobytes() == b.tobytes()
    assert saved.dtype == np.uint8 and saved.shape == (5056,)


def draw_everything() -> list[bytes]:
    return [
        R.uniform((50,), 0.0, 1.0, np.float32).tobytes(),
        R.normal((40,), 0.0, 1.0, np.float32).tobytes(),
        R.normal((5,), 0.0, 1.0, np.float64).tobytes(),
        R.randint(0, 1000, (20,)).tobytes(),
        R.randperm(30).tobytes(),
    ]


def test_same_seed_same_stream() -> None:
    R.manual_seed(31337)
    first = draw_everything()
    R.manual_seed(31337)
    assert draw_everything() == first


def test_different_seed_different_stream() -> None:
    R.manual_seed(31337)
    first = draw_everything()
    R.manual_seed(31338)
    second = draw_everything()
    assert all(a != b for a, b in zip(first, second, strict=True))


def test_stream_continues_across_calls() -> None:
    """Two consecutive draws equal one bigger draw of the same kind (uniforms are per word)."""
    R.manual_seed(5)
    parts = np.concatenate(
        [R.uniform((7,), 0.0, 1.0, np.float32), R.uniform((9,), 0.0, 1.0, np.float32)]
    )
    R.manual_seed(5)
    assert parts.tobytes() == R.uniform((16,), 0.0, 1.0, np.float32).tobytes()


def test_seed_range_and_wrapping() -> None:
    R.manual_seed(-1)
    assert R.initial_seed() == 2**64 - 1
    R.manual_seed(2**64 - 1)
    a = R.uniform((4,), 0.0, 1.0, np.float32)
    R.manual_seed(2**32 - 1)  # only the low 32 bits reach the engine
    assert a.tobytes() == R.uniform((4,), 0.0, 1.0, np.float32).tobytes()
    for bad in (2**64, -(2**63) - 1):
        with pytest.raises(ValueError):
            R.manual_seed(bad)


def test_argument_errors() -> None:
    with pytest.raises(ValueError):
        R.uniform((3,), 1.0, 0.0, np.float32)
    with pytest.raises(ValueError):
        R.normal((3,), 0.0, -1.0, np.float32)
    with pytest.raises(ValueError):
        R.randint(5, 5, (3,))
    with pytest.raises(ValueError):
        R.randperm(-1)
    with pytest.raises(TypeError):
        R.uniform((3,), 0.0, 1.0, np.float16)


def test_empty_shapes_draw_nothing() -> None:
    R.manual_seed(8)
    before = R.get_state()
    assert R.uniform((0, 3), 0.0, 1.0, np.float32).shape == (0, 3)
    assert R.normal((4, 0), 0.0, 1.0, np.float64).shape == (4, 0)
    assert R.randint(0, 3, (0,)).shape == (0,)
    assert R.randperm(0).shape == (0,)
    assert R.get_state().tobytes() == before.tobytes()


def test_exact_fma_helpers() -> None:
    """The fused multiply-add emulations agree with exact rational arithmetic."""
    from fractions import Fraction

    rng = np.random.default_rng(0)
    a32 = rng.standard_normal(2000).astype(np.float32)
    b32, c32 = np.float32(0.3), np.float32(-1.7)
    got32 = R._fma32(a32, b32, c32)
    a64 = rng.standard_normal(2000)
    b64, c64 = 0.3, -1.7
    got64 = R._fma64(a64, b64, c64)
    for i in range(0, 2000, 7):
        exact32 = Fraction(float(a32[i])) * Fraction(float(b32)) + Fraction(float(c32))
        # float32 correct rounding: compare against the nearest float32 candidates exactly.
        cands = np.array(
            [np.nextafter(got32[i], -np.inf), got32[i], np.nextafter(got32[i], np.inf)],
            dtype=np.float32,
        )
        dists = [abs(Fraction(float(c)) - exact32) for c in cands]
        assert dists[1] <= min(dists[0], dists[2])
        exact64 = Fraction(float(a64[i])) * Fraction(b64) + Fraction(c64)
        assert got64[i] == float(exact64)  # float(Fraction) rounds correctly


def _kernel_inputs(step: int) -> np.ndarray:
    # Every input the float32 kernel can see is k / 2**24; take every `step`-th one.
    return np.arange(0, 1 << 24, step, dtype=np.uint32).astype(np.float32) * np.float32(2**-24)


def _log_sincos_with(fma: Callable[..., np.ndarray], u: np.ndarray) -> tuple[np.ndarray, ...]:
    saved = R._fma32_kernel
    R._fma32_kernel = fma
    try:
        return (R._log_f32(np.float32(1) - u), *R._sincos_f32(R._TWO_PI_F32 * u))
    finally:
        R._fma32_kernel = saved


def test_kernel_shortcut_is_exact() -> None:
    """The cheap fused multiply-add inside log/sincos equals the fully checked one, on every
    61st of the 2**24 possible inputs (all of them were checked once when it was written)."""
    u = _kernel_inputs(61)
    fast = _log_sincos_with(R._fma32_kernel, u)
    exact = _log_sincos_with(R._fma32, u)
    for f, e in zip(fast, exact, strict=True):
        assert f.tobytes() == e.tobytes()
