"""Calling a learner's function safely: catch what it raises, stop it if it never returns.

A check calls the learner's ``train_step`` with inputs of its own. Whatever happens inside is
the learner's code, so it is caught and described, never passed on:

* an exception becomes ``LearnerRaised`` (with the call written out as the learner would);
* a call that runs past the time limit is interrupted and becomes ``LearnerTimedOut``.

Interrupting works in the two places a check runs. In the main thread (a Jupyter kernel, a
terminal, pytest) a SIGALRM timer raises ``_OutOfTime`` inside the learner's loop; the timer
repeats, so a bare ``except:`` in the learner's code cannot swallow it for good. In any other
thread (or where there is no SIGALRM) the call runs in a helper thread and is stopped with
``PyThreadState_SetAsyncExc``, CPython's way to raise an exception in another thread. (A loop
that itself catches every exception, ``while True: try: ... except: pass``, cannot be stopped
from inside Python: in the main thread the check waits for the kernel's interrupt button, in a
helper thread it is left running in the background and reported as timed out.)
Either way the grad mode is restored afterwards, in case the learner's code switched it off.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import types
from collections.abc import Callable
from typing import Any

from ..autograd import grad_mode
from .reading import literal

DEFAULT_TIME_LIMIT = 2.0  # seconds; the course's functions take milliseconds


class _OutOfTime(BaseException):
    """Raised inside the learner's code when time is up (a BaseException, so that
    ``except Exception:`` in the learner's code does not catch it)."""


class LearnerRaised(Exception):
    """The learner's function raised ``error`` when called as ``call``."""

    def __init__(self, call: str, error: BaseException) -> None:
        super().__init__(call, error)
        self.call = call
        self.error = error

    @property
    def error_line(self) -> str:
        return literal(f"{type(self.error).__name__}: {self.error}")


class LearnerTimedOut(Exception):
    """The learner's function did not return within ``seconds``."""

    def __init__(self, call: str, seconds: float) -> None:
        super().__init__(call, seconds)
        self.call = call
        self.seconds = seconds


class Name(str):
    """A placeholder shown as a bare name in a described call: ``train(model, x, y, 300)``."""

    def __repr__(self) -> str:
        return str(self)


def describe_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """``train_step(w=tensor(0., requires_grad=True), lr=0.1)``: the call as a learner reads it."""
    parts = [_short_repr(a) for a in args]
    parts += [f"{k}={_short_repr(v)}" for k, v in kwargs.items()]
    return literal(f"{name}({', '.join(parts)})")


def _short_repr(value: Any) -> str:
    if isinstance(value, types.FunctionType):
        return value.__name__  # `slope(cube, 2.0, 0.001)`, not `<function ... at 0x...>`
    try:
        text = repr(value)
    except Exception:  # a learner's object with a broken __repr__
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def call_learner(
    func: Callable[..., Any],
    *args: Any,
    name: str = "your function",
    time_limit: float = DEFAULT_TIME_LIMIT,
    shown_args: tuple[Any, ...] | None = None,
    modes: list[tuple[bool, bool]] | None = None,
    **kwargs: Any,
) -> Any:
    """``func(*args, **kwargs)``, or LearnerRaised / LearnerTimedOut describing what went wrong.

    ``shown_args`` replaces ``args`` in the description (e.g. to show the tensors as they were
    before the function changed them in place). ``modes``, if given, receives the grad mode
    before and after the call, before it is restored.
    """
    call = describe_call(name, args if shown_args is None else shown_args, kwargs)
    previous_mode = grad_mode._enabled[0]
    try:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM"):
            return _call_with_alarm(func, args, kwargs, time_limit)
        return _call_in_thread(func, args, kwargs, time_limit)
    except _OutOfTime:
        raise LearnerTimedOut(call, time_limit) from None
    except (Exception, SystemExit) as error:  # exit() in a learner's function is an error too
        raise LearnerRaised(call, error) from None
    finally:
        if modes is not None:
            modes.append((previous_mode, grad_mode._enabled[0]))
        grad_mode._enabled[0] = previous_mode


def _call_with_alarm(func: Callable[..., Any], args: Any, kwargs: Any, seconds: float) -> Any:
    state = {"armed": True}

    def out_of_time(signum: int, frame: Any) -> None:
        if state["armed"]:
            raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)  # then again every 50 ms
    try:
        return func(*args, **kwargs)
    finally:
        state["armed"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call_in_thread(func: Callable[..., Any], args: Any, kwargs: Any, seconds: float) -> Any:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = func(*args, **kwargs)
        except BaseException as error:
            outcome["error"] = error

    worker = threading.Thread(target=run, name="learner-call", daemon=True)
    worker.start()
    worker.join(seconds)
    for _ in range(40):  # time is up: raise _OutOfTime inside the worker until it stops
        if not worker.is_alive():
            break
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(_OutOfTime)
        )
        worker.join(0.05)
    else:  # it swallows every interruption: leave the daemon thread, report the timeout
        raise _OutOfTime
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
