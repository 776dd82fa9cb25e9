"""``torch.optim``: optimizers that update parameters from their gradients.

The training loop every PyTorch user knows::

    optimizer = optim.SGD(model.parameters(), lr=0.1)
    for x, y in data:
        optimizer.zero_grad()          # gradients add up: clear the last step's
        loss = loss_fn(model(x), y)
        loss.backward()                # fills p.grad for every parameter
        optimizer.step()               # p ← p − lr · p.grad (and friends)
"""

from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer"]
