"""autograd_lab shows exactly what torch 2.13 shows, for every case of the reference catalogue.

Each case (``reference/cases/``) is a snippet written for torch. ``reference/core.json`` holds
what real torch showed for it (recorded by ``reference/record_core.py``); here the same snippet
runs with ``torch`` bound to autograd_lab, through the same harness, and must show the same:
printed text and reprs exactly, the same warnings (category, message, line) and exception
(type, message), and the same ``values`` within the case's tolerance.

When torch is importable (the reference venv), a live test also re-runs every case on real
torch and checks that core.json is still what torch says.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from reference.cases import ALL_CASES
from reference.harness import Case, compare, run_case

CORE = Path(__file__).with_name("reference") / "core.json"
RECORDED: dict = json.loads(CORE.read_text())
TORCH_VERSION = "2.13.0"
RERECORD = "re-record with: /work/venvs/torchref/bin/python tests/reference/record_core.py"
IDS = [case.name for case in ALL_CASES]


def _recorded(case: Case) -> dict:
    expected = RECORDED["cases"].get(case.name)
    if expected is None:
        pytest.fail(f"{case.name} is not in core.json; {RERECORD}", pytrace=False)
    if expected["code"] != case.source or expected["tol"] != case.tol:
        pytest.fail(f"{case.name} changed since it was recorded; {RERECORD}", pytrace=False)
    return expected


def _report(case: Case, who: str, diffs: list[str]) -> str:
    code = "".join(f"    {line}" for line in case.source.splitlines(True))
    return f"{case.name}: {who}\n  code:\n{code}\n" + "\n".join(diffs)


def test_recording_covers_the_catalogue():
    recorded = set(RECORDED["cases"])
    missing = [name for name in IDS if name not in recorded]
    extra = sorted(recorded - set(IDS))
    assert not missing and not extra, f"missing {missing}, extra {extra}; {RERECORD}"
    assert RECORDED["torch_version"].startswith(TORCH_VERSION)


@pytest.fixture(scope="module")
def lab() -> ModuleType:
    import autograd_lab

    return autograd_lab


@pytest.mark.parametrize("case", ALL_CASES, ids=IDS)
def test_case_matches_torch(case: Case, lab: ModuleType):
    expected = _recorded(case)
    diffs = compare(expected, run_case(case, lab), case.tol)
    if diffs:
        who = f"autograd_lab differs from torch {RECORDED['torch_version']}"
        pytest.fail(_report(case, who, diffs), pytrace=False)


@pytest.fixture(scope="module")
def real_torch() -> ModuleType:
    torch = pytest.importorskip(
        "torch", reason="live parity needs torch; install torch==2.13.0 in a separate venv"
    )
    if not torch.__version__.startswith(TORCH_VERSION):
        pytest.skip(f"core.json records torch {TORCH_VERSION}, found {torch.__version__}")
    torch.set_num_threads(1)  # as when recording
    return torch


def test_recording_is_what_torch_says(real_torch: ModuleType):
    """With torch importable, every recorded case is still what torch shows (one test, so a
    machine without torch reports one skip, not one per case)."""
    failures = []
    for case in ALL_CASES:
        diffs = compare(_recorded(case), run_case(case, real_torch), case.tol)
        if diffs:
            failures.append(_report(case, "differs", diffs))
    if failures:
        who = f"core.json is no longer what torch {real_torch.__version__} shows; {RERECORD}"
        pytest.fail(who + "\n\n" + "\n\n".join(failures), pytrace=False)
