"""The learner notebooks in ``exercises/``, executed as a learner would run them.

* untouched (every answer still ``____``): the notebook runs end to end and every check says
  "Not yet";
* with each answer cell replaced by its exercise's solution (from the Python module, the only
  place solutions live): every check says "Correct" ("Noted" for reveal-only questions);
* statically: each exercise of the lesson's module has one answer cell (tagged
  ``answer:exN``) and one check cell passing ``answer_names``; notebooks are stored clean; no
  line of a solution appears in a learner notebook.

The kernel is the interpreter running pytest: a ``python3`` kernelspec pointing at
``sys.executable`` is written to a temporary JUPYTER_PATH, so CI needs only ipykernel
installed (no ``ipykernel install``).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from autograd_lab.exercises.framework import Exercise  # noqa: E402

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
MODULES = {
    "01": "first_gradient",
    "02": "chain_rule",
    "03": "logistic_neuron",
    "04": "accumulation",
    "05": "tracking",
    "06": "linear_regression",
    "07": "project",
}
NOTEBOOKS = sorted(EXERCISES.glob("*.ipynb"))
ASSIGNMENT = re.compile(r"(?<![=!<>])=(?!=)")
# The lesson's own lines that a question quotes (01 ex4 asks what `y = x**2` then
# `y.backward()` does); knowing them gives nothing away.
QUOTED = {"y = x**2"}
CHECK_CALL = re.compile(r"^(ex\d+)\.check\((.*)\)$", re.MULTILINE)
STATUS = re.compile(
    r"^(✏️ Not yet|❌ Not quite|✅ Correct|⚠️ Your code raised an error|📝 Noted)"
    r" — (ex\d+):"
)


def exercises_of(path: Path) -> dict[str, Exercise]:
    module = importlib.import_module(f"autograd_lab.exercises.{MODULES[path.name[:2]]}")
    found = {v.name: v for v in vars(module).values() if isinstance(v, Exercise)}
    assert found, f"no exercises in {module.__name__}"
    return found


def answer_cells(nb: dict) -> dict[str, dict]:
    cells = {}
    for cell in nb.cells:
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("answer:"):
                assert tag[7:] not in cells, f"two answer cells for {tag[7:]}"
                cells[tag[7:]] = cell
    return cells


@pytest.fixture(scope="module")
def kernel_path(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> None:
    """A `python3` kernelspec that runs this interpreter, ahead of any installed one."""
    spec_dir = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (this interpreter)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch_module.setenv("JUPYTER_PATH", str(spec_dir.parent.parent))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def execute(nb: dict, path: Path) -> None:
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()


def check_results(nb: dict) -> dict[str, list[str]]:
    """What each check cell displayed: exercise name -> the status headings shown."""
    results: dict[str, list[str]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        match = CHECK_CALL.search(cell.source)
        if not match:
            continue
        shown = []
        for out in cell.outputs:
            text = out.get("data", {}).get("text/plain", "") if out.output_type != "stream" else ""
            heading = STATUS.match(text)
            if heading and heading.group(2) == match.group(1):
                shown.append(heading.group(1))
        results[match.group(1)] = shown
    return results


def errors(nb: dict) -> list[str]:
    return [
        f"{o.ename}: {o.evalue}"
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]


# -- static: structure, cleanliness, no leaked solutions ------------------------------------------


def test_there_is_a_notebook_per_lesson() -> None:
    assert sorted(p.name[:2] for p in NOTEBOOKS) == sorted(MODULES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_an_answer_cell_and_a_check_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    exercises = exercises_of(path)
    assert set(answer_cells(nb)) == set(exercises)
    calls = {
        m.group(1): m.group(2)
        for c in nb.cells
        if c.cell_type == "code"
        for m in CHECK_CALL.finditer(c.source)
    }
    assert set(calls) == set(exercises)
    for name, ex in exercises.items():
        assert calls[name] == ", ".join(ex.answer_names), name
        check_cell = next(c for c in nb.cells if f"{name}.check(" in c.source)
        assert f"# {name}.hint()" in check_cell.source
        assert f"# {name}.solution()" in check_cell.source
        assert "____" in answer_cells(nb)[name].source, f"{name}: the answer cell has no blank"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert nb.metadata["kernelspec"]["name"] == "python3"


def _code(line: str) -> str:
    """A line of code without indentation, trailing comment, or the `# ` commenting it out."""
    return line.split("  #")[0].strip().lstrip("# ").strip()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_text_in_the_learner_notebook(path: Path) -> None:
    """No solution line outside what the answer cells already give: not in any code cell (even
    commented out); and no solution assignment (`lr = 0.1`) anywhere, markdown included. Other
    lines (`y.backward()`, `with torch.no_grad():`) are vocabulary questions may quote."""
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    code_lines = {
        _code(line) for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()
    }
    # lines some answer cell hands out (e.g. `x = torch.tensor(...)` to build on) are given
    given = {_code(line) for c in answer_cells(nb).values() for line in c.source.splitlines()}
    for name, ex in exercises_of(path).items():
        for line in (_code(ln) for ln in ex.solution_code.splitlines()):
            if not line or line in given or line.startswith("def "):
                continue
            assert line not in code_lines, f"{name}: solution line {line!r} in {path.name}"
            if ASSIGNMENT.search(line) and line not in QUOTED:  # `lr = 0.1`, `answer = "b"`
                assert line not in text, f"{name}: {line!r} in {path.name}"
        assert ex.explanation[:40] not in text


def test_project_uses_lesson_07s_data_and_quotes_measured_numbers() -> None:
    """Lesson 07 trains on `two_moons(200, noise=0.2, seed=0)`; so does the project, and the
    numbers its text quotes are the ones test_exercises.py measures on that data."""
    nb = nbformat.read(EXERCISES / "07_project_exercises.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "two_moons(200, noise=0.2, seed=0)" in text
    assert "88 %" in text and "98 %" in text and "85 %" not in text
    assert "optim.Adam" in text and "lr = 0.05" in text  # ex2 says what the check expects
    lesson = EXERCISES.parent / "notebooks" / "07_beyond_the_lesson.ipynb"
    if lesson.exists():
        assert "two_moons(200, noise=0.2, seed=0)" in lesson.read_text()


# -- executed: untouched and solved -------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_untouched_notebook_runs_and_every_check_says_not_yet(
    path: Path, kernel_path: None
) -> None:
    nb = nbformat.read(path, as_version=4)
    execute(nb, path)
    assert errors(nb) == []
    results = check_results(nb)
    assert set(results) == set(exercises_of(path))
    assert all(shown == ["✏️ Not yet"] for shown in results.values()), results
    for name, cell in answer_cells(nb).items():  # `____  # backward` ends some: no `Out: ____`
        assert cell.outputs == [], (name, cell.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solved_notebook_says_correct_everywhere(path: Path, kernel_path: None) -> None:
    nb = nbformat.read(path, as_version=4)
    exercises = exercises_of(path)
    for name, cell in answer_cells(nb).items():
        cell.source = exercises[name].solution_code
    execute(nb, path)
    assert errors(nb) == []
    results = check_results(nb)
    expected = {
        name: ["📝 Noted" if ex.kind == "reflect" else "✅ Correct"]
        for name, ex in exercises.items()
    }
    assert results == expected
