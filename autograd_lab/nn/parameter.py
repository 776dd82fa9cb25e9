"""``Parameter``: a tensor that a module learns.

A Parameter is an ordinary leaf tensor (it requires grad by default) with one extra meaning:
assigned as an attribute of a ``Module`` it is registered there, so ``model.parameters()``
finds it and the optimizer can update it. Computing with a Parameter gives plain tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor registered by the module it is assigned to; prints as
    ``Parameter containing:`` followed by the tensor.

    ``Parameter(data)`` shares ``data``'s memory (no copy), as PyTorch's does.
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = Tensor._make(np.empty(0, np.float32))
        if not isinstance(data, Tensor):  # PyTorch's own words: it calls data.detach() first
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        if requires_grad and data._data.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        p = object.__new__(cls)
        Tensor._init(p, data._data)
        p._vc = data._version_counter()  # one memory, one count of in-place changes
        p._requires_grad = bool(requires_grad)
        return p

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # everything happened in __new__ (Tensor.__init__ would copy the data)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__  # Tensor binds __str__ to its own __repr__

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        """A new Parameter with copied values (not the gradient), as PyTorch copies one."""
        if id(self) in memo:
            return memo[id(self)]
        copied = Parameter(Tensor._make(self._data.copy()), self._requires_grad)
        memo[id(self)] = copied
        return copied

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_rebuild_parameter, (self._data.copy(), self._requires_grad))


def _rebuild_parameter(data: np.ndarray, requires_grad: bool) -> Parameter:
    return Parameter(Tensor._make(data), requires_grad)
