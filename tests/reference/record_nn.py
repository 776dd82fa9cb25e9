"""Record what real torch shows for the training toolkit (nn, nn.functional, nn.init, optim).

The catalogue ``CASES`` below holds snippets written for torch: module reprs, Linear's default
initialisation under ``manual_seed``, every loss with every reduction (values and gradients,
logits of ±1000 included), several optimizer steps with each option, and the errors. This
script runs each one against a real torch through the shared harness and writes what it showed
to ``tests/reference/nn.json``; ``tests/test_nn.py`` and ``tests/test_optim.py`` replay the same
snippets against autograd_lab and compare, without torch.

Run it with the reference venv only (torch is never a dependency of the package):

    /work/venvs/torchref/bin/python tests/reference/record_nn.py

Every case runs twice; a case that shows something different the second time depends on what
ran before it, and the recording is refused. So is any output holding a memory address.

This module imports torch only inside ``main``: the tests import ``CASES`` from it.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `reference`

from reference.harness import Case, record

OUT = Path(__file__).with_name("nn.json")
TORCH_VERSION = "2.13.0"

# Every snippet starts with these names; ``names(fn)`` lists the nodes a grad_fn feeds.
PRELUDE = """\
nn, F, optim = torch.nn, torch.nn.functional, torch.optim
def names(fn):
    return [None if f is None else type(f).__name__ for f, _ in fn.next_functions]
"""


def case(area: str, name: str, code: str, tol: str | None = None, setup: str = "") -> Case:
    """A snippet named ``area.name``: the prelude, an optional shared setup, then ``code``."""
    parts = [PRELUDE, textwrap.dedent(setup).strip("\n"), textwrap.dedent(code).strip("\n")]
    return Case(f"{area}.{name}", "\n".join(p for p in parts if p) + "\n", tol)


# -- nn.init and Linear's default initialisation -------------------------------------------------

INIT = [
    case(
        "init",
        "linear_default_seed_0",
        """
        l1 = nn.Linear(5, 3)
        l2 = nn.Linear(3, 2)
        l3 = nn.Linear(4, 2, bias=False)
        print(l1.weight)
        print(l1.bias)
        values = {"w1": l1.weight, "b1": l1.bias, "w2": l2.weight, "b2": l2.bias, "w3": l3.weight}
        """,
        tol="exact",
    ),
    case(
        "init",
        "linear_other_seeds_and_sizes",
        """
        torch.manual_seed(1234)
        a = nn.Linear(64, 17)
        torch.manual_seed(7)
        b = nn.Linear(1, 1)
        c = nn.Linear(2, 300)
        values = {"a.w": a.weight, "a.b": a.bias, "b.w": b.weight, "b.b": b.bias,
                  "c.w": c.weight, "c.b": c.bias, "after": torch.rand(3)}
        """,
        tol="exact",
    ),
    case(
        "init",
        "linear_float64",
        """
        l = nn.Linear(4, 3, dtype=torch.float64)
        print(l.weight.dtype, l.bias.dtype)
        values = {"w": l.weight, "b": l.bias}
        """,
        tol="exact",
    ),
    case(
        "init",
        "sequential_seed_42",
        """
        torch.manual_seed(42)
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
        values = {k: v for k, v in model.state_dict().items()}
        """,
        tol="exact",
    ),
    case(
        "init",
        "schemes",
        """
        w = torch.empty(3, 5)
        values = {}
        values["xavier_uniform"] = nn.init.xavier_uniform_(w).clone()
        values["xavier_uniform_gain"] = nn.init.xavier_uniform_(w, gain=2.0).clone()
        values["xavier_normal"] = nn.init.xavier_normal_(w).clone()
        values["kaiming_uniform"] = nn.init.kaiming_uniform_(w).clone()
        values["kaiming_uniform_relu_out"] = nn.init.kaiming_uniform_(
            w, mode="fan_out", nonlinearity="relu").clone()
        values["kaiming_normal"] = nn.init.kaiming_normal_(w, a=0.1).clone()
        values["uniform"] = nn.init.uniform_(w, -2.0, 3.0).clone()
        values["normal"] = nn.init.normal_(w, 1.0, 0.5).clone()
        values["zeros"] = nn.init.zeros_(w).clone()
        values["ones"] = nn.init.ones_(w).clone()
        values["constant"] = nn.init.constant_(w, 0.25).clone()
        values["eye"] = nn.init.eye_(torch.empty(3, 4)).clone()
        values["conv_like"] = nn.init.kaiming_uniform_(torch.empty(4, 3, 2, 2)).clone()
        p = nn.Parameter(torch.empty(2, 3))
        r = nn.init.xavier_uniform_(p)
        print(r is p, p.requires_grad, p.is_leaf, p.grad_fn)
        values["param"] = p
        """,
        tol="exact",
    ),
    case(
        "init",
        "gains",
        """
        for name in ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]:
            print(name, nn.init.calculate_gain(name))
        print(nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("leaky_relu", 3))
        print(nn.init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 5, 5)))
        """,
    ),
    case(
        "init",
        "error_fan_of_vector",
        """
        nn.init.xavier_uniform_(torch.empty(3))
        """,
    ),
    case(
        "init",
        "error_unknown_gain",
        """
        nn.init.calculate_gain("swish")
        """,
    ),
    case(
        "init",
        "error_bad_slope",
        """
        nn.init.calculate_gain("leaky_relu", True)
        """,
    ),
    case(
        "init",
        "error_bad_mode",
        """
        nn.init.kaiming_uniform_(torch.empty(2, 2), mode="fan_avg")
        """,
    ),
]

# -- Module, Parameter, containers ---------------------------------------------------------------

MODULE = [
    case(
        "module",
        "repr_layers",
        """
        print(nn.Linear(2, 1))
        print(nn.Linear(3, 4, bias=False))
        print(nn.ReLU(), nn.ReLU(inplace=True), nn.Sigmoid(), nn.Tanh())
        print(nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.Softmax())
        print(nn.MSELoss(), nn.BCELoss(), nn.BCEWithLogitsLoss(), nn.CrossEntropyLoss())
        print(nn.NLLLoss(), nn.MSELoss(reduction="sum"), nn.CrossEntropyLoss(reduction="none"))
        print(nn.Sequential())
        l = nn.Linear(2, 1)
        print(str(l) == repr(l))
        """,
    ),
    case(
        "module",
        "repr_nested",
        """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(
                    nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU()
                )
                self.head = nn.Linear(8, 3)
                self.scale = 2.0

            def forward(self, x):
                return self.head(self.features(x)) * self.scale

        class Empty(nn.Module):
            def forward(self, x):
                return x

        net = Net()
        print(net)
        print(Empty())
        print(nn.Sequential(nn.Sequential(nn.Linear(1, 2)), nn.Sigmoid()))
        print(net(torch.ones(4, 2)).shape, net.scale)
        """,
    ),
    case(
        "module",
        "parameters_and_children",
        """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2))
                self.head = nn.Linear(2, 1, bias=False)
                self.shared = self.head
                self.w = nn.Parameter(torch.ones(2))

        net = Net()
        for name, p in net.named_parameters():
            print(name, tuple(p.shape), type(p).__name__, p.requires_grad)
        print(len(list(net.parameters())), sum(p.numel() for p in net.parameters()))
        print([name for name, _ in net.named_children()])
        print([name for name, _ in net.named_modules()])
        print([type(m).__name__ for m in net.modules()], [type(m).__name__ for m in net.children()])
        print([n for n, _ in net.named_parameters(prefix="net")])
        print([n for n, _ in net.named_parameters(recurse=False)])
        print([n for n, _ in net.body.named_parameters()])
        """,
    ),
    case(
        "module",
        "parameter_behaviour",
        """
        p = nn.Parameter(torch.tensor([1.0, 2.0]))
        print(p)
        print(repr(nn.Parameter(torch.tensor([[1.5], [2.5]]), requires_grad=False)))
        print(nn.Parameter(torch.tensor(3.0)))
        print(isinstance(p, torch.Tensor), isinstance(p, nn.Parameter), p.is_leaf, p.grad_fn)
        q = p * 2
        print(type(q).__name__, q.grad_fn.name() if hasattr(q.grad_fn, "name") else q.grad_fn)
        print(type(p.detach()).__name__, type(p.data).__name__, type(p + p).__name__)
        t = torch.tensor([5.0, 6.0])
        shared = nn.Parameter(t)
        t[0] = 7.0
        print(shared.data, nn.Parameter().shape)
        (q.sum() * p[0]).backward()
        values = {"grad": p.grad}
        """,
    ),
    case(
        "module",
        "parameter_of_integers",
        """
        nn.Parameter(torch.tensor([1, 2]))
        """,
    ),
    case(
        "module",
        "assign_tensor_to_parameter",
        """
        l = nn.Linear(2, 1)
        l.weight = torch.zeros(1, 2)
        """,
    ),
    case(
        "module",
        "assign_tensor_requiring_grad_to_parameter",
        """
        l = nn.Linear(2, 1)
        l.weight = torch.zeros(1, 2, requires_grad=True)
        """,
    ),
    case(
        "module",
        "assign_none_and_new_parameter",
        """
        l = nn.Linear(2, 1)
        l.bias = None
        print(l, [n for n, _ in l.named_parameters()])
        l.weight = nn.Parameter(torch.ones(1, 2))
        l.extra = nn.Parameter(torch.zeros(3))
        print([n for n, _ in l.named_parameters()])
        del l.extra
        print([n for n, _ in l.named_parameters()], l(torch.ones(1, 2)))
        """,
    ),
    case(
        "module",
        "assign_int_to_child_module",
        """
        m = nn.Sequential(nn.Linear(2, 2))
        m.act = nn.ReLU()
        m.act = 3
        """,
    ),
    case(
        "module",
        "register_tensor_as_parameter",
        """
        nn.Linear(2, 2).register_parameter("w", torch.zeros(2))
        """,
    ),
    case(
        "module",
        "add_non_module",
        """
        nn.Linear(2, 2).add_module("x", 3)
        """,
    ),
    case(
        "module",
        "assign_parameter_before_init",
        """
        class Forgot(nn.Module):
            def __init__(self):
                self.w = nn.Parameter(torch.zeros(1))
        Forgot()
        """,
    ),
    case(
        "module",
        "missing_attribute",
        """
        nn.Linear(2, 1).foo
        """,
    ),
    case(
        "module",
        "forward_not_implemented",
        """
        class Empty(nn.Module):
            pass
        Empty()(torch.ones(1))
        """,
    ),
    case(
        "module",
        "train_eval",
        """
        model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
        print(model.training, model[1][0].training)
        r = model.eval()
        print(r is model, model.training, model[0].training, model[1][0].training)
        model.train()
        print(model.training, model[1][0].training)
        model.train(False)
        print(model.training)
        """,
    ),
    case(
        "module",
        "train_mode_not_bool",
        """
        nn.Linear(2, 2).train("yes")
        """,
    ),
    case(
        "module",
        "zero_grad",
        """
        model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
        x = torch.ones(4, 3)
        model(x).sum().backward()
        g = model[0].weight.grad
        model.zero_grad(set_to_none=False)
        print(model[0].weight.grad is g, model[0].weight.grad, model[2].bias.grad)
        model.zero_grad()
        print([p.grad for p in model.parameters()])
        model(x).sum().backward()
        model(x).sum().backward()
        values = {"twice": model[2].weight.grad}
        """,
    ),
    case(
        "module",
        "requires_grad_and_freeze",
        """
        model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
        r = model[0].requires_grad_(False)
        print(r is model[0], [p.requires_grad for p in model.parameters()])
        model(torch.ones(1, 2)).sum().backward()
        print(model[0].weight.grad, model[1].weight.grad is not None)
        """,
    ),
    case(
        "module",
        "state_dict",
        """
        model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        sd = model.state_dict()
        print(type(sd).__name__, list(sd.keys()))
        print([(v.requires_grad, v.grad_fn, type(v).__name__) for v in sd.values()])
        print(model.state_dict(keep_vars=True)["0.weight"] is model[0].weight)
        print(model.state_dict(prefix="m.").keys())
        sd["2.bias"][0] = 10.0
        print(model[2].bias)
        values = dict(sd)
        """,
        tol="exact",
    ),
    case(
        "module",
        "load_state_dict_roundtrip",
        """
        a = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        b = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        w = b[0].weight
        result = b.load_state_dict(a.state_dict())
        print(result, type(result).__name__, result.missing_keys, result.unexpected_keys)
        print(w is b[0].weight, torch.equal(a[0].weight, b[0].weight), b[0].weight.requires_grad)
        x = torch.ones(2, 2)
        print(torch.equal(a(x), b(x)))
        partial = b.load_state_dict(
            {"0.weight": torch.zeros(3, 2), "extra": torch.ones(1)}, strict=False
        )
        print(partial)
        print(b[0].weight)
        """,
    ),
    case(
        "module",
        "load_state_dict_errors",
        """
        m = nn.Linear(2, 2)
        m.load_state_dict({"weight": torch.zeros(3, 2), "extra": torch.zeros(1)})
        """,
    ),
    case(
        "module",
        "load_state_dict_not_tensor",
        """
        m = nn.Linear(2, 2)
        m.load_state_dict({"weight": [[0.0, 0.0], [0.0, 0.0]], "bias": torch.zeros(2)})
        """,
    ),
    case(
        "module",
        "sequential_indexing",
        """
        model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        print(model[0], model[-1], len(model))
        print(model[1:])
        print([type(m).__name__ for m in model])
        model.append(nn.Sigmoid())
        print(model)
        from collections import OrderedDict
        named = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.Tanh())]))
        print(named, named.fc)
        del model[1]
        print(model)
        """,
    ),
    case(
        "module",
        "sequential_index_out_of_range",
        """
        nn.Sequential(nn.ReLU())[3]
        """,
    ),
    case(
        "module",
        "double_and_float",
        """
        model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
        w = model[0].weight
        r = model.double()
        print(r is model, w is model[0].weight, w.dtype, model[2].bias.dtype)
        y = model(torch.ones(3, 2, dtype=torch.float64))
        print(y.dtype, y.grad_fn.name())
        model.float()
        print(model[0].weight.dtype)
        values = {"y": y}
        """,
    ),
    case(
        "module",
        "loss_buffers",
        """
        loss = nn.BCELoss(weight=torch.tensor([1.0, 2.0]))
        print(loss, loss.weight, list(loss.state_dict().keys()))
        ce = nn.CrossEntropyLoss(weight=torch.ones(3), ignore_index=1)
        print(ce, ce.ignore_index, ce.reduction, list(ce.state_dict().keys()))
        print(list(nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)).state_dict().keys()))
        print(list(nn.MSELoss().state_dict().keys()), nn.MSELoss().reduction)
        """,
    ),
    case(
        "module",
        "apply_init",
        """
        model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        seen = []
        def init(m):
            seen.append(type(m).__name__)
            if isinstance(m, nn.Linear):
                nn.init.constant_(m.weight, 0.5)
                nn.init.zeros_(m.bias)
        print(model.apply(init) is model, seen)
        values = {"out": model(torch.ones(1, 2))}
        """,
    ),
]

# -- Linear forward and backward ---------------------------------------------------------------

_LINEAR_SETUP = """
W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=np.float32)
B = np.array([0.1, -0.2], dtype=np.float32)
X = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0], [2.0, -2.0, 1.0], [0.0, 0.0, 0.0]],
             dtype=np.float32)
l = nn.Linear(3, 2)
with torch.no_grad():
    l.weight.copy_(torch.from_numpy(W))
    l.bias.copy_(torch.from_numpy(B))
"""

LINEAR = [
    case(
        "linear",
        "weights_from_numpy",
        """
        x = torch.tensor(X, requires_grad=True)
        y = l(x)
        print(y.grad_fn.name(), names(y.grad_fn))
        print(names(y.grad_fn.next_functions[2][0]))
        (y * torch.tensor([[1.0, -2.0]])).sum().backward()
        values = {"y": y, "dw": l.weight.grad, "db": l.bias.grad, "dx": x.grad}
        """,
        setup=_LINEAR_SETUP,
    ),
    case(
        "linear",
        "input_without_grad",
        """
        y = l(torch.from_numpy(X))
        print(y.grad_fn.name(), names(y.grad_fn))
        (y ** 2).mean().backward()
        values = {"y": y, "dw": l.weight.grad, "db": l.bias.grad}
        """,
        setup=_LINEAR_SETUP,
    ),
    case(
        "linear",
        "input_1d_and_3d",
        """
        v = torch.tensor(X[0], requires_grad=True)
        y1 = l(v)
        print(tuple(y1.shape), y1.grad_fn.name(), names(y1.grad_fn))
        print(names(y1.grad_fn.next_functions[0][0]))
        batch = torch.tensor(np.stack([X, X[::-1]]), requires_grad=True)
        y3 = l(batch)
        print(tuple(y3.shape), y3.grad_fn.name(), names(y3.grad_fn.next_functions[0][0]))
        (y1.sum() + (y3 * y3).sum()).backward()
        values = {"y1": y1, "y3": y3, "dv": v.grad, "dbatch": batch.grad, "dw": l.weight.grad,
                  "db": l.bias.grad}
        """,
        setup=_LINEAR_SETUP,
    ),
    case(
        "linear",
        "no_bias",
        """
        l = nn.Linear(3, 2, bias=False)
        with torch.no_grad():
            l.weight.copy_(torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]))
        x2 = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], requires_grad=True)
        x1 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
        x3 = torch.arange(12.0).reshape(2, 2, 3).requires_grad_()
        y2, y1, y3 = l(x2), l(x1), l(x3)
        for y in (y2, y1, y3):
            print(tuple(y.shape), y.grad_fn.name(), names(y.grad_fn))
        print(names(y1.grad_fn.next_functions[0][0]), names(y3.grad_fn.next_functions[0][0]))
        (y2.sum() + y1.sum() * 2 + y3.pow(2).sum()).backward()
        values = {"y2": y2, "y1": y1, "y3": y3, "dw": l.weight.grad, "dx2": x2.grad,
                  "dx1": x1.grad, "dx3": x3.grad}
        """,
    ),
    case(
        "linear",
        "functional_with_broadcast_bias",
        """
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        w = torch.tensor([[1.0, -1.0], [0.5, 2.0]], requires_grad=True)
        b = torch.tensor([0.5], requires_grad=True)
        y = F.linear(x, w, b)
        print(y.grad_fn.name(), names(y.grad_fn))
        y.sum().backward()
        values = {"y": y, "dw": w.grad, "db": b.grad, "y_nobias": F.linear(x, w)}
        """,
    ),
    case(
        "linear",
        "bias_shapes",
        """
        x, w = torch.ones(5, 2), torch.ones(2, 2)
        for b in [torch.ones(1), torch.ones(5, 1), torch.ones(5, 2), torch.ones(3),
                  torch.ones(4, 2), torch.ones(1, 1, 2), torch.ones(2, dtype=torch.float64)]:
            try:
                y = F.linear(x, w, b)
                print(tuple(b.shape), tuple(y.shape), y.sum().item())
            except RuntimeError as e:
                print(tuple(b.shape), e)
        """,
    ),
    case(
        "linear",
        "zero_rows",
        """
        l = nn.Linear(3, 2)
        y = l(torch.zeros(0, 3))
        print(y.shape, y.grad_fn.name())
        y.sum().backward()
        print(l.weight.grad, l.bias.grad)
        """,
    ),
    case(
        "linear",
        "error_shapes",
        """
        nn.Linear(2, 5)(torch.ones(4, 3))
        """,
    ),
    case(
        "linear",
        "error_shapes_1d",
        """
        nn.Linear(3, 2)(torch.ones(2))
        """,
    ),
    case(
        "linear",
        "error_shapes_3d",
        """
        nn.Linear(3, 2)(torch.ones(3, 4, 2))
        """,
    ),
    case(
        "linear",
        "error_shapes_no_bias",
        """
        nn.Linear(3, 2, bias=False)(torch.ones(4, 2))
        """,
    ),
    case(
        "linear",
        "error_dtype",
        """
        nn.Linear(3, 2)(torch.ones(4, 3, dtype=torch.float64))
        """,
    ),
    case(
        "linear",
        "error_scalar_input",
        """
        nn.Linear(3, 2)(torch.tensor(2.0))
        """,
    ),
    case(
        "linear",
        "error_bias_shape",
        """
        F.linear(torch.ones(5, 2), torch.ones(2, 2), torch.ones(3))
        """,
    ),
]

# -- activations -------------------------------------------------------------------------------

ACTIVATION = [
    case(
        "activation",
        "functional_values_and_grads",
        """
        data = [[-1000.0, -3.0, -0.5, 0.0], [0.25, 2.0, 50.0, 1000.0]]
        weights = torch.tensor([[1.0, -2.0, 0.5, 3.0], [-1.0, 0.25, 2.0, -0.5]])
        values = {}
        for name, fn in [("relu", F.relu), ("sigmoid", F.sigmoid), ("tanh", F.tanh),
                         ("softmax", lambda t: F.softmax(t, dim=1)),
                         ("softmax0", lambda t: F.softmax(t, dim=0)),
                         ("log_softmax", lambda t: F.log_softmax(t, dim=1)),
                         ("log_softmax_last", lambda t: F.log_softmax(t, -1))]:
            x = torch.tensor(data, requires_grad=True)
            y = fn(x)
            (y * weights).sum().backward()
            print(name, y.grad_fn.name(), bool(np.isfinite(x.grad.detach().numpy()).all()))
            values[name] = y
            values[name + "_grad"] = x.grad
        """,
        tol="loose",
    ),
    case(
        "activation",
        "modules",
        """
        x = torch.tensor([[-2.0, 0.0, 3.0], [1.0, -1.0, 0.5]], requires_grad=True)
        values = {}
        for m in [nn.ReLU(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=1), nn.LogSoftmax(dim=1)]:
            y = m(x)
            print(m, y.grad_fn.name())
            values[repr(m)] = y
        """,
        tol="loose",
    ),
    case(
        "activation",
        "implicit_softmax_dim",
        """
        y = F.softmax(torch.tensor([[1.0, 2.0], [3.0, 5.0]]))
        z = F.log_softmax(torch.zeros(2, 3, 4))
        w = nn.Softmax()(torch.tensor([1.0, 2.0]))
        values = {"y": y, "z": z, "w": w}
        """,
        tol="loose",
    ),
    case(
        "activation",
        "softmax_dtype",
        """
        y = F.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0, dtype=torch.float64)
        print(y.dtype)
        values = {"y": y}
        """,
        tol="loose",
    ),
    case(
        "activation",
        "relu_inplace",
        """
        a = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
        h = a * 2
        r = F.relu(h, inplace=True)
        print(r is h, h.grad_fn.name())
        m = nn.ReLU(inplace=True)
        print(m, m(torch.tensor([-1.0, 1.0])))
        h.sum().backward()
        values = {"h": h, "grad": a.grad}
        """,
    ),
    case(
        "activation",
        "relu_not_a_tensor",
        """
        F.relu(np.ones(3))
        """,
    ),
]

# -- losses ------------------------------------------------------------------------------------

LOSS = [
    case(
        "loss",
        "mse_every_reduction",
        """
        values = {}
        for reduction in ["mean", "sum", "none"]:
            x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]], requires_grad=True)
            y = torch.tensor([[1.0, -1.0, 0.0], [2.5, 0.75, -3.0]], requires_grad=True)
            loss = F.mse_loss(x, y, reduction=reduction)
            print(reduction, loss.grad_fn.name(), names(loss.grad_fn), tuple(loss.shape))
            scale = torch.tensor(2.0) if loss.dim() == 0 else torch.tensor([1.0, -2.0, 0.5])
            (loss * scale).sum().backward()
            values[reduction] = loss
            values[reduction + "_dx"] = x.grad
            values[reduction + "_dy"] = y.grad
        values["module"] = nn.MSELoss()(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 4.0]))
        """,
    ),
    case(
        "loss",
        "mse_target_broadcast_warns",
        """
        loss = F.mse_loss(torch.zeros(3, 1), torch.tensor([1.0, 2.0, 3.0]), reduction="none")
        print(loss.shape)
        x = torch.zeros(3, 1, requires_grad=True)
        l2 = nn.MSELoss()(x, torch.tensor([1.0, 2.0, 3.0]))
        print(l2.grad_fn.name(), names(l2.grad_fn))
        l2.backward()
        values = {"loss": loss, "l2": l2, "grad": x.grad}
        """,
    ),
    case(
        "loss",
        "mse_weight",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        w = torch.tensor([1.0, 0.5, 2.0])
        values = {}
        for reduction in ["mean", "sum", "none"]:
            loss = F.mse_loss(x, torch.zeros(3), reduction=reduction, weight=w)
            print(reduction, loss.grad_fn.name())
            values[reduction] = loss
        """,
    ),
    case(
        "loss",
        "mse_bad_reduction",
        """
        F.mse_loss(torch.ones(2), torch.ones(2), reduction="average")
        """,
    ),
    case(
        "loss",
        "mse_module_bad_reduction_fails_on_call",
        """
        loss = nn.MSELoss(reduction="average")
        print(loss.reduction)
        loss(torch.ones(2), torch.ones(2))
        """,
    ),
    case(
        "loss",
        "mse_integers",
        """
        F.mse_loss(torch.tensor([1, 2]), torch.tensor([1, 3]))
        """,
    ),
    case(
        "loss",
        "bce_every_reduction",
        """
        values = {}
        for reduction in ["mean", "sum", "none"]:
            for weighted in [False, True]:
                p = torch.tensor([[0.0, 0.2, 0.5], [0.9, 1.0, 1e-8]], requires_grad=True)
                y = torch.tensor([[0.0, 1.0, 0.3], [1.0, 0.0, 1.0]])
                w = torch.tensor([2.0, 0.5, 1.0]) if weighted else None
                loss = F.binary_cross_entropy(p, y, weight=w, reduction=reduction)
                print(reduction, weighted, loss.grad_fn.name(), names(loss.grad_fn))
                loss.sum().backward()
                key = reduction + ("_w" if weighted else "")
                values[key] = loss
                values[key + "_dp"] = p.grad
        """,
    ),
    case(
        "loss",
        "bce_target_grad",
        """
        p = torch.tensor([0.1, 0.5, 0.75], requires_grad=True)
        y = torch.tensor([0.0, 0.25, 1.0], requires_grad=True)
        loss = F.binary_cross_entropy(p, y)
        print(names(loss.grad_fn))
        loss.backward()
        values = {"loss": loss, "dp": p.grad, "dy": y.grad}
        """,
    ),
    case(
        "loss",
        "bce_after_extreme_sigmoid",
        """
        z = torch.tensor([-1000.0, -100.0, -20.0, 0.0, 20.0, 100.0, 1000.0], requires_grad=True)
        y = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
        loss = nn.BCELoss()(torch.sigmoid(z), y)
        loss.backward()
        print(bool(np.isfinite(loss.item())), bool(np.isfinite(z.grad.detach().numpy()).all()))
        values = {"loss": loss, "grad": z.grad,
                  "none": F.binary_cross_entropy(torch.sigmoid(z), y, reduction="none")}
        """,
        tol="loose",
    ),
    case(
        "loss",
        "bce_input_out_of_range",
        """
        F.binary_cross_entropy(torch.tensor([1.5, 0.5]), torch.tensor([1.0, 0.0]))
        """,
    ),
    case(
        "loss",
        "bce_input_nan",
        """
        nn.BCELoss()(torch.tensor([float("nan")]), torch.tensor([1.0]))
        """,
    ),
    case(
        "loss",
        "bce_target_out_of_range",
        """
        F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([2.0]))
        """,
    ),
    case(
        "loss",
        "bce_size_mismatch",
        """
        nn.BCELoss()(torch.tensor([0.5, 0.2]), torch.tensor([1.0]))
        """,
    ),
    case(
        "loss",
        "bce_target_dtype",
        """
        F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0], dtype=torch.float64))
        """,
    ),
    case(
        "loss",
        "bce_with_logits_every_reduction",
        """
        values = {}
        logits = [[-1000.0, -30.0, -1.0, 0.0], [0.5, 2.0, 30.0, 1000.0]]
        target = torch.tensor([[1.0, 0.0, 1.0, 0.5], [0.0, 1.0, 0.0, 1.0]])
        for reduction in ["mean", "sum", "none"]:
            for option in ["plain", "weight", "pos_weight"]:
                x = torch.tensor(logits, requires_grad=True)
                kwargs = {}
                if option == "weight":
                    kwargs["weight"] = torch.tensor([1.0, 2.0, 0.5, 1.0])
                if option == "pos_weight":
                    kwargs["pos_weight"] = torch.tensor([3.0, 1.0, 0.5, 2.0])
                loss = F.binary_cross_entropy_with_logits(x, target, reduction=reduction, **kwargs)
                print(reduction, option, loss.grad_fn.name(), names(loss.grad_fn))
                loss.sum().backward()
                print(np.isfinite(loss.detach().numpy()).all(), np.isfinite(x.grad.numpy()).all())
                values[reduction + "_" + option] = loss
                values[reduction + "_" + option + "_dx"] = x.grad
        """,
        tol="loose",
    ),
    case(
        "loss",
        "bce_with_logits_target_grad",
        """
        values = {}
        for pw in [None, torch.tensor([2.0, 0.5, 1.0])]:
            x = torch.tensor([-2.0, 0.5, 1000.0], requires_grad=True)
            y = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
            loss = nn.BCEWithLogitsLoss(pos_weight=pw)(x, y)
            print(names(loss.grad_fn))
            loss.backward()
            key = "plain" if pw is None else "pos"
            values[key] = loss
            values[key + "_dx"] = x.grad
            values[key + "_dy"] = y.grad
        """,
        tol="loose",
    ),
    case(
        "loss",
        "bce_with_logits_size_mismatch",
        """
        F.binary_cross_entropy_with_logits(torch.tensor([0.5, 0.2]), torch.tensor([1.0]))
        """,
    ),
    case(
        "loss",
        "bce_with_logits_long_target",
        """
        F.binary_cross_entropy_with_logits(torch.tensor([0.5]), torch.tensor([1]))
        """,
    ),
    case(
        "loss",
        "cross_entropy_every_reduction",
        """
        values = {}
        logits = [[2.0, -1.0, 0.5], [1000.0, 0.0, -1000.0], [-1000.0, 5.0, 1000.0], [0.1, 0.2, 0.3]]
        target = torch.tensor([0, 2, 2, 1])
        for reduction in ["mean", "sum", "none"]:
            x = torch.tensor(logits, requires_grad=True)
            loss = F.cross_entropy(x, target, reduction=reduction)
            fn = loss.grad_fn
            print(reduction, fn.name(), names(fn), names(fn.next_functions[0][0]))
            (loss * 3).sum().backward()
            print(np.isfinite(loss.detach().numpy()).all(), np.isfinite(x.grad.numpy()).all())
            values[reduction] = loss
            values[reduction + "_dx"] = x.grad
        values["module"] = nn.CrossEntropyLoss()(torch.tensor(logits), target)
        """,
        tol="loose",
    ),
    case(
        "loss",
        "cross_entropy_weight_and_ignore_index",
        """
        logits = torch.tensor([[2.0, -1.0, 0.5], [0.0, 3.0, -2.0], [1.0, 1.0, 1.0],
                               [-0.5, 0.25, 2.0]], requires_grad=True)
        w = torch.tensor([0.5, 2.0, 1.0])
        values = {}
        for reduction in ["mean", "sum", "none"]:
            for kwargs in [{"weight": w}, {"ignore_index": 1}, {"weight": w, "ignore_index": 0}]:
                logits.grad = None
                target = [0, 1, 1, 2] if "ignore_index" in kwargs else [0, 1, -100, 2]
                loss = F.cross_entropy(logits, torch.tensor(target), reduction=reduction, **kwargs)
                loss.sum().backward()
                key = reduction + "_" + "_".join(sorted(kwargs))
                values[key] = loss
                values[key + "_dx"] = logits.grad
        values["all_ignored_mean"] = F.cross_entropy(logits, torch.tensor([-100, -100, -100, -100]))
        ignored = torch.tensor([-100] * 4)
        values["all_ignored_sum"] = F.cross_entropy(logits, ignored, reduction="sum")
        values["empty"] = F.cross_entropy(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long))
        """,
        tol="loose",
    ),
    case(
        "loss",
        "cross_entropy_single_sample_and_spatial",
        """
        values = {}
        x1 = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
        l1 = F.cross_entropy(x1, torch.tensor(1))
        print(tuple(l1.shape), l1.grad_fn.name())
        print(F.cross_entropy(x1, torch.tensor(0), reduction="none").shape)
        l1.backward()
        values["l1"], values["dx1"] = l1, x1.grad
        x3 = torch.arange(24.0).reshape(2, 3, 4).div(7).sin().requires_grad_()
        t3 = torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]])
        for reduction in ["mean", "none"]:
            l3 = F.cross_entropy(x3, t3, reduction=reduction)
            print(reduction, tuple(l3.shape), l3.grad_fn.name(), names(l3.grad_fn))
            values["l3_" + reduction] = l3
        F.cross_entropy(x3, t3).backward()
        values["dx3"] = x3.grad
        x4 = torch.arange(36.0).reshape(2, 3, 3, 2).cos().requires_grad_()
        t4 = torch.tensor([[[0, 1], [2, 1], [1, 1]], [[2, 0], [0, 0], [1, 2]]])
        l4 = F.cross_entropy(x4, t4, reduction="none")
        print(tuple(l4.shape), l4.grad_fn.name(), names(l4.grad_fn))
        l4.sum().backward()
        values["l4"], values["dx4"] = l4, x4.grad
        """,
        tol="loose",
    ),
    case(
        "loss",
        "cross_entropy_probabilities",
        """
        values = {}
        probs = torch.tensor([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]])
        for reduction in ["mean", "sum", "none"]:
            x = torch.tensor([[2.0, -1.0, 0.5], [1000.0, 0.0, -1000.0]], requires_grad=True)
            loss = F.cross_entropy(x, probs, reduction=reduction)
            print(reduction, loss.grad_fn.name(), names(loss.grad_fn))
            loss.sum().backward()
            values[reduction] = loss
            values[reduction + "_dx"] = x.grad
        values["weighted"] = F.cross_entropy(torch.tensor([[2.0, -1.0, 0.5]]), probs[:1],
                                             weight=torch.tensor([1.0, 2.0, 3.0]))
        """,
        tol="loose",
    ),
    case(
        "loss",
        "nll_loss",
        """
        values = {}
        for reduction in ["mean", "sum", "none"]:
            x = torch.tensor([[-0.5, -1.5, -2.0], [-3.0, -0.1, -1.0]], requires_grad=True)
            loss = F.nll_loss(x, torch.tensor([2, 1]), reduction=reduction)
            print(reduction, loss.grad_fn.name(), names(loss.grad_fn))
            loss.sum().backward()
            values[reduction], values[reduction + "_dx"] = loss, x.grad
        model = nn.Sequential(nn.Linear(2, 3), nn.LogSoftmax(dim=1))
        values["module"] = nn.NLLLoss()(model(torch.ones(2, 2)), torch.tensor([0, 2]))
        """,
        tol="loose",
    ),
    case(
        "loss",
        "cross_entropy_target_out_of_bounds",
        """
        F.cross_entropy(torch.zeros(3, 4), torch.tensor([0, 1, 4]))
        """,
    ),
    case(
        "loss",
        "cross_entropy_negative_target",
        """
        nn.CrossEntropyLoss()(torch.zeros(3, 4), torch.tensor([0, -1, 2]))
        """,
    ),
    case(
        "loss",
        "cross_entropy_batch_mismatch",
        """
        F.cross_entropy(torch.zeros(3, 4), torch.tensor([0, 1]))
        """,
    ),
    case(
        "loss",
        "cross_entropy_float_target",
        """
        F.cross_entropy(torch.zeros(3, 4), torch.tensor([0.0, 1.0, 2.0]))
        """,
    ),
    case(
        "loss",
        "cross_entropy_int32_target",
        """
        F.cross_entropy(torch.zeros(3, 4), torch.tensor([0, 1, 2], dtype=torch.int32))
        """,
    ),
    case(
        "loss",
        "cross_entropy_weight_size",
        """
        F.cross_entropy(torch.zeros(3, 4), torch.tensor([0, 1, 2]), weight=torch.ones(3))
        """,
    ),
    case(
        "loss",
        "cross_entropy_multi_target",
        """
        F.cross_entropy(torch.zeros(3, 4), torch.zeros(3, 5, dtype=torch.long))
        """,
    ),
    case(
        "loss",
        "cross_entropy_probability_target_long",
        """
        F.cross_entropy(torch.tensor(1.0), torch.tensor(1))
        """,
    ),
    case(
        "loss",
        "legacy_size_average",
        """
        a, b = torch.tensor([1.0, 2.0, 4.0]), torch.tensor([0.0, 0.0, 1.0])
        values = {"sum": F.mse_loss(a, b, size_average=False),
                  "none": nn.MSELoss(reduce=False)(a, b),
                  "mean": F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0]),
                                                 size_average=True)}
        """,
    ),
    case(
        "loss",
        "empty_means",
        """
        values = {"mse": F.mse_loss(torch.zeros(0), torch.zeros(0)),
                  "bce": F.binary_cross_entropy(torch.zeros(0), torch.zeros(0)),
                  "logits": F.binary_cross_entropy_with_logits(torch.zeros(0), torch.zeros(0)),
                  "mse_sum": F.mse_loss(torch.zeros(0), torch.zeros(0), reduction="sum")}
        """,
    ),
    case(
        "loss",
        "double_precision",
        """
        x = torch.tensor([0.2, 0.7], dtype=torch.float64, requires_grad=True)
        y = torch.tensor([0.0, 1.0], dtype=torch.float64)
        losses = [F.mse_loss(x, y), F.binary_cross_entropy(x, y),
                  F.binary_cross_entropy_with_logits(x, y),
                  F.cross_entropy(x.reshape(1, 2), torch.tensor([1]))]
        print([l.dtype for l in losses])
        sum(losses).backward()
        values = {"losses": losses, "grad": x.grad}
        """,
    ),
    case(
        "loss",
        "second_derivative_of_mse",
        """
        x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        loss = F.mse_loss(x, torch.zeros(3), reduction="sum")
        (g,) = torch.autograd.grad(loss, x, create_graph=True)
        (g * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        values = {"g": g, "gg": x.grad}
        """,
    ),
]

# -- optimizers --------------------------------------------------------------------------------

# A small regression problem with fixed weights; each case runs a few steps from it.
_OPT_SETUP = """
def make_model():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    rng = np.random.default_rng(0)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, tuple(p.shape)).astype(np.float32)))
    return model
X = torch.from_numpy(np.random.default_rng(1).standard_normal((8, 3)).astype(np.float32))
Y = torch.from_numpy(np.random.default_rng(2).standard_normal((8, 1)).astype(np.float32))
def train(make_optimizer, steps=4):
    model = make_model()
    opt = make_optimizer(model.parameters())
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(model(X), Y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, opt, losses
"""

OPTIM = [
    case(
        "optim",
        "sgd_plain_step_by_step",
        """
        model = make_model()
        opt = optim.SGD(model.parameters(), lr=0.1)
        values = {}
        for step in range(3):
            opt.zero_grad()
            loss = F.mse_loss(model(X), Y)
            loss.backward()
            w = model[0].weight
            opt.step()
            print(step, w is model[0].weight, w.grad is not None, w.is_leaf, w.requires_grad)
            values[f"loss{step}"] = loss
            for name, p in model.named_parameters():
                values[f"{name}@{step}"] = p
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "sgd_options",
        """
        values = {}
        for kwargs in [dict(momentum=0.9), dict(momentum=0.9, dampening=0.5),
                       dict(momentum=0.9, nesterov=True), dict(weight_decay=0.1),
                       dict(momentum=0.5, weight_decay=0.01, nesterov=True),
                       dict(maximize=True), dict(momentum=0.8, dampening=0.3, weight_decay=0.2)]:
            model, opt, losses = train(lambda p: optim.SGD(p, lr=0.05, **kwargs), steps=5)
            key = ",".join(f"{k}={v}" for k, v in kwargs.items())
            values[key] = losses
            values[key + " w"] = model[0].weight
            values[key + " b"] = model[2].bias
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "adam_options",
        """
        values = {}
        for kwargs in [dict(), dict(lr=0.01), dict(weight_decay=0.1), dict(amsgrad=True),
                       dict(betas=(0.5, 0.9), eps=1e-3), dict(maximize=True),
                       dict(weight_decay=0.1, decoupled_weight_decay=True),
                       dict(lr=0.05, amsgrad=True, weight_decay=0.01)]:
            model, opt, losses = train(lambda p: optim.Adam(p, **kwargs), steps=6)
            key = ",".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults"
            values[key] = losses
            values[key + " w"] = model[0].weight
            values[key + " b"] = model[2].bias
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "adamw_options",
        """
        values = {}
        for kwargs in [dict(), dict(lr=0.01), dict(weight_decay=0.1), dict(weight_decay=0),
                       dict(amsgrad=True), dict(betas=(0.5, 0.9), eps=1e-3), dict(maximize=True),
                       dict(lr=0.05, amsgrad=True, weight_decay=0.3)]:
            model, opt, losses = train(lambda p: optim.AdamW(p, **kwargs), steps=6)
            key = ",".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults"
            values[key] = losses
            values[key + " w"] = model[0].weight
            values[key + " b"] = model[2].bias
        same, _, _ = train(lambda p: optim.Adam(p, weight_decay=0.01, decoupled_weight_decay=True))
        w, _, _ = train(lambda p: optim.AdamW(p))
        print(torch.equal(same[0].weight, w[0].weight))
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "adamw_repr_state_dict_and_loading",
        """
        p = [nn.Parameter(torch.ones(2))]
        print(optim.AdamW(p))
        print(optim.AdamW(p, lr=0.01, amsgrad=True, weight_decay=0.1))
        print(isinstance(optim.AdamW(p), optim.Adam), type(optim.AdamW(p)).__mro__[1].__name__)
        model, opt, _ = train(lambda p: optim.AdamW(p, amsgrad=True), steps=3)
        sd = opt.state_dict()
        print(sd["param_groups"])
        print({k: sorted(v) for k, v in sd["state"].items()}, sd["state"][0]["step"])
        adam = optim.Adam(make_model().parameters())
        adam_sd = adam.state_dict()
        w = optim.AdamW(make_model().parameters())
        w.load_state_dict(adam_sd)
        print(w.param_groups[0]["decoupled_weight_decay"], w.param_groups[0]["weight_decay"])
        values = {"exp_avg": sd["state"][2]["exp_avg"], "max": sd["state"][3]["max_exp_avg_sq"]}
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "adamw_bad_settings",
        """
        for kwargs in [dict(lr=-1.0), dict(eps=-1.0), dict(betas=(1.0, 0.9)),
                       dict(betas=(0.9, -0.1)), dict(weight_decay=-0.5)]:
            try:
                optim.AdamW(nn.Linear(2, 1).parameters(), **kwargs)
            except Exception as e:
                print(type(e).__name__, e)
        """,
    ),
    case(
        "optim",
        "state_dicts",
        """
        model, sgd, _ = train(lambda p: optim.SGD(p, lr=0.1, momentum=0.9), steps=2)
        sd = sgd.state_dict()
        print(sorted(sd), list(sd["state"]), sd["param_groups"])
        print([sorted(s) for s in sd["state"].values()])
        model, adam, _ = train(lambda p: optim.Adam(p, amsgrad=True), steps=3)
        sd = adam.state_dict()
        print(sd["param_groups"])
        print({k: sorted(v) for k, v in sd["state"].items()}, sd["state"][0]["step"])
        values = {"momentum": sgd.state_dict()["state"][1]["momentum_buffer"],
                  "exp_avg": sd["state"][2]["exp_avg"], "exp_avg_sq": sd["state"][2]["exp_avg_sq"],
                  "max": sd["state"][3]["max_exp_avg_sq"]}
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "load_state_dict_continues",
        """
        model, opt, _ = train(lambda p: optim.Adam(p, lr=0.05), steps=2)
        clone = make_model()
        clone.load_state_dict(model.state_dict())
        opt2 = optim.Adam(clone.parameters(), lr=0.01)
        opt2.load_state_dict(opt.state_dict())
        print(opt2.param_groups[0]["lr"], opt2.state[clone[0].weight]["step"])
        for m, o in [(model, opt), (clone, opt2)]:
            o.zero_grad()
            F.mse_loss(m(X), Y).backward()
            o.step()
        print(torch.equal(model[0].weight, clone[0].weight))
        values = {"w": clone[0].weight}
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "repr",
        """
        p = [nn.Parameter(torch.ones(2))]
        print(optim.SGD(p, lr=0.1))
        print(optim.Adam(p))
        groups = [{"params": p}, {"params": [nn.Parameter(torch.ones(1))], "lr": 0.5}]
        print(optim.SGD(groups, lr=0.01, momentum=0.9))
        """,
    ),
    case(
        "optim",
        "param_groups",
        """
        model = make_model()
        opt = optim.SGD([{"params": model[0].parameters()},
                         {"params": model[2].parameters(), "lr": 0.5, "momentum": 0.9}], lr=0.1)
        groups = opt.param_groups
        print(len(groups), [g["lr"] for g in groups], [g["momentum"] for g in groups])
        print([len(g["params"]) for g in groups])
        for _ in range(2):
            opt.zero_grad()
            F.mse_loss(model(X), Y).backward()
            opt.step()
        extra = nn.Parameter(torch.zeros(2))
        opt.add_param_group({"params": extra, "lr": 1.0})
        print([g["lr"] for g in opt.param_groups], opt.param_groups[2]["momentum"])
        opt.param_groups[0]["lr"] = 0.0
        w0 = model[0].weight.clone()
        opt.zero_grad()
        F.mse_loss(model(X), Y).backward()
        opt.step()
        print(torch.equal(w0, model[0].weight))
        values = {n: p for n, p in model.named_parameters()}
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "named_parameters_groups",
        """
        model = nn.Linear(2, 1)
        opt = optim.SGD(model.named_parameters(), lr=0.1)
        print(opt.param_groups[0]["param_names"], opt.state_dict()["param_groups"])
        """,
    ),
    case(
        "optim",
        "zero_grad_and_missing_grads",
        """
        a = nn.Parameter(torch.tensor([1.0, 2.0]))
        b = nn.Parameter(torch.tensor([3.0]))
        opt = optim.SGD([a, b], lr=0.5, momentum=0.9)
        (a * a).sum().backward()
        opt.step()
        print(a, b, b.grad, len(opt.state), b in opt.state)
        g = a.grad
        opt.zero_grad(set_to_none=False)
        print(a.grad is g, a.grad, b.grad)
        opt.zero_grad()
        print(a.grad, b.grad)
        adam = optim.Adam([a, b])
        adam.step()
        print(len(adam.state), a)
        """,
    ),
    case(
        "optim",
        "closure",
        """
        model = make_model()
        opt = optim.SGD(model.parameters(), lr=0.1)
        def closure():
            opt.zero_grad()
            loss = F.mse_loss(model(X), Y)
            loss.backward()
            return loss
        with torch.no_grad():
            returned = opt.step(closure)
        print(returned.requires_grad, returned.grad_fn.name())
        values = {"loss": returned, "w": model[0].weight}
        """,
        tol="loose",
        setup=_OPT_SETUP,
    ),
    case(
        "optim",
        "step_before_backward_is_detected",
        """
        l = nn.Linear(3, 2)
        opt = optim.SGD(l.parameters(), lr=0.1)
        x = torch.ones(4, 3)
        l(x).sum().backward()
        loss = l(x).sum()
        opt.step()
        loss.backward()
        """,
    ),
    case(
        "optim",
        "empty_parameter_list",
        """
        optim.SGD([], lr=0.1)
        """,
    ),
    case(
        "optim",
        "empty_model",
        """
        optim.Adam(nn.Sequential(nn.ReLU()).parameters())
        """,
    ),
    case(
        "optim",
        "sgd_negative_lr",
        """
        optim.SGD(nn.Linear(2, 1).parameters(), lr=-0.1)
        """,
    ),
    case(
        "optim",
        "adam_negative_lr",
        """
        optim.Adam(nn.Linear(2, 1).parameters(), lr=-0.1)
        """,
    ),
    case(
        "optim",
        "sgd_negative_momentum",
        """
        optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1, momentum=-0.5)
        """,
    ),
    case(
        "optim",
        "sgd_negative_weight_decay",
        """
        optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1, weight_decay=-1)
        """,
    ),
    case(
        "optim",
        "sgd_nesterov_without_momentum",
        """
        optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1, nesterov=True)
        """,
    ),
    case(
        "optim",
        "adam_bad_beta",
        """
        optim.Adam(nn.Linear(2, 1).parameters(), betas=(0.9, 1.0))
        """,
    ),
    case(
        "optim",
        "adam_bad_eps",
        """
        optim.Adam(nn.Linear(2, 1).parameters(), eps=-1e-8)
        """,
    ),
    case(
        "optim",
        "single_tensor_instead_of_list",
        """
        optim.SGD(nn.Parameter(torch.ones(2)), lr=0.1)
        """,
    ),
    case(
        "optim",
        "non_leaf_tensor",
        """
        w = torch.ones(2, requires_grad=True)
        optim.SGD([w * 2], lr=0.1)
        """,
    ),
    case(
        "optim",
        "not_a_tensor",
        """
        optim.SGD([1.0, 2.0], lr=0.1)
        """,
    ),
    case(
        "optim",
        "parameter_in_two_groups",
        """
        p = nn.Parameter(torch.ones(2))
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
        """,
    ),
    case(
        "optim",
        "duplicate_parameter_warns",
        """
        p = nn.Parameter(torch.ones(2))
        opt = optim.SGD([p, p], lr=0.1)
        print(len(opt.param_groups[0]["params"]))
        """,
    ),
]

# -- training end to end -------------------------------------------------------------------------

TRAINING = [
    case(
        "training",
        "seeded_mlp_classifier",
        """
        rng = np.random.default_rng(0)
        X = torch.from_numpy(rng.standard_normal((32, 2)).astype(np.float32))
        y = torch.from_numpy((X.numpy()[:, 0] * X.numpy()[:, 1] > 0).astype(np.int64))
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
        opt = optim.Adam(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        for _ in range(15):
            opt.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        with torch.no_grad():
            accuracy = (model(X).argmax(dim=1) == y).float().mean()
        print(model)
        values = {"losses": losses, "accuracy": accuracy, "w": model[2].weight}
        """,
        tol="loose",
    ),
    case(
        "training",
        "seeded_mlp_with_dropout_gelu_adamw",
        """
        rng = np.random.default_rng(0)
        X = torch.from_numpy(rng.standard_normal((32, 2)).astype(np.float32))
        y = torch.from_numpy((X.numpy()[:, 0] * X.numpy()[:, 1] > 0).astype(np.int64))
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 16), nn.GELU(), nn.Dropout(0.25), nn.Linear(16, 2))
        opt = optim.AdamW(model.parameters(), lr=0.05)
        losses = []
        for _ in range(12):
            opt.zero_grad()
            loss = F.cross_entropy(model(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            accuracy = (model(X).argmax(dim=1) == y).float().mean()
        values = {"losses": losses, "accuracy": accuracy, "w": model[3].weight,
                  "next": torch.rand(2)}
        """,
        tol="loose",
    ),
    case(
        "training",
        "lesson_style_neuron_with_bce",
        """
        torch.manual_seed(0)
        neuron = nn.Linear(1, 1)
        opt = optim.SGD(neuron.parameters(), lr=0.5)
        x = torch.tensor([[-2.0], [-1.0], [1.0], [3.0]])
        y = torch.tensor([[0.0], [0.0], [1.0], [1.0]])
        losses = []
        for _ in range(10):
            opt.zero_grad()
            loss = nn.BCEWithLogitsLoss()(neuron(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        values = {"losses": losses, "w": neuron.weight, "b": neuron.bias}
        """,
        tol="loose",
    ),
]

# -- more activations, normalize, one_hot, dropout, more losses, AdamW ---------------------------

_ACT_SETUP = """
ACTIVATIONS = [
    ("leaky_relu", F.leaky_relu), ("leaky_relu_0.2", lambda t: F.leaky_relu(t, 0.2)),
    ("leaky_relu_neg", lambda t: F.leaky_relu(t, negative_slope=-0.5)),
    ("gelu", F.gelu), ("gelu_tanh", lambda t: F.gelu(t, approximate="tanh")),
    ("silu", F.silu), ("elu", F.elu), ("elu_0.5", lambda t: F.elu(t, alpha=0.5)),
    ("softplus", F.softplus), ("softplus_b2_t5", lambda t: F.softplus(t, beta=2, threshold=5)),
    ("softplus_half", lambda t: F.softplus(t, 0.5)),
    ("hardtanh", F.hardtanh), ("hardtanh_-2_0.5", lambda t: F.hardtanh(t, -2.0, 0.5)),
]
DATA = [[-1000.0, -20.0, -3.0, -1.0, -0.5, -1e-4], [0.0, 1e-4, 0.5, 1.0, 3.0, 25.0]]
WEIGHTS = [[1.0, -2.0, 0.5, 3.0, -1.0, 2.0], [-1.0, 0.25, 2.0, -0.5, 1.5, 1.0]]
"""

MORE_ACTIVATION = [
    case(
        "activation",
        "more_functional_values_and_grads",
        """
        weights = torch.tensor(WEIGHTS)
        values = {}
        for name, fn in ACTIVATIONS:
            x = torch.tensor(DATA, requires_grad=True)
            y = fn(x)
            (y * weights).sum().backward()
            finite = bool(np.isfinite(x.grad.detach().numpy()).all())
            print(name, y.grad_fn.name(), names(y.grad_fn), y.dtype, finite)
            values[name] = y
            values[name + "_grad"] = x.grad
        """,
        tol="loose",
        setup=_ACT_SETUP,
    ),
    case(
        "activation",
        "more_printed_small_values",
        """
        x = torch.tensor([-2.0, -0.5, -0.0, 0.0, 0.5, 2.0], requires_grad=True)
        for y in [F.leaky_relu(x), F.leaky_relu(x, 0.25), F.elu(x), F.hardtanh(x, -1.0, 0.5),
                  F.relu(x)]:
            print(y)
        h = F.hardtanh(x, -0.5, 0.5)
        h.backward(torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
        print(x.grad)
        """,
    ),
    case(
        "activation",
        "more_float64_and_large_tensors",
        """
        values = {}
        big = ((torch.arange(97.0) - 48) / 6).requires_grad_()  # -8 to 8, ±1 and ±2 included
        for name, fn in ACTIVATIONS:
            x = torch.tensor(DATA, dtype=torch.float64, requires_grad=True)
            y = fn(x)
            y.sum().backward()
            values[name] = y
            values[name + "_grad"] = x.grad
            big.grad = None
            yb = fn(big)
            (yb * yb).sum().backward()
            print(name, y.dtype, yb.dtype, big.grad.dtype)
            values[name + "_big"] = yb
            values[name + "_big_grad"] = big.grad
        """,
        tol="loose",
        setup=_ACT_SETUP,
    ),
    case(
        "activation",
        "more_second_derivatives",
        """
        values = {}
        for name, fn in ACTIVATIONS:
            x = torch.tensor([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 30.0], requires_grad=True)
            (d1,) = torch.autograd.grad(fn(x).sum(), x, create_graph=True)
            (d2,) = torch.autograd.grad((d1 * d1).sum(), x, allow_unused=True)
            print(name, type(d1.grad_fn).__name__, d1.requires_grad)
            values[name + "_d1"] = d1
            values[name + "_d2"] = d2
        """,
        tol="loose",
        setup=_ACT_SETUP,
    ),
    case(
        "activation",
        "more_extreme_inputs",
        """
        values = {}
        for name, fn in ACTIVATIONS + [("softplus_no_threshold", lambda t: F.softplus(t, 2, 1e9))]:
            data = [-1000.0, -100.0, -0.0, 0.0, 100.0, 1000.0, float("-inf"), float("nan")]
            if name != "gelu":  # (torch's oneDNN kernel gives gelu(inf) = nan: not copied)
                data.append(float("inf"))
            z = torch.tensor(data, requires_grad=True)
            y = fn(z)
            (g,) = torch.autograd.grad(y.sum(), z, create_graph=True)
            (h,) = torch.autograd.grad(g.sum(), z)
            values[name] = [y, g, h]
        """,
        tol="loose",
        setup=_ACT_SETUP,
    ),
    case(
        "activation",
        "more_inplace",
        """
        values = {}
        for name, fn in [("leaky_relu", lambda h: F.leaky_relu(h, 0.1, inplace=True)),
                         ("elu", lambda h: F.elu(h, 0.5, inplace=True)),
                         ("silu", lambda h: F.silu(h, inplace=True)),
                         ("hardtanh", lambda h: F.hardtanh(h, -1.0, 3.0, inplace=True))]:
            a = torch.tensor([-1.0, 0.25, 2.0, -3.0], requires_grad=True)
            h = a * 2
            r = fn(h)
            print(name, r is h, h.grad_fn.name(), names(h.grad_fn), h.is_leaf)
            h.backward(torch.tensor([1.0, 2.0, -1.0, 0.5]))
            values[name] = h
            values[name + "_grad"] = a.grad
        for m in [nn.LeakyReLU(inplace=True), nn.ELU(inplace=True), nn.SiLU(inplace=True),
                  nn.Hardtanh(inplace=True)]:
            t = torch.tensor([-1.5, 0.5])
            print(m, m(t) is t, t)
        """,
        tol="loose",
    ),
    case(
        "activation",
        "leaky_relu_inplace_negative_slope",
        """
        a = torch.tensor([-1.0, 2.0], requires_grad=True)
        h = a * 1
        print(F.leaky_relu(h, -0.5, inplace=True))
        h.sum().backward()
        """,
    ),
    case(
        "activation",
        "elu_inplace_negative_alpha",
        """
        a = torch.tensor([-1.0, 2.0], requires_grad=True)
        h = a * 1
        print(F.elu(h, -0.5, inplace=True))
        h.sum().backward()
        """,
    ),
    case(
        "activation",
        "more_modules",
        """
        x = torch.tensor([[-2.0, 0.0, 3.0], [1.0, -1.0, 0.5]], requires_grad=True)
        values = {}
        for m in [nn.LeakyReLU(), nn.LeakyReLU(0.2), nn.GELU(), nn.GELU(approximate="tanh"),
                  nn.SiLU(), nn.ELU(), nn.ELU(alpha=0.5), nn.Softplus(), nn.Softplus(2, 10),
                  nn.Hardtanh(), nn.Hardtanh(-2, 2), nn.Hardtanh(min_val=-2.5, max_val=2.0)]:
            y = m(x)
            print(m, y.grad_fn.name())
            values[repr(m)] = y
        model = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 2), nn.LeakyReLU(0.1))
        print(model)
        """,
        tol="loose",
    ),
    case(
        "activation",
        "hardtanh_deprecated_keywords",
        """
        m = nn.Hardtanh(min_value=-0.5, max_value=2)
        print(m)
        """,
    ),
    case("activation", "gelu_bad_approximate", 'F.gelu(torch.ones(2), approximate="exact")'),
    case("activation", "gelu_module_bad_approximate", 'nn.GELU("fast")(torch.ones(2))'),
    case("activation", "gelu_integers", "F.gelu(torch.tensor([1, 2]))"),
    case("activation", "silu_integers", "F.silu(torch.tensor([1, 2]))"),
    case("activation", "elu_integers", "nn.ELU()(torch.tensor([1, 2]))"),
    case("activation", "leaky_relu_integers", "F.leaky_relu(torch.tensor([1, 2]))"),
    case("activation", "softplus_integers", "F.softplus(torch.tensor([1, 2]))"),
    case("activation", "hardtanh_integers", "print(F.hardtanh(torch.tensor([-3, 0, 2])))"),
    case("activation", "hardtanh_min_above_max", "F.hardtanh(torch.ones(2), 1.0, -1.0)"),
    case("activation", "hardtanh_module_min_above_max", "nn.Hardtanh(2, -2)"),
    case("activation", "gelu_not_a_tensor", "F.gelu(np.ones(3))"),
    case("activation", "leaky_relu_not_a_tensor", "F.leaky_relu([1.0, -1.0])"),
    case(
        "activation",
        "leaky_relu_inplace_on_leaf",
        """
        x = torch.tensor([1.0, -1.0], requires_grad=True)
        F.leaky_relu(x, inplace=True)
        """,
    ),
    case(
        "activation",
        "normalize",
        """
        x = torch.tensor([[3.0, -4.0, 0.0], [1.0, 2.0, 2.0]], requires_grad=True)
        y = F.normalize(x)
        print(y, y.grad_fn.name(), names(y.grad_fn))
        print(names(y.grad_fn.next_functions[1][0]))
        print(names(y.grad_fn.next_functions[1][0].next_functions[0][0]))
        y.backward(torch.tensor([[1.0, 0.5, -1.0], [2.0, 0.0, 1.0]]))
        values = {"y": y, "grad": x.grad, "p1_dim0": F.normalize(x, p=1, dim=0),
                  "p3": F.normalize(x, p=3.0), "pinf": F.normalize(x, p=float("inf"), dim=-1),
                  "vector": F.normalize(torch.tensor([3.0, 4.0]), dim=0),
                  "zeros": F.normalize(torch.zeros(2, 2)),
                  "eps": F.normalize(torch.tensor([[1e-3, 0.0]]), eps=0.1),
                  "float64": F.normalize(x.detach().double(), dim=0)}
        z = torch.zeros(1, 2, requires_grad=True)
        F.normalize(z).sum().backward()
        values["zero_grad"] = z.grad
        """,
        tol="loose",
    ),
    case("activation", "normalize_bad_dim", "F.normalize(torch.tensor([3.0, 4.0]))"),
    case("activation", "normalize_integers", "F.normalize(torch.tensor([[3, 4]]))"),
    case(
        "activation",
        "one_hot",
        """
        a = F.one_hot(torch.tensor([0, 3, 1]))
        print(a, a.dtype, a.shape)
        print(F.one_hot(torch.tensor([0, 3]), 5))
        print(F.one_hot(torch.tensor(2), 3), F.one_hot(torch.tensor([[0], [1]]), num_classes=3))
        print(F.one_hot(torch.tensor([], dtype=torch.long), 3))
        print(F.one_hot(torch.arange(3)).float() @ torch.tensor([[1.0], [2.0], [3.0]]))
        """,
    ),
    case("activation", "one_hot_too_few_classes", "F.one_hot(torch.tensor([0, 3]), 2)"),
    case("activation", "one_hot_negative", "F.one_hot(torch.tensor([-1, 3]))"),
    case("activation", "one_hot_negative_and_too_large", "F.one_hot(torch.tensor([-1, 5]), 3)"),
    case("activation", "one_hot_float", "F.one_hot(torch.tensor([0.0, 1.0]))"),
    case("activation", "one_hot_int32", "F.one_hot(torch.tensor([0, 1], dtype=torch.int32))"),
    case("activation", "one_hot_empty", "F.one_hot(torch.tensor([], dtype=torch.long))"),
    case("activation", "one_hot_zero_classes", "F.one_hot(torch.tensor([0, 1]), 0)"),
]

DROPOUT = [
    case(
        "dropout",
        "functional_masks_match_seeded_torch",
        """
        values = {}
        for seed in [0, 1, 1234]:
            for shape in [(5,), (3, 4), (7, 13), (2, 3, 5), (33, 65)]:
                for p in [0.5, 0.1, 0.9, 0.3333]:
                    torch.manual_seed(seed)
                    x = torch.randn(shape)
                    values[f"{seed} {shape} {p}"] = F.dropout(x, p)
                    values[f"{seed} {shape} {p} next"] = torch.rand(2)
        torch.manual_seed(0)
        print(F.dropout(torch.ones(8), 0.5))
        print(F.dropout(torch.ones(2, 3), 0.25), F.dropout(torch.ones(3), p=0.5, training=True))
        """,
        tol="exact",
    ),
    case(
        "dropout",
        "layouts_dtypes_and_edge_probabilities",
        """
        values = {}
        base = torch.arange(1.0, 13.0).reshape(3, 4)
        cube = torch.arange(1.0, 25.0).view(2, 3, 4)
        for name, make in [("t", lambda: base.t()), ("f64", lambda: base.double()),
                           ("expanded", lambda: torch.tensor([1.0, 2.0, 3.0, 4.0]).expand(3, 4)),
                           ("strided", lambda: base[:, ::2]),
                           ("permuted", lambda: cube.permute(2, 0, 1)),
                           ("col", lambda: base[:, 1:2])]:
            torch.manual_seed(3)
            x = make()
            y = F.dropout(x, 0.5)
            print(name, y.dtype, tuple(y.shape))
            values[name] = y
        x = torch.tensor([1.0, -2.0, 3.0])
        print(F.dropout(x, 0.0) is x, F.dropout(x, 0.7, training=False) is x)
        print(F.dropout(x, 1.0), F.dropout(torch.tensor([]), 0.5), F.dropout(x, 1))
        torch.manual_seed(0)
        F.dropout(x, 0.0)
        F.dropout(x, 1.0)
        values["untouched_rng"] = torch.rand(3)
        """,
        tol="exact",
    ),
    case(
        "dropout",
        "gradient_and_graph",
        """
        x = torch.tensor([[1.0, -2.0, 3.0, 4.0], [0.5, 0.25, -1.0, 2.0]], requires_grad=True)
        y = F.dropout(x, 0.25)
        print(y, names(y.grad_fn))
        y.backward(torch.full((2, 4), 2.0))
        print(x.grad)
        z = F.dropout(x, 1.0)
        print(z, names(z.grad_fn))
        print(F.dropout(x, 0.5, training=False) is x)
        values = {"y": y, "grad": x.grad}
        """,
        tol="exact",
    ),
    case(
        "dropout",
        "inplace",
        """
        a = torch.tensor([1.0, -2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
        h = a * 1
        r = F.dropout(h, 0.5, inplace=True)
        print(r is h, h, h.grad_fn.name(), names(h.grad_fn))
        h.sum().backward()
        print(a.grad)
        t = torch.ones(6)
        m = nn.Dropout(0.5, inplace=True)
        print(m, m(t) is t, t)
        """,
        tol="exact",
    ),
    case(
        "dropout",
        "module_train_and_eval",
        """
        drop = nn.Dropout(p=0.2)
        print(drop, nn.Dropout(), drop.training)
        x = torch.ones(4, 5)
        y1 = drop(x)
        drop.eval()
        y2 = drop(x)
        print(drop.training, y2 is x)
        drop.train()
        y3 = drop(x)
        model = nn.Sequential(nn.Linear(5, 3), nn.Dropout(0.5), nn.ReLU())
        print(model)
        out_train = model(x)
        model.eval()
        out_eval = model(x)
        values = {"y1": y1, "y3": y3, "train": out_train, "eval": out_eval}
        """,
        tol="exact",
    ),
    case("dropout", "probability_above_one", "F.dropout(torch.ones(2), 1.5)"),
    case("dropout", "probability_negative", "F.dropout(torch.ones(2), p=-0.1)"),
    case("dropout", "module_bad_probability", "nn.Dropout(2)"),
    case("dropout", "integers", "F.dropout(torch.tensor([1, 2]), 0.5)"),
    case("dropout", "not_a_tensor", "F.dropout([1.0, 2.0], 0.5)"),
]

_REGRESSION = """
x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]], requires_grad=True)
y = torch.tensor([[1.0, -1.0, 0.0], [2.5, 0.75, -3.0]], requires_grad=True)
"""

MORE_LOSS = [
    case(
        "loss",
        "l1_every_reduction",
        """
        values = {}
        for reduction in ["mean", "sum", "none"]:
            x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]], requires_grad=True)
            y = torch.tensor([[1.0, -1.0, 0.0], [2.5, 0.75, -3.0]], requires_grad=True)
            loss = F.l1_loss(x, y, reduction=reduction)
            print(reduction, loss.grad_fn.name(), names(loss.grad_fn), tuple(loss.shape))
            scale = torch.tensor(2.0) if loss.dim() == 0 else torch.tensor([1.0, -2.0, 0.5])
            (loss * scale).sum().backward()
            print(x.grad, y.grad)
            values[reduction] = loss
            values[reduction + "_dx"] = x.grad
            values[reduction + "_dy"] = y.grad
        values["module"] = nn.L1Loss()(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 4.0]))
        values["module_sum"] = nn.L1Loss(reduction="sum")(torch.ones(3), torch.zeros(3))
        w = torch.tensor([[1.0, 0.5, 2.0], [0.0, 1.0, 3.0]])
        for reduction in ["mean", "sum", "none"]:
            lw = F.l1_loss(torch.ones(2, 3), torch.zeros(2, 3), reduction=reduction, weight=w)
            print(reduction, lw.grad_fn)
            values["weighted_" + reduction] = lw
        """,
    ),
    case(
        "loss",
        "l1_broadcast_warns_and_integers",
        """
        x = torch.zeros(3, 1, requires_grad=True)
        loss = nn.L1Loss()(x, torch.tensor([1.0, 2.0, 3.0]))
        print(loss, names(loss.grad_fn))
        loss.backward()
        print(x.grad)
        print(F.l1_loss(torch.tensor([1, 5]), torch.tensor([2, 2]), reduction="sum"))
        F.l1_loss(torch.tensor([1, 5]), torch.tensor([2, 2]))
        """,
    ),
    case(
        "loss",
        "smooth_l1_and_huber_every_reduction",
        """
        values = {}
        for fn, key, params in [(F.smooth_l1_loss, "beta", [1.0, 0.5, 2.0, 0.0]),
                                (F.huber_loss, "delta", [1.0, 0.5, 2.0])]:
            for param in params:
                for reduction in ["mean", "sum", "none"]:
                    x = torch.tensor([[0.5, -1.0, 2.0, 0.1], [3.0, 0.0, -0.25, 1.0]],
                                     requires_grad=True)
                    y = torch.tensor([[1.0, -1.0, 0.0, 0.6], [2.5, 0.75, -3.0, -1.0]],
                                     requires_grad=True)
                    loss = fn(x, y, reduction=reduction, **{key: param})
                    print(fn.__name__, param, reduction, loss.grad_fn.name(),
                          names(loss.grad_fn), tuple(loss.shape))
                    scale = torch.tensor([1.0, -2.0, 0.5, 3.0] if loss.dim() else -2.0)
                    (loss * scale).sum().backward()
                    print(x.grad, y.grad)
                    name = f"{fn.__name__} {param} {reduction}"
                    values[name] = loss
                    values[name + " dx"] = x.grad
                    values[name + " dy"] = y.grad
        """,
    ),
    case(
        "loss",
        "smooth_l1_and_huber_at_the_seams",
        """
        x = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
        y = torch.zeros(7, requires_grad=True)
        for fn, kw in [(F.smooth_l1_loss, {"beta": 1.0}), (F.huber_loss, {"delta": 1.0}),
                       (F.smooth_l1_loss, {"beta": 0.5}), (F.huber_loss, {"delta": 2.0})]:
            x.grad = None
            y.grad = None
            loss = fn(x, y, reduction="none", **kw)
            loss.backward(torch.tensor([1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0]))
            print(loss)
            print(x.grad, y.grad)
        """,
    ),
    case(
        "loss",
        "smooth_l1_huber_second_derivatives_and_float64",
        """
        values = {}
        for fn, kw in [(F.smooth_l1_loss, {"beta": 0.5}), (F.huber_loss, {"delta": 0.5}),
                       (F.l1_loss, {})]:
            x = torch.tensor([0.1, -0.3, 1.5, -2.0], requires_grad=True)
            t = torch.tensor([0.0, 0.0, 0.0, 0.25], requires_grad=True)
            (gx, gt) = torch.autograd.grad(fn(x, t, **kw), (x, t), create_graph=True)
            values[fn.__name__] = [gx, gt]
            if fn is not F.l1_loss:  # (torch's l1 gives second derivatives it cannot print)
                h = torch.autograd.grad((gx * gx).sum() + (gx * gt).sum(), (x, t))
                values[fn.__name__ + "_second"] = list(h)
            d = torch.tensor([0.1, -0.3, 1.5, -2.0], dtype=torch.float64, requires_grad=True)
            loss = fn(d, torch.zeros(4, dtype=torch.float64), **kw)
            loss.backward()
            print(fn.__name__, loss.dtype, d.grad.dtype)
            values[fn.__name__ + "64"] = [loss, d.grad]
        """,
        tol="loose",
    ),
    case(
        "loss",
        "huber_weight_and_modules",
        """
        x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]], requires_grad=True)
        y = torch.zeros(2, 3)
        w = torch.tensor([[1.0, 0.5, 2.0], [0.0, 1.0, 3.0]])
        values = {}
        for reduction in ["mean", "sum", "none"]:
            loss = F.huber_loss(x, y, reduction=reduction, delta=0.75, weight=w)
            print(reduction, loss.grad_fn.name())
            values[reduction] = loss
        for m in [nn.SmoothL1Loss(), nn.SmoothL1Loss(beta=0.5), nn.SmoothL1Loss(reduction="sum"),
                  nn.HuberLoss(), nn.HuberLoss(delta=2.0), nn.HuberLoss(reduction="none", delta=1)]:
            loss = m(x, y)
            print(m, getattr(m, "beta", None), getattr(m, "delta", None), m.reduction)
            setting = getattr(m, "beta", None), getattr(m, "delta", None), m.reduction
            values[f"{m} {setting}"] = loss
        """,
    ),
    case(
        "loss",
        "smooth_l1_target_broadcast_warns",
        """
        loss = F.smooth_l1_loss(torch.zeros(2, 1), torch.tensor([0.5, 2.0]), reduction="none")
        print(loss)
        loss = nn.HuberLoss()(torch.zeros(2, 1, requires_grad=True), torch.tensor([0.5, 2.0]))
        print(loss)
        """,
    ),
    case(
        "loss",
        "smooth_l1_negative_beta",
        "F.smooth_l1_loss(torch.ones(2), torch.zeros(2), beta=-1.0)",
    ),
    case("loss", "huber_zero_delta", "F.huber_loss(torch.ones(2), torch.zeros(2), delta=0.0)"),
    case("loss", "huber_module_bad_delta", 'nn.HuberLoss(delta="1.0")'),
    case("loss", "l1_bad_reduction", 'F.l1_loss(torch.ones(2), torch.ones(2), reduction="avg")'),
    case(
        "loss",
        "smooth_l1_bad_reduction",
        'nn.SmoothL1Loss(reduction="avg")(torch.ones(2), torch.ones(2))',
    ),
    case(
        "loss", "huber_bad_reduction", 'F.huber_loss(torch.ones(2), torch.ones(2), reduction="avg")'
    ),
    case(
        "loss",
        "huber_weighted_bad_reduction",
        'F.huber_loss(torch.ones(2), torch.ones(2), reduction="avg", weight=torch.ones(2))',
    ),
    case(
        "loss", "l1_weight_shape", "F.l1_loss(torch.ones(2), torch.ones(2), weight=torch.ones(3))"
    ),
    case(
        "loss", "smooth_l1_integers", "F.smooth_l1_loss(torch.tensor([1, 2]), torch.tensor([1, 3]))"
    ),
    case("loss", "huber_integers", "F.huber_loss(torch.tensor([1, 2]), torch.tensor([1, 3]))"),
    case("loss", "l1_size_mismatch", "F.l1_loss(torch.ones(4), torch.ones(3))"),
]

MORE_MODULE = [
    case(
        "module",
        "repr_more_layers",
        """
        print(nn.LeakyReLU(), nn.LeakyReLU(0.2, True), nn.GELU(), nn.GELU("tanh"))
        print(nn.SiLU(), nn.SiLU(True), nn.ELU(), nn.ELU(0.5, True), nn.ELU(alpha=2))
        print(nn.Softplus(), nn.Softplus(2, 10), nn.Softplus(beta=0.5))
        print(nn.Hardtanh(), nn.Hardtanh(-2, 2), nn.Hardtanh(-2.5, 2, inplace=True))
        print(nn.Dropout(), nn.Dropout(0.2, True), nn.Dropout(p=0))
        print(nn.L1Loss(), nn.SmoothL1Loss(beta=0.5), nn.HuberLoss(delta=2.0))
        print(nn.HuberLoss(reduction="sum", delta=2.0), nn.L1Loss(reduction="none"))
        print(nn.Sequential(nn.Linear(2, 4), nn.GELU(), nn.Dropout(0.1), nn.Linear(4, 1)))
        print(nn.Dropout(0.3).state_dict(), list(nn.GELU().parameters()))
        """,
    ),
]


# -- found by running autograd_lab and torch side by side (each was a difference once) ----------

DIFFERENTIAL = [
    case(
        "differential",
        "every_target_ignored_gives_zero_gradients",
        """
        x = torch.ones(2, 3, requires_grad=True)
        loss = F.cross_entropy(x * 2, torch.tensor([-100, -100]))
        loss.backward()
        print(loss, x.grad)
        x.grad = None
        z = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], requires_grad=True)
        loss = F.cross_entropy(z, torch.tensor([1, -100]))
        loss.backward()
        print(loss, z.grad, F.cross_entropy(z, torch.tensor([1, -100]), reduction="none"))
        """,
    ),
    case(
        "differential",
        "empty_batches",
        """
        for fn in (F.mse_loss, F.huber_loss, F.smooth_l1_loss, F.l1_loss):
            x = torch.zeros(0, 3, requires_grad=True)
            loss = fn(x, torch.zeros(0, 3))
            loss.backward()
            print(fn.__name__, loss, x.grad)
        """,
    ),
    case(
        "differential",
        "losses_promote_an_integer_target",
        """
        x = torch.tensor([0.5, 1.5], requires_grad=True)
        loss = F.mse_loss(x, torch.tensor([1, 2]))
        loss.backward()
        print(loss, x.grad)
        print(F.smooth_l1_loss(torch.tensor([0.5, 1.5]), torch.tensor([1, 2])))
        print(F.huber_loss(torch.tensor([0.5, 1.5]), torch.tensor([1, 2])))
        print(F.l1_loss(torch.tensor([0.5, 1.5]), torch.tensor([1, 2])))
        print(F.mse_loss(torch.tensor([1, 2]), torch.tensor([0.5, 1.5])))
        """,
    ),
    case(
        "differential",
        "relu_gradient_has_no_negative_zero",
        """
        x = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)
        (F.relu(x) * -1).sum().backward()
        print(x.grad)
        y = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)
        (nn.ReLU()(y) * torch.tensor([-1.0, -1.0, -2.0])).sum().backward()
        print(y.grad)
        """,
    ),
    case(
        "differential",
        "module_list_repr_and_list_methods",
        """
        layers = [nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Linear(2, 3)]
        print(nn.ModuleList(layers))
        print(nn.ModuleList(), nn.ModuleList([nn.Sequential(nn.Linear(1, 1))] * 2))
        ml = nn.ModuleList([nn.Linear(2, 2)])
        ml.insert(0, nn.ReLU())
        print(ml, ml.pop(0))
        del ml[0]
        print(ml, len(ml), nn.ModuleList([nn.ReLU()]) + nn.ModuleList([nn.Tanh()]))
        ml += [nn.Tanh(), nn.Linear(1, 2)]
        print(list(ml.state_dict()))
        nn.ModuleList([nn.ReLU()])(1)
        """,
    ),
    case(
        "differential",
        "flatten_and_identity",
        """
        print(nn.Sequential(nn.Flatten(), nn.Identity()), nn.Flatten(0, 1), nn.Identity(3, k=4))
        x = torch.ones(2, 3, 4, requires_grad=True)
        out = nn.Flatten()(x)
        print(out.shape, out.grad_fn.name(), nn.Flatten(0, -2)(x).shape, nn.Identity()(x) is x)
        """,
    ),
    case(
        "differential",
        "class_weight_zero_is_not_an_ignored_target",
        """
        x = torch.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], requires_grad=True)
        F.nll_loss(x, torch.tensor([1, 2]), weight=torch.tensor([1.0, 0.0, 2.0])).backward()
        print(x.grad)
        x.grad = None
        loss = F.nll_loss(x, torch.tensor([1, 1]), weight=torch.tensor([1.0, 0.0, 2.0]))
        loss.backward()
        print(loss, x.grad)
        """,
    ),
    case(
        "differential",
        "module_list_subclass_repr",
        """
        class Blocks(nn.ModuleList):
            pass

        print(Blocks([nn.ReLU(), nn.ReLU()]), Blocks())
        """,
    ),
    case(
        "differential",
        "linear_dtype_errors_in_order",
        """
        D = {"f": torch.float32, "d": torch.float64}
        for a, w, b in ["ffd", "fdf", "fdd", "dff", "dfd", "ddf"]:
            for features in (2, 5):
                try:
                    x = torch.ones(4, features, dtype=D[a])
                    F.linear(x, torch.ones(3, 2, dtype=D[w]), torch.ones(3, dtype=D[b]))
                except RuntimeError as e:
                    print(a, w, b, features, e)
        """,
    ),
    case(
        "differential",
        "optimizer_state_dict_without_newer_settings",
        """
        w = nn.Parameter(torch.tensor([1.0, -2.0]))
        opt = optim.Adam([w], lr=0.1)
        w.grad = torch.tensor([0.5, 0.25])
        opt.step()
        saved = opt.state_dict()
        for group in saved["param_groups"]:
            for key in ("maximize", "foreach", "capturable", "differentiable", "fused"):
                group.pop(key, None)
        saved["state"][0]["step"] = 1.0  # a plain number, as older versions saved it
        fresh = optim.Adam([w], lr=0.1)
        fresh.load_state_dict(saved)
        fresh.step()
        print(w, sorted(fresh.param_groups[0]))
        sgd = optim.SGD([w], lr=0.1)
        sgd.load_state_dict(opt.state_dict())
        print(sorted(sgd.param_groups[0]))
        """,
    ),
]


CASES: list[Case] = (
    INIT
    + MODULE
    + MORE_MODULE
    + LINEAR
    + ACTIVATION
    + MORE_ACTIVATION
    + DROPOUT
    + LOSS
    + MORE_LOSS
    + OPTIM
    + TRAINING
    + DIFFERENTIAL
)


def main() -> int:
    import torch

    if not torch.__version__.startswith(TORCH_VERSION):
        print(f"expected torch {TORCH_VERSION}, found {torch.__version__}", file=sys.stderr)
        return 1
    cases = record(CASES, torch, OUT)
    if cases is None:
        return 1
    raising = sum(1 for c in cases.values() if c["exception"] is not None)
    print(f"wrote {len(cases)} cases to {OUT} (torch {torch.__version__}); {raising} raise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
