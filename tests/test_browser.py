"""The course in a real browser: JupyterLab + Debian's Chromium, driven by Playwright.

``tools/browser_check.py`` does what a learner does with lesson 03 (see its docstring): Run
All, the neuron explorer's widgets render, dragging ``w`` changes the readout, the numbers
(consistently with z = w·x + b) and the picture; an exercise check shows "Not yet", then
"Correct", as rendered HTML. Screenshots and timings go to ``test-artifacts/browser/``.

A second test disables the widgets' JupyterLab extension and expects the check to fail with
the plain-text fallback a learner would then see, so the first test cannot pass by not
looking.

The only skip: no Chromium on this machine (CI installs it, see ``.ci/run``). Playwright
itself comes with the ``[test]`` extra; without it the tests fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "browser"


def _load_tool() -> ModuleType:
    path = REPO / "tools" / "browser_check.py"
    spec = importlib.util.spec_from_file_location("browser_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


check = _load_tool()


@pytest.fixture(scope="module")
def browser_ready() -> None:
    """Skip only for a missing browser; a missing Python package is a failed install."""
    if not Path(check.CHROMIUM).exists():
        pytest.skip(
            f"no Chromium at {check.CHROMIUM}: this test drives Debian's Chromium "
            f"(Playwright never downloads one). Install it: {check.INSTALL_HINT}"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("playwright is not installed: it is in the [test] extra "
                    "(pip install -e '.[test]')", pytrace=False)  # fmt: skip
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"  # belt and braces: never fetch one


def _no_new_processes(before: set[int]) -> None:
    left = [pid for pid in set(check.descendants(os.getpid())) - before if check.pid_alive(pid)]
    assert not left, f"processes left behind: {left}"


def test_learner_session_in_jupyterlab(browser_ready: None) -> None:
    before = set(check.descendants(os.getpid()))
    report = check.run_check(ARTIFACTS)
    _no_new_processes(before)
    print(f"\nbrowser check timings (s): {json.dumps(report.timings)}")
    shots = {p.name for p in report.screenshots}
    assert shots == {"neuron_before.png", "neuron_after.png", "exercise_feedback.png"}
    for shot in report.screenshots:
        assert shot.stat().st_size > 20_000, f"{shot} looks empty"
    before_w = report.facts["explorer_before"]["readouts"]["w"]
    after_w = report.facts["explorer_after"]["readouts"]["w"]
    assert before_w != after_w


def test_check_sees_widgets_that_did_not_render(browser_ready: None, tmp_path: Path) -> None:
    """Without the widgets' front end a learner sees `VBox(children=...` text: caught."""
    before = set(check.descendants(os.getpid()))
    with pytest.raises(check.CheckFailed, match="widget shown as plain text"):
        check.run_check(
            tmp_path, exercise=False, disabled_extensions=("@jupyter-widgets/jupyterlab-manager",)
        )
    _no_new_processes(before)
