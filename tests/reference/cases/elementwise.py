"""Elementwise functions: forward values, gradients, grad_fn names, extreme inputs."""

from __future__ import annotations

from reference.harness import Case

_FUNCS = ["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu"]


def _forward_and_grad(name: str) -> Case:
    return Case(
        f"{name}_forward_grad",
        f"""
        x = torch.tensor([0.25, 0.5, 1.0, 2.0, 3.0], requires_grad=True)
        y = torch.{name}(x)
        print(y)
        y.sum().backward()
        print(x.grad)
        m = x.detach().{name}()
        print(m)
        values = {{"y": y, "grad": x.grad, "method": m}}
        """,
        tol="loose",
    )


def _negative_inputs(name: str) -> Case:
    return Case(
        f"{name}_negative_and_zero_inputs",
        f"""
        x = torch.tensor([-2.0, -0.5, 0.0, 0.5], requires_grad=True)
        y = x.{name}()
        print(y)
        y.backward(torch.tensor([1.0, 2.0, 3.0, 4.0]))
        print(x.grad)
        values = {{"y": y, "grad": x.grad}}
        """,
        tol="loose",
    )


def _float64(name: str) -> Case:
    return Case(
        f"{name}_float64",
        f"""
        x = torch.tensor([[0.1, 0.7], [1.3, 2.9]], dtype=torch.float64, requires_grad=True)
        y = torch.{name}(x)
        print(y)
        (y * y).sum().backward()
        print(x.grad)
        values = {{"y": y, "grad": x.grad}}
        """,
        tol="loose",
    )


CASES = (
    [_forward_and_grad(name) for name in _FUNCS]
    + [_negative_inputs(name) for name in _FUNCS]
    + [_float64(name) for name in _FUNCS]
)

CASES += [
    Case(
        "clamp_forms_and_grad_fn_names",
        """
        x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
        ys = [torch.clamp(x, -1, 1), x.clamp(min=0), x.clamp(max=0.25), torch.clamp(x, 0.5),
              x.clamp(-1.0, 1.0), torch.clamp(x, min=-0.5, max=0.5)]
        for y in ys:
            print(y)
        values = {"a": ys[0], "b": ys[1], "c": ys[2]}
        """,
    ),
    Case(
        "clamp_grads_at_and_beyond_bounds",
        """
        x = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
        x.clamp(-1, 1).sum().backward()
        print(x.grad)
        x.grad = None
        x.clamp(min=0).sum().backward()
        print(x.grad)
        x.grad = None
        x.clamp(max=1).sum().backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "clamp_int_and_errors",
        """
        i = torch.tensor([-3, 0, 3])
        print(i.clamp(-1, 1), i.clamp(-1, 1).dtype)
        print(i.clamp(0.5), i.clamp(0.5).dtype)
        print(torch.clamp(torch.tensor([1.0, 5.0]), 2, 1))
        torch.clamp(i)
        """,
    ),
    Case(
        "clamp_lesson_epsilon",
        """
        p = torch.tensor([0.0, 1e-9, 0.5, 1.0], requires_grad=True)
        eps = 1e-8
        q = torch.clamp(p, eps, 1 - eps)
        print(q)
        print(q.tolist())
        torch.log(q).sum().backward()
        print(p.grad)
        values = {"q": q, "g": p.grad}
        """,
        tol="loose",
    ),
    Case(
        "pow_function_forms",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        ys = [torch.pow(x, 2), x.pow(3), torch.pow(2, x), torch.pow(x, x), x.pow(0.5),
              torch.pow(x, torch.tensor(2.0))]
        for y in ys:
            print(y)
        ys[3].sum().backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
        tol="loose",
    ),
    Case(
        "abs_relu_at_zero_and_negative_zero",
        """
        x = torch.tensor([-0.0, 0.0, -1.0], requires_grad=True)
        a = x.abs()
        r = x.relu()
        print(a, r)
        (a + r).sum().backward()
        print(x.grad)
        print(torch.abs(torch.tensor([-3, 4])), torch.relu(torch.tensor([-3, 4])))
        """,
    ),
    Case(
        "int_inputs_promote_to_float",
        """
        i = torch.tensor([1, 4, 9])
        for name in ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid"]:
            r = getattr(torch, name)(i)
            print(name, r, r.dtype)
        b = torch.tensor([True, False])
        print(torch.exp(b), torch.sqrt(b))
        values = {"sqrt": torch.sqrt(i)}
        """,
        tol="loose",
    ),
    Case(
        "nan_propagation",
        """
        nan = float("nan")
        x = torch.tensor([nan, 1.0], requires_grad=True)
        for y in (x.exp(), x.relu(), x.clamp(0, 0.5), x.abs(), x.sigmoid(), x.tanh(), x * 0):
            print(y)
        x.relu().sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "extreme_sigmoid",
        """
        x = torch.tensor([-1000.0, -100.0, 0.0, 100.0, 1000.0], requires_grad=True)
        y = torch.sigmoid(x)
        print(y)
        print(y.tolist())
        y.sum().backward()
        print(x.grad)
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "extreme_exp_overflow",
        """
        x = torch.tensor([1000.0, 88.0, 89.0, -1000.0], requires_grad=True)
        y = torch.exp(x)
        print(y)
        y.sum().backward()
        print(x.grad)
        print(torch.exp(torch.tensor([1000.0], dtype=torch.float64)))
        values = {"y": y, "g": x.grad}
        """,
        tol="loose",
    ),
    Case(
        "extreme_log_of_zero_and_negative",
        """
        x = torch.tensor([0.0, -1.0, float("inf")], requires_grad=True)
        y = torch.log(x)
        print(y)
        y.sum().backward()
        print(x.grad)
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "extreme_sqrt_negative",
        """
        x = torch.tensor([-1.0, 0.0, float("inf")], requires_grad=True)
        y = torch.sqrt(x)
        print(y)
        y.sum().backward()
        print(x.grad)
        print(torch.tensor(-4.0, dtype=torch.float64).sqrt())
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "extreme_division_by_zero",
        """
        x = torch.tensor([1.0, -1.0, 0.0], requires_grad=True)
        y = x / 0
        print(y)
        z = 1 / x
        print(z)
        (y + z).sum().backward()
        print(x.grad)
        print(torch.tensor([1, 0]) / 0)
        values = {"y": y, "z": z, "g": x.grad}
        """,
    ),
    Case(
        "extreme_tanh_and_inf_inputs",
        """
        x = torch.tensor([-1000.0, 1000.0, float("inf"), float("-inf")], requires_grad=True)
        y = torch.tanh(x)
        print(y)
        y.sum().backward()
        print(x.grad)
        print(torch.sigmoid(torch.tensor([float("inf"), float("-inf")])))
        print(torch.exp(torch.tensor([float("-inf")])), torch.sin(torch.tensor([float("inf")])))
        """,
    ),
    Case(
        "extreme_pow_overflow_and_underflow",
        """
        x = torch.tensor([1e20, 1e-30, -1e20], requires_grad=True)
        y = x ** 2
        print(y)
        y.sum().backward()
        print(x.grad)
        print(torch.tensor([10.0]) ** 100, torch.tensor([0.0]) ** -1)
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "extreme_float64_stays_finite",
        """
        x = torch.tensor([700.0, -745.0, 1e-300], dtype=torch.float64)
        print(torch.exp(x))
        print(torch.log(x))
        print(torch.sigmoid(-x))
        values = {"exp": torch.exp(x), "log": torch.log(x)}
        """,
        tol="loose",
    ),
]

CASES += [
    Case(
        "maximum_minimum_grads_ties_nan_and_inf",
        """
        a = torch.tensor([1.0, 2.0, 3.0, float("nan"), 1.0, float("inf")], requires_grad=True)
        b = torch.tensor([2.0, 2.0, 1.0, 1.0, float("nan"), float("inf")], requires_grad=True)
        upstream = torch.tensor([1.0, 1.0, 1.0, 1.0, 1.0, float("inf")])
        out = {}
        for f in (torch.maximum, torch.minimum):
            a.grad = None
            b.grad = None
            y = f(a, b)
            y.backward(upstream)
            print(f.__name__, y, y.grad_fn.name())
            print(a.grad, b.grad)
            out[f.__name__] = [y, a.grad, b.grad]
        values = out
        """,
    ),
    Case(
        "where_grads_mask_an_infinite_gradient",
        """
        cond = torch.tensor([[True, False]])
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        z = torch.tensor([[3.0], [4.0]], requires_grad=True)
        y = torch.where(cond, x, z)
        y.backward(torch.full((2, 2), float("inf")))
        print(x.grad, z.grad)
        values = {"x": x.grad, "z": z.grad}
        """,
    ),
    Case(
        "backward_stays_in_float32",
        """
        # x is v, but its gradient is scaled by 1e10 on the way to v: computed in float32, as
        # in PyTorch, 1e30 * 1e10 passes float32's largest number (3.4e38) and becomes inf
        big = torch.tensor(1e30)
        out = {}
        for name, f in [
            ("maximum", lambda x: torch.maximum(x, torch.tensor(0.5))),
            ("minimum", lambda x: torch.minimum(x, torch.tensor(0.5))),
            ("where_0d", lambda x: torch.where(torch.tensor(False), torch.tensor(0.0), x)),
            ("rpow_0d", lambda x: 3 ** x),
        ]:
            v = torch.tensor(0.5, requires_grad=True)
            f((v * 1e-10) * 1e10).backward(big)
            print(name, v.grad)
            out[name] = v.grad
        values = out
        """,
    ),
]

# More elementwise functions: each on inputs across its domain (edges, poles and outside it
# included), with a non-uniform upstream gradient, the method form and float64.
_MORE_FUNCS = {
    "tan": "[-1.2, -0.5, 0.0, 0.25, 1.0, 1.5]",
    "atan": "[-3.0, -0.5, 0.0, 0.25, 1.0, 10.0]",
    "asin": "[-1.0, -0.5, 0.0, 0.25, 0.75, 1.5]",
    "acos": "[-1.0, -0.5, 0.0, 0.25, 0.75, 1.5]",
    "sinh": "[-3.0, -0.5, 0.0, 0.25, 1.0, 5.0]",
    "cosh": "[-3.0, -0.5, 0.0, 0.25, 1.0, 4.0]",
    "log2": "[0.0, 0.25, 1.0, 2.0, 1000.0, -1.0]",
    "log10": "[0.0, 0.25, 1.0, 2.0, 1000.0, -1.0]",
    "exp2": "[-3.0, -0.5, 0.0, 1.0, 10.0, 130.0]",
    "log1p": "[-1.0, -0.5, 1e-08, 0.25, 1.0, 100.0]",
    "expm1": "[-5.0, -1e-06, 0.0, 1e-08, 1.0, 10.0]",
    "rsqrt": "[0.0, 0.25, 1.0, 2.0, 100.0, -1.0]",
}


def _more(name: str, data: str) -> Case:
    return Case(
        f"{name}_domain_grad_method_float64",
        f"""
        x = torch.tensor({data}, requires_grad=True)
        y = torch.{name}(x)
        print(y)
        y.backward(torch.tensor([1.0, -2.0, 0.5, 3.0, 1.0, 2.0]))
        print(x.grad)
        m = x.detach().{name}()
        d = torch.tensor({data}, dtype=torch.float64, requires_grad=True)
        yd = d.{name}()
        (yd * yd).sum().backward()
        print(yd.dtype, d.grad)
        values = {{"y": y, "grad": x.grad, "method": m, "y64": yd, "grad64": d.grad}}
        """,
        tol="loose",
    )


CASES += [_more(name, data) for name, data in _MORE_FUNCS.items()]

CASES += [
    Case(
        "more_functions_grad_fn_names_and_int_inputs",
        """
        x = torch.tensor([0.3, -0.6], requires_grad=True)
        i = torch.tensor([1, 4, 9])
        b = torch.tensor([True, False])
        for name in ["tan", "atan", "asin", "acos", "sinh", "cosh", "log2", "log10", "exp2",
                     "log1p", "expm1", "rsqrt", "floor", "ceil", "round", "trunc", "frac"]:
            y = getattr(torch, name)(x)
            print(name, y.grad_fn.name(), getattr(x, name)().grad_fn.name())
        for name in ["tan", "atan", "sinh", "cosh", "log2", "log10", "exp2", "log1p", "expm1",
                     "rsqrt", "asin", "acos"]:
            r = getattr(torch, name)(i)
            print(name, r, r.dtype, getattr(torch, name)(b))
        """,
        tol="loose",
    ),
    Case(
        "rounding_functions_values_and_zero_grads",
        """
        data = [-2.7, -2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 2.7, float("inf"), float("nan")]
        x = torch.tensor(data, requires_grad=True)
        out = {}
        for name in ["floor", "ceil", "round", "trunc", "frac"]:
            x.grad = None
            y = getattr(x, name)()
            y.backward(torch.full((12,), -3.0))
            print(name, y, x.grad)
            out[name] = y
            out[name + "_grad"] = x.grad
        d = torch.tensor(data, dtype=torch.float64)
        print(torch.round(d), torch.frac(d).dtype)
        values = out
        """,
    ),
    Case(
        "round_decimals",
        """
        x = torch.tensor([1234.5678, -0.05, 0.15, 0.25, 2.675, -2.675, 1e-08, 15.0, -35.0],
                         requires_grad=True)
        for k in [0, 1, 2, 3, -1, -2]:
            y = torch.round(x, decimals=k)
            print(k, y, y.grad_fn.name())
        y = x.round(decimals=2)
        y.sum().backward()
        print(x.grad)
        d = torch.tensor([2.675, 0.125, -0.375], dtype=torch.float64)
        print(d.round(decimals=2), d.round(decimals=2).dtype)
        values = {"two": x.round(decimals=2), "minus_one": x.round(decimals=-1),
                  "d": d.round(decimals=2), "g": x.grad}
        """,
    ),
    Case(
        "rounding_integer_tensors",
        """
        i = torch.tensor([-3, 0, 7])
        for name in ["floor", "ceil", "round", "trunc"]:
            r = getattr(i, name)()
            print(name, r, r.dtype, r is i)
        """,
    ),
    Case(
        "any_all_values_dims_and_dtypes",
        """
        m = torch.tensor([[0.0, 1.5, 0.0], [2.0, -1.0, 3.0]], requires_grad=True)
        print(m.any(), m.all(), torch.any(m), torch.all(m))
        print(m.any(dim=0), m.all(dim=1), m.all(1, keepdim=True), torch.any(m, dim=-1))
        print(m.all(dim=(0, 1)), m.any(dim=[0]), m.all(keepdim=True), torch.all(m, 0, True))
        i = torch.tensor([[1, 0], [3, 4]])
        b = torch.tensor([True, False])
        u = torch.tensor([0, 2], dtype=torch.uint8)
        print(i.all(), i.any(1), b.any(), b.all(), u.any(), u.all(), u.all(0))
        print(torch.tensor([]).all(), torch.tensor([]).any(), torch.tensor([float("nan")]).all())
        print(torch.tensor(2.0).any(0), torch.zeros(0, 3).any(dim=0), torch.zeros(0, 3).all(1))
        r = m.any()
        print(r.requires_grad, r.grad_fn, r.dtype)
        """,
    ),
    Case(
        "outer_values_grads_and_graph",
        """
        a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        b = torch.tensor([0.5, 4.0], requires_grad=True)
        y = torch.outer(a, b)
        print(y, y.grad_fn.name())
        print([type(f).__name__ for f, _ in y.grad_fn.next_functions])
        y.backward(torch.tensor([[1.0, 0.0], [2.0, -1.0], [0.5, 3.0]]))
        print(a.grad, b.grad)
        print(a.outer(b).shape, torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4])))
        print(torch.outer(torch.tensor([1, 2]), torch.tensor([0.5])))
        values = {"y": y, "ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "clamp_min_and_clamp_max_grad_fn_names",
        """
        x = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
        lo = x.clamp_min(-1.0)
        hi = x.clamp_max(1)
        print(lo, hi)
        (lo * hi).sum().backward()
        print(x.grad)
        values = {"lo": lo, "hi": hi, "g": x.grad}
        """,
    ),
    Case(
        "gelu_erf_dense_grid_float64",
        """
        # gelu's erf across all its ranges (|x|/√2 below 0.47, up to 4, up to 6, beyond)
        grid = torch.linspace(-10, 10, 1001, dtype=torch.float64)
        ends = torch.tensor([-40.0, -1e-300, 1e-300, 40.0, float("inf"), float("-inf"),
                             float("nan")], dtype=torch.float64)
        x = torch.cat([grid, ends]).requires_grad_()
        y = torch.nn.functional.gelu(x)
        y.backward(torch.ones_like(y))
        print(y[-7:], x.grad[-7:])
        values = {"y": y, "grad": x.grad}
        """,
    ),
    Case(
        "gelu_erf_dense_grid_float32",
        """
        # (PyTorch's float32 kernel approximates erf by oneDNN's formula: values agree loosely)
        x = torch.cat([torch.linspace(-10, 10, 1001), torch.tensor([-40.0, 40.0])])
        x.requires_grad_()
        y = torch.nn.functional.gelu(x)
        y.backward(torch.ones_like(y))
        values = {"y": y, "grad": x.grad}
        """,
        tol="loose",
    ),
]
