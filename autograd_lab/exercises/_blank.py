"""``____``: the blank a learner replaces with an answer.

A blank must never crash the notebook around it: cells after an unanswered one still run and
their checks say "Not yet". So the blank absorbs whatever is done to it: ``____ * 2``,
``x - ____``, ``np.cos(____)``, ``____.backward()`` and ``____.grad`` all give ``____`` back.
(``torch.sigmoid(____)`` needs the functions in ``autograd_lab.functions`` to hand objects
they don't know to ``__torch_function__``, as PyTorch's do; see ``Blank.__torch_function__``.)

An answer cell may end with a statement still to write (``____  # the backward pass``). As a
cell's last expression the blank would show ``Out[3]: ____`` under the untouched cell, so it
displays nothing in IPython (``_ipython_display_``); the check cell below it says "Not yet"
already. ``print(____)`` and ``repr`` still show ``____``.

A function is "not attempted" when its body is only a stub (``...``, ``pass``, ``____``) or
still mentions ``____`` anywhere; this is read from its byte code, without running it.
"""

from __future__ import annotations

import dis
import types
from collections.abc import Callable
from typing import Any


class Blank:
    """The placeholder ``____``. There is one; every operation on it returns it."""

    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def _ipython_display_(self) -> None:
        """Show nothing when the blank ends a cell (no stray ``Out: ____``)."""

    def __format__(self, spec: str) -> str:
        return "____"  # f"{loss:.3f}" in a print() of a blank cell still prints

    def __bool__(self) -> bool:
        return False  # `while loss > 0.1:` with a blank loss stops instead of looping

    def __getattr__(self, name: str) -> Any:
        # Public attributes (.grad, .backward, .item ...) are blanks too. Private and dunder
        # names are refused so that IPython, numpy and copy see an ordinary object.
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Blank:
        return self

    def _absorb(self, *args: Any, **kwargs: Any) -> Blank:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _absorb
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _absorb
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _absorb
    __neg__ = __pos__ = __abs__ = _absorb
    __lt__ = __le__ = __gt__ = __ge__ = _absorb
    __getitem__ = _absorb

    def __iter__(self) -> Any:
        # Without this, Python would iterate through __getitem__ forever (``list(____)``).
        return iter(())

    def __eq__(self, other: object) -> bool:
        return other is self

    __hash__ = object.__hash__

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Blank:
        return self  # np.cos(____), np.array([1.0]) * ____

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Blank:
        return self  # np.mean(____)

    @classmethod
    def __torch_function__(
        cls, func: Any, types: Any, args: Any = (), kwargs: Any = None
    ) -> Blank:
        return BLANK  # torch.sigmoid(____), once autograd_lab.functions dispatches to it

    def __reduce__(self) -> str:
        return "____"  # copy and pickle keep the one blank (module-level name ____)


BLANK = Blank()
____ = BLANK


def contains_blank(value: Any) -> bool:
    """Whether an answer is, or holds, the blank (looks inside lists, tuples and dicts)."""
    stack = [value]
    seen = 0
    while stack and seen < 10_000:  # a bound, in case a learner passes a huge nested list
        item = stack.pop()
        seen += 1
        if item is BLANK:
            return True
        if isinstance(item, list | tuple | set):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


# Instructions a stub body consists of: load a constant or ``____``, discard it, return.
_STUB_OPS = {"RESUME", "NOP", "LOAD_CONST", "LOAD_GLOBAL", "LOAD_NAME", "POP_TOP",
             "RETURN_VALUE", "RETURN_CONST", "CACHE", "PRECALL"}  # fmt: skip


def _code_objects(code: types.CodeType) -> list[types.CodeType]:
    """A function's code and the code of everything defined inside it (no recursion)."""
    found, stack = [], [code]
    while stack:
        c = stack.pop()
        found.append(c)
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return found


def function_code(func: Callable[..., Any]) -> types.CodeType | None:
    """The code object of a Python function (or a bound method); None for anything else."""
    func = getattr(func, "__func__", func)
    code = getattr(func, "__code__", None)
    return code if isinstance(code, types.CodeType) else None


def is_stub(func: Callable[..., Any]) -> bool:
    """True for ``def f(...): ...`` / ``pass`` / ``____`` / ``return ____`` (docstring allowed).

    A body that returns a real constant (``return 3``) is an answer, if a wrong one.
    """
    code = function_code(func)
    if code is None:
        return False
    for ins in dis.get_instructions(code):
        if ins.opname not in _STUB_OPS:
            return False
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and ins.argval != "____":
            return False
        if ins.opname in ("LOAD_CONST", "RETURN_CONST") and ins.argval not in (None, ...):
            return False
    return True


def reads_attribute(func: Callable[..., Any], name: str) -> bool:
    """True when the function's body (or a function inside it) reads ``.name`` of something."""
    code = function_code(func)
    if code is None:
        return False
    return any(
        ins.opname in ("LOAD_ATTR", "STORE_ATTR", "LOAD_METHOD") and ins.argval == name
        for c in _code_objects(code)
        for ins in dis.get_instructions(c)
    )


def mentions_blank(func: Callable[..., Any]) -> bool:
    """True when the function's body (or a function inside it) still uses the name ``____``."""
    code = function_code(func)
    if code is None:
        return False
    return any("____" in c.co_names for c in _code_objects(code))
