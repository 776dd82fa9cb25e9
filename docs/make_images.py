"""Draw the pictures in docs/img/: the lesson's three graphs and the backward stepper.

Run with the course's environment: ``python docs/make_images.py``. The code of each graph is
the lesson's own (``import autograd_lab as torch``).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import autograd_lab as torch
from autograd_lab.viz import draw_graph
from autograd_lab.viz.stepper import StepperCore, StepPicture

OUT = Path(__file__).with_name("img")


def square() -> None:
    x = torch.tensor(3.0, requires_grad=True)
    y = x**2
    y.backward()
    draw_graph(y, names=locals(), title="y = x**2, after y.backward()").save(
        str(OUT / "graph_square.png")
    )


def sin_of_square() -> None:
    x = torch.tensor(4.0, requires_grad=True)
    y = x**2
    z = torch.sin(y)
    names = dict(locals())
    StepPicture(StepperCore(z, names)).save(str(OUT / "stepper_sin_step2.png"), step=2)
    z.backward()
    draw_graph(z, names=names, title="z = sin(x**2), after z.backward()").save(
        str(OUT / "graph_sin_square.png")
    )


def neuron() -> None:
    x = torch.tensor(6.7)
    y = torch.tensor(0.0)
    w = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    z = w * x + b
    y_pred = torch.sigmoid(z)

    def binary_cross_entropy_loss(prediction, target):
        epsilon = 1e-8
        prediction = torch.clamp(prediction, epsilon, 1 - epsilon)
        return -(target * torch.log(prediction) + (1 - target) * torch.log(1 - prediction))

    loss = binary_cross_entropy_loss(y_pred, y)
    names = dict(locals())
    core = StepperCore(loss, names)
    StepPicture(core).save(str(OUT / "stepper_neuron_step7.png"), step=7)  # t2 += ...: 2 of 2
    loss.backward()
    title = "the logistic neuron with binary cross-entropy, after loss.backward()"
    draw_graph(loss, names=names, title=title).save(str(OUT / "graph_neuron_bce.png"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    square()
    sin_of_square()
    neuron()
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))
