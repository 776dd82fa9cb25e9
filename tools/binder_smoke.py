#!/usr/bin/env python3
"""Build, offline, the environment Binder builds from ``binder/``, and run the course in it.

mybinder.org builds the course with repo2docker's Python buildpack. Docker images cannot be
pulled here, so this script takes the same steps in a fresh virtual environment:

1. ``binder/`` (or ``.binder/``) is the only configuration read; a file that would make
   repo2docker pick another buildpack, or that this stand-in cannot reproduce, is an error;
2. Python from ``runtime.txt`` (``python-3.11`` → the ``python3.11`` on PATH);
3. repo2docker's base environment: ``jupyterlab==4.* notebook==7.* ipywidgets==8.*
   jupyter_server==2.*`` and ipykernel (a conda environment there, a venv here);
4. ``pip install --no-cache-dir -r binder/requirements.txt``, run from the repository root;
5. ``binder/postBuild``, run from the repository root with the environment first on PATH;
6. a ``start`` script, if any, must end with ``exec "$@"``.

Then: ``pip check``, the widgets' JupyterLab extension is enabled, and every notebook of
``notebooks/`` and ``exercises/`` executes with a kernel from that environment.

The environment is cached under ``.cache/binder-smoke/<key>`` (gitignored), the key being a
hash of everything the build reads: binder/, pyproject.toml (postBuild installs from it), the
steps above and the repository's path (the editable install points there). ``--rebuild``, or
``CI`` set in the environment, starts from nothing.

    python tools/binder_smoke.py             # build or reuse, then check and run everything
    python tools/binder_smoke.py --rebuild   # as CI does
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CACHE_ROOT = REPO / ".cache" / "binder-smoke"
COURSE_DIRS = ("notebooks", "exercises")

# repo2docker's base environment (buildpacks/conda/environment.yml) without what only a hub or
# a conda image needs (jupyterhub-singleuser, nodejs, resource-usage and offline-notebook
# extensions): the packages a learner's session actually runs on.
BASE_ENV = (
    "jupyterlab==4.*",
    "notebook==7.*",
    "ipywidgets==8.*",
    "jupyter_server==2.*",
    "ipykernel",
)
DEFAULT_PYTHON = "3.10"  # repo2docker's default when there is no runtime.txt
# Files of binder/ that this stand-in reproduces. Anything else either switches repo2docker to
# another buildpack (Dockerfile, environment.yml, Pipfile, install.R, Project.toml, ...) or
# needs Ubuntu (apt.txt): then the smoke test would pass without testing what Binder does.
SUPPORTED = {"requirements.txt", "runtime.txt", "postBuild", "start", "README.md"}
# Bump when the steps change, so that cached environments are rebuilt.
RECIPE = "binder-smoke 1: venv, pip -U pip, base env, -r requirements.txt, postBuild"

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDGETS_EXTENSION = re.compile(r"@jupyter-widgets/jupyterlab-manager v(\S+) enabled\s+OK")
STEP_TIMEOUT = 900  # seconds for one pip step: generous, a hang still ends
CELL_TIMEOUT = 300  # seconds per cell: nbclient waits forever by default (field notes §1.6)
KERNEL_STARTUP_TIMEOUT = 120


class SmokeError(Exception):
    """The Binder configuration cannot be built, or the course does not run in it."""


@dataclass
class BinderEnv:
    """A built environment: where it is, and how long each step took (None when reused)."""

    venv: Path
    python_version: str
    timings: dict[str, float] = field(default_factory=dict)
    reused: bool = False

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


# -- reading binder/ -------------------------------------------------------------------------


def binder_dir(repo: Path = REPO) -> Path:
    """The folder repo2docker reads: binder/ or .binder/ (both is an error there too)."""
    found = [repo / name for name in ("binder", ".binder") if (repo / name).is_dir()]
    if len(found) != 1:
        raise SmokeError(
            "expected exactly one of binder/ and .binder/ (repo2docker reads only that one), "
            f"found {[p.name for p in found] or 'neither'}"
        )
    return found[0]


def check_supported(folder: Path) -> None:
    """Fail on files that make repo2docker do something this stand-in does not reproduce."""
    extra = sorted(p.name for p in folder.iterdir() if p.name not in SUPPORTED)
    if extra:
        raise SmokeError(
            f"{folder.name}/ has {extra}: with these repo2docker uses another buildpack or "
            "steps this offline stand-in cannot take (it reproduces the pip buildpack: "
            f"{sorted(SUPPORTED)}). Extend tools/binder_smoke.py before relying on it."
        )
    if not (folder / "requirements.txt").is_file():
        raise SmokeError(f"{folder.name}/requirements.txt is missing: nothing pins the course")


def python_version(folder: Path) -> str:
    """The Python runtime.txt asks for (``python-3.11`` → ``3.11``)."""
    runtime = folder / "runtime.txt"
    if not runtime.is_file():
        return DEFAULT_PYTHON
    text = runtime.read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)(\.\d+)?", text)
    if not match:
        raise SmokeError(f"{runtime}: expected 'python-X.Y', found {text!r}")
    return match.group(1)


def find_python(version: str) -> str:
    """The interpreter that plays the image's Python: this one if it is that version."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable  # `-m venv` from a venv's python bases the new one on its base
    exe = shutil.which(f"python{version}")
    if exe is None:
        raise SmokeError(
            f"binder/runtime.txt asks for Python {version} but python{version} is not on PATH; "
            f"install it (Debian: apt-get install python{version} python{version}-venv)"
        )
    return exe


def cache_key(repo: Path, folder: Path, version: str) -> str:
    """A hash of everything the build reads (see the module docstring)."""
    digest = hashlib.sha256()
    digest.update(RECIPE.encode())
    digest.update(" ".join(BASE_ENV).encode())
    digest.update(version.encode())
    digest.update(str(repo).encode())
    inputs = sorted(p for p in folder.rglob("*") if p.is_file())
    inputs.append(repo / "pyproject.toml")
    for path in inputs:
        digest.update(str(path.relative_to(repo)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# -- running commands ------------------------------------------------------------------------


def build_environ(venv: Path) -> dict[str, str]:
    """The environment of the build steps and the kernel: the venv first on PATH, as the
    notebook environment is in the image, and nothing of the caller's own environment that
    would leak in (another venv, PYTHONPATH, the test run's matplotlib backend)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_USER", "MPLBACKEND",
                        "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
                        "JUPYTER_RUNTIME_DIR", "PYTEST_CURRENT_TEST"}}  # fmt: skip
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(
    cmd: list[str], *, cwd: Path, env: Mapping[str, str], log: Path, timeout: float = STEP_TIMEOUT
) -> str:
    """Run one step; on failure raise with the end of its output (the whole of it is in log)."""
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}   (in {cwd})\n")
    try:
        done = subprocess.run(cmd, cwd=cwd, env=dict(env), capture_output=True, text=True,
                              timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise SmokeError(f"`{' '.join(cmd)}` did not finish in {timeout:.0f} s") from exc
    output = done.stdout + done.stderr
    with log.open("a") as out:
        out.write(output)
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise SmokeError(f"`{' '.join(cmd)}` failed (exit {done.returncode}); log {log}:\n{tail}")
    return output


def check_post_build(script: Path) -> None:
    """What repo2docker would run without complaint but would not stop on."""
    text = script.read_text()
    if not text.startswith("#!"):
        raise SmokeError(f"{script}: no #! line (start it with #!/bin/bash)")
    if not re.search(r"^\s*set -[a-z]*e", text, re.MULTILINE):
        raise SmokeError(f"{script}: no `set -e`: repo2docker would go on after a failing step")


def check_start(script: Path) -> None:
    """A start script wraps every launch; it must hand over to the server at the end."""
    lines = [ln.strip() for ln in script.read_text().splitlines() if ln.strip()]
    if not lines or not lines[-1].startswith('exec "$@"'):
        raise SmokeError(f'{script}: must end with exec "$@" (it wraps the server\'s command)')


# -- the build -------------------------------------------------------------------------------


def build(
    repo: Path = REPO, *, rebuild: bool = False, cache_root: Path = CACHE_ROOT, echo: bool = False
) -> BinderEnv:
    """Build the environment binder/ describes, or reuse the cached one for the same inputs."""
    folder = binder_dir(repo)
    check_supported(folder)
    version = python_version(folder)
    key = cache_key(repo, folder, version)
    cache_root.mkdir(parents=True, exist_ok=True)
    # Two test runs at once (two terminals, xdist) must not build into the same folder.
    with (cache_root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_locked(repo, folder, version, cache_root / key, rebuild, echo)


def _build_locked(
    repo: Path, folder: Path, version: str, venv: Path, rebuild: bool, echo: bool
) -> BinderEnv:
    marker = venv / ".binder-smoke-complete"
    if marker.is_file() and not rebuild:
        return BinderEnv(venv, version, json.loads(marker.read_text()), reused=True)

    interpreter = find_python(version)
    for old in venv.parent.iterdir():  # old keys: one environment is a few hundred MB
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    venv.mkdir(parents=True)
    log = venv / "build.log"
    env = build_environ(venv)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install"]
    timings: dict[str, float] = {}

    def step(name: str, cmd: list[str]) -> None:
        if echo:
            print(f"[binder-smoke] {name}: {' '.join(cmd)}", flush=True)
        start = time.perf_counter()
        run(cmd, cwd=repo, env=env, log=log)
        timings[name] = round(time.perf_counter() - start, 1)

    step("venv", [interpreter, "-m", "venv", str(venv)])
    step("pip", [*pip, "--upgrade", "pip"])  # the image's pip is current, ensurepip's is not
    step("base env", [*pip, *BASE_ENV])
    # Relative path and cwd as repo2docker: `-e .` or `-r other.txt` inside would resolve the same.
    step(
        "requirements.txt",
        [*pip, "--no-cache-dir", "-r", str((folder / "requirements.txt").relative_to(repo))],
    )
    post_build = folder / "postBuild"
    if post_build.is_file():
        check_post_build(post_build)
        post_build.chmod(post_build.stat().st_mode | 0o111)  # repo2docker chmods it too
        step("postBuild", [f"./{post_build.relative_to(repo)}"])
    if (folder / "start").is_file():
        check_start(folder / "start")
    marker.write_text(json.dumps(timings))
    return BinderEnv(venv, version, timings)


# -- checks on the built environment ----------------------------------------------------------


@contextmanager
def private_jupyter_dirs(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """Jupyter config/data/runtime dirs of our own: a learner on Binder starts with none, and
    whatever this machine's user configured (a disabled extension) must not count."""
    with tempfile.TemporaryDirectory(prefix="binder-smoke-jupyter-") as tmp:
        env = dict(env)
        for name in ("CONFIG", "DATA", "RUNTIME"):
            env[f"JUPYTER_{name}_DIR"] = str(Path(tmp) / name.lower())
        yield env


def pip_check(binder: BinderEnv) -> str:
    """``pip check``: every installed package's requirements hold (autograd_lab's too, which
    postBuild installed with --no-deps)."""
    return run([str(binder.python), "-m", "pip", "check"], cwd=REPO,
               env=build_environ(binder.venv), log=binder.venv / "checks.log")  # fmt: skip


def widgets_extension(binder: BinderEnv) -> str:
    """The version of the widgets' JupyterLab extension, if the server lists it enabled."""
    with private_jupyter_dirs(build_environ(binder.venv)) as env:
        listing = run([str(binder.bin / "jupyter"), "labextension", "list"], cwd=REPO, env=env,
                      log=binder.venv / "checks.log", timeout=120)  # fmt: skip
    listing = ANSI.sub("", listing)  # it colours "enabled OK" even into a pipe
    match = WIDGETS_EXTENSION.search(listing)
    if not match:
        raise SmokeError(
            "`jupyter labextension list` does not show @jupyter-widgets/jupyterlab-manager "
            f"enabled OK: sliders would show as text on Binder. It printed:\n{listing}"
        )
    return match.group(1)


def course_notebooks(repo: Path = REPO) -> list[Path]:
    """Every notebook a learner opens: the lessons and the exercises."""
    return sorted(p for d in COURSE_DIRS for p in (repo / d).glob("*.ipynb"))


def hidden_widget_errors(nb: Any) -> list[str]:
    """Errors raised inside widget callbacks: nbclient stores them in the Output widgets'
    state instead of failing the cell (field notes §1.7)."""
    state = (nb.metadata.get("widgets", {})
             .get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))  # fmt: skip
    return [f"{o.get('ename')}: {o.get('evalue')}"
            for model in state.values() if model.get("model_name") == "OutputModel"
            for o in model.get("state", {}).get("outputs", [])
            if o.get("output_type") == "error"]  # fmt: skip


def execute(binder: BinderEnv, nb: Any, cwd: Path) -> Any:
    """Execute a notebook (in place) with a kernel of the Binder environment.

    The kernelspec lives in a private folder and the kernel gets the build environment, so
    neither the caller's interpreter nor its settings take part."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="binder-smoke-kernel-") as tmp:
        spec = Path(tmp) / "binder"
        spec.mkdir()
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [str(binder.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (Binder smoke environment)", "language": "python",
        }))  # fmt: skip
        km = KernelManager(kernel_name="binder",
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[tmp]))  # fmt: skip
        with private_jupyter_dirs(build_environ(binder.venv)) as env:
            client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT,
                                    startup_timeout=KERNEL_STARTUP_TIMEOUT,
                                    record_timing=False)  # fmt: skip
            # We made the kernel manager, so nbclient would leave the kernel running: ask it.
            client.execute(cleanup_kc=True, cwd=str(cwd), env=env)
    return nb


def run_notebook(binder: BinderEnv, path: Path) -> None:
    """Execute one course notebook as Binder would: fail on any error, visible or hidden."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    execute(binder, nb, path.parent)
    hidden = hidden_widget_errors(nb)
    if hidden:
        raise SmokeError(f"{path.name}: errors inside widget callbacks: {hidden}")


PROBE = """\
import json, sys
from importlib.metadata import version
import autograd_lab, ipywidgets, matplotlib, numpy, tqdm
print(json.dumps({"prefix": sys.prefix, "autograd_lab": autograd_lab.__file__,
                  "versions": {d: version(d) for d in %r}}))
"""


def probe(binder: BinderEnv, distributions: list[str]) -> dict[str, Any]:
    """Ask a kernel of the Binder environment where it runs and what it has installed."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE % (distributions,))])
    execute(binder, nb, REPO)
    return json.loads(nb.cells[0].outputs[0]["text"])


def pinned(requirements: Path) -> dict[str, str]:
    """name → version for every ``name==version`` line of a requirements file."""
    pins = {}
    for line in requirements.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9._-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1)] = match.group(2)
    return pins


# -- the command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached environment")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        binder = build(rebuild=args.rebuild or bool(os.environ.get("CI")), echo=True)
        print(
            f"[binder-smoke] environment {binder.venv} "
            f"({'reused' if binder.reused else 'built'}; steps {binder.timings})"
        )
        pip_check(binder)
        print(
            f"[binder-smoke] pip check OK; widgets extension v{widgets_extension(binder)} enabled"
        )
        for path in course_notebooks():
            t0 = time.perf_counter()
            try:
                run_notebook(binder, path)
            except Exception as exc:  # nbclient's CellExecutionError, a timeout, a dead kernel
                raise SmokeError(f"{path.relative_to(REPO)}: {exc}") from exc
            print(
                f"[binder-smoke] {path.relative_to(REPO)} OK ({time.perf_counter() - t0:.1f} s)",
                flush=True,
            )
    except SmokeError as exc:
        print(f"[binder-smoke] FAIL: {exc}", file=sys.stderr)
        return 1
    print(f"[binder-smoke] passed in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
