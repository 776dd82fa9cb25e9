"""``torch.nn``: modules (layers, losses, containers), ``Parameter``, ``functional``, ``init``.

A model is a ``Module`` whose attributes are ``Parameter``s and other modules; the loss is
another module (or a function from ``nn.functional``); an optimizer from ``autograd_lab.optim``
updates ``model.parameters()`` with the gradients that ``loss.backward()`` leaves in ``.grad``.
"""

from . import functional, init
from .activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .container import ModuleList, Sequential
from .linear import Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import Module
from .parameter import Parameter

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "functional",
    "init",
]
