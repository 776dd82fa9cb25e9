"""Record PyTorch's CPU random streams for ``tests/test_random.py``.

Run with the reference environment (the only place torch is installed)::

    /work/venvs/torchref/bin/python tests/reference/record_random.py

It writes ``tests/reference/random.json``: for several seeds, sequences of calls to ``rand``,
``randn``, ``uniform_``, ``normal_``, ``randint`` and ``randperm`` exactly as a learner would
make them, with every result stored bit-exactly (the raw little-endian bytes as hex, or a
SHA-256 of them plus the first values for big tensors), and a digest of the generator state
after each sequence.  ``autograd_lab._random`` must replay all of it bit-for-bit.

The numbers depend on the CPU kernels torch picks (the AVX2 and AVX512 ones agree; the generic
"DEFAULT" ones do not), so the capability used is written into the file as well.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import torch

OUT = Path(__file__).with_name("random.json")

SEEDS = [0, 1, 42, 2**31 - 1, 2**63 + 12345]  # the last one exercises a full 64-bit seed
SHAPES: list[tuple[int, ...]] = [
    (),
    (1,),
    (3,),
    (15,),
    (16,),
    (17,),
    (31,),
    (2, 3),
    (100,),
    (5, 7),
]
DTYPES = {"float32": torch.float32, "float64": torch.float64}
KAIMING_BOUND = 1 / math.sqrt(512)  # a typical nn.Linear bound
FULL_LIMIT = 400  # tensors with more elements are stored as a digest plus their head

Call = dict[str, Any]


def encode(t: torch.Tensor) -> dict[str, Any]:
    """Exact, compact encoding of a tensor's values."""
    arr = np.array(t.detach().numpy(), order="C")  # (ascontiguousarray would make 0-d 1-d)
    raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    enc: dict[str, Any] = {"result_dtype": str(arr.dtype), "result_shape": list(arr.shape)}
    if arr.dtype.kind in "iu" and arr.size <= FULL_LIMIT:
        enc["values"] = arr.ravel().tolist()  # small integers are shortest as plain JSON
    elif arr.size <= FULL_LIMIT:
        enc["hex"] = raw.hex()
    else:
        enc["sha256"] = hashlib.sha256(raw).hexdigest()
        enc["head_hex"] = raw[: 8 * arr.itemsize].hex()
    return enc


def run(call: Call) -> torch.Tensor:
    """Perform one recorded call with torch's global generator."""
    op = call["op"]
    shape = tuple(call.get("shape", ()))
    dtype = DTYPES.get(call.get("dtype", ""), None)
    if op == "rand":
        return torch.rand(shape, dtype=dtype)
    if op == "randn":
        return torch.randn(shape, dtype=dtype)
    if op == "uniform_":
        low, high = float.fromhex(call["low"]), float.fromhex(call["high"])
        return torch.empty(shape, dtype=dtype).uniform_(low, high)
    if op == "normal_":
        mean, std = float.fromhex(call["mean"]), float.fromhex(call["std"])
        if call.get("transposed"):
            # A non-contiguous destination: record its values in memory (= fill) order.
            dest = torch.empty(shape[::-1], dtype=dtype).t()
            return dest.normal_(mean, std).t().reshape(shape)
        return torch.empty(shape, dtype=dtype).normal_(mean, std)
    if op == "randint":
        int_dtype = getattr(torch, call.get("int_dtype", "int64"))
        return torch.randint(call["low"], call["high"], shape, dtype=int_dtype)
    if op == "randperm":
        return torch.randperm(call["n"])
    raise ValueError(op)


def uniform_call(shape: tuple[int, ...], dtype: str, low: float, high: float) -> Call:
    return {
        "op": "uniform_",
        "shape": list(shape),
        "dtype": dtype,
        "low": float(low).hex(),
        "high": float(high).hex(),
    }


def normal_call(shape: tuple[int, ...], dtype: str, mean: float, std: float) -> Call:
    return {
        "op": "normal_",
        "shape": list(shape),
        "dtype": dtype,
        "mean": float(mean).hex(),
        "std": float(std).hex(),
    }


def basic_sequence(dtype: str) -> list[Call]:
    """Every shape through every op, in the order a learner's script might use them."""
    calls: list[Call] = []
    for shape in SHAPES:
        numel = math.prod(shape)
        calls += [
            {"op": "rand", "shape": list(shape), "dtype": dtype},
            {"op": "randn", "shape": list(shape), "dtype": dtype},
            uniform_call(shape, dtype, -KAIMING_BOUND, KAIMING_BOUND),
            normal_call(shape, dtype, 0.5, 2.0),
            {"op": "randint", "shape": list(shape), "low": -5, "high": 10},
            {"op": "randperm", "n": numel},
        ]
    return calls


def mixed_sequence() -> list[Call]:
    """Small normals of both dtypes interleaved: the cached Box-Muller sample is shared."""
    return [
        {"op": "randn", "shape": [3], "dtype": "float32"},
        {"op": "randn", "shape": [5], "dtype": "float64"},
        {"op": "rand", "shape": [2], "dtype": "float32"},
        {"op": "randn", "shape": [], "dtype": "float64"},
        {"op": "randn", "shape": [20], "dtype": "float32"},  # block path leaves the cache alone
        {"op": "randn", "shape": [1], "dtype": "float32"},
        normal_call((7,), "float32", -1.25, 0.5),
        normal_call((33,), "float64", 3.0, 0.0),
        normal_call((18,), "float32", 0.0, 3.5),
        normal_call((2, 9), "float64", 0.0, 1e-3),
        {**normal_call((4, 6), "float32", 0.0, 1.0), "transposed": True},  # scalar path
        {**normal_call((5, 5), "float64", 1.0, 2.0), "transposed": True},
    ]


def edge_sequence() -> list[Call]:
    """Ranges that stress the rounding: narrow, offset, degenerate; wide integer ranges."""
    a = -4.855491612311344
    return [
        uniform_call((300,), "float32", a, a + 1e-3),  # fused scaling with heavy rounding
        uniform_call((300,), "float64", a, a + 1e-12),  # results that round onto `high`
        uniform_call((50,), "float32", 2.5, 2.5),  # from == to
        uniform_call((50,), "float64", -7.0, 1e5),
        uniform_call((64,), "float32", 0.0, 3.0),
        uniform_call((64,), "float64", 0.0, 3.0),
        {"op": "randint", "shape": [40], "low": -(2**40), "high": 2**40},  # 64-bit draws
        {"op": "randint", "shape": [40], "low": -(2**63), "high": 2**63 - 1},
        {"op": "randint", "shape": [40], "low": 0, "high": 2**32 - 1},  # 64-bit from 2**28 on
        {"op": "randint", "shape": [40], "low": 5, "high": 5 + 2**28 - 1},  # last 32-bit range
        {"op": "randint", "shape": [40], "low": 5, "high": 5 + 2**28},  # first 64-bit range
        {"op": "randint", "shape": [20], "low": -3, "high": 2**31 - 1, "int_dtype": "int32"},
        {"op": "randint", "shape": [30], "low": 0, "high": 7, "int_dtype": "int32"},
        {"op": "randint", "shape": [30], "low": 0, "high": 1},
        {"op": "randperm", "n": 0},
        {"op": "randperm", "n": 1},
        {"op": "randperm", "n": 2},
        {"op": "randperm", "n": 1000},
    ]


def big_sequence() -> list[Call]:
    """Layer-sized tensors (stored as digests): the vectorised paths at realistic sizes."""
    return [
        {"op": "rand", "shape": [784, 512], "dtype": "float32"},
        {"op": "randn", "shape": [784, 512], "dtype": "float32"},
        uniform_call((784, 512), "float32", -KAIMING_BOUND, KAIMING_BOUND),
        normal_call((1000, 37), "float32", 0.1, 0.02),
        {"op": "randn", "shape": [257, 3], "dtype": "float64"},
        uniform_call((300, 7), "float64", -0.25, 0.25),
        {"op": "randint", "shape": [100, 100], "low": 0, "high": 10},
        {"op": "randperm", "n": 60000},
    ]


def linear_sequence() -> list[Call]:
    """The two uniform_ calls that torch.nn.Linear(784, 128) makes, checked against it."""
    fan_in = 784
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))  # kaiming_uniform_(a=sqrt(5))
    w_bound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
    b_bound = 1 / math.sqrt(fan_in)
    return [
        uniform_call((128, 784), "float32", -w_bound, w_bound),
        uniform_call((128,), "float32", -b_bound, b_bound),
    ]


def record(seed: int, name: str, calls: list[Call]) -> dict[str, Any]:
    torch.manual_seed(seed)
    results = []
    for call in calls:
        results.append({**call, **encode(run(call))})
    state = torch.get_rng_state().numpy().tobytes()
    return {
        "name": name,
        "seed": seed,
        "initial_seed": torch.initial_seed(),
        "calls": results,
        "final_state_sha256": hashlib.sha256(state).hexdigest(),
    }


def check_linear_matches(seed: int) -> None:
    """Make sure linear_sequence really is what nn.Linear does (so the test means something)."""
    torch.manual_seed(seed)
    layer = torch.nn.Linear(784, 128)
    torch.manual_seed(seed)
    w, b = (run(c) for c in linear_sequence())
    assert torch.equal(layer.weight.detach(), w) and torch.equal(layer.bias.detach(), b)


def state_snapshot() -> dict[str, Any]:
    """A mid-stream state (with a cached normal) and what follows it, for set_state tests."""
    torch.manual_seed(2024)
    torch.randn(5)  # odd count: leaves a cached double sample
    torch.rand(7)
    state = torch.get_rng_state().numpy().tobytes()
    follow = [
        {"op": "randn", "shape": [4], "dtype": "float64"},
        {"op": "rand", "shape": [20], "dtype": "float32"},
    ]
    results = [{**c, **encode(run(c))} for c in follow]
    return {"state_hex": state.hex(), "calls": results}


def main() -> None:
    sequences = []
    for seed in SEEDS:
        for dtype in DTYPES:
            sequences.append(record(seed, f"basic-{dtype}", basic_sequence(dtype)))
        sequences.append(record(seed, "mixed", mixed_sequence()))
    for seed in (0, 7):
        sequences.append(record(seed, "edge", edge_sequence()))
    sequences.append(record(0, "big", big_sequence()))
    for seed in (0, 42):
        check_linear_matches(seed)
        sequences.append(record(seed, "nn.Linear(784, 128)", linear_sequence()))
    data = {
        "torch_version": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "sequences": sequences,
        "state_snapshot": state_snapshot(),
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    n_values = sum(math.prod(c["result_shape"]) for s in sequences for c in s["calls"])
    print(
        f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB, {len(sequences)} sequences, "
        f"{n_values} values)"
    )


if __name__ == "__main__":
    main()
