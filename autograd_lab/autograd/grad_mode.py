"""Grad mode: whether new operations are recorded in the graph.

``no_grad``, ``enable_grad`` and ``set_grad_enabled`` work as context managers and as
decorators, like PyTorch's (a decorated generator function runs in the mode each time it
resumes). The flag is one module-level value (the course is single-threaded); every op reads
it, so it is kept as cheap to read as possible.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# A one-element list so that other modules can hold a reference and read ``_enabled[0]``
# without a function call on every operation.
_enabled = [True]


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are recorded."""
    return _enabled[0]


class _GradModeContext:
    """Base for the grad-mode switches: a context manager that can also decorate functions."""

    _mode: bool

    def __enter__(self) -> None:
        self._prev = _enabled[0]
        _enabled[0] = self._mode

    def __exit__(self, *exc: object) -> None:
        _enabled[0] = self._prev

    def __call__(self, func: F) -> F:
        if inspect.isgeneratorfunction(func):
            return self._wrap_generator(func)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _wrap_generator(self, func: F) -> F:
        """A generator runs in pieces, each resumed by its caller: the mode must hold inside
        every piece and the caller's mode return between them, as PyTorch does it. So the
        wrapper resumes the generator itself, one ``with`` block per resume."""

        @functools.wraps(func)
        def generator(*args: Any, **kwargs: Any) -> Any:
            gen = func(*args, **kwargs)
            try:
                with self.clone():
                    value = gen.send(None)  # run up to the first yield
                while True:
                    try:
                        sent = yield value  # the caller's turn, in the caller's mode
                    except GeneratorExit:  # the caller closes us: close the generator too
                        with self.clone():
                            gen.close()
                        raise
                    except BaseException as exc:  # the caller threw this in: pass it on
                        with self.clone():
                            value = gen.throw(exc)
                    else:
                        with self.clone():
                            value = gen.send(sent)
            except StopIteration as stop:  # the generator returned: so do we, with its value
                return stop.value

        return generator  # type: ignore[return-value]

    def clone(self) -> _GradModeContext:
        return type(self)()


class _SwitchContext(_GradModeContext):
    """A switch that can be used as ``with s():``, ``@s()`` or bare ``@s``."""

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        self = super().__new__(cls)
        if callable(func):  # used as a bare decorator: @no_grad
            return self(func)
        return self

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        pass


class no_grad(_SwitchContext):
    """Don't record operations: for evaluation and for updating parameters in place."""

    _mode = False


class enable_grad(_SwitchContext):
    """Record operations again, e.g. inside a ``no_grad`` block."""

    _mode = True


class set_grad_enabled(_GradModeContext):
    """Switch recording on or off: at once when called, or only inside a ``with`` block."""

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._prev = _enabled[0]
        _enabled[0] = self._mode  # a plain call switches the mode immediately, as in PyTorch

    def __enter__(self) -> None:
        pass  # already switched by __init__

    def __call__(self, func: F) -> F:
        _enabled[0] = self._prev  # as a decorator it must not leave the mode switched
        return super().__call__(func)

    def clone(self) -> set_grad_enabled:
        return set_grad_enabled(self._mode)

    def __repr__(self) -> str:
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self._mode})"
