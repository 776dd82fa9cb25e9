"""Self-check exercises for the course: feedback that names the mistake, hints on demand.

In a notebook::

    from autograd_lab.exercises import ____, progress
    from autograd_lab.exercises.chain_rule import ex1, ex2

    dz_dx = ____          # replace ____ with your answer
    ex1.check(dz_dx)      # ✏️ Not yet / ❌ Not quite: what went wrong / ✅ Correct
    ex1.hint()            # a hint (after a diagnosed mistake: about that mistake)
    ex1.solution()        # the worked answer

One module per lesson: ``first_gradient`` (01), ``chain_rule`` (02), ``logistic_neuron`` (03),
``accumulation`` (04), ``tracking`` (05), ``linear_regression`` (06), ``project`` (07).
The machinery is in ``framework.py``; ``____`` in ``_blank.py``. Nothing is graded or sent
anywhere: ``progress()`` shows this session's results and forgets them on restart.
"""

from __future__ import annotations

from ._blank import ____
from .framework import progress

__all__ = ["____", "progress"]
