"""Computing inf and nan silently, as PyTorch does.

numpy warns when a result overflows or is undefined (``log(0)``, ``exp(1000)``, ``0/0``);
PyTorch returns -inf, inf or nan without a word, and so must we: the course shows such values on
purpose. ``np.errstate(all="ignore")`` is the public switch, but entering and leaving it costs
more than a whole operation on a small tensor (about 1.5 µs). numpy 2 keeps the error state in a
context variable; setting that variable directly does the same in about 0.15 µs. Should a future
numpy move it, the public ``np.errstate`` takes over.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    QUIET = _make_extobj(all="ignore")
    silence = _extobj_contextvar.set  # silence(QUIET) -> token: warnings off
    restore = _extobj_contextvar.reset  # restore(token): as they were

except ImportError:  # pragma: no cover - depends on numpy's internals
    QUIET = "ignore"

    def silence(mode: Any) -> Any:
        state = np.errstate(all=mode)
        state.__enter__()
        return state

    def restore(token: Any) -> None:
        token.__exit__(None, None, None)
