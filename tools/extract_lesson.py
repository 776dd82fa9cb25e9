"""Extract the code cells of the lesson dump, with the output shown under each, as JSON.

The lesson (``course/autograd_lesson.txt``) is a notebook dumped to text: markdown, then each
code cell as an ``In [n]:`` line, its source, a blank line and the text shown under
it (printed output, the repr of the trailing expression, warnings, the error line), then more
markdown. Nothing else marks where a cell's source ends, so the cell is read paragraph by
paragraph (paragraphs are separated by blank lines):

* the cell ends at the first paragraph that is markdown (a heading ``## ...``, ``**bold**``,
  a quote ``> ...``, a list item, a rule, ``$$`` maths) or at the next ``In [n]:``;
* of what remains, the last paragraph is the output when the whole does not parse as Python
  (printed text, ``RuntimeError: ...``, an indented warning line), or when it is a Python
  literal or a tensor repr such as ``4`` or ``tensor(2., requires_grad=True)``, which no cell
  of a torch lesson would end with as code; otherwise the cell shows nothing.

Usage::

    python tools/extract_lesson.py course/autograd_lesson.txt

writes ``tests/reference/lesson.json``: a list of ``{"n": 6, "code": "...", "output": "..."}``
in order, ``output`` being the exact text shown (each line ending in a newline; ``""`` when
the cell shows nothing).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "reference" / "lesson.json"

_CELL = re.compile(r"^In \[(\d+)\]:\s*$")
_MARKDOWN = re.compile(r"^(#{2,}\s|\*\*|>|[-*+] |\d+\.\s|\$\$|---|\|)")


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges of the runs of non-blank lines."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _is_shown_value(text: str) -> bool:
    """A literal or a tensor repr: what IPython shows, not what a lesson cell ends with."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    allowed = (
        ast.Expression, ast.Constant, ast.UnaryOp, ast.USub, ast.UAdd, ast.List, ast.Tuple,
        ast.Load, ast.Call, ast.keyword, ast.Name, ast.Attribute,
    )  # fmt: skip
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            return False
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id == "tensor"
        ):
            return False
    return isinstance(tree.body, ast.Constant | ast.UnaryOp | ast.Call | ast.List | ast.Tuple)


def _text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _cell(n: int, lines: list[str]) -> dict:
    """Code and output of one cell, from the lines between its ``In [n]:`` and the next."""
    spans = _paragraphs(lines)
    if not spans:
        raise ValueError(f"cell {n} is empty")
    end = len(spans)
    for k, (start, _) in enumerate(spans[1:], 1):
        if _MARKDOWN.match(lines[start]):
            end = k
            break
    spans = spans[:end]
    code_end, output = spans[-1][1], ""
    if len(spans) > 1:
        last = lines[spans[-1][0] : spans[-1][1]]
        whole = "\n".join(lines[: spans[-1][1]])
        if not _parses(whole) or _is_shown_value("\n".join(last)):
            code_end, output = spans[-2][1], _text(last)
    code = "\n".join(lines[:code_end]).strip("\n") + "\n"
    if not _parses(code):
        raise ValueError(f"cell {n}: could not find where its code ends:\n{code}")
    return {"n": n, "code": code, "output": output}


def extract(text: str) -> list[dict]:
    lines = text.splitlines()
    starts = [(i, int(m[1])) for i, line in enumerate(lines) if (m := _CELL.match(line))]
    cells = []
    for k, (i, n) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        cells.append(_cell(n, lines[i + 1 : stop]))
    return cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lesson", type=Path, help="the lesson dump (autograd_lesson.txt)")
    parser.add_argument("-o", "--output", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    cells = extract(args.lesson.read_text(encoding="utf-8"))
    numbers = [cell["n"] for cell in cells]
    if numbers != list(range(1, len(cells) + 1)):
        print(f"cells are not numbered 1..{len(cells)}: {numbers}", file=sys.stderr)
        return 1
    args.output.write_text(json.dumps(cells, indent=1, ensure_ascii=False) + "\n")
    shown = sum(1 for cell in cells if cell["output"])
    print(f"wrote {len(cells)} cells ({shown} with output) to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
