"""The graph: grad_fn and next_functions, leaves, .grad, retain_grad, detach, backward()."""

from __future__ import annotations

from reference.harness import Case

_NEXT = "[(type(f).__name__ if f is not None else None, i) for f, i in {}.next_functions]"

CASES = [
    Case(
        "attributes",
        """
        x = torch.arange(6.0).reshape(2, 3)
        print(x.shape, x.size(), x.size(0), x.size(-1), x.size(1), x.dim(), x.ndim)
        print(x.dtype, x.numel(), len(x), x.shape[0], x.shape[-1], x.shape == (2, 3))
        print(type(x.size(1)).__name__, type(x.shape[0]).__name__, tuple(x.shape), list(x.size()))
        s = torch.tensor(1.0)
        print(s.shape, s.dim(), s.ndim, s.numel(), s.size())
        values = {"shape": tuple(x.shape), "size": x.size(), "n": x.numel(), "d": x.dim()}
        """,
    ),
    Case(
        "size_dim_out_of_range",
        """
        torch.ones(2, 3).size(2)
        """,
    ),
    Case(
        "leaf_and_requires_grad_flags",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        c = torch.tensor([3.0, 4.0])
        y = x * c
        z = c * 2
        for t in (x, c, y, z):
            print(t.is_leaf, t.requires_grad, t.grad_fn is None)
        """,
    ),
    Case(
        "grad_fn_chain_names",
        f"""
        x = torch.tensor(4.0, requires_grad=True)
        y = x ** 2
        z = torch.sin(y)
        print(type(y.grad_fn).__name__, z.grad_fn.name(), x.grad_fn)
        print(type(z.grad_fn).__name__, {_NEXT.format("z.grad_fn")})
        print({_NEXT.format("y.grad_fn")})
        acc = y.grad_fn.next_functions[0][0]
        print(type(acc).__name__, acc.name(), acc.variable is x, {_NEXT.format("acc")})
        """,
    ),
    Case(
        "grad_fn_repr_contains_name",
        """
        x = torch.tensor(4.0, requires_grad=True)
        y = x * 2
        r = repr(y.grad_fn)
        print(r.startswith("<MulBackward0 object at 0x"), r.endswith(">"))
        """,
    ),
    Case(
        "accumulate_grad_shared_per_leaf",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        a = (x * 2).grad_fn.next_functions[0][0]
        b = (x + 1).grad_fn.next_functions[0][0]
        print(type(a).__name__, a is b, a.variable is x)
        print(a.variable)
        """,
    ),
    Case(
        "next_functions_of_lesson_graph",
        f"""
        x = torch.tensor(6.7)
        w = torch.tensor(1.0, requires_grad=True)
        b = torch.tensor(0.0, requires_grad=True)
        z = w * x + b
        y_pred = torch.sigmoid(z)
        p = torch.clamp(y_pred, 1e-8, 1 - 1e-8)
        loss = -(0 * torch.log(p) + (1 - 0) * torch.log(1 - p))
        f = loss.grad_fn
        while f is not None:
            nxt = {_NEXT.format("f")}
            print(type(f).__name__, nxt)
            f = next((g for g, _ in f.next_functions if g is not None
                      and type(g).__name__ != "AccumulateGrad"), None)
        """,
    ),
    Case(
        "lesson_example_1",
        """
        x = torch.tensor(3.0, requires_grad=True)
        y = x**2
        print("x -> ", x)
        print("y -> ", y)
        y.backward()
        print("x.grad -> ", x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "lesson_example_2",
        """
        x = torch.tensor(4.0, requires_grad=True)
        y = x ** 2
        z = torch.sin(y)
        print("x:", x)
        print("y:", y)
        print("z:", z)
        z.backward()
        print("x.grad:", x.grad)
        values = {"z": z, "g": x.grad}
        """,
        tol="loose",
    ),
    Case(
        "lesson_example_3_autograd",
        """
        x = torch.tensor(6.7)
        y = torch.tensor(0.0)
        w = torch.tensor(1.0, requires_grad=True)
        b = torch.tensor(0.0, requires_grad=True)
        z = w * x + b
        print("Linear output (z):", z)
        y_pred = torch.sigmoid(z)
        print("Predicted probability:", y_pred)
        p = torch.clamp(y_pred, 1e-8, 1 - 1e-8)
        loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p))
        print("Loss:", loss)
        loss.backward()
        print("Gradient of w:", w.grad)
        print("Gradient of b:", b.grad)
        values = {"loss": loss, "gw": w.grad, "gb": b.grad}
        """,
        tol="loose",
    ),
    Case(
        "nonleaf_grad_warning",
        """
        x = torch.tensor(4.0, requires_grad=True)
        y = x ** 2
        z = torch.sin(y)
        z.backward()
        g = y.grad
        print(g)
        print(y.grad)
        """,
    ),
    Case(
        "leaf_grad_access_no_warning",
        """
        x = torch.tensor(4.0, requires_grad=True)
        c = torch.tensor(1.0)
        print(x.grad, c.grad)
        (x * 2).detach().grad
        """,
    ),
    Case(
        "retain_grad",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        z = (y ** 2).sum()
        z.retain_grad()
        z.backward()
        print(y.grad, z.grad, x.grad)
        print(y.is_leaf, y.retains_grad, x.retains_grad)
        x.retain_grad()
        values = {"gy": y.grad, "gz": z.grad}
        """,
    ),
    Case(
        "retain_grad_on_tensor_not_requiring_grad_error",
        """
        torch.tensor([1.0]).retain_grad()
        """,
    ),
]

CASES += [
    Case(
        "grad_accumulates_across_backward",
        """
        x = torch.tensor(2.0, requires_grad=True)
        for _ in range(4):
            y = x ** 2
            y.backward()
            print(x.grad)
        g = x.grad
        print(x.grad.zero_(), x.grad is g)
        (x * 3).backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "grad_attribute_is_plain_leaf",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        g = x.grad
        print(g.requires_grad, g.is_leaf, g.grad_fn, g.dtype, g.shape)
        x.grad = None
        print(x.grad)
        (x * 5).sum().backward()
        print(x.grad, x.grad is g)
        """,
    ),
    Case(
        "grad_assignment",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = torch.tensor([10.0, 20.0])
        (x * 2).sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "grad_assignment_wrong_shape_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = torch.tensor([1.0, 2.0, 3.0])
        """,
    ),
    Case(
        "grad_assignment_wrong_dtype_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = torch.tensor([1.0, 2.0], dtype=torch.float64)
        """,
    ),
    Case(
        "grad_assignment_not_a_tensor_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = [1.0, 2.0]
        """,
    ),
    Case(
        "grad_of_unused_leaf_stays_none",
        """
        x = torch.tensor(1.0, requires_grad=True)
        u = torch.tensor(2.0, requires_grad=True)
        (x * 3).backward()
        print(x.grad, u.grad)
        """,
    ),
    Case(
        "leaf_used_twice_and_diamond",
        """
        x = torch.tensor(3.0, requires_grad=True)
        a = x * 2
        b = x ** 2
        c = a * b + a + b
        c.backward()
        print(c, x.grad)
        values = {"c": c, "g": x.grad}
        """,
    ),
    Case(
        "zero_grad_leaf_gets_zeros_not_none",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 0).sum().backward()
        print(x.grad)
        y = torch.tensor([1.0, 2.0], requires_grad=True)
        (y.detach() * 0 + y[0] * 0).sum().backward()
        print(y.grad)
        """,
    ),
    Case(
        "backward_with_gradient_argument",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x ** 2
        y.backward(gradient=torch.tensor([1.0, 0.1, 0.01]))
        print(x.grad)
        s = torch.tensor(2.0, requires_grad=True)
        (s * 3).backward(torch.tensor(0.5))
        print(s.grad)
        m = torch.ones(2, 2, requires_grad=True)
        (m * 2).backward(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
        print(m.grad)
        values = {"gx": x.grad, "gs": s.grad, "gm": m.grad}
        """,
    ),
    Case(
        "backward_gradient_wrong_shape_error",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * 2).backward(torch.tensor([1.0, 2.0]))
        """,
    ),
    Case(
        "backward_gradient_broadcastable_shape_error",
        """
        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        (x * 2).backward(torch.tensor(1.0))
        """,
    ),
    Case(
        "backward_non_scalar_without_gradient_error",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * 2).backward()
        """,
    ),
    Case(
        "backward_one_element_1d_without_gradient",
        """
        x = torch.tensor([3.0], requires_grad=True)
        (x * 2).backward()
        print(x.grad)
        """,
    ),
    Case(
        "backward_not_requiring_grad_error",
        """
        x = torch.tensor(2.0)
        (x ** 2).backward()
        """,
    ),
    Case(
        "backward_of_leaf_itself",
        """
        x = torch.tensor(2.0, requires_grad=True)
        x.backward()
        print(x.grad)
        x.backward(torch.tensor(3.0))
        print(x.grad)
        """,
    ),
    Case(
        "backward_returns_none",
        """
        x = torch.tensor(2.0, requires_grad=True)
        r = (x * 2).backward()
        print(r)
        """,
    ),
    Case(
        "backward_int_gradient_accepted",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward(torch.tensor([1, 3]))
        print(x.grad, x.grad.dtype)
        """,
    ),
    Case(
        "backward_float64_gradient_for_float32_output",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward(torch.tensor([1.0, 1.0], dtype=torch.float64))
        print(x.grad, x.grad.dtype)
        """,
    ),
]

_SECOND_BACKWARD = {
    # ops that save tensors for backward: the second backward raises
    "pow": "x ** 2",
    "mul": "x * x",
    "mul_by_constant_tensor": "x * torch.tensor([2.0, 3.0, 4.0])",
    "exp": "torch.exp(x)",
    "div": "x / torch.tensor([2.0, 4.0, 8.0])",
    "relu": "torch.relu(x)",
    "sigmoid": "torch.sigmoid(x)",
    "index_list": "x[[0, 2, 2]]",
    "max": "x.max()",
    "max_dim": "x.max(0).values",
    "matmul": "x @ torch.tensor([1.0, 2.0, 3.0])",
    "clamp": "x.clamp(0, 2)",
    # ops that save no tensor: the second backward goes through
    "add": "x + x",
    "add_scalar": "x + 1",
    "mul_scalar": "x * 2",
    "sum": "x.sum()",
    "mean": "x.mean()",
    "neg": "-x",
    "sub": "x - torch.tensor([1.0, 2.0, 3.0])",
    "view": "x.view(3, 1)",
    "reshape": "x.reshape(1, 3)",
    "cat": "torch.cat([x, x])",
    "stack": "torch.stack([x, x])",
    "select": "x[1]",
    "slice": "x[1:]",
    "t": "x.view(1, 3).t()",
    "unsqueeze": "x.unsqueeze(0)",
}


def _second_backward(name: str, expr: str) -> Case:
    return Case(
        f"second_backward_{name}",
        f"""
        x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
        y = ({expr}).sum()
        y.backward()
        print(x.grad)
        y.backward()
        print(x.grad)
        """,
    )


CASES += [_second_backward(name, expr) for name, expr in _SECOND_BACKWARD.items()]

CASES += [
    Case(
        "second_backward_lesson_chain",
        """
        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 2
        y.backward()
        print(x.grad)
        y.backward()
        """,
    ),
    Case(
        "second_backward_through_shared_part",
        """
        x = torch.tensor(2.0, requires_grad=True)
        h = x.exp()
        a = h * 2
        b = h * 3
        a.backward()
        b.backward()
        print(x.grad)
        """,
        tol="loose",
    ),
    Case(
        "retain_graph_allows_second_backward",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x ** 3).sum()
        y.backward(retain_graph=True)
        print(x.grad)
        y.backward(retain_graph=True)
        print(x.grad)
        y.backward()
        print(x.grad)
        y.backward()
        """,
    ),
    Case(
        "retain_graph_false_explicit",
        """
        x = torch.tensor(1.0, requires_grad=True)
        y = x.exp()
        y.backward(retain_graph=False)
        y.backward()
        """,
    ),
]

CASES += [
    Case(
        "detach_shares_data_and_cuts_graph",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        d = x.detach()
        print(d, d.requires_grad, d.is_leaf, d.grad_fn)
        d[0] = 10.0
        print(x)
        y = x * 2
        e = y.detach()
        print(e, e.is_leaf)
        z = (x * d).sum()
        z.backward()
        print(x.grad)
        """,
    ),
    Case(
        "detach_then_backward_error",
        """
        x = torch.tensor(2.0, requires_grad=True)
        z = x.detach()
        y1 = z ** 2
        print(y1)
        y1.backward()
        """,
    ),
    Case(
        "requires_grad_underscore",
        """
        x = torch.tensor([1.0, 2.0])
        r = x.requires_grad_()
        print(r is x, x.requires_grad, x.is_leaf, x)
        x.requires_grad_(False)
        print(x.requires_grad, x)
        y = torch.tensor(2.0, requires_grad=True)
        print(y.requires_grad_(False), (y ** 2))
        x.requires_grad = True
        print(x)
        """,
    ),
    Case(
        "requires_grad_underscore_after_use",
        """
        x = torch.tensor(2.0, requires_grad=True)
        y = x ** 2
        y.backward()
        print(x.grad)
        x.requires_grad_(False)
        y = x ** 2
        print(y, x.grad)
        y.backward()
        """,
    ),
    Case(
        "requires_grad_underscore_nonleaf_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.requires_grad_(False)
        """,
    ),
    Case(
        "requires_grad_true_on_nonleaf_is_fine",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        print(y.requires_grad_() is y, y.requires_grad_(True).requires_grad)
        """,
    ),
    Case(
        "requires_grad_attribute_nonleaf_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.requires_grad = False
        """,
    ),
    Case(
        "requires_grad_int_tensor_error",
        """
        torch.tensor([1, 2, 3]).requires_grad_()
        """,
    ),
    Case(
        "requires_grad_int_attribute_error",
        """
        x = torch.tensor([1, 2, 3])
        x.requires_grad = True
        """,
    ),
    Case(
        "tensor_int_requires_grad_error",
        """
        torch.tensor([1, 2, 3], requires_grad=True)
        """,
    ),
    Case(
        "requires_grad_bool_tensor_error",
        """
        torch.tensor([True]).requires_grad_()
        """,
    ),
    Case(
        "int_results_of_float_graph_do_not_require_grad",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        idx = x.max(0).indices
        m = x > 1
        print(idx.requires_grad, m.requires_grad, (x * 2).requires_grad)
        """,
    ),
    Case(
        "deep_chain_no_recursion",
        """
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(20000):
            y = y * 1.0001
        y.backward()
        print(y, x.grad)
        z = torch.tensor([0.5], requires_grad=True)
        w = z
        for _ in range(20000):
            w = w + 0.001
        w.sum().backward()
        print(w, z.grad)
        values = {"y": y, "g": x.grad, "w": w}
        """,
        tol="loose",
    ),
    Case(
        "wide_graph_many_uses_of_one_leaf",
        """
        x = torch.tensor(1.0, requires_grad=True)
        total = sum(x * float(i) for i in range(1000))
        total.backward()
        print(total, x.grad)
        """,
    ),
    Case(
        "grad_of_non_leaf_keeps_its_graph",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
z = (y * 2).sum()
print(torch.autograd.grad(z, y))
y.sum().backward()
print(x.grad)
""",
    ),
    Case(
        "view_after_base_changed_in_place",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x.clone()
v = a[0]
a.mul_(3)
print(v)
v.backward()
print(x.grad)
x.grad = None
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
b = m * 1
col = b.t()[1]
b.add_(b.detach())
(col * torch.tensor([1.0, 10.0])).sum().backward()
print(m.grad)
""",
    ),
    Case(
        "view_used_before_base_changed",
        """
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
a = x * 1
y = a[0] * 2
a.mul_(5)
y.sum().backward()
print(x.grad)
""",
    ),
    Case(
        "retain_grad_then_in_place",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
y.add_(1)
(y * y).sum().backward()
print(y.retains_grad, y.grad, x.grad)
""",
    ),
    Case(
        "backward_gradient_arguments",
        """
x = torch.tensor([1.0, 2.0], requires_grad=True)
for call in (
    lambda: (x * 2).backward([1.0, 1.0]),
    lambda: torch.autograd.backward([x * 2, x * 3], [torch.ones(2)]),
):
    try:
        call()
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, e)
""",
    ),
    Case(
        "retain_grad_on_a_view_then_base_changed",
        """
x = torch.ones(3, requires_grad=True)
a = x * 2
v = a[1:]
v.retain_grad()
a.mul_(2)
v.sum().backward()
print(v.retains_grad, v.grad, x.grad)
""",
    ),
]
