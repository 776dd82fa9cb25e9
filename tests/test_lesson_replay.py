"""Replay the lesson with autograd_lab: every code cell, in order, shows what torch showed.

``reference/lesson.json`` holds the lesson's code cells and the exact text shown under each
(extracted from ``course/autograd_lesson.txt`` by ``tools/extract_lesson.py``; the
outputs came from real torch). The cells run in order in ONE namespace, as in the notebook,
emulating what IPython shows: printed text; the repr of a trailing expression unless it is
None; each warning as Python shows it (``file:line: Category: message`` and the source line);
``RuntimeError: <message>`` for an error, after which the next cell runs.

The dump lost the first line of every warning (it names a temporary file of the kernel): the
lesson's cell 5 shows only ``  y.grad``. So that line is left out of the comparison, and
checked on its own: a UserWarning with torch's message, attributed to the learner's line.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import linecache
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reference.harness import clean_message

REFERENCE = Path(__file__).with_name("reference")
CELLS: list[dict] = json.loads((REFERENCE / "lesson.json").read_text())
LESSON_DUMP = Path(__file__).resolve().parents[1] / "course" / "autograd_lesson.txt"
_IMPORT_TORCH = re.compile(r"^(\s*)import torch\b(?![.\w])", re.MULTILINE)


def as_autograd_lab(code: str) -> str:
    """The only change made to the lesson's code, as the lesson promises: the import."""
    return _IMPORT_TORCH.sub(r"\1import autograd_lab as torch", code)


def cell_filename(n: int) -> str:
    return f"<lesson-cell-{n}>"


@dataclass
class Shown:
    """What one cell showed: ``text`` as on screen, ``dumped`` as the lesson dump keeps it."""

    text: str = ""
    dumped: str = ""
    warnings: list[warnings.WarningMessage] = field(default_factory=list)

    def write(self, text: str, *, dumped: bool = True) -> None:
        self.text += text
        if dumped:
            self.dumped += text


class _Stream:
    """sys.stdout for a cell: printed text goes to its Shown, in order with the warnings."""

    def __init__(self, shown: Shown) -> None:
        self.shown = shown

    def write(self, text: str) -> int:
        self.shown.write(text)
        return len(text)

    def flush(self) -> None:
        pass


def _show_warning_into(shown: Shown):
    def show(message, category, filename, lineno, file=None, line=None):
        text = warnings.formatwarning(message, category, filename, lineno, line)
        source = linecache.getline(filename, lineno).strip()
        source_part = f"  {source}\n" if source else ""
        # The first line ("<file>:<line>: UserWarning: ...") is shown but was lost by the dump.
        shown.write(text.removesuffix(source_part), dumped=False)
        shown.write(source_part)
        shown.warnings.append(warnings.WarningMessage(message, category, filename, lineno))

    return show


def run_cell(n: int, code: str, namespace: dict) -> Shown:
    """Run one cell as IPython does and return what it showed."""
    # The only change made to the lesson's code, as the lesson promises: `import torch`
    # becomes `import autograd_lab as torch`.
    source = as_autograd_lab(code)
    filename = cell_filename(n)
    # Registered so that a warning (and a traceback) can show the learner's source line.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    tree = ast.parse(source, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    shown = Shown()
    with contextlib.redirect_stdout(_Stream(shown)), warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = _show_warning_into(shown)
        try:
            exec(compile(tree, filename, "exec"), namespace)
            if last is not None:
                expression = ast.Expression(last.value)
                value = eval(compile(expression, filename, "eval"), namespace)
                if value is not None:
                    shown.write(repr(value) + "\n")
        except Exception as exc:
            shown.write(f"{type(exc).__name__}: {exc}\n")
    return shown


@pytest.fixture(scope="module")
def replay() -> dict[int, Shown]:
    """Every cell, in order, in one namespace, like a notebook run top to bottom."""
    namespace: dict = {"__name__": "__main__"}
    return {cell["n"]: run_cell(cell["n"], cell["code"], namespace) for cell in CELLS}


@pytest.mark.parametrize("cell", CELLS, ids=[f"cell-{cell['n']}" for cell in CELLS])
def test_cell_shows_what_the_lesson_shows(cell: dict, replay: dict[int, Shown]):
    shown = replay[cell["n"]]
    if shown.dumped != cell["output"]:
        code = "".join(f"    {line}" for line in as_autograd_lab(cell["code"]).splitlines(True))
        pytest.fail(
            f"cell {cell['n']} differs from the lesson\n  code:\n{code}\n"
            f"  lesson shows:\n{_indent(cell['output'])}\n"
            f"  autograd_lab shows:\n{_indent(shown.text)}",
            pytrace=False,
        )


def _indent(text: str) -> str:
    return "".join(f"    |{line}" for line in text.splitlines(True)) or "    (nothing)"


def test_cell_5_warns_like_torch_on_the_learners_line(replay: dict[int, Shown]):
    core = json.loads((REFERENCE / "core.json").read_text())
    (torch_warning,) = core["cases"]["graph.nonleaf_grad_warning"]["warnings"][:1]
    shown = replay[5]
    assert len(shown.warnings) == 1, shown.text
    (w,) = shown.warnings
    assert w.category is UserWarning
    assert clean_message(str(w.message)) == torch_warning["message"]
    assert (w.filename, w.lineno) == (cell_filename(5), 1)  # the learner's `y.grad`
    header = f"{cell_filename(5)}:1: UserWarning: {w.message}\n"
    assert shown.text == header + "  y.grad\n"


def test_lesson_json_is_what_the_lesson_shows():
    """The extraction picked the right text: a few outputs spelled out here."""
    outputs = {cell["n"]: cell["output"] for cell in CELLS}
    assert [cell["n"] for cell in CELLS] == list(range(1, 34))
    assert outputs[1] == "4\n"
    assert outputs[5] == "  y.grad\n"
    assert outputs[6] == (
        "tensor(6.7012)\n"
        "Manual Gradient of loss w.r.t weight (dw): 6.691762447357178\n"
        "Manual Gradient of loss w.r.t bias (db): 0.998770534992218\n"
    )
    assert outputs[11] == outputs[16] == outputs[20] == outputs[27] == outputs[30] == ""
    for n in (22, 28, 32):
        assert outputs[n] == (
            "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn\n"
        )
    log = outputs[33].splitlines()
    assert len(log) == 11
    assert log[0] == "Epoch 0: w = 0.300, loss = 30.000"
    assert log[-1] == "Final prediction: y = 1.846 * x + 0.452"


def test_lesson_json_is_current():
    """lesson.json is what tools/extract_lesson.py makes of the lesson dump today."""
    tool = Path(__file__).resolve().parents[1] / "tools" / "extract_lesson.py"
    spec = importlib.util.spec_from_file_location("extract_lesson", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.extract(LESSON_DUMP.read_text(encoding="utf-8")) == CELLS, (
        "re-extract with: python tools/extract_lesson.py course/autograd_lesson.txt"
    )
