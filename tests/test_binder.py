"""Binder smoke test: the course runs in the environment Binder builds from ``binder/``.

Docker images cannot be pulled here, so ``tools/binder_smoke.py`` takes repo2docker's steps
in a fresh virtual environment (Python from ``runtime.txt``, the base environment,
``pip install -r binder/requirements.txt`` from the repository root, then ``postBuild``).
These tests then check that environment the way a learner's session would use it: its
packages agree with each other (``pip check``), the widgets' JupyterLab extension is enabled,
a kernel from it imports autograd_lab from this checkout with the pinned versions, and every
lesson and exercise notebook executes in it without error (hidden widget-callback errors
included).

The environment is cached in ``.cache/binder-smoke/`` (gitignored) under a hash of what the
build reads, so repeated local runs take seconds; with ``CI`` set it is always built afresh.
Nothing here skips: a missing interpreter or package fails with the reason.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib


def _load_tool() -> ModuleType:
    path = REPO / "tools" / "binder_smoke.py"
    spec = importlib.util.spec_from_file_location("binder_smoke", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


smoke = _load_tool()
BINDER = REPO / "binder"
NOTEBOOKS = smoke.course_notebooks(REPO)


@pytest.fixture(scope="module")
def binder() -> Any:
    """The Binder environment, built (CI, or binder/ changed) or reused; timings recorded."""
    started = time.perf_counter()
    try:
        env = smoke.build(REPO, rebuild=bool(os.environ.get("CI")))
    except smoke.SmokeError as exc:
        pytest.fail(f"Binder environment could not be built: {exc}", pytrace=False)
    report = {"venv": str(env.venv), "reused": env.reused, "build_steps_s": env.timings,
              "fixture_s": round(time.perf_counter() - started, 1)}  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "binder-smoke.json").write_text(json.dumps(report, indent=2))
    print(f"\nbinder smoke environment: {report}")
    return env


# -- binder/ itself ----------------------------------------------------------------------------


def test_binder_folder_holds_only_what_the_stand_in_reproduces() -> None:
    assert smoke.binder_dir(REPO) == BINDER
    smoke.check_supported(BINDER)  # raises on Dockerfile, environment.yml, apt.txt, ...
    assert smoke.python_version(BINDER) == "3.11"


def test_post_build_installs_the_package_and_stops_on_errors() -> None:
    script = BINDER / "postBuild"
    text = script.read_text()
    assert text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text
    assert "pip install --no-cache-dir --no-deps -e ." in text
    assert os.access(script, os.X_OK), "binder/postBuild must be executable (git keeps the bit)"
    smoke.check_post_build(script)


def test_requirements_pin_every_dependency_of_the_course() -> None:
    """Everything pyproject says the package and the course need is pinned in binder/, to a
    version pyproject accepts: postBuild installs autograd_lab with --no-deps, so whatever is
    missing here would be missing on Binder."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {canonicalize_name(k): v for k, v in smoke.pinned(BINDER / "requirements.txt").items()}
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    needed = [Requirement(r) for r in
              [*project["dependencies"], *project["optional-dependencies"]["lab"]]]  # fmt: skip
    for req in needed:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject) is not pinned in binder/requirements.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"binder pins {req.name}=={pins[name]}, pyproject wants {req}"
        )
    # The widgets' front end and the Lab it runs in: pinned so that Binder shows what the
    # browser test saw.
    for name in ("jupyterlab", "notebook", "jupyterlab-widgets", "ipywidgets"):
        assert name in pins, f"{name} is not pinned in binder/requirements.txt"


def test_course_has_notebooks_to_run() -> None:
    for folder in smoke.COURSE_DIRS:
        assert list((REPO / folder).glob("*.ipynb")), f"no notebooks in {folder}/"


# -- the built environment ---------------------------------------------------------------------


def test_installed_packages_agree(binder: Any) -> None:
    smoke.pip_check(binder)  # raises SmokeError with pip's complaint


def test_widgets_lab_extension_is_enabled(binder: Any) -> None:
    version = smoke.widgets_extension(binder)
    assert version.startswith("5."), f"jupyterlab-manager v{version}: ipywidgets 8 needs 5.x"


def test_kernel_runs_in_the_binder_environment_with_the_pinned_versions(binder: Any) -> None:
    pins = smoke.pinned(BINDER / "requirements.txt")
    seen = smoke.probe(binder, sorted(pins))
    assert Path(seen["prefix"]) == binder.venv
    assert Path(seen["autograd_lab"]).is_relative_to(REPO / "autograd_lab")
    assert seen["versions"] == pins


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_runs_on_binder(binder: Any, path: Path) -> None:
    started = time.perf_counter()
    smoke.run_notebook(binder, path)  # CellExecutionError / SmokeError carry the cell and error
    print(f"{path.name}: {time.perf_counter() - started:.1f} s")
