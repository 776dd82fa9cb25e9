"""Record what real torch shows for every case of the catalogue, as tests/reference/core.json.

autograd_lab promises that code written for torch runs unchanged with
``import autograd_lab as torch`` and prints exactly what torch prints. The catalogue
(``cases/``) holds several hundred small snippets; this script runs each one against a real
torch through the shared harness (``harness.py``) and stores what it showed: stdout, warnings,
exception, and the numeric ``values``. ``tests/test_core_golden.py`` replays the same snippets
against autograd_lab and compares, without needing torch.

Run it with the reference venv only (torch is never a dependency of the package):

    /work/venvs/torchref/bin/python tests/reference/record_core.py

Every case is run twice, in catalogue order; a case that shows something different the second
time depends on what ran before it (torch warns only once per process for some warnings), and
the recording is refused. So is any output that contains a memory address.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `reference`

from reference.cases import ALL_CASES
from reference.harness import record

OUT = Path(__file__).with_name("core.json")
TORCH_VERSION = "2.13.0"


def main() -> int:
    if not torch.__version__.startswith(TORCH_VERSION):
        print(f"expected torch {TORCH_VERSION}, found {torch.__version__}", file=sys.stderr)
        return 1
    cases = record(ALL_CASES, torch, OUT)
    if cases is None:
        return 1
    _summary(cases)
    return 0


def _summary(cases: dict) -> None:
    areas: dict[str, int] = {}
    for name in cases:
        area = name.split(".", 1)[0]
        areas[area] = areas.get(area, 0) + 1
    raising = sum(1 for c in cases.values() if c["exception"] is not None)
    warning = sum(1 for c in cases.values() if c["warnings"])
    print(f"wrote {len(cases)} cases to {OUT} (torch {torch.__version__})")
    print("  " + ", ".join(f"{area}: {n}" for area, n in areas.items()))
    print(f"  {raising} end in an exception, {warning} show warnings")


if __name__ == "__main__":
    sys.exit(main())
