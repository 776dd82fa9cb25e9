#!/usr/bin/env python3
"""Use the course in a real browser: JupyterLab, headless Chromium, a learner's clicks.

What a learner does with lesson 03 and its exercises, done by Chromium through Playwright:

1. JupyterLab starts headless on 127.0.0.1 (free port, random token), with Jupyter
   directories of its own (no user settings, no news, no update check, autosave off,
   checkpoints in a temporary folder, never next to the notebooks);
2. open ``notebooks/03_logistic_neuron.ipynb``, Run All, no cell raised (except cells tagged
   ``raises-exception``);
3. every widget output really rendered: no "Error displaying widget", no widget shown as its
   plain-text repr (``VBox(children=...``), the case when the widgets' JavaScript is missing;
4. drag the neuron explorer's ``w`` slider; its readout, the numbers (and they are the
   kernel's: z = w·x + b for the new w) and the picture (hash of its PNG) change;
5. open ``exercises/03_logistic_neuron_exercises.ipynb``, Run All: the first check shows its
   "Not yet" box as rendered HTML; type an answer, run it and its check: "Correct", as HTML.

Screenshots of the explorer before and after the move and of the exercise feedback are saved
(``test-artifacts/browser/`` by default). The server is stopped through its API (which stops
its kernels too), killed if it does not stop, and checked to have left no process behind.

Chromium is Debian's (``apt-get install chromium chromium-driver``): Playwright is pointed at
it and never downloads a browser of its own.

    python tools/browser_check.py [--out DIR] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "apt-get install chromium chromium-driver"
LESSON = "notebooks/03_logistic_neuron.ipynb"
EXERCISE = "exercises/03_logistic_neuron_exercises.ipynb"
EXPLORER_SOURCE = "neuron_explorer()"  # the cell that shows the explorer
SLIDER = "w"
# Where the slider is dragged to, as a fraction of its track (w from -3 to 3: about -1.5).
DRAG_TO = 0.25
# The exercise answered in the browser: its answer cell, an answer and what the check says.
ANSWER_TAG, ANSWER = "answer:ex1", "dL_dz = 1 / (1 + math.exp(2)) - 1  # ŷ − y at z = −2"
VIEWPORT = {"width": 1400, "height": 1000}

# Upper bounds for waits (not measurements): the whole check takes about 25 s here.
SERVER_START_S = 60
OPEN_S = 60
RUN_ALL_S = 120
UPDATE_S = 30
STOP_S = 20

# What a widget output looks like when it did not render (field notes §3).
WIDGET_FAILURES = ("Error displaying widget", "Loading widget...", "model not found")
WIDGET_AS_TEXT = re.compile(
    r"^(VBox|HBox|Box|FloatSlider|IntSlider|Output|HTML|Button|"
    r"ToggleButtons|Label|interactive)\("
)


class CheckFailed(AssertionError):
    """The course did not behave in the browser as a learner needs it to."""


@dataclass
class Report:
    """What the check saw, and how long each phase took."""

    timings: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)
    _t0: float = field(default_factory=time.perf_counter)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._last, 1)
        self._last = now

    def finish(self) -> None:
        self.timings["total"] = round(time.perf_counter() - self._t0, 1)


def expect(condition: Any, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# -- the JupyterLab server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_settings(settings_dir: Path) -> None:
    """User settings a fresh, quiet Lab needs: nothing saved behind our back, no news toast."""
    files = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
    }  # fmt: skip
    for name, value in files.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))


@dataclass
class LabServer:
    """A running JupyterLab: its URL, token, process and log."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    def api(self, method: str, path: str, timeout: float = 5) -> int:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def lab_server(
    python: str, root: Path, scratch: Path, disabled_extensions: tuple[str, ...] = ()
) -> Iterator[LabServer]:
    """Start JupyterLab headless on loopback; stop it (and its kernels) on the way out.

    ``disabled_extensions`` (front-end plugins, e.g. the widgets manager) lets a test show
    that the check notices what a learner would see without them."""
    port, token = free_port(), secrets.token_hex(16)
    dirs = {name: scratch / name for name in
            ("config", "data", "runtime", "settings", "workspaces", "checkpoints")}  # fmt: skip
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    lab_settings(dirs["settings"])
    (dirs["config"] / "jupyter_lab_config.json").write_text(json.dumps({"LabApp": {
        "expose_app_in_browser": True,  # window.jupyterapp: run commands, read cell models
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "workspaces_dir": str(dirs["workspaces"]),
    }}))  # fmt: skip
    if disabled_extensions:
        (dirs["config"] / "labconfig").mkdir()
        (dirs["config"] / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {name: True for name in disabled_extensions}})
        )
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "MPLBACKEND", "PYTEST_"))}  # fmt: skip
    env.update({
        "JUPYTER_CONFIG_DIR": str(dirs["config"]), "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
    })  # fmt: skip
    command = [
        python, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        # An absolute checkpoint_dir puts every checkpoint there, not next to the notebook.
        f"--FileCheckpoints.checkpoint_dir={dirs['checkpoints']}",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    log = scratch / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    server = LabServer(f"http://127.0.0.1:{port}", token, process, log)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            expect(_alive(process), f"JupyterLab exited at start:\n{server.log_tail()}")
            try:
                if server.api("GET", "/api/status", timeout=2) == 200:
                    break
            except OSError:  # not listening yet
                pass
            expect(
                time.monotonic() < deadline,
                f"JupyterLab did not answer in {SERVER_START_S} s:\n{server.log_tail()}",
            )
            time.sleep(0.2)
        yield server
    finally:
        stop_server(server)


def _alive(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is None


def descendants(pid: int) -> list[int]:
    """PIDs of a process's children and their children (the kernels), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_server(server: LabServer) -> None:
    """Shut the server down through its API (its kernels with it); kill what is left."""
    process = server.process
    kernels = descendants(process.pid)
    if _alive(process):
        try:
            server.api("POST", "/api/shutdown")
        except OSError:
            pass  # not answering: the signals below do it
        try:
            process.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
    for pid in kernels:  # the server waits for its kernels; this catches one that did not stop
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            raise CheckFailed(f"kernel process {pid} outlived the server (killed)")


# -- the browser -----------------------------------------------------------------------------

# JavaScript run in the page. `jupyterapp` is JupyterLab itself (expose_app_in_browser).
JS_PANEL = """
(path) => {
  for (const w of window.jupyterapp?.shell.widgets('main') ?? [])
    if (w.context?.path === path) return w;
  return null;
}"""

JS_READY = f"""
(path) => {{
  const panel = ({JS_PANEL})(path);
  return !!panel && panel.isVisible && panel.content.widgets.length > 0 &&
         panel.sessionContext.session?.kernel?.status === 'idle';
}}"""

JS_RUN_ALL = f"""
async (path) => {{
  const app = window.jupyterapp, panel = ({JS_PANEL})(path);
  app.shell.activateById(panel.id);
  return await app.commands.execute('notebook:run-all-cells');
}}"""

JS_CELLS = f"""
(path) => ({JS_PANEL})(path).content.widgets.map((cell, i) => {{
  const json = cell.model.toJSON();
  return {{index: i, type: json.cell_type, source: cell.model.sharedModel.getSource(),
           tags: json.metadata?.tags ?? [], count: json.execution_count ?? null,
           outputs: (json.outputs ?? []).map(o => ({{
             type: o.output_type, mimes: Object.keys(o.data ?? {{}}),
             error: o.output_type === 'error' ? `${{o.ename}}: ${{o.evalue}}` : null}}))}};
}})"""

JS_MARK = f"""
([path, index, name]) => {{
  const cell = ({JS_PANEL})(path).content.widgets[index];
  cell.node.setAttribute('data-browser-check', name);
  cell.node.scrollIntoView({{block: 'start'}});
}}"""

JS_SET_AND_RUN = f"""
async ([path, indices, source]) => {{
  const app = window.jupyterapp, panel = ({JS_PANEL})(path);
  panel.content.widgets[indices[0]].model.sharedModel.setSource(source);
  for (const i of indices) {{
    panel.content.activeCellIndex = i;
    await app.commands.execute('notebook:run-cell');
  }}
}}"""

JS_IMAGES = """
(node) => Array.from(node.querySelectorAll('img, canvas')).map(
  e => e.tagName === 'IMG' ? e.src : e.toDataURL())"""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def open_notebook(page: Any, server: LabServer, path: str, *, first: bool) -> None:
    """Open a notebook as a learner's link or double-click would, and wait for its kernel."""
    if first:
        page.goto(f"{server.url}/lab/tree/{path}?token={server.token}")
    else:
        page.evaluate("async (path) => { await window.jupyterapp.commands.execute("
                      "'docmanager:open', {path}); }", path)  # fmt: skip
    page.wait_for_function(JS_READY, arg=path, timeout=OPEN_S * 1000)


JS_ALL_RUN = f"""
(path) => {{
  // the kernel is idle between cells too (after an error it was told to expect): done means
  // idle and every code cell holding an execution count
  if (!({JS_READY})(path)) return false;
  return ({JS_PANEL})(path).content.widgets.every(cell => {{
    const json = cell.model.toJSON();
    return json.cell_type !== 'code' || !cell.model.sharedModel.getSource().trim() ||
           json.execution_count !== null;
  }});
}}"""


def run_all(page: Any, path: str) -> list[dict[str, Any]]:
    """Run All, then the cells as the notebook model holds them; fail on any error."""
    page.evaluate(JS_RUN_ALL, path)
    try:
        page.wait_for_function(JS_ALL_RUN, arg=path, timeout=RUN_ALL_S * 1000)
    except Exception:  # a timeout: the check below names the cells that never ran
        pass
    cells = page.evaluate(JS_CELLS, path)
    code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
    not_run = [c["index"] for c in code if c["count"] is None]
    expect(not not_run, f"{path}: Run All left cells {not_run} unexecuted")
    errors = [f"cell {c['index']}: {o['error']}" for c in code for o in c["outputs"]
              if o["error"] and "raises-exception" not in c["tags"]]  # fmt: skip
    expect(not errors, f"{path}: cells raised: {errors}")
    return cells


def check_widgets_rendered(page: Any, path: str, cells: list[dict[str, Any]]) -> int:
    """Every widget output became widgets on screen: count them, fail on any fallback."""
    expected = [c["index"] for c in cells for o in c["outputs"]
                if "application/vnd.jupyter.widget-view+json" in o["mimes"]]  # fmt: skip
    panel = page.locator(".jp-NotebookPanel:visible")
    outputs = panel.locator(".jp-OutputArea-output")
    texts = outputs.all_inner_texts()
    for text in texts:
        for failure in WIDGET_FAILURES:
            expect(failure not in text, f"{path}: a widget did not render: {text[:200]!r}")
        expect(not WIDGET_AS_TEXT.match(text.strip()),
               f"{path}: widget shown as plain text (the jupyter-widgets JavaScript extension "
               f"is not loaded): {text[:120]!r}")  # fmt: skip
    rendered = panel.locator(
        ".jp-OutputArea-output .jupyter-widgets.widget-container, "
        ".jp-OutputArea-output .jupyter-widgets.widget-inline-hbox"
    )
    expect(len(set(expected)) > 0, f"{path}: no widget outputs after Run All")
    for index in sorted(set(expected)):
        page.evaluate(JS_MARK, [path, index, f"widget-{index}"])
        cell_widgets = panel.locator(f"[data-browser-check='widget-{index}'] .jupyter-widgets")
        expect(cell_widgets.count() > 0, f"{path}: cell {index}'s widget output shows no widget")
    return rendered.count()


def explorer_state(cell: Any) -> dict[str, Any]:
    """What the learner sees of the explorer: slider readouts, numbers, picture hashes."""
    readouts = {}
    for slider in cell.locator(".widget-slider").all():
        label = slider.locator(".widget-label").inner_text().strip()
        readouts[label] = slider.locator(".widget-readout").inner_text().strip()
    numbers = " ".join(cell.locator(".widget-html-content").all_inner_texts())
    images = [sha(src) for src in cell.evaluate(JS_IMAGES)]
    return {"readouts": readouts, "numbers": numbers, "images": images}


def drag_slider(page: Any, cell: Any, label: str, fraction: float) -> None:
    """Drag a slider's handle to a point of its track, as a mouse would."""
    slider = cell.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$"))
    )
    expect(slider.count() == 1, f"no single slider labelled {label!r} in the explorer")
    handle = slider.locator(".noUi-handle").bounding_box()
    track = slider.locator(".noUi-target").bounding_box()
    expect(handle and track, "the slider has no size on screen")
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], track["y"] + track["height"] / 2,
                    steps=10)  # fmt: skip
    page.mouse.up()


def readout_value(text: str) -> float:
    """A slider readout as a float (ipywidgets formats negatives with a Unicode minus)."""
    return float(text.replace("\u2212", "-"))


def number(text: str, name: str) -> float:
    match = re.search(rf"{re.escape(name)}\s*=\s*([-\u2212]?[\d.]+)", text)
    expect(match, f"no '{name} = ...' in the explorer's numbers: {text!r}")
    return readout_value(match.group(1))


def check_lesson(page: Any, server: LabServer, out: Path, report: Report) -> None:
    open_notebook(page, server, LESSON, first=True)
    report.lap("lab_open")
    cells = run_all(page, LESSON)
    report.lap("lesson_run_all")
    report.facts["widgets_rendered"] = check_widgets_rendered(page, LESSON, cells)
    matches = [c["index"] for c in cells if EXPLORER_SOURCE in c["source"]]
    expect(len(matches) == 1, f"{LESSON}: expected one cell with {EXPLORER_SOURCE}")
    page.evaluate(JS_MARK, [LESSON, matches[0], "explorer"])
    cell = page.locator("[data-browser-check='explorer']")
    cell.locator(".widget-slider").first.wait_for(state="visible", timeout=UPDATE_S * 1000)
    before = explorer_state(cell)
    expect(SLIDER in before["readouts"], f"no {SLIDER!r} slider: {before['readouts']}")
    expect(before["images"], "the explorer shows no picture")
    expect("dL/dw" in before["numbers"], f"the explorer shows no gradients: {before['numbers']!r}")
    report.lap("widgets_checked")
    page.screenshot(path=str(out / "neuron_before.png"))
    report.screenshots.append(out / "neuron_before.png")

    drag_slider(page, cell, SLIDER, DRAG_TO)
    deadline = time.monotonic() + UPDATE_S
    while True:
        after = explorer_state(cell)
        changed = (after["readouts"][SLIDER] != before["readouts"][SLIDER]
                   and after["numbers"] != before["numbers"]
                   and after["images"] and after["images"] != before["images"])  # fmt: skip
        if changed or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    expect(
        after["readouts"][SLIDER] != before["readouts"][SLIDER],
        f"the {SLIDER} slider did not move: readout {after['readouts'][SLIDER]}",
    )
    expect(after["numbers"] != before["numbers"], "the numbers did not change with w")
    expect(after["images"] and after["images"] != before["images"], "the plot did not change")
    # The numbers are the kernel's answer for the new w, not any change: z = w·x + b.
    w, x, b = (readout_value(after["readouts"][k]) for k in ("w", "x", "b"))
    z = number(after["numbers"], "z = w·x + b")
    expect(abs(z - (w * x + b)) < 0.01, f"z = {z} shown for w={w}, x={x}, b={b}")
    report.facts["explorer_before"], report.facts["explorer_after"] = before, after
    report.lap("slider_move_and_update")
    page.screenshot(path=str(out / "neuron_after.png"))
    report.screenshots.append(out / "neuron_after.png")


def feedback_html(page: Any, path: str, index: int, name: str) -> str:
    """The text of a check cell's output, required to be rendered HTML (not plain text)."""
    page.evaluate(JS_MARK, [path, index, name])
    output = page.locator(f"[data-browser-check='{name}'] .jp-OutputArea-output")
    expect(output.count() == 1, f"{path}: check cell {index} shows {output.count()} outputs")
    # Lab marks each rendered output with the MIME type it chose: text/html is the coloured box,
    # text/plain would be the repr a terminal prints.
    mime = output.get_attribute("data-mime-type")
    expect(mime == "text/html", f"{path}: the feedback is shown as {mime}, not rendered HTML: "
                                f"{output.inner_text()[:200]!r}")  # fmt: skip
    expect(
        output.locator("div[style*='border-left']").count() > 0,
        f"{path}: the feedback box has lost its style: {output.inner_html()[:300]!r}",
    )
    return output.inner_text()


def check_exercise(page: Any, server: LabServer, out: Path, report: Report) -> None:
    open_notebook(page, server, EXERCISE, first=False)
    cells = run_all(page, EXERCISE)
    report.lap("exercise_open_and_run_all")
    answers = [c["index"] for c in cells if ANSWER_TAG in c["tags"]]
    expect(len(answers) == 1, f"{EXERCISE}: expected one cell tagged {ANSWER_TAG}")
    check = answers[0] + 1
    expect(".check(" in cells[check]["source"], f"{EXERCISE}: no check after the answer cell")
    blank = feedback_html(page, EXERCISE, check, "blank")
    expect(blank.startswith("✏️ Not yet — ex1"), f"blank answer: {blank[:200]!r}")
    page.evaluate(JS_SET_AND_RUN, [EXERCISE, [answers[0], check], ANSWER])
    page.wait_for_function(JS_READY, arg=EXERCISE, timeout=UPDATE_S * 1000)
    answered = feedback_html(page, EXERCISE, check, "answered")
    expect(answered.startswith("✅ Correct — ex1"), f"answered: {answered[:200]!r}")
    page.evaluate(JS_MARK, [EXERCISE, answers[0], "answer"])
    report.facts["exercise_feedback"] = {"blank": blank[:80], "answered": answered[:80]}
    for path in (LESSON, EXERCISE):  # Lab wrote neither file: its outputs are still unsaved
        expect(
            page.evaluate(f"(path) => ({JS_PANEL})(path).context.model.dirty", path),
            f"{path} was saved by JupyterLab (autosave is meant to be off)",
        )
    report.lap("exercise_check")
    page.screenshot(path=str(out / "exercise_feedback.png"))
    report.screenshots.append(out / "exercise_feedback.png")


def run_check(
    out: Path,
    *,
    chromium: str = CHROMIUM,
    python: str = sys.executable,
    root: Path = REPO,
    exercise: bool = True,
    disabled_extensions: tuple[str, ...] = (),
) -> Report:
    """The whole learner session; raises CheckFailed with what went wrong.

    ``python`` runs the server and the kernel (another environment's python checks that
    environment); ``exercise=False`` stops after the lesson."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    report = Report()
    watched = [root / d / ".ipynb_checkpoints" for d in ("notebooks", "exercises")]
    existed = {p: p.exists() for p in watched}
    with tempfile.TemporaryDirectory(prefix="browser-check-") as tmp:
        with lab_server(python, root, Path(tmp), disabled_extensions) as server:
            report.lap("server_start")
            try:
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(
                        executable_path=chromium, headless=True,
                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                    )  # fmt: skip
                    try:
                        page = browser.new_page(viewport=VIEWPORT)
                        report.lap("browser_start")
                        check_lesson(page, server, out, report)
                        if exercise:
                            check_exercise(page, server, out, report)
                    finally:
                        browser.close()
            finally:
                (out / "jupyterlab.log").write_text(server.log.read_text(errors="replace"))
        report.lap("stop")
    for path, before in existed.items():
        expect(before or not path.exists(), f"the check left {path} behind")
    report.finish()
    (out / "report.json").write_text(
        json.dumps(
            {
                "timings_s": report.timings,
                "facts": report.facts,
                "screenshots": [str(p) for p in report.screenshots],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "test-artifacts" / "browser")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="python of the environment whose JupyterLab and kernel to use",
    )
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium}: {INSTALL_HINT}", file=sys.stderr)
        return 2
    try:
        report = run_check(args.out, chromium=args.chromium, python=args.python)
    except Exception as exc:  # CheckFailed, or Playwright's timeout naming what it waited for
        print(f"FAIL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report.timings))
    print(f"PASS; screenshots: {[str(p) for p in report.screenshots]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
