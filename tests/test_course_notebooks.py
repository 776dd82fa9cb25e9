"""The lesson notebooks in ``notebooks/``, read as files (nbval re-executes them separately).

* every code cell of the source lesson appears in its notebook, unchanged except that the
  ``import torch`` line moved to the notebook's first code cell, and the stored output is the
  one the lesson shows (which came from real PyTorch);
* the notebooks are stored executed (nbval compares nothing in a cell whose stored copy never
  ran) and clean: on-purpose errors tagged ``raises-exception`` and no other errors, nothing on
  stderr but the lesson's warning, no error hidden inside a widget, output ignored only where
  a widget is displayed (by the cell tag ``nbval-ignore-output``, not a comment in the code);
* each notebook has its objectives, a recap and a link to an exercise notebook that exists.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON = json.loads((Path(__file__).with_name("reference") / "lesson.json").read_text())
EXPECTED = [
    "00_welcome.ipynb",
    "01_first_gradient.ipynb",
    "02_chain_rule.ipynb",
    "03_logistic_neuron.ipynb",
    "04_gradients_accumulate.ipynb",
    "05_turning_tracking_off.ipynb",
    "06_linear_regression.ipynb",
    "07_beyond_the_lesson.ipynb",
]
# lesson cell -> the notebook that mirrors it
HOME = {1: "01", 2: "01", 3: "02", 4: "02", 5: "02", 6: "03", 7: "03", 8: "03", 33: "06"}
HOME.update({n: "04" for n in range(9, 14)})
HOME.update({n: "05" for n in range(14, 33)})
SETUP_LINE = "import autograd_lab as torch"
IGNORE = "nbval-ignore-output"  # a cell tag: nbval reads it, the learner never sees it
WIDGET = "application/vnd.jupyter.widget-view+json"


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / name).read_text())


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def without_torch_import(code: str) -> str:
    """The lesson's code as a notebook holds it: no ``import torch`` line (the first cell
    imports autograd_lab as torch once), no blank lines left doubled by its removal."""
    lines = [line for line in code.split("\n") if not re.match(r"^\s*import torch\b", line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def shown(cell: dict) -> str:
    """What the cell shows as text, as the lesson dump keeps it: stdout, the result's repr,
    stderr (warnings), and ``Name: message`` for an error."""
    text = ""
    for out in cell["outputs"]:
        if out["output_type"] == "stream":
            text += "".join(out["text"])
        elif out["output_type"] == "execute_result":
            text += "".join(out["data"]["text/plain"]) + "\n"
        elif out["output_type"] == "error":
            text += f"{out['ename']}: {out['evalue']}\n"
    return text


def test_the_course_is_the_eight_notebooks():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


def mirrors(name: str) -> list[tuple[dict, dict]]:
    """(lesson cell, notebook cell) for each lesson cell of this notebook, matched in order
    (the lesson repeats some cells, such as ``x = torch.tensor(2.0, requires_grad=True)``)."""
    cells = code_cells(load(name))
    found, start = [], 0
    for cell in (c for c in LESSON if name.startswith(HOME[c["n"]])):
        wanted = without_torch_import(cell["code"])
        at = next((i for i in range(start, len(cells)) if source(cells[i]) == wanted), None)
        assert at is not None, f"lesson cell {cell['n']} is missing from {name} (or out of order)"
        found.append((cell, cells[at]))
        start = at + 1
    return found


def test_every_lesson_cell_has_a_home():
    assert sorted(HOME) == [c["n"] for c in LESSON]


@pytest.mark.parametrize("name", sorted({n for n in EXPECTED if n[:2] in HOME.values()}))
def test_lesson_cells_are_mirrored_with_the_lessons_output(name):
    for cell, mirror in mirrors(name):
        if cell["n"] == 5:
            # the dump lost the warning's first line, which names the kernel's temporary file
            (out,) = mirror["outputs"]
            assert out["name"] == "stderr"
            first, rest = "".join(out["text"]).split("\n", 1)
            assert first.endswith(
                "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being "
                "accessed. Its .grad attribute won't be populated during autograd.backward(). If "
                "you indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information."
            )
            assert rest == cell["output"]
        else:
            assert shown(mirror) == cell["output"], f"lesson cell {cell['n']}"
        raises = cell["output"].startswith("RuntimeError:")
        assert ("raises-exception" in mirror["metadata"].get("tags", [])) is raises


@pytest.mark.parametrize("name", EXPECTED)
def test_the_first_code_cell_is_the_one_import(name):
    cells = code_cells(load(name))
    assert source(cells[0]).startswith(SETUP_LINE)
    for cell in cells:  # everything else is PyTorch code: no second import of either name
        assert not re.search(r"^\s*import torch\b", source(cell), re.MULTILINE)
    assert sum(SETUP_LINE in source(c) for c in cells) == 1


@pytest.mark.parametrize("name", EXPECTED)
def test_stored_executed_in_order(name):
    counts = [c["execution_count"] for c in code_cells(load(name))]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("name", EXPECTED)
def test_errors_only_where_tagged_and_stderr_only_for_the_lessons_warning(name):
    for cell in code_cells(load(name)):
        kinds = {o["output_type"] for o in cell["outputs"]}
        tagged = "raises-exception" in cell["metadata"].get("tags", [])
        assert ("error" in kinds) is tagged, source(cell)[:80]
        for out in cell["outputs"]:
            if out.get("name") == "stderr":
                assert source(cell) == "y.grad", source(cell)[:80]  # the lesson's cell 5


@pytest.mark.parametrize("name", EXPECTED)
def test_output_ignored_exactly_on_widget_cells(name):
    for cell in code_cells(load(name)):
        shows_widget = any(WIDGET in o.get("data", {}) for o in cell["outputs"])
        ignored = IGNORE in cell["metadata"].get("tags", [])
        assert "NBVAL_" not in source(cell), source(cell)[:80]  # markers are tags, not code
        is_progress_bar = "progress(" in source(cell) or "show_progress=True" in source(cell)
        if is_progress_bar:  # tqdm's widget: its stored text is deterministic, so it is compared
            assert not ignored
            continue
        assert ignored is shows_widget, source(cell)[:80]


@pytest.mark.parametrize("name", EXPECTED)
def test_no_error_hidden_in_a_widget(name):
    nb = load(name)
    state = nb["metadata"].get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})  # fmt: skip
    errors = [
        f"{o.get('ename')}: {o.get('evalue')}"
        for model in state.values()
        if model.get("model_name") == "OutputModel"
        for o in model.get("state", {}).get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == []


@pytest.mark.parametrize("name", EXPECTED)
def test_no_memory_address_or_path_is_stored_unsanitised(name):
    sanitize = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    patterns = re.findall(r"^regex: (.*)$", sanitize, re.MULTILINE)
    for cell in code_cells(load(name)):
        text = shown(cell)
        for pattern in (r"0x[0-9a-f]{6,}", r"ipykernel_\d+"):
            if re.search(pattern, text):  # only where the sanitize file makes it stable
                assert any(re.search(p, text) for p in patterns), text[:120]


@pytest.mark.parametrize("name", EXPECTED[1:])
def test_objectives_recap_and_exercises(name):
    nb = load(name)
    text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "**By the end of this notebook you can**" in text
    assert "Recap" in text
    links = re.findall(r"\(\.\./(exercises/[^)]+\.ipynb)\)", text)
    assert links and all((ROOT / link).exists() for link in links)
    assert any(Path(link).name.startswith(name[:2]) for link in links)


def test_every_notebook_links_to_the_next():
    for this, following in itertools.pairwise(EXPECTED):
        text = "\n".join(source(c) for c in load(this)["cells"])
        assert f"({following})" in text, f"{this} does not link to {following}"
