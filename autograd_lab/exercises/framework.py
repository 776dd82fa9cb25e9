"""The self-check machinery: ``Exercise`` and its kinds, ``Mistake``, hints, solutions, progress.

A learner sees three calls per exercise::

    ex1.check(answer)    # ✏️ Not yet / ❌ Not quite + what went wrong / ✅ Correct / ⚠️ raised
    ex1.hint()           # the next hint; right after a diagnosed mistake, that mistake's hint
    ex1.solution()       # the worked answer (from then on, "Not quite" also shows the value)

An exercise is defined once, in its lesson's module (``chain_rule.py`` ...): the inputs, the
expected answer, a catalogue of common mistakes (each a function of the inputs, with its own
message and hint), a hint ladder (concept → formula → nearly there) and the solution code.
The notebook only holds the question and a cell with ``____``; the solution exists nowhere
else, and the tests run it to prove it passes.

How a check decides, in order: blank → Not yet; an answer of the wrong kind → Not quite
(saying what was passed); the right answer → Correct; a catalogued mistake → Not quite with
its diagnosis; otherwise a general Not quite. ``check`` never raises: whatever the learner
passes, the worst outcome is a message.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._blank import BLANK, contains_blank, is_stub, mentions_blank
from .feedback import (
    CORRECT,
    ERROR,
    INCORRECT,
    NOT_ATTEMPTED,
    NOTED,
    Feedback,
    SolutionCard,
    Table,
    TextCard,
    inline_html,
    show,
)
from .probe import DEFAULT_TIME_LIMIT, LearnerRaised, LearnerTimedOut, call_learner
from .reading import Unreadable, close, describe, read_array, read_number, relative_error

# What every answer cell and solution may use without importing it (the notebooks' setup cell
# imports the same names).
PREAMBLE = (
    "import math\n"
    "import numpy as np\n"
    "import autograd_lab as torch\n"
    "from autograd_lab import nn, optim\n"
    "from autograd_lab.exercises import ____\n"
)

# Numbers: an answer within RTOL of the expected value is right (four significant digits are
# enough); within CLOSE_RTOL it is "close"; catalogued values are at least SEPARATION apart.
# A catalogued slip is recognised within MISTAKE_RTOL, so that it is named even when rounded
# to three significant digits (0.127 for cos(4.84) = 0.12726...); SEPARATION keeps that
# unambiguous.
RTOL = 1e-3
CLOSE_RTOL = 0.05
SEPARATION = 0.1
MISTAKE_RTOL = 0.01


@dataclass
class Mistake:
    """A common mistake: how to recognise it, what to tell the learner, and a hint.

    ``message`` may name details found in the learner's answer as ``{placeholders}`` (filled
    from the diagnosis). ``value`` computes the wrong answer from the exercise's inputs (numbers,
    choices, predictions); ``example`` is code making the mistake (tensors and functions): the
    tests run it and demand this very diagnosis.

    ``message`` names what went wrong; how to fix it belongs in ``hint`` (the learner asks for
    it with ``hint()``), so a first wrong try is not answered with the answer.
    """

    id: str
    message: str
    hint: str
    value: Any = None
    example: str | None = None


# -- verdicts: what an exercise's judge returns --------------------------------------------------


@dataclass
class Correct:
    note: str = ""


@dataclass
class NotYet:
    message: str


@dataclass
class NotQuite:
    """A wrong answer that is not (or not only) a catalogued mistake."""

    message: str


@dataclass
class Diagnosis:
    """A catalogued mistake, details for its message, and ``error`` if the learner's code raised."""

    mistake_id: str
    details: dict[str, Any] = field(default_factory=dict)
    error: LearnerRaised | None = None


Verdict = Correct | NotYet | NotQuite | Diagnosis


# -- the registry behind progress() --------------------------------------------------------------

_REGISTRY: list[Exercise] = []


def progress() -> None:
    """Show how far you got in this session: status, hints used, solutions viewed.

    Nothing is saved or sent anywhere; restarting the kernel starts afresh.
    """
    show(progress_table())


def progress_table() -> Table:
    """One row per exercise. "Solved" means the *last* check said Correct (or Noted): what the
    table shows is where your answers stand now. An exercise that was Correct once but whose
    last check was not says so in its row ("solved earlier"), and the footer counts it apart.
    """
    rows = []
    for ex in _REGISTRY:
        if ex.last is None:
            status = "—"
        else:
            status = {CORRECT: "✅ correct", INCORRECT: "❌ not quite", ERROR: "⚠️ error",
                      NOT_ATTEMPTED: "✏️ not yet", NOTED: "📝 noted"}[ex.last.status]
            if ex.solved_once and not ex.solved:
                status += " (solved earlier)"
        star = "⭐" if ex.solved and not ex.hints_used and not ex.solution_seen else ""
        rows.append([ex.lesson, ex.name, ex.title, status, str(ex.attempts), str(ex.hints_used),
                     "yes" if ex.solution_seen else "", star])
    solved = sum(ex.solved for ex in _REGISTRY)
    earlier = sum(ex.solved_once and not ex.solved for ex in _REGISTRY)
    footer = f"{solved} of {len(_REGISTRY)} solved (the last check said correct or noted)."
    if earlier:
        footer += (f" {earlier} more {'was' if earlier == 1 else 'were'} solved earlier, but "
                   f"{'its' if earlier == 1 else 'their'} last check was not correct.")
    footer += " ⭐ = solved without hints or the solution."
    return Table(
        "Your progress (this session only)",
        ["lesson", "exercise", "title", "last check", "checks", "hints", "solution", ""],
        rows,
        footer=footer,
    )


# -- the base class -----------------------------------------------------------------------------


class Exercise:
    """One exercise: ``check``, ``hint``, ``solution`` and the state behind ``progress()``.

    Subclasses implement ``_judge(*answers) -> Verdict``. ``answer_names`` are the variables
    the notebook's check cell passes (``ex1.check(dz_dx)``), in order.
    """

    kind = "exercise"

    def __init__(
        self,
        name: str,
        title: str,
        *,
        lesson: str,
        answer_names: Sequence[str],
        hints: Sequence[str],
        solution: str,
        explanation: str,
        mistakes: Sequence[Mistake] = (),
        on_correct: str = "",
    ) -> None:
        self.name = name
        self.title = title
        self.lesson = lesson
        self.answer_names = tuple(answer_names)
        self.hints = list(hints)
        self.solution_code = solution.strip("\n") + "\n"
        self.explanation = explanation
        self.mistakes = {m.id: m for m in mistakes}
        if len(self.mistakes) != len(mistakes):
            raise ValueError(f"{name}: two mistakes share an id")
        self.on_correct = on_correct
        self.reset()
        _REGISTRY.append(self)

    def reset(self) -> None:
        """Forget this session's attempts (used by tests; a kernel restart does the same)."""
        self.last: Feedback | None = None
        self.attempts = 0
        self.hints_used = 0
        self.solution_seen = False
        self.solved_once = False  # some check said Correct (or Noted) this session
        self._next_hint = 0
        self._pending_mistake: str | None = None

    @property
    def solved(self) -> bool:
        """Whether the last check said Correct (or Noted, for reveal-only questions)."""
        return self.last is not None and self.last.status in (CORRECT, NOTED)

    def __repr__(self) -> str:
        n = self.name
        return f"<{self.lesson} {n}: {self.title} — {n}.check(...), {n}.hint(), {n}.solution()>"

    # -- the learner's three calls ----------------------------------------------------------

    def check(self, *answers: Any) -> None:
        """Check your answer and show what is right or wrong about it."""
        feedback = self.evaluate(*answers)
        self.attempts += 1
        self.last = feedback
        self.solved_once = self.solved_once or self.solved
        self._pending_mistake = feedback.mistake_id
        show(feedback)

    def hint(self, level: int | None = None) -> None:
        """Show a hint: after a diagnosed mistake its own hint, then the next general one."""
        show(self.hint_card(level))

    def solution(self) -> None:
        """Show the solution. After this, "Not quite" also tells you the expected value."""
        self.solution_seen = True
        show(SolutionCard(f"Solution — {self.name}: {self.title}", self.solution_code,
                          self.explanation))

    # -- pieces the calls are made of (also what the tests use) -----------------------------

    def evaluate(self, *answers: Any) -> Feedback:
        """The feedback for these answers, without recording an attempt or showing anything."""
        try:
            if len(answers) != len(self.answer_names):
                return self._feedback(NOT_ATTEMPTED if not answers else INCORRECT, (
                    f"`{self.name}.check` takes {len(self.answer_names)} "
                    f"answer{'s' if len(self.answer_names) > 1 else ''}: "
                    f"`{self.name}.check({', '.join(self.answer_names)})`."))
            verdict = self._judge(*answers)
        except Unreadable as why:
            verdict = NotQuite(str(why))
        except LearnerRaised as raised:
            return self._raised_feedback(raised, "")
        except LearnerTimedOut as slow:
            feedback = self._feedback(ERROR, (
                f"Calling `{slow.call}` did not finish within {slow.seconds:g} s, so I stopped "
                "it. Is there a loop that never ends (a `while` whose condition stays true, or a "
                "loop variable that never changes)?"))
            feedback.word = "Your code did not finish"
            return feedback
        except Exception as bug:
            return self._feedback(INCORRECT, (
                "I could not check this answer: the checker itself failed on it. Please tell "
                "the course authors; meanwhile compare your answer with the exercise text."),
                internal_error="".join(traceback.format_exception(bug)))
        return self._verdict_feedback(verdict)

    def hint_card(self, level: int | None = None) -> TextCard:
        if not self.hints:
            return TextCard(f"Hint — {self.name}", "This exercise has no hints.")
        if level is None and self._pending_mistake in self.mistakes:
            mistake = self.mistakes[self._pending_mistake]
            self._pending_mistake = None
            self.hints_used += 1
            return TextCard(f"Hint — {self.name} (about your last answer)", mistake.hint + (
                f"\n\nFor a general hint, run `{self.name}.hint()` again."))
        if level is None:
            index = min(self._next_hint, len(self.hints) - 1)
        else:
            index = min(max(int(level), 1), len(self.hints)) - 1
        self._next_hint = max(self._next_hint, index + 1)
        self.hints_used += 1
        more = (f"\n\nFor the next hint, run `{self.name}.hint()` again."
                if index + 1 < len(self.hints) else
                f"\n\nThat was the last hint; `{self.name}.solution()` shows the answer.")
        return TextCard(f"Hint {index + 1} of {len(self.hints)} — {self.name}",
                        self.hints[index] + more)

    def reference(self) -> tuple[Any, ...]:
        """Run the solution code; return the answers it defines (in ``answer_names`` order)."""
        namespace: dict[str, Any] = {}
        exec(PREAMBLE + self.solution_code, namespace)  # the solution is our own code
        return tuple(namespace[n] for n in self.answer_names)

    def expected_text(self) -> str | None:
        """The expected answer as text, for exercises where a value says it all."""
        return None

    # -- turning verdicts into feedback -----------------------------------------------------

    def _judge(self, *answers: Any) -> Verdict:
        raise NotImplementedError

    def _feedback(self, status: str, message: str, *, mistake_id: str | None = None,
                  internal_error: str | None = None) -> Feedback:
        tip = ""
        if status in (INCORRECT, ERROR):
            tip = f"Stuck? Run `{self.name}.hint()`."
            expected = self.expected_text() if self.solution_seen else None
            if expected is not None:
                message += f"\n\n(You have seen the solution: the expected answer is {expected}.)"
        return Feedback(status, message, f"{self.name}: {self.title}", mistake_id, tip,
                        internal_error)

    def _verdict_feedback(self, verdict: Verdict) -> Feedback:
        if isinstance(verdict, Correct):
            text = verdict.note or self.on_correct or (
                f"Well done. `{self.name}.solution()` shows the worked answer, if you want to "
                "compare.")
            return self._feedback(CORRECT, text)
        if isinstance(verdict, NotYet):
            return self._feedback(NOT_ATTEMPTED, verdict.message)
        if isinstance(verdict, NotQuite):
            return self._feedback(INCORRECT, verdict.message)
        mistake = self.mistakes[verdict.mistake_id]
        message = mistake.message.format(**verdict.details) if verdict.details else mistake.message
        if verdict.error is not None:
            return self._raised_feedback(verdict.error, message, verdict.mistake_id)
        return self._feedback(INCORRECT, message, mistake_id=mistake.id)

    def _raised_feedback(self, raised: LearnerRaised, explanation: str,
                         mistake_id: str | None = None) -> Feedback:
        message = f"Calling `{raised.call}` raised\n`{raised.error_line}`"
        if explanation:
            message += f"\n\n{explanation}"
        return self._feedback(ERROR, message, mistake_id=mistake_id)


# -- the kinds ----------------------------------------------------------------------------------


def _sym_distance(a: Any, b: Any) -> float:
    """Symmetric relative distance between two values (for the distinguishability check)."""
    import numpy as np

    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.maximum(np.abs(a_arr), np.abs(b_arr)), 1e-3)
    return float(np.max(np.abs(a_arr - b_arr) / scale))


class NumericExercise(Exercise):
    """A number (or a vector of numbers) worked out by hand or predicted before running.

    ``answer`` and every mistake's ``value`` are functions of ``inputs``; ``shape`` is None
    for a single number.
    """

    kind = "numeric"

    def __init__(self, name: str, title: str, *, inputs: dict[str, Any],
                 answer: Callable[..., Any], shape: tuple[int, ...] | None = None,
                 **kwargs: Any) -> None:
        self.inputs = dict(inputs)
        self.answer = answer
        self.shape = shape
        super().__init__(name, title, **kwargs)

    def expected(self) -> Any:
        return self.answer(**self.inputs)

    def mistake_values(self) -> dict[str, Any]:
        return {m.id: m.value(**self.inputs) for m in self.mistakes.values()}

    def expected_text(self) -> str:
        value = self.expected()
        if self.shape is None:
            return f"{float(value):.6g}"
        return "[" + ", ".join(f"{float(v):.6g}" for v in value) + "]"

    def separation(self) -> float:
        """The smallest distance between any two of: the answer and the mistakes' values."""
        values = [self.expected(), *self.mistake_values().values()]
        return min((_sym_distance(a, b) for i, a in enumerate(values) for b in values[i + 1:]),
                   default=math.inf)

    def _judge(self, answer: Any) -> Verdict:
        if contains_blank(answer):
            return NotYet("Replace `____` with your answer, then run the cell again.")
        got = read_number(answer) if self.shape is None else read_array(answer, self.shape)
        if math.isnan(relative_error(got, 0.0)):
            return NotQuite("Your answer is `nan` (not a number). Something in the calculation "
                            "was undefined, e.g. 0/0 or the log of a negative number.")
        if not math.isfinite(relative_error(got, 0.0)):
            return NotQuite("Your answer is infinite. Look for a division by zero or an "
                            "overflowing exponential.")
        expected = self.expected()
        if close(got, expected, RTOL):
            return Correct()
        for mistake_id, wrong in self.mistake_values().items():
            if close(got, wrong, MISTAKE_RTOL):
                return Diagnosis(mistake_id)
        if close(got, expected, CLOSE_RTOL):
            return NotQuite("Close, but not exact. Did you round too early, or estimate the "
                            "slope numerically? Give the exact value to at least 4 significant "
                            "digits.")
        if close(-got, expected, RTOL):
            return NotQuite("The size is right but the sign is wrong. Check each minus sign.")
        return NotQuite("That is not it, and it is not one of the usual slips I know. Check "
                        "your working one step at a time.")


class ChoiceExercise(Exercise):
    """A multiple-choice question: ``check("b")``, or the buttons of ``widget()``.

    Every wrong option is a catalogued mistake (``value`` = its letter), so each gets its own
    explanation.
    """

    kind = "choice"

    def __init__(self, name: str, title: str, *, question: str, options: dict[str, str],
                 answer: str, **kwargs: Any) -> None:
        self.question = question
        self.options = dict(options)
        self.answer = answer
        super().__init__(name, title, **kwargs)

    def expected_text(self) -> str:
        return f"({self.answer})"

    def options_text(self) -> str:
        return "\n".join(f"({k}) {v}" for k, v in self.options.items())

    def _letters(self) -> str:
        keys = list(self.options)
        return ", ".join(f"`{k!r}`" for k in keys[:-1]) + f" or `{keys[-1]!r}`"

    def _judge(self, choice: Any) -> Verdict:
        if contains_blank(choice):
            return NotYet(f"Replace `____` with one letter: {self._letters()}.\n\n"
                          f"{self.question}\n\n{self.options_text()}")
        if not isinstance(choice, str):
            return NotQuite(f"You passed {describe(choice)}. Answer with one letter in quotes, "
                            f"e.g. `{self.name}.check('a')`.")
        letter = choice.strip().strip("()").strip().lower()
        if letter not in self.options:
            return NotQuite(f"There is no option {choice!r}. Choose {self._letters()}.")
        if letter == self.answer:
            return Correct()
        for mistake in self.mistakes.values():
            if mistake.value == letter:
                return Diagnosis(mistake.id)
        return NotQuite(f"({letter}) is not right.")

    def widget(self) -> Any:
        """The question and its options, a button per letter, and a Check button.

        Question and options are shown as HTML, so `code` in them is set as code (radio
        buttons can only show plain text, where the backticks would stay literal). The text
        answer `check("b")` works everywhere.
        """
        try:
            import ipywidgets as widgets
        except ImportError:
            return TextCard(f"{self.name}: {self.title}", f"{self.question}\n\n"
                            f"{self.options_text()}\n\nAnswer with `{self.name}.check('a')`.")
        items = "".join(f"<li style='margin:0.15em 0'><b>({k})</b> {inline_html(v)}</li>"
                        for k, v in self.options.items())
        text = widgets.HTML(f"<div style='font-family:sans-serif'><b>{inline_html(self.question)}"
                            f"</b><ul style='list-style:none;padding-left:0.5em;margin:0.4em 0'>"
                            f"{items}</ul></div>")
        letters = widgets.ToggleButtons(
            options=[(f"({k})", k) for k in self.options], value=None,
            description="Your answer:", style={"description_width": "initial",
                                               "button_width": "3.5em"})
        button = widgets.Button(description="Check", button_style="primary")
        output = widgets.Output()

        def on_click(_: Any) -> None:
            output.clear_output()
            with output:
                self.check(BLANK if letters.value is None else letters.value)

        button.on_click(on_click)
        return widgets.VBox([text, letters, button, output])


class PredictExercise(Exercise):
    """Several predictions at once, as a dict (``{"x": "leaf", "y": ____, ...}``).

    Each wrong entry gets its own line of feedback. Mistakes' ``value`` is ``(key, wrong)``.
    """

    kind = "predict"

    def __init__(self, name: str, title: str, *, expected: dict[str, Any],
                 choices: Sequence[str] = (), **kwargs: Any) -> None:
        self.expected_items = dict(expected)
        self.choices = tuple(choices)  # the words allowed as answers (for word predictions)
        super().__init__(name, title, **kwargs)

    def expected_text(self) -> str:
        return repr(self.expected_items)

    def _normalise(self, key: str, value: Any) -> Any:
        want = self.expected_items[key]
        if isinstance(want, bool):
            if isinstance(value, str) and value.strip().lower() in ("true", "false"):
                raise Unreadable(f"For `{key}` you wrote the text {value!r}; write `True` or "
                                 "`False` without quotes.")
            if not isinstance(value, bool):
                raise Unreadable(f"For `{key}` you passed {describe(value)}; write `True` or "
                                 "`False`.")
            return value
        if isinstance(want, str):
            words = " / ".join(f"`{c!r}`" for c in self.choices)
            if not isinstance(value, str):
                raise Unreadable(f"For `{key}` you passed {describe(value)}; write one of "
                                 f"{words} (in quotes).")
            word = value.strip().lower()
            if self.choices and word not in self.choices:
                raise Unreadable(f"For `{key}` you wrote {value!r}; write one of {words}.")
            return word
        return value

    def _judge(self, answers: Any) -> Verdict:
        if not isinstance(answers, dict):
            if contains_blank(answers):
                return NotYet("Fill in the dictionary's `____` entries.")
            raise Unreadable(f"You passed {describe(answers)}; keep the dictionary and fill in "
                             "its `____` entries.")
        blanks = [k for k, v in answers.items() if contains_blank(v)]
        if blanks:
            return NotYet(f"Fill in every `____` ({len(blanks)} left: "
                          f"{', '.join(f'`{k}`' for k in blanks)}).")
        missing = [k for k in self.expected_items if k not in answers]
        if missing:
            raise Unreadable(f"Your dictionary has no entry for {', '.join(map(repr, missing))}.")
        wrong: list[tuple[str, Any]] = []
        for key, want in self.expected_items.items():
            got = self._normalise(key, answers[key])
            if got != want:
                wrong.append((key, got))
        if not wrong:
            return Correct()
        lines, first_id = [], None
        for key, got in wrong:
            mistake = next((m for m in self.mistakes.values() if m.value == (key, got)), None)
            if mistake is not None:
                first_id = first_id or mistake.id
                lines.append(f"`{key}`: {mistake.message}")
            else:
                lines.append(f"`{key}`: {got!r} is not right.")
        right = len(self.expected_items) - len(wrong)
        text = f"{right} of {len(self.expected_items)} right.\n\n" + "\n\n".join(lines)
        if first_id is not None:
            return _DiagnosisWithText(first_id, text)
        return NotQuite(text)

    def _verdict_feedback(self, verdict: Verdict) -> Feedback:
        if isinstance(verdict, _DiagnosisWithText):
            return self._feedback(INCORRECT, verdict.text, mistake_id=verdict.mistake_id)
        return super()._verdict_feedback(verdict)


class _DiagnosisWithText(Diagnosis):
    """A diagnosis whose message lists several entries (PredictExercise)."""

    def __init__(self, mistake_id: str, text: str) -> None:
        super().__init__(mistake_id)
        self.text = text


class TensorExercise(Exercise):
    """Answers are tensors built by the learner; ``judge`` reads values, grads and the graph.

    ``judge(*answers)`` returns a verdict; it may raise ``Unreadable``. Blanks are handled
    before it runs.
    """

    kind = "tensor"

    def __init__(self, name: str, title: str, *, judge: Callable[..., Verdict],
                 **kwargs: Any) -> None:
        self.judge = judge
        super().__init__(name, title, **kwargs)

    def _judge(self, *answers: Any) -> Verdict:
        blanks = [n for n, a in zip(self.answer_names, answers) if contains_blank(a)]
        if blanks:
            names = ", ".join(f"`{b}`" for b in blanks)
            return NotYet(f"Replace every `____` in the answer cell ({names} still blank), then "
                          "run it and this cell again.")
        return self.judge(*answers)


class ExperimentExercise(TensorExercise):
    """The answer is a setting (a learning rate, ...); ``judge`` runs an experiment with it and
    reports what happened, like the learner's own run would."""

    kind = "experiment"


class Probe:
    """Calls the learner's function with a time limit; what the judge of a FunctionExercise gets."""

    def __init__(self, func: Callable[..., Any], name: str, time_limit: float) -> None:
        self.func = func
        self.name = name
        self.time_limit = time_limit
        # Did the last call leave gradient recording switched off? call_learner switches it
        # back on (the learner's session must go on recording), but a judge may want to know.
        self.left_grad_off = False

    def __call__(self, *args: Any, shown_args: tuple[Any, ...] | None = None,
                 **kwargs: Any) -> Any:
        modes: list[tuple[bool, bool]] = []
        try:
            return call_learner(self.func, *args, name=self.name, time_limit=self.time_limit,
                                shown_args=shown_args, modes=modes, **kwargs)
        finally:
            self.left_grad_off = modes == [(True, False)]  # (on before the call, off after)

    def run(self, func: Callable[..., Any], *args: Any, name: str) -> Any:
        """Call something else the learner made (e.g. the model their function returned)."""
        return call_learner(func, *args, name=name, time_limit=self.time_limit)


class FunctionExercise(Exercise):
    """The answer is a function (``def train_step(...)``); ``judge(probe)`` calls it on inputs.

    Before the judge runs: a blank, a stub body (``...``, ``pass``, ``____``) or a body that
    still contains ``____`` is "Not yet"; something that is not a function is "Not quite".
    ``accepted(func)`` gives back the learner's function if it passes, else the reference one,
    so that later cells of a notebook still run.
    """

    kind = "function"

    def __init__(self, name: str, title: str, *, function_name: str,
                 judge: Callable[[Probe], Verdict], time_limit: float = DEFAULT_TIME_LIMIT,
                 **kwargs: Any) -> None:
        self.function_name = function_name
        self.judge = judge
        self.time_limit = time_limit
        super().__init__(name, title, **kwargs)

    def _judge(self, func: Any) -> Verdict:
        fname = self.function_name
        if contains_blank(func):
            return NotYet(f"Write the function `{fname}` in the answer cell, then pass it here.")
        if not callable(func):
            return NotQuite(f"You passed {describe(func)}; pass the function itself: "
                            f"`{self.name}.check({fname})` (no brackets after its name).")
        if is_stub(func):
            return NotYet(f"`{fname}` is still a stub (its body is only `pass`, `...` or "
                          "`____`): write its body.")
        if mentions_blank(func):
            return NotYet(f"`{fname}` still contains a `____`; replace it with your code.")
        return self.judge(Probe(func, fname, self.time_limit))

    def accepted(self, func: Any) -> Callable[..., Any]:
        """Your function if it passes this exercise's check; otherwise the reference solution."""
        if self.evaluate(func).status == CORRECT:
            return func
        show(TextCard(f"Note — {self.name}", f"Your `{self.function_name}` does not pass "
                      f"`{self.name}.check` yet, so the cells below use the reference version. "
                      "Come back to it later!", border="#b9770e", background="#fef6e7"))
        return self.reference()[0]


class ReflectExercise(Exercise):
    """Explain in your own words; nothing is graded, the model answer is ``solution()``."""

    kind = "reflect"

    def _judge(self, text: Any) -> Verdict:
        if contains_blank(text) or (isinstance(text, str) and not text.strip()):
            return NotYet("Write your explanation as text in quotes, then run the cell again.")
        if not isinstance(text, str):
            return NotQuite(f"You passed {describe(text)}; write your explanation as text in "
                            "quotes, e.g. `answer = \"Because ...\"`.")
        if len(text.split()) < 4:
            return NotQuite("Write a sentence or two: it is the putting into words that helps.")
        return _Noted()

    def _verdict_feedback(self, verdict: Verdict) -> Feedback:
        if isinstance(verdict, _Noted):
            return Feedback(NOTED, f"Now compare your explanation with `{self.name}.solution()`: "
                            "does it name the same reason?", f"{self.name}: {self.title}")
        return super()._verdict_feedback(verdict)


class _Noted(Correct):
    """A reflect exercise's answer was written down (there is nothing to grade)."""
