"""Cases found by running autograd_lab and torch side by side on random and edge inputs.

Each one was a difference before it was fixed: a crash, a wrong gradient, a wrong type or a
different message. They stay here so that none of them comes back.
"""

from __future__ import annotations

from reference.harness import Case

_NEXT = "[(type(f).__name__ if f is not None else None) for f, _ in {}.next_functions]"


def _each(*lines: str) -> str:
    """Run each line on its own, printing its result or its exception (type and message)."""
    body = "\n".join(
        f"try:\n    print(repr({line}))\nexcept Exception as e:\n"
        f"    print(type(e).__name__, str(e))"
        for line in lines
    )
    return "\n" + body + "\n"


CASES = [
    Case(
        "max_min_dim_keepdim_backward",
        """
        x = torch.tensor([[1.0, 5.0, 2.0], [4.0, 0.0, 3.0]], requires_grad=True)
        m = x.max(dim=1, keepdim=True).values
        (x - m).exp().sum().backward()  # the stable softmax pattern
        print(m, x.grad)
        x.grad = None
        x.min(0, keepdim=True).values.sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "max_min_all_with_nan_backward",
        """
        x = torch.tensor([[1.0, float("nan")], [2.0, 1.0]], requires_grad=True)
        x.max().backward()
        print(x.grad)
        y = torch.tensor([float("nan"), 0.0, float("nan")], requires_grad=True)
        y.min().backward()
        print(y.grad)
        """,
    ),
    Case(
        "where_with_numbers",
        "m = torch.tensor([True, False])\ni = torch.tensor([1, 2])"
        + _each(
            "torch.where(m, 1.0, 0.0)",
            "torch.where(m, 1, 0)",
            "torch.where(m, True, False)",
            "torch.where(m, 1, 0.5)",
            "torch.where(m, i, 0.5)",
            "torch.where(m, i, 2).dtype",
            "torch.where(m, i.int(), 2).dtype",
            "torch.where(m, torch.tensor([1.0, 2.0]), torch.tensor(0.5, dtype=torch.float64))",
        ),
    ),
    Case(
        "where_edges_and_gradients",
        f"""
        m = torch.tensor([True, False])
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        print({_NEXT.format("torch.where(m, x, 0.0).grad_fn")})
        print({_NEXT.format("torch.where(m, 0.0, x).grad_fn")})
        print({_NEXT.format("torch.where(m, x, x * 2).grad_fn")})
        torch.where(m, x * x, x).sum().backward()
        print(x.grad)
        x.grad = None
        (g,) = torch.autograd.grad(torch.where(m, x**3, x).sum(), x, create_graph=True)
        g.sum().backward()
        print(g, x.grad)
        """,
    ),
    Case(
        "backward_of_the_same_output_twice",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        s = (x**2).sum()
        torch.autograd.backward([s, s])
        print(x.grad)
        y = x**2
        print(torch.autograd.grad([y.sum(), y.sum()], x))
        s = (x**2).sum()
        print(torch.autograd.grad([s, s], x))
        """,
    ),
    Case(
        "grad_checks_outputs_before_inputs",
        "x = torch.tensor([1.0, 2.0])\nw = torch.tensor(1.0, requires_grad=True)"
        + _each("torch.autograd.grad(x.sum(), x)", "torch.autograd.grad(w * 2, x)"),
    ),
    Case(
        "subtraction_with_bool",
        "b = torch.tensor([True, False])\nf = torch.tensor([1.0, 2.0])\ni = torch.tensor([1, 2])"
        + _each(
            "b - b",
            "b - True",
            "True - b",
            "f - True",
            "b - 1",
            "1 - b",
            "i - True",
            "torch.sub(f, b)",
            "f.clone().sub_(True)",
        ),
    ),
    Case(
        "integer_division_by_zero",
        "i = torch.tensor([5, 6])\nf = torch.tensor([1.0, 2.0])"
        + _each(
            "i // 0",
            "i % 0",
            "i // torch.tensor([0, 1])",
            "torch.tensor(5) // 0",
            "5 // torch.tensor([0, 1])",
            "f // 0",
            "f % 0",
        ),
    ),
    Case(
        "number_modulo_tensor",
        ""
        + _each(
            "7 % torch.tensor([2, 3])", "7.5 % torch.tensor([2, 3])", "7 % torch.tensor([2.0, 3.0])"
        ),
    ),
    Case(
        "cat_with_a_legacy_empty_tensor",
        """
        print(torch.cat([torch.tensor([]), torch.ones(2, 2)]))
        w = torch.ones(2, 2, requires_grad=True)
        rows = torch.tensor([])
        for k in range(2):
            rows = torch.cat([rows, w * k])  # collecting results, starting from nothing
        rows.sum().backward()
        print(rows, w.grad)
        print(torch.cat([torch.tensor([]), torch.tensor([])]))
        torch.cat([torch.ones(2, 3), torch.tensor([]), torch.ones(2, 2)])
        """,
    ),
    Case(
        "inplace_error_names_what_changed_the_tensor",
        """
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = a.sin()
        c = b.cos()
        b.add_(1)  # recorded: b is now the output of an addition
        try:
            c.sum().backward()
        except RuntimeError as e:
            print(e)
        b = a.exp()
        b.add_(1)  # exp saved its own output: its name stays
        try:
            b.sum().backward()
        except RuntimeError as e:
            print(e)
        b = a.sin()
        c = b.cos()
        with torch.no_grad():
            b.add_(1)  # not recorded: b is still sin's output
        c.sum().backward()
        """,
    ),
    Case(
        "index_errors_name_the_dim_of_the_tensor",
        "x = torch.arange(4.0).reshape(2, 2)"
        + _each("x[0, 5]", "x[5]", "x[:, 5]", "x[-3]", "x[0, -3]", "x[[0, 5]]", "x[None, 0, 5]"),
    ),
    Case(
        "index_select_out_of_range",
        "x1, x2, x3 = torch.arange(4.0), torch.arange(4.0).reshape(2, 2), torch.ones(2, 2, 2)"
        + _each(
            "x1.index_select(0, torch.tensor([5]))",
            "x2.index_select(0, torch.tensor([-1]))",
            "x2.index_select(1, torch.tensor([2]))",
            "x3.index_select(1, torch.tensor([5]))",
            "x3.index_select(2, torch.tensor([2]))",
        ),
    ),
    Case(
        "full_slice_and_alias_nodes",
        """
        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        for view in (x[:], x[...], x[:, :], x[:1]):
            print(view.grad_fn.name())
        x[:].sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "advanced_indexing_gives_a_contiguous_tensor",
        """
        x = torch.arange(6.0).reshape(2, 3)
        y = x[:, [0, 2]]
        print(y.is_contiguous(), y.stride(), y.view(-1))
        """,
    ),
    Case(
        "sign_of_nan_is_zero",
        """
        x = torch.tensor([float("nan"), -2.0, 0.0, 3.0], requires_grad=True)
        print(torch.sign(x))
        x.abs().sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "argmax_of_a_0d_tensor",
        "t = torch.tensor(3.0)"
        + _each("t.argmax(dim=0)", "t.argmin(-1)", "t.argmax()", "t.argmax(1)"),
    ),
    Case(
        "softmax_of_integers",
        "i = torch.tensor([[1, 2]])"
        + _each(
            "torch.softmax(i, 0)",
            "torch.log_softmax(i, 0)",
            "i.softmax(-1)",
            "i.log_softmax(1)",
            "torch.softmax(i, 1, dtype=torch.float32)",
        ),
    ),
    Case(
        "floor_divide_has_no_derivative",
        f"""
        x = torch.tensor([3.0, 5.0], requires_grad=True)
        y = x // 2
        print(y, y.grad_fn.name(), type(y.grad_fn).__name__)
        try:
            (y + x).sum().backward()
        except RuntimeError as e:
            print(e)
        r = x % 2
        print(r, {_NEXT.format("r.grad_fn")}, torch.tensor([5, 6]) % 2.5, x % torch.tensor(2.0))
        """,
    ),
    Case(
        "no_numpy_warnings_when_casting",
        """
        print(torch.tensor(1e40), torch.tensor([1e40, -1e40]), torch.tensor(float("nan")).long())
        print(torch.tensor([float("inf")]).int().dtype)
        """,
    ),
    Case(
        "inplace_error_names_the_current_producer",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        w = torch.tensor([1.0, 1.0], requires_grad=True)
        for make in ("plain", "through_detach", "leaf_through_detach"):
            a = torch.ones(2)
            try:
                if make == "plain":  # a saved input that needs no gradient, changed in place
                    y = a * x
                    a.add_(1)
                    y.sum().backward()
                elif make == "through_detach":  # the change goes through a detached alias
                    y = x * 2
                    z = y.sin()
                    y.detach().add_(w)
                    z.sum().backward()
                else:
                    leaf = torch.tensor([1.0, 2.0], requires_grad=True)
                    z = leaf.sin()
                    leaf.detach().mul_(w)
                    z.sum().backward()
            except RuntimeError as e:
                print(make, e)
        """,
    ),
    Case(
        "where_saves_its_condition",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.where(torch.tensor([True, False]), x, x + 1).sum()
        y.backward()
        y.backward()
        """,
    ),
    Case(
        "where_with_numpy_scalars",
        """
        m = torch.tensor([True, False])
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        print(torch.where(m, x, np.float64(3)), torch.where(m, np.int64(3), x))
        print(torch.where(m, x.half(), np.float64(3)).dtype)
        """,
    ),
    Case(
        "remainder_double_backward_uses_floor_division",
        """
        b = torch.tensor([1.0], requires_grad=True)
        y = torch.tensor([1.0]) % (b * 0.1)
        print(torch.autograd.grad(y.sum(), b, create_graph=True), torch.autograd.grad(y.sum(), b))
        x = torch.tensor([3.0, 5.0], requires_grad=True)
        r = 7 % x
        print(r, r.grad_fn.name(), len(r.grad_fn.next_functions), 7 % torch.tensor([2, 3]))
        r.sum().backward()
        """,
    ),
    Case(
        "grad_checks_the_outputs_first",
        "x = torch.tensor([1.0, 2.0], requires_grad=True)"
        + _each("torch.autograd.grad(x * 2, [x, 3])", "torch.autograd.grad((x * 2).sum(), [x, 3])"),
    ),
    Case(
        "python_numbers_out_of_range",
        ""
        + _each(
            "torch.tensor(300, dtype=torch.uint8)",
            "torch.tensor([3e9], dtype=torch.int32)",
            "torch.tensor([float('nan')], dtype=torch.int64)",
            "torch.tensor([2**64 - 1])",
            "torch.tensor([2**63], dtype=torch.int64)",
            "torch.tensor(-1, dtype=torch.uint8)",
            "torch.tensor([1e40], dtype=torch.float32)",
            "torch.tensor([[1, 2**70]])",
            "torch.tensor(3.5, dtype=torch.int64)",
            "torch.tensor(float('inf'), dtype=torch.int32)",
            "torch.tensor([2**60 + 2**36 + 1], dtype=torch.float32).item()",
        ),
    ),
    Case(
        "index_errors_after_an_ellipsis",
        "x = torch.zeros(2, 3, 4)"
        + _each("x[..., 5]", "x[..., 1, 5]", "x[0, ..., 5]", "x[None, ..., 5]", "x[5, ...]"),
    ),
    Case(
        "in_place_subtraction_of_a_mask",
        """
        x = torch.ones(3)
        x -= torch.tensor([True, False, True])
        """,
    ),
    Case(
        "softmax_over_an_empty_dim",
        """
        print(torch.zeros(3, 0).softmax(1), torch.zeros(3, 0).log_softmax(1))
        x = torch.tensor([[1.0, float("nan")], [float("-inf"), float("-inf")]])
        print(x.softmax(1), x.log_softmax(1))
        """,
    ),
]
