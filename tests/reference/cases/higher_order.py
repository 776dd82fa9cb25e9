"""torch.autograd.grad, higher derivatives through create_graph, and gradcheck."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "autograd_grad_basic",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x ** 2).sum()
        g = torch.autograd.grad(y, x)
        print(type(g).__name__, len(g), g[0], x.grad)
        values = {"g": g[0]}
        """,
    ),
    Case(
        "autograd_grad_several_inputs_and_outputs",
        """
        a = torch.tensor(2.0, requires_grad=True)
        b = torch.tensor(3.0, requires_grad=True)
        y1 = a * b
        y2 = a + b ** 2
        ga, gb = torch.autograd.grad([y1, y2], [a, b])
        print(ga, gb)
        print(torch.autograd.grad(a * b, (b,)))
        """,
    ),
    Case(
        "autograd_grad_grad_outputs",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x
        (g,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.5, 0.0]))
        print(g)
        (h,) = torch.autograd.grad([x.sum() * 2], [x], grad_outputs=[torch.tensor(3.0)])
        print(h)
        """,
    ),
    Case(
        "autograd_grad_non_scalar_without_grad_outputs_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        torch.autograd.grad(x * 2, x)
        """,
    ),
    Case(
        "autograd_grad_frees_graph",
        """
        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 3
        print(torch.autograd.grad(y, x))
        torch.autograd.grad(y, x)
        """,
    ),
    Case(
        "autograd_grad_retain_graph",
        """
        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 3
        print(torch.autograd.grad(y, x, retain_graph=True))
        print(torch.autograd.grad(y, x))
        y.backward()
        """,
    ),
    Case(
        "autograd_grad_allow_unused",
        """
        x = torch.tensor(1.0, requires_grad=True)
        u = torch.tensor(2.0, requires_grad=True)
        y = x * 3
        print(torch.autograd.grad(y, [x, u], allow_unused=True))
        """,
    ),
    Case(
        "autograd_grad_unused_error",
        """
        x = torch.tensor(1.0, requires_grad=True)
        u = torch.tensor(2.0, requires_grad=True)
        torch.autograd.grad(x * 3, [x, u])
        """,
    ),
    Case(
        "autograd_grad_input_not_requiring_grad_error",
        """
        x = torch.tensor(1.0, requires_grad=True)
        c = torch.tensor(2.0)
        torch.autograd.grad(x * c, [x, c])
        """,
    ),
    Case(
        "autograd_grad_output_not_requiring_grad_error",
        """
        x = torch.tensor(1.0, requires_grad=True)
        c = torch.tensor(2.0)
        torch.autograd.grad(c * 2, x)
        """,
    ),
    Case(
        "autograd_grad_wrt_intermediate",
        """
        x = torch.tensor(2.0, requires_grad=True)
        h = x * 3
        y = h ** 2
        print(torch.autograd.grad(y, h, retain_graph=True))
        print(torch.autograd.grad(y, [h, x]))
        print(x.grad)
        """,
    ),
    Case(
        "autograd_grad_grad_outputs_wrong_shape_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        torch.autograd.grad(x * 2, x, grad_outputs=torch.ones(3))
        """,
    ),
    Case(
        "cube_second_and_third_derivatives",
        """
        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 3
        (d1,) = torch.autograd.grad(y, x, create_graph=True)
        print(d1, d1.requires_grad)
        (d2,) = torch.autograd.grad(d1, x, create_graph=True)
        print(d2)
        (d3,) = torch.autograd.grad(d2, x)
        print(d3, d3.requires_grad)
        values = {"d1": d1, "d2": d2, "d3": d3}
        """,
    ),
    Case(
        "cube_derivatives_vector",
        """
        x = torch.tensor([-1.0, 0.5, 3.0], requires_grad=True)
        (d1,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
        (d2,) = torch.autograd.grad(d1.sum(), x, create_graph=True)
        (d3,) = torch.autograd.grad(d2.sum(), x)
        print(d1, d2, d3, sep="\\n")
        values = {"d1": d1, "d2": d2, "d3": d3}
        """,
    ),
]


def _second_derivative(name: str, expr: str) -> Case:
    return Case(
        f"second_derivative_{name}",
        f"""
        x = torch.tensor([-1.5, 0.0, 0.5, 2.0], requires_grad=True)
        y = ({expr}).sum()
        (d1,) = torch.autograd.grad(y, x, create_graph=True)
        (d2,) = torch.autograd.grad(d1.sum(), x)
        print(d1)
        print(d2)
        values = {{"d1": d1, "d2": d2}}
        """,
        tol="loose",
    )


CASES += [
    _second_derivative("sin", "torch.sin(x)"),
    _second_derivative("cos", "torch.cos(x)"),
    _second_derivative("exp", "torch.exp(x)"),
    _second_derivative("tanh", "torch.tanh(x)"),
    _second_derivative("sigmoid", "torch.sigmoid(x)"),
    _second_derivative("log_of_square", "torch.log(x * x + 1)"),
    _second_derivative("sqrt", "torch.sqrt(x * x + 1)"),
    _second_derivative("div", "1 / (x + 3)"),
    _second_derivative("relu_square", "torch.relu(x) ** 2"),
    _second_derivative("abs_cube", "torch.abs(x) ** 3"),
    _second_derivative("clamp_square", "torch.clamp(x, -1, 1) ** 2"),
    _second_derivative("mean_of_square", "(x ** 2).mean() * x"),
    _second_derivative("max", "x.max() * x ** 2"),
    _second_derivative("tan", "torch.tan(x / 2)"),
    _second_derivative("atan", "torch.atan(x)"),
    _second_derivative("asin", "torch.asin(x / 2.5)"),
    _second_derivative("acos", "torch.acos(x / 2.5)"),
    _second_derivative("sinh", "torch.sinh(x)"),
    _second_derivative("cosh", "torch.cosh(x)"),
    _second_derivative("log2", "torch.log2(x * x + 1)"),
    _second_derivative("log10", "torch.log10(x * x + 1)"),
    _second_derivative("exp2", "torch.exp2(x)"),
    _second_derivative("log1p", "torch.log1p(x * x)"),
    _second_derivative("expm1", "torch.expm1(x)"),
    _second_derivative("rsqrt", "torch.rsqrt(x * x + 1)"),
    _second_derivative("floor_frac", "torch.floor(x) * x + torch.frac(x) ** 2"),
    _second_derivative("round_ceil_trunc", "(x.round() + x.ceil() + x.trunc()) * x ** 2"),
    _second_derivative("outer", "torch.outer(x, x ** 2)"),
]

CASES += [
    Case(
        "mixed_partial",
        """
        x = torch.tensor(1.5, requires_grad=True)
        y = torch.tensor(-2.0, requires_grad=True)
        f = x ** 2 * y ** 3 + torch.sin(x * y)
        (fx,) = torch.autograd.grad(f, x, create_graph=True)
        (fxy,) = torch.autograd.grad(fx, y, retain_graph=True)
        (fxx,) = torch.autograd.grad(fx, x)
        print(fx, fxy, fxx)
        values = {"fx": fx, "fxy": fxy, "fxx": fxx}
        """,
        tol="loose",
    ),
    Case(
        "second_derivative_through_matmul_and_sum",
        """
        w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        x = torch.tensor([0.5, -1.0])
        y = ((w @ x) ** 2).sum()
        (g,) = torch.autograd.grad(y, w, create_graph=True)
        print(g)
        (h,) = torch.autograd.grad(g.sum(), w)
        print(h)
        values = {"g": g, "h": h}
        """,
    ),
    Case(
        "second_derivative_through_broadcast_and_index",
        """
        a = torch.tensor([[1.0], [2.0]], requires_grad=True)
        b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = ((a * b) ** 2)[:, [0, 2]].sum()
        ga, gb = torch.autograd.grad(y, [a, b], create_graph=True)
        print(ga, gb)
        haa, hab = torch.autograd.grad(ga.sum(), [a, b])
        print(haa, hab)
        values = {"haa": haa, "hab": hab}
        """,
    ),
    Case(
        "create_graph_backward_makes_grad_differentiable",
        """
        import warnings

        x = torch.tensor(3.0, requires_grad=True)
        y = x ** 3
        # torch warns about a reference cycle here, but only once per process: hidden, so
        # that what the case shows does not depend on the cases run before it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y.backward(create_graph=True)
        g = x.grad
        print(g, g.requires_grad, g.is_leaf)
        x.grad = None
        g.backward()
        print(x.grad)
        values = {"g": g, "gg": x.grad}
        """,
    ),
    Case(
        "first_derivative_grad_fn_names",
        """
        x = torch.tensor(0.7, requires_grad=True)
        for f in (lambda t: t ** 3, torch.sin, torch.exp, torch.tanh, torch.sigmoid,
                  lambda t: t * t, lambda t: t / 2, torch.sqrt, torch.log):
            (d,) = torch.autograd.grad(f(x), x, create_graph=True)
            print(type(d.grad_fn).__name__)
        """,
    ),
    Case(
        "first_derivative_grad_fn_names_more_functions",
        """
        x = torch.tensor(0.7, requires_grad=True)
        for name in ["tan", "atan", "asin", "acos", "sinh", "cosh", "log2", "log10", "exp2",
                     "log1p", "expm1", "rsqrt", "frac"]:
            (d,) = torch.autograd.grad(getattr(torch, name)(x), x, create_graph=True)
            print(name, type(d.grad_fn).__name__, d.requires_grad)
        for name in ["floor", "ceil", "round", "trunc"]:
            (d,) = torch.autograd.grad(getattr(torch, name)(x), x, create_graph=True)
            print(name, d, d.requires_grad)
        """,
    ),
    Case(
        "newton_iteration_with_second_derivative",
        """
        x = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
        for _ in range(6):
            f = x ** 3 - 2 * x - 5
            (df,) = torch.autograd.grad(f, x, create_graph=True)
            (d2f,) = torch.autograd.grad(df, x)
            with torch.no_grad():
                x -= f / df
            print(f"{x.item():.12f} {d2f.item():.6f}")
        values = {"x": x}
        """,
    ),
]

CASES += [
    Case(
        "gradcheck_float64_passes",
        """
        x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64, requires_grad=True)
        y = torch.tensor([[0.5, 1.5, -0.7]], dtype=torch.float64, requires_grad=True)
        print(torch.autograd.gradcheck(lambda a: (a ** 3).sin(), (x,)))
        print(torch.autograd.gradcheck(lambda a, b: (a * b).sigmoid() @ a, (x, y)))
        print(torch.autograd.gradcheck(torch.tanh, x))
        print(torch.autograd.gradcheck(lambda a: a.max(), [x]))
        """,
    ),
    Case(
        "gradcheck_float64_with_non_tensor_and_non_grad_inputs",
        """
        x = torch.tensor([0.3, 1.2], dtype=torch.float64, requires_grad=True)
        c = torch.tensor([2.0, 3.0], dtype=torch.float64)
        print(torch.autograd.gradcheck(lambda a, b, k: (a * b) ** k, (x, c, 2)))
        """,
    ),
    Case(
        "gradcheck_float32_warns_and_fails",
        """
        x = torch.tensor([0.3, 1.2], requires_grad=True)
        torch.autograd.gradcheck(lambda a: a ** 2, (x,))
        """,
    ),
    Case(
        "gradcheck_float32_raise_exception_false",
        """
        x = torch.tensor([0.3, 1.2], requires_grad=True)
        print(torch.autograd.gradcheck(lambda a: a ** 2, (x,), raise_exception=False))
        """,
    ),
    Case(
        "gradcheck_float32_exact_function",
        """
        x = torch.tensor([0.5, 2.0], requires_grad=True)
        print(torch.autograd.gradcheck(lambda a: a * 4, (x,), eps=0.25, atol=1e-3))
        """,
    ),
    Case(
        "gradcheck_no_input_requires_grad_error",
        """
        x = torch.tensor([0.3, 1.2], dtype=torch.float64)
        torch.autograd.gradcheck(lambda a: a ** 2, (x,))
        """,
    ),
    Case(
        "gradcheck_error_type",
        """
        x = torch.tensor([0.3, 1.2], requires_grad=True)
        try:
            torch.autograd.gradcheck(lambda a: a ** 2, (x,))
        except Exception as e:
            print(type(e).__name__, isinstance(e, RuntimeError))
            print(e.__class__.__module__.split(".")[0] in ("torch", "autograd_lab"))
        """,
    ),
]

CASES += [
    Case(
        "gradcheck_non_contiguous_inputs",
        """
        x = torch.arange(6.0, dtype=torch.float64).reshape(3, 2).t().requires_grad_()
        print(torch.autograd.gradcheck(lambda t: (t * t).sum(), (x,)))
        w = torch.tensor([[1.0, 2.0], [0.5, -1.0]], dtype=torch.float64)
        print(torch.autograd.gradcheck(lambda t: (t @ w).sin(), (x.detach().t().requires_grad_(),)))
        s = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
        print(torch.autograd.gradcheck(lambda t, u: (t * u.exp()).sum(), (x, s)))
        """,
    ),
    Case(
        "pow_tensor_tensor_double_backward_at_zero",
        """
        a = torch.tensor([0.0, 2.0], requires_grad=True)
        b = torch.tensor([0.0, 3.0], requires_grad=True)
        ga, gb = torch.autograd.grad((a ** b).sum(), (a, b), create_graph=True)
        print(ga, gb)
        print(torch.autograd.grad((ga + gb).sum(), (a, b)))
        x = torch.tensor([1.0, -2.0], requires_grad=True)
        (gx,) = torch.autograd.grad((0 ** x).sum(), x, create_graph=True)
        print(gx, torch.autograd.grad(gx.sum(), x))
        values = {"ga": ga, "gb": gb, "gx": gx}
        """,
        tol="loose",
    ),
    Case(
        "maximum_remainder_double_backward",
        """
        m = torch.tensor([1.0, 2.0], requires_grad=True)
        n = torch.tensor([1.0, 3.0], requires_grad=True)
        (gm,) = torch.autograd.grad((torch.maximum(m, n) * m).sum(), m, create_graph=True)
        print(gm, torch.autograd.grad(gm.sum(), (m, n)))
        a = torch.tensor([5.0, 7.0], requires_grad=True)
        b = torch.tensor([3.0, 3.0], requires_grad=True)
        (gb,) = torch.autograd.grad((a % b * b).sum(), b, create_graph=True)
        print(gb, torch.autograd.grad(gb.sum(), b))
        values = {"gm": gm, "gb": gb}
        """,
    ),
]
