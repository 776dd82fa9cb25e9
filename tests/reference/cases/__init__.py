"""The catalogue of reference cases, one module per area of the API.

Each module defines ``CASES``, a list of ``Case(name, code, tol=None)``; the code uses only
the names ``torch`` and ``np``. ``ALL_CASES`` is every case, in a fixed order, with its name
prefixed by its area (``"graph.second_backward_pow"``).
"""

from __future__ import annotations

from reference.cases import (
    arithmetic,
    conversion,
    creation,
    differential,
    elementwise,
    errors,
    function,
    grad_mode,
    graph,
    higher_order,
    linalg,
    random,
    reductions,
    shape_index,
)
from reference.harness import Case

AREAS = {
    "creation": creation.CASES,
    "arithmetic": arithmetic.CASES,
    "elementwise": elementwise.CASES,
    "reductions": reductions.CASES,
    "linalg": linalg.CASES,
    "shape_index": shape_index.CASES,
    "conversion": conversion.CASES,
    "graph": graph.CASES,
    "grad_mode": grad_mode.CASES,
    "higher_order": higher_order.CASES,
    "function": function.CASES,
    "random": random.CASES,
    "errors": errors.CASES,
    "differential": differential.CASES,
}


def _collect() -> list[Case]:
    collected: list[Case] = []
    seen: set[str] = set()
    for area, cases in AREAS.items():
        for case in cases:
            name = f"{area}.{case.name}"
            if name in seen:
                raise ValueError(f"duplicate case name {name}")
            seen.add(name)
            collected.append(Case(name, case.code, case.tol))
    return collected


ALL_CASES: list[Case] = _collect()
