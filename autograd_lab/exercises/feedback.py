"""What a learner sees: feedback, hints, solutions and the progress table.

Every view is an object with two renderings: ``_repr_html_`` (a coloured box in JupyterLab,
VS Code and Colab) and ``__repr__`` (plain text for a terminal, a log or a test). Messages are
written as plain text in which `backticks` mark code; the HTML rendering turns those into
``<code>`` and the text rendering leaves them as they are, which reads well in both.
"""

from __future__ import annotations

import html
import re
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Any

# The states a check can answer with, and how each is shown.
NOT_ATTEMPTED = "not_attempted"
INCORRECT = "incorrect"
CORRECT = "correct"
ERROR = "error"
NOTED = "noted"  # a reveal-only question: nothing to grade, the answer was written down

_LOOK = {  # status -> (icon, heading, border colour, background colour)
    NOT_ATTEMPTED: ("✏️", "Not yet", "#8a8a8a", "#f5f5f5"),
    INCORRECT: ("❌", "Not quite", "#c0392b", "#fdf0ef"),
    CORRECT: ("✅", "Correct", "#1e8449", "#eef8f1"),
    ERROR: ("⚠️", "Your code raised an error", "#b9770e", "#fef6e7"),
    NOTED: ("📝", "Noted", "#2471a3", "#eef4fa"),
}

_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline_html(text: str) -> str:
    """Escape text for HTML and turn `code` spans into <code> elements."""
    return _CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text))


def _paragraphs_html(text: str) -> str:
    # blank lines part paragraphs; a single newline is a line break (options, error lines)
    paragraphs = [inline_html(p).replace("\n", "<br>") for p in text.split("\n\n")]
    return "".join(f"<p style='margin:0.3em 0'>{p}</p>" for p in paragraphs)


def _box(border: str, background: str, heading_html: str, body_html: str) -> str:
    return (
        f"<div style='border-left:5px solid {border};background:{background};color:#222;"
        f"padding:0.5em 0.9em;margin:0.3em 0;border-radius:3px;font-family:sans-serif'>"
        f"<div style='font-weight:bold;margin-bottom:0.2em'>{heading_html}</div>{body_html}</div>"
    )


def _indent(text: str, width: int = 96) -> str:
    """Wrap each paragraph for a terminal and indent it under the heading line."""
    blocks = []
    for para in text.split("\n\n"):
        lines = []
        for line in para.split("\n"):
            lines.extend(textwrap.wrap(line, width - 3) or [""])
        blocks.append("\n".join("   " + ln for ln in lines))
    return "\n\n".join(blocks)


@dataclass
class Feedback:
    """The answer to one ``check``: a status, what to say, and which mistake (if any) it was.

    ``internal_error`` is set only when the checker itself failed on an answer it did not
    expect; the learner still gets a calm "Not quite", and the tests make sure it stays None.
    """

    status: str
    message: str
    exercise: str = ""
    mistake_id: str | None = None
    tip: str = ""  # a closing line such as "Stuck? `ex1.hint()`"
    internal_error: str | None = None
    word: str = ""  # replaces the status's usual heading word ("Your code did not finish")

    @property
    def heading(self) -> str:
        icon, word, _, _ = _LOOK[self.status]
        return f"{icon} {self.word or word}" + (f" — {self.exercise}" if self.exercise else "")

    def __repr__(self) -> str:
        body = self.message + (f"\n\n{self.tip}" if self.tip else "")
        return f"{self.heading}\n{_indent(body)}"

    def _repr_html_(self) -> str:
        _, _, border, background = _LOOK[self.status]
        body = _paragraphs_html(self.message)
        if self.tip:
            body += f"<p style='margin:0.3em 0;color:#555'>{inline_html(self.tip)}</p>"
        return _box(border, background, html.escape(self.heading), body)


@dataclass
class TextCard:
    """A hint, a note or an explanation: a heading and some paragraphs."""

    heading: str
    text: str
    border: str = "#7d3c98"
    background: str = "#f6f0fa"

    def __repr__(self) -> str:
        return f"{self.heading}\n{_indent(self.text)}"

    def _repr_html_(self) -> str:
        return _box(self.border, self.background, inline_html(self.heading),
                    _paragraphs_html(self.text))


@dataclass
class SolutionCard:
    """A worked solution: the code for the answer cell and why it is right."""

    heading: str
    code: str
    explanation: str

    def __repr__(self) -> str:
        code = textwrap.indent(self.code.strip("\n"), "    ")
        return f"{self.heading}\n{code}\n\n{_indent(self.explanation)}"

    def _repr_html_(self) -> str:
        code = (
            "<pre style='background:#fff;border:1px solid #ddd;padding:0.5em;margin:0.4em 0;"
            f"overflow-x:auto'><code>{html.escape(self.code.strip(chr(10)))}</code></pre>"
        )
        return _box("#2471a3", "#eef4fa", html.escape(self.heading),
                    code + _paragraphs_html(self.explanation))


@dataclass
class Table:
    """A small table (the progress overview)."""

    heading: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    footer: str = ""

    def __repr__(self) -> str:
        widths = [max(len(str(r[i])) for r in [self.columns, *self.rows])
                  for i in range(len(self.columns))]
        def line(cells: list[str]) -> str:
            return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
        out = [self.heading, line(self.columns), line(["-" * w for w in widths])]
        out += [line(r) for r in self.rows]
        if self.footer:
            out.append(self.footer)
        return "\n".join(out)

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left;padding:2px 10px'>{html.escape(c)}</th>"
                       for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td style='padding:2px 10px'>{inline_html(str(c))}</td>"
                             for c in row) + "</tr>"
            for row in self.rows
        )
        foot = f"<p style='color:#555'>{inline_html(self.footer)}</p>" if self.footer else ""
        return (f"<div style='font-family:sans-serif'><b>{html.escape(self.heading)}</b>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}</div>")


def show(view: Any) -> None:
    """Display a view: rich in IPython/Jupyter, as plain text anywhere else.

    IPython is looked up only if it is already imported, so a plain Python session never
    imports it (and a test's output stays plain text).
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from IPython.display import display

        display(view)
    else:
        print(repr(view))
