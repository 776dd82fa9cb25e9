"""``torch.autograd``: computing gradients.

* ``backward(tensors)`` adds d(tensors)/d(leaf) to every leaf's ``.grad``;
* ``grad(outputs, inputs)`` returns the gradients instead;
* ``Function`` is the base class for operations you define yourself;
* ``gradcheck`` compares a backward with finite differences;
* ``no_grad``, ``enable_grad``, ``set_grad_enabled`` switch recording off and on.
"""

from .engine import grad
from .engine import run_backward as backward
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck

__all__ = [
    "Function",
    "GradcheckError",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
