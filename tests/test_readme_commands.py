"""The README's promises hold: its two commands are the ones CI runs and point at what exists.

* the "run the tests" command is, character for character, the last command of ``.ci/run``
  (so CI proves it on a fresh clone of a fresh machine);
* the "open the course" command opens a notebook that exists, the first lesson;
* both set up from nothing (a new ``.venv``) and install extras that pyproject defines;
* the Binder badge's ``OWNER/NAME`` and notebook path are the ones ``binder/README.md`` records,
  and the notebook exists.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
BINDER_README = (REPO / "binder" / "README.md").read_text()
CI_RUN = (REPO / ".ci" / "run").read_text()
BINDER_LINK = re.compile(
    r"https://mybinder\.org/v2/gh/(?P<repo>[\w.-]+/[\w.-]+)/(?P<ref>[\w.-]+)"
    r"\?urlpath=lab/tree/(?P<path>[\w./-]+\.ipynb)"
)


def shell_blocks(markdown: str) -> list[str]:
    """The commands of the ```bash blocks, each block joined into one line."""
    blocks = re.findall(r"```(?:bash|sh|shell)\n(.*?)```", markdown, re.DOTALL)
    return [" ".join(b.replace("\\\n", " ").split()) for b in blocks]


def readme_command(word: str) -> str:
    """The README command block that mentions ``word`` (exactly one must)."""
    found = [c for c in shell_blocks(README) if word in c]
    assert len(found) == 1, f"expected one README command with {word!r}, found {found}"
    return found[0]


def last_command(script: str) -> str:
    """The last command of a shell script (comments and blank lines skipped)."""
    lines = [ln.strip() for ln in script.replace("\\\n", " ").splitlines()]
    commands = [ln for ln in lines if ln and not ln.startswith("#")]
    return " ".join(commands[-1].split())


def test_readme_has_exactly_the_two_commands() -> None:
    assert len(shell_blocks(README)) == 2, shell_blocks(README)


def test_readme_test_command_is_what_ci_runs() -> None:
    assert readme_command("pytest") == last_command(CI_RUN)


def test_ci_stops_on_the_first_failure() -> None:
    # Without -e a failing install would let CI go on and report what pytest says of the
    # previous environment; with the README command last, pytest's exit code is CI's.
    assert re.search(r"^set -euo pipefail$", CI_RUN, re.MULTILINE)


@pytest.mark.parametrize("word", ["pytest", "jupyter lab"])
def test_command_sets_up_a_fresh_venv_with_a_defined_extra(word: str) -> None:
    command = readme_command(word)
    assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e "), command
    extras = re.findall(r'-e "?\.\[(\w+)\]"?', command)
    defined = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert extras and all(e in defined for e in extras), (extras, sorted(defined))
    # Every later step runs the venv's own tools: no activation needed on a fresh shell.
    for step in command.split(" && ")[2:]:
        assert step.startswith(".venv/bin/"), step


def test_open_course_command_opens_the_first_lesson() -> None:
    words = shlex.split(readme_command("jupyter lab").split(" && ")[-1])
    assert words[:2] == [".venv/bin/jupyter", "lab"], words
    notebook = REPO / words[2]
    assert notebook.is_file(), f"the README opens {words[2]}, which does not exist"
    assert notebook.parent.name == "notebooks" and notebook.name.startswith("00_")


def test_binder_badge_matches_binder_readme_and_exists() -> None:
    recorded = re.search(r"^repository: `([\w.-]+/[\w.-]+)`$", BINDER_README, re.MULTILINE)
    assert recorded, "binder/README.md must record the repository as: repository: `OWNER/NAME`"
    links = BINDER_LINK.findall(README)
    assert len(links) == 1, f"expected one Binder launch link in README.md, found {links}"
    repo, ref, path = links[0]
    assert repo == recorded.group(1), (
        f"README's badge says {repo}, binder/README.md says {recorded.group(1)}"
    )
    assert ref == "HEAD"
    assert BINDER_LINK.findall(BINDER_README) == links, "binder/README.md shows another link"
    assert (REPO / path).is_file(), f"the Binder link opens {path}, which does not exist"
    assert path == shlex.split(readme_command("jupyter lab"))[-1], (
        "Binder and the open-course command should open the same first lesson"
    )
    badge = "[![Binder](https://mybinder.org/badge_logo.svg)]("
    assert badge + BINDER_LINK.search(README)[0] + ")" in README, "the link is not the badge's"
