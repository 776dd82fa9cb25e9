"""autograd_lab: automatic differentiation the way PyTorch does it, in readable numpy.

``import autograd_lab as torch`` and PyTorch code that uses tensors and autograd runs unchanged
and prints what PyTorch prints. Where to look:

* ``tensor.py``            the Tensor: values, ``grad_fn``, ``.grad``, and its methods
* ``autograd/function.py`` how an op records itself (Function, ctx, saved tensors)
* ``autograd/engine.py``   the backward pass (topological order, chain rule, accumulation)
* ``ops/``                 each operation's forward and backward, side by side
* ``nn/``, ``optim/``      layers, losses and optimizers (PyTorch's training toolkit)
* ``viz/``                 pictures of the graph, a step-by-step backward, widgets (course only)
"""

# Tensor first: the operations and the engine are defined in terms of it.
from .tensor import Size, Tensor, device

# isort: split
from . import autograd, nn, optim  # torch.autograd, torch.nn, torch.optim (numpy only, too)
from ._dtype import (
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from ._printing import get_printoptions, printoptions, set_printoptions
from .autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    initial_seed,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .functions import *  # torch.sin, torch.matmul, ... (see functions.py)
from .ops.reduce import amax, amin, cumsum, norm, prod, std, var
from .ops.shape import (
    chunk,
    flip,
    gather,
    index_select,
    masked_fill,
    narrow,
    roll,
    split,
    tril,
    triu,
)

__version__ = "0.1.0"


def get_default_dtype() -> dtype:
    """The dtype of tensors made from Python floats: float32, as in PyTorch."""
    return float32
