"""Shape ops, indexing and slicing, cat / stack, conversions and tensor attributes."""

from __future__ import annotations

from reference.harness import Case

_NEXT = "[(type(f).__name__ if f is not None else None, i) for f, i in y.grad_fn.next_functions]"

CASES = [
    Case(
        "reshape_view_flatten",
        """
        x = torch.arange(12.0).reshape(3, 4)
        print(x.reshape(2, 6))
        print(x.view(4, 3))
        print(x.reshape(-1), x.view(-1).shape)
        print(x.reshape(2, -1, 3).shape, x.view((6, 2)).shape, x.reshape([12]).shape)
        print(x.flatten(), torch.flatten(x).shape)
        print(torch.reshape(x, (2, 2, 3)).shape)
        print(torch.tensor(5.0).reshape(1, 1), torch.tensor(5.0).flatten())
        values = {"r": x.reshape(2, 6), "f": x.flatten()}
        """,
    ),
    Case(
        "shape_ops_grad_fn_names",
        """
        x = torch.ones(2, 3, requires_grad=True)
        ops = [x.reshape(3, 2), x.view(6), x.flatten(), x.unsqueeze(0), x.unsqueeze(-1),
               x.transpose(0, 1), x.permute(1, 0), x.t(), x.T, x.reshape(2, 3),
               x.view(1, 2, 3).squeeze(), x.view(1, 2, 3).squeeze(0), x.t().reshape(6)]
        for y in ops:
            print(tuple(y.shape), type(y.grad_fn).__name__)
        """,
    ),
    Case(
        "shape_ops_next_functions",
        f"""
        x = torch.ones(2, 3, requires_grad=True)
        y = x.t().reshape(6)
        print({_NEXT})
        y = x.view(3, 2).unsqueeze(0).squeeze(0)
        print({_NEXT})
        print(type(y.grad_fn.next_functions[0][0].next_functions[0][0]).__name__)
        """,
    ),
    Case(
        "reshape_view_grads",
        """
        x = torch.arange(6.0).requires_grad_()
        w = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        y = (x.view(2, 3) * w).sum() + (x.reshape(3, 2).t() * w).sum()
        y.backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "flatten_start_end_dims",
        """
        x = torch.arange(24.0).reshape(2, 3, 4)
        print(x.flatten(1).shape, x.flatten(0, 1).shape, x.flatten(-2, -1).shape)
        print(x.flatten(start_dim=1, end_dim=1).shape)
        """,
    ),
    Case(
        "squeeze_unsqueeze",
        """
        x = torch.zeros(1, 3, 1, 2)
        print(x.squeeze().shape, x.squeeze(0).shape, x.squeeze(2).shape, x.squeeze(-2).shape)
        print(x.squeeze(1).shape)
        print(torch.squeeze(x).shape, torch.unsqueeze(x, 1).shape)
        y = torch.tensor([1.0, 2.0])
        print(y.unsqueeze(0), y.unsqueeze(1), y.unsqueeze(-1).shape, y.unsqueeze(-2).shape)
        s = torch.tensor(3.0)
        print(s.unsqueeze(0), s.squeeze(), s.squeeze().shape)
        """,
    ),
    Case(
        "squeeze_unsqueeze_grads",
        """
        x = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
        y = x.squeeze(1) * torch.tensor([1.0, 2.0, 3.0])
        z = y.unsqueeze(0).unsqueeze(-1)
        print(z.shape)
        (z ** 2).sum().backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "transpose_permute_t",
        """
        x = torch.arange(24.0).reshape(2, 3, 4)
        print(x.transpose(0, 2).shape, x.transpose(-1, -2).shape, torch.transpose(x, 1, 0).shape)
        print(x.permute(2, 0, 1).shape, x.permute((1, 2, 0)).shape)
        print(torch.permute(x, (0, 2, 1)).shape)
        m = torch.arange(6).reshape(2, 3)
        print(m.t(), m.T, torch.t(m), sep="\\n")
        v = torch.tensor([1.0, 2.0])
        print(v.t(), torch.tensor(1.0).t())
        print(x.permute(2, 0, 1))
        values = {"p": x.permute(2, 0, 1), "t": m.t()}
        """,
    ),
    Case(
        "transpose_permute_grads",
        """
        x = torch.arange(6.0).reshape(1, 2, 3).requires_grad_()
        w = torch.arange(6.0).reshape(3, 2, 1)
        y = (x.permute(2, 1, 0) * w).sum() + (x.transpose(0, 2) * w).sum()
        y.backward()
        print(x.grad)
        m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        (m.t() @ torch.tensor([1.0, 10.0])).sum().backward()
        print(m.grad)
        values = {"gx": x.grad, "gm": m.grad}
        """,
    ),
    Case(
        "t_on_3d_tensor_error",
        """
        torch.ones(2, 3, 4).t()
        """,
    ),
    Case(
        "view_shares_memory",
        """
        x = torch.zeros(2, 3)
        v = x.view(6)
        v[0] = 1.0
        t = x.t()
        t[2, 1] = 7.0
        r = x.reshape(3, 2)
        r += 1
        print(x)
        print(x.unsqueeze(0).squeeze(0).flatten())
        """,
    ),
    Case(
        "view_non_contiguous_error",
        """
        x = torch.arange(6.0).reshape(2, 3).t()
        print(x.reshape(6))
        x.view(6)
        """,
    ),
    Case(
        "reshape_invalid_size_error",
        """
        torch.arange(6.0).reshape(4, 2)
        """,
    ),
    Case(
        "view_invalid_size_error",
        """
        torch.arange(6.0).view(4, -1)
        """,
    ),
    Case(
        "reshape_two_inferred_dims_error",
        """
        torch.arange(6.0).reshape(-1, -1)
        """,
    ),
    Case(
        "transpose_dim_out_of_range",
        """
        torch.ones(2, 3).transpose(0, 2)
        """,
    ),
    Case(
        "permute_wrong_length_error",
        """
        torch.ones(2, 3).permute(1, 0, 2)
        """,
    ),
    Case(
        "permute_repeated_dim_error",
        """
        torch.ones(2, 3).permute(1, 1)
        """,
    ),
    Case(
        "unsqueeze_dim_out_of_range",
        """
        torch.ones(2, 3).unsqueeze(3)
        """,
    ),
    Case(
        "squeeze_dim_out_of_range",
        """
        torch.ones(2, 3).squeeze(2)
        """,
    ),
]

CASES += [
    Case(
        "index_int_slice_negative",
        """
        x = torch.arange(12.0).reshape(3, 4)
        print(x[0], x[-1], x[1, 2], x[-1, -1])
        print(x[1:], x[:, 1], x[:, -2:], x[0:2, 1:3], x[::2, ::3], sep="\\n")
        print(x[5:], x[1:1].shape, x[-10:2].shape)
        values = {"a": x[1, 2], "b": x[:, -2:]}
        """,
    ),
    Case(
        "index_grad_fn_names",
        """
        x = torch.arange(12.0).reshape(3, 4).requires_grad_()
        ys = [x[0], x[1, 2], x[1:], x[:, 1], x[None], x[..., 1], x[[0, 2]], x[x > 5],
              x[torch.tensor([1, 1])], x[0, [1, 3]], x[:, None, 1], x[...]]
        for y in ys:
            print(tuple(y.shape), type(y.grad_fn).__name__)
        """,
    ),
    Case(
        "index_none_and_ellipsis",
        """
        x = torch.arange(24.0).reshape(2, 3, 4)
        print(x[None].shape, x[:, None].shape, x[..., None].shape, x[None, ..., None].shape)
        print(x[..., 0].shape, x[0, ...].shape, x[..., 1:, 2].shape, x[1, ..., 3])
        print(x[...].shape, x[0, None, 1])
        """,
    ),
    Case(
        "index_int_slice_grads",
        """
        x = torch.arange(12.0).reshape(3, 4).requires_grad_()
        y = x[0].sum() + (x[1:, ::2] * 2).sum() + x[-1, -1] * 10 + x[:, 1].sum()
        y.backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "index_list_with_repeats_accumulates",
        """
        x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x[[0, 2, 2, 0, 0]]
        print(y)
        y.backward(torch.tensor([1.0, 10.0, 100.0, 1000.0, 10000.0]))
        print(x.grad)
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "index_tensor_indices",
        """
        x = torch.arange(10.0, 16.0).requires_grad_()
        idx = torch.tensor([[0, 5], [5, 1]])
        y = x[idx]
        print(y)
        (y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
        print(x.grad)
        print(x[torch.tensor(3)], x[torch.tensor([-1, -6])])
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "index_bool_mask",
        """
        x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], requires_grad=True)
        m = x > 0
        y = x[m]
        print(m)
        print(y)
        (y ** 2).sum().backward()
        print(x.grad)
        r = x[torch.tensor([True, False])]
        print(r)
        print(x[x.detach() > 100], x[x.detach() > 100].shape)
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "index_2d_mixed",
        """
        x = torch.arange(12.0).reshape(3, 4).requires_grad_()
        a = x[[0, 2], [1, 3]]
        b = x[1:, [0, 2]]
        c = x[[2, 0], 1:3]
        d = x[[0, 0], [1, 1]]
        print(a, b, c, d, sep="\\n")
        (a.sum() + b.sum() * 2 + c.sum() * 3 + d.sum() * 100).backward()
        print(x.grad)
        values = {"a": a, "b": b, "c": c, "g": x.grad}
        """,
    ),
    Case(
        "index_3d_advanced_separated",
        """
        x = torch.arange(24).reshape(2, 3, 4)
        print(x[[0, 1], :, [1, 2]])
        print(x[:, [0, 2], [1, 3]])
        print(x[:, [0, 2]][:, :, [1, 3]].shape)
        """,
    ),
    Case(
        "index_0d_tensor_and_scalars",
        """
        x = torch.tensor([1.0, 2.0, 3.0])
        print(x[1], x[1].shape, x[1].dim())
        s = torch.tensor(5.0)
        print(s[None], s[...], s[()], s[None].shape)
        """,
    ),
    Case(
        "index_out_of_range_int",
        """
        torch.tensor([1.0, 2.0, 3.0])[3]
        """,
    ),
    Case(
        "index_out_of_range_negative",
        """
        torch.ones(2, 3)[:, -4]
        """,
    ),
    Case(
        "index_out_of_range_list",
        """
        torch.tensor([1.0, 2.0, 3.0])[[0, 5]]
        """,
    ),
    Case(
        "index_too_many_indices",
        """
        torch.tensor([1.0, 2.0, 3.0])[0, 1]
        """,
    ),
    Case(
        "index_0d_tensor_error",
        """
        torch.tensor(1.0)[0]
        """,
    ),
    Case(
        "index_float_error",
        """
        torch.tensor([1.0, 2.0])[1.0]
        """,
    ),
    Case(
        "index_mask_shape_mismatch",
        """
        torch.tensor([1.0, 2.0, 3.0])[torch.tensor([True, False])]
        """,
    ),
    Case(
        "index_negative_step_error",
        """
        torch.arange(5)[::-1]
        """,
    ),
    Case(
        "index_float_tensor_error",
        """
        torch.arange(5)[torch.tensor([1.0])]
        """,
    ),
    Case(
        "setitem_plain_tensor",
        """
        x = torch.zeros(3, 4)
        x[0] = 1.0
        x[1, 2] = 5
        x[:, -1] = torch.tensor([7.0, 8.0, 9.0])
        x[x > 6] = -1.0
        x[[2, 2], [0, 1]] = 3.0
        print(x)
        values = {"x": x}
        """,
    ),
    Case(
        "setitem_on_nonleaf_grads",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y[1] = 0.0
        print(y)
        y.sum().backward()
        print(x.grad)
        w = torch.tensor([5.0, 6.0], requires_grad=True)
        z = torch.zeros(3)
        z[1:] = w
        print(z, z.is_leaf)
        (z * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        print(w.grad)
        """,
    ),
    Case(
        "setitem_on_leaf_requiring_grad_error",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x[0] = 5.0
        """,
    ),
    Case(
        "setitem_shape_mismatch_error",
        """
        x = torch.zeros(2, 3)
        x[0] = torch.tensor([1.0, 2.0])
        """,
    ),
    Case(
        "iterate_and_len",
        """
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
        print(len(x), len(x[0]))
        rows = [r for r in x]
        print(rows[1])
        print([type(r.grad_fn).__name__ for r in x])
        print(list(torch.tensor([1, 2, 3])))
        """,
    ),
]

CASES += [
    Case(
        "cat_dims_and_grads",
        """
        a = torch.tensor([[1.0, 2.0]], requires_grad=True)
        b = torch.tensor([[3.0, 4.0], [5.0, 6.0]], requires_grad=True)
        y = torch.cat([a, b])
        print(y)
        z = torch.cat((b, b.t(), b), dim=1)
        print(z, torch.cat([a, a], dim=-1), sep="\\n")
        (y * torch.tensor([[1.0], [2.0], [3.0]])).sum().backward()
        z.sum().backward()
        print(a.grad)
        print(b.grad)
        values = {"y": y, "ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "stack_dims_and_grads",
        """
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
        s0 = torch.stack([a, b])
        s1 = torch.stack((a, b), dim=1)
        s2 = torch.stack([a, b, a], dim=-1)
        print(s0, s1, s2.shape, sep="\\n")
        (s0[0] * 2 + s1[:, 1] * 3).sum().backward()
        s2.sum().backward()
        print(a.grad, b.grad)
        print(torch.stack([torch.tensor(1.0), torch.tensor(2.0)]))
        values = {"s1": s1, "ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "cat_stack_grad_fn_and_next_functions",
        f"""
        a = torch.ones(2, requires_grad=True)
        b = torch.ones(2)
        c = torch.ones(2, requires_grad=True) * 2
        for y in (torch.cat([a, b, c]), torch.stack([a, b, c])):
            print(type(y.grad_fn).__name__, {_NEXT})
        y = torch.cat([b, b])
        print(y.requires_grad, y.grad_fn)
        """,
    ),
    Case(
        "cat_mixed_dtypes_promote",
        """
        a = torch.tensor([1, 2])
        b = torch.tensor([0.5])
        c = torch.tensor([True])
        d = torch.tensor([3.0, 4.0], dtype=torch.float64)
        print(torch.cat([a, b]), torch.cat([a, c]), torch.stack([a, d]))
        """,
    ),
    Case(
        "cat_shape_mismatch_error",
        """
        torch.cat([torch.ones(2, 2), torch.ones(2, 3)])
        """,
    ),
    Case(
        "cat_ndim_mismatch_error",
        """
        torch.cat([torch.ones(2, 2), torch.ones(2)])
        """,
    ),
    Case(
        "cat_0d_error",
        """
        torch.cat([torch.tensor(1.0), torch.tensor(2.0)])
        """,
    ),
    Case(
        "cat_empty_list_error",
        """
        torch.cat([])
        """,
    ),
    Case(
        "cat_dim_out_of_range",
        """
        torch.cat([torch.ones(2), torch.ones(2)], dim=1)
        """,
    ),
    Case(
        "stack_shape_mismatch_error",
        """
        torch.stack([torch.ones(2), torch.ones(3)])
        """,
    ),
    Case(
        "stack_empty_list_error",
        """
        torch.stack([])
        """,
    ),
    Case(
        "stack_dim_out_of_range",
        """
        torch.stack([torch.ones(2), torch.ones(2)], dim=3)
        """,
    ),
    Case(
        "meshgrid_ij_xy_and_grads",
        """
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = torch.tensor([4.0, 5.0])
        X, Y = torch.meshgrid(a, b, indexing="ij")
        print(X, Y, X.shape)
        print([(type(f).__name__ if f is not None else None, i)
               for f, i in X.grad_fn.next_functions])
        P, Q = torch.meshgrid(a, b, indexing="xy")
        print(P.shape, Q)
        (X * Y + P.T).sum().backward()
        print(a.grad)
        values = {"X": X, "g": a.grad}
        """,
    ),
    Case(
        "isfinite_isnan_isinf",
        """
        t = torch.tensor([1.0, float("inf"), float("nan"), -float("inf")])
        print(torch.isfinite(t), torch.isnan(t), torch.isinf(t))
        """,
    ),
    Case(
        "contiguous_copies_a_transposed_tensor",
        """
x = torch.arange(6.0).reshape(2, 3)
print(x.is_contiguous(), x.t().is_contiguous(), x.contiguous() is x)
print(x.t().contiguous().view(-1), x.t().contiguous().is_contiguous())
w = torch.ones(2, 3, requires_grad=True)
c = w.t().contiguous()
print(c.grad_fn.name(), w.contiguous() is w)
(c.view(-1) * torch.arange(6.0)).sum().backward()
print(w.grad)
""",
    ),
    Case(
        "in_place_on_views_of_a_leaf",
        """
w = torch.ones(3, requires_grad=True)
def add_to_element():
    w[0].add_(1)
def iadd_element():
    v = w[0]
    v += 1
def assign():
    w[0] = 5.0
for change in (add_to_element, iadd_element, assign):
    try:
        change()
    except RuntimeError as e:
        print(e)
""",
    ),
    Case(
        "expand_then_in_place",
        """
e = torch.ones(3).expand(3)
e.add_(1)
print(e)
e2 = torch.ones(1).expand(3)
e2.add_(1)
""",
    ),
    Case(
        "squeeze_overload_names",
        """
m = torch.ones(1, 2, 1, requires_grad=True)
print(m.squeeze().grad_fn.name(), m.squeeze(0).grad_fn.name(), m.squeeze((0, 2)).grad_fn.name())
print(m.squeeze((0, 2)).shape, m.squeeze([2]).shape)
""",
    ),
]

# repeat, flip, roll, tril / triu, narrow / split / chunk, index_select, gather, masked_fill
CASES += [
    Case(
        "repeat_values_grads_and_grad_fn",
        """
        x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        r = x.repeat(2, 1)
        print(r, x.repeat(1, 2, 2).shape, x.repeat((2, 2)).shape, x.repeat([1, 1]).shape)
        print(torch.tensor(2.0).repeat(2, 2), x.repeat(0, 2).shape, type(r.grad_fn).__name__)
        (x.repeat(1, 2, 3) * torch.arange(36.0).reshape(1, 4, 9)).sum().backward()
        print(x.grad)
        y = torch.tensor([1.0, -2.0], requires_grad=True)
        (g,) = torch.autograd.grad((y.repeat(3) ** 3).sum(), y, create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), y)
        print(g, h)
        values = {"r": r, "g": x.grad, "h": h}
        """,
    ),
    Case(
        "repeat_errors",
        """
        x = torch.ones(2, 3)
        for f in (lambda: x.repeat(2), lambda: x.repeat(-1, 2), lambda: x.repeat()):
            try:
                f()
            except (RuntimeError, TypeError) as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "flip_roll_values_grads_and_second_derivative",
        """
        x = torch.arange(6.0).reshape(2, 3).requires_grad_()
        print(x.flip(0), x.flip(0, 1), x.flip((1,)), x.flip(dims=[-1]), torch.flip(x, [0]))
        print(x.roll(1), x.roll(1, 1), x.roll((1, -1), (0, 1)), torch.roll(x, -2, dims=1))
        print(x.roll(shifts=4, dims=-1), torch.tensor(1.0).flip(0), torch.tensor(1.0).roll(1))
        w = torch.arange(6.0).reshape(2, 3) + 1
        ((x.flip(1) * w).sum() + (x.roll(1) * w * 10).sum()).backward()
        print(x.grad)
        y = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (g,) = torch.autograd.grad((y.flip(0).roll(1) ** 2 * torch.tensor([1.0, 2.0, 3.0])).sum(),
                                   y, create_graph=True)
        (h,) = torch.autograd.grad((g * y).sum(), y)
        print(g, h)
        values = {"f": x.flip(0, 1), "r": x.roll((1, -1), (0, 1)), "g": x.grad, "h": h}
        """,
    ),
    Case(
        "flip_roll_errors",
        """
        x = torch.ones(2, 3)
        for f in (lambda: x.flip(), lambda: x.flip(0, 0), lambda: x.flip(2),
                  lambda: x.roll((1, 2), 0), lambda: x.roll((1, 2)), lambda: x.roll(1, 2)):
            try:
                f()
            except (RuntimeError, TypeError, IndexError) as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "tril_triu_values_grads_and_errors",
        """
        x = torch.arange(1.0, 10.0).reshape(3, 3).requires_grad_()
        print(x.tril(), x.triu(1), torch.tril(x, -1), torch.triu(x, diagonal=-1), sep="\\n")
        print(torch.ones(2, 2, 3).tril(-1), type(x.tril().grad_fn).__name__,
              type(x.triu().grad_fn).__name__)
        ((x.tril() * 2).sum() + (x.triu(1) * 10).sum()).backward()
        print(x.grad)
        (g,) = torch.autograd.grad((x.tril() ** 2).sum(), x, create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), x)
        print(h)
        for f in (lambda: torch.ones(3).tril(), lambda: torch.tensor(1.0).triu()):
            try:
                f()
            except RuntimeError as e:
                print(e)
        values = {"t": x.triu(1), "g": x.grad, "h": h}
        """,
    ),
    Case(
        "narrow_split_chunk_pieces",
        """
        x = torch.arange(10.0).reshape(2, 5)
        print(x.narrow(1, 1, 2), torch.narrow(x, 0, -1, 1), x.narrow(1, torch.tensor(3), 2))
        print(x.chunk(2, 1), torch.chunk(x, 3), sep="\\n")
        print([t.shape for t in torch.arange(5).chunk(3)],
              [t.shape for t in torch.arange(6).chunk(4)])
        print(x.split(2, 1), torch.split(x, [1, 4], dim=1), sep="\\n")
        print(x.split(1), x.split(7, 1), [t.shape for t in torch.zeros(0).chunk(2)])
        values = {"n": x.narrow(1, 1, 2), "c": list(x.chunk(2, 1)), "s": list(x.split([1, 4], 1))}
        """,
    ),
    Case(
        "narrow_split_chunk_grads_and_grad_fn",
        """
        x = torch.arange(10.0).reshape(2, 5).requires_grad_()
        a, b, c = x.split(2, 1)
        p, q = torch.split(x, [3, 2], dim=1)
        print([type(t.grad_fn).__name__ for t in (a, b, c, p, q, x.chunk(2)[0], x.narrow(1, 0, 5))])
        print([(type(f).__name__, i) for f, i in a.grad_fn.next_functions])
        ((a * 2).sum() + (c * 100).sum() + (q * 1000).sum() + x.narrow(0, 1, 1).sum()).backward()
        print(x.grad)
        y = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        (g,) = torch.autograd.grad((y.chunk(2)[1] ** 3).sum(), y, create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), y)
        print(g, h)
        values = {"g": x.grad, "h": h}
        """,
    ),
    Case(
        "narrow_split_chunk_are_views",
        """
        a = torch.zeros(2, 4)
        p, q = a.split(2, 1)
        p += 1
        a.narrow(1, 3, 1).fill_(5)
        q[0, 0] = 7
        a.chunk(2)[1][0, 1] = -1
        print(a, p._version, a._version)
        w = torch.ones(4, requires_grad=True)
        try:
            w.narrow(0, 0, 2).add_(1)
        except RuntimeError as e:
            print(e)
        """,
    ),
    Case(
        "narrow_split_chunk_errors",
        """
        x = torch.ones(2, 3)
        for f in (lambda: x.narrow(1, 2, 2), lambda: x.narrow(1, 3, 1), lambda: x.narrow(1, 4, 0),
                  lambda: x.narrow(1, 0, -1),
                  lambda: torch.tensor(1.0).narrow(0, 0, 1), lambda: x.split([1, 1], 1),
                  lambda: x.split([-1, 4], 1), lambda: x.split(0, 1), lambda: x.split(-1),
                  lambda: torch.tensor(1.0).split(1), lambda: x.chunk(0),
                  lambda: torch.tensor(1.0).chunk(1), lambda: x.chunk(2, 2)):
            try:
                f()
            except (RuntimeError, IndexError) as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "index_select_values_grads_and_saved_index",
        """
        x = torch.arange(6.0).reshape(2, 3).requires_grad_()
        i = torch.tensor([2, 0, 2])
        y = x.index_select(1, i)
        print(y, torch.index_select(x, 0, torch.tensor([1])), x.index_select(1, torch.tensor(1)))
        print(x.index_select(1, torch.tensor([1], dtype=torch.int32)), x.index_select(0, i[:0]))
        print(torch.tensor(5.0).index_select(0, torch.tensor([0])))
        y.backward(torch.tensor([[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]))
        print(x.grad)
        try:
            y.backward(torch.ones(2, 3))
        except RuntimeError as e:
            print(e)
        v = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        (g,) = torch.autograd.grad((v.index_select(0, torch.tensor([0, 0, 2])) ** 2).sum(), v,
                                   create_graph=True)
        (h,) = torch.autograd.grad((g * v).sum(), v)
        print(g, h)
        values = {"y": y, "g": x.grad, "h": h}
        """,
    ),
    Case(
        "gather_values_grads_and_second_derivative",
        """
        x = torch.arange(6.0).reshape(2, 3).requires_grad_()
        idx = torch.tensor([[0, 0], [1, 0]])
        y = x.gather(1, idx)
        print(y, torch.gather(x, 0, torch.tensor([[1, 0, 1]])), x.gather(1, idx.int()))
        print(type(y.grad_fn).__name__)
        (y * torch.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum().backward()
        print(x.grad)
        try:
            y.sum().backward()
        except RuntimeError as e:
            print(e)
        (g,) = torch.autograd.grad((x.gather(0, torch.tensor([[1, 1, 0]])) ** 3).sum(), x,
                                   create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), x)
        print(g, h)
        values = {"y": y, "g": x.grad, "h": h}
        """,
    ),
    Case(
        "index_select_gather_errors",
        """
        x = torch.arange(6.0).reshape(2, 3)
        for f in (lambda: x.index_select(1, torch.tensor([1.0])),
                  lambda: x.index_select(1, torch.tensor([[1]])),
                  lambda: x.index_select(1, torch.tensor([3])),
                  lambda: x.index_select(1, torch.tensor([-1])),
                  lambda: x.index_select(2, torch.tensor([0])),
                  lambda: x.index_select(1, [1]),
                  lambda: x.gather(1, torch.tensor([[0.0]])),
                  lambda: x.gather(1, torch.tensor([0])),
                  lambda: x.gather(1, torch.zeros(3, 1, dtype=torch.long)),
                  lambda: x.gather(1, torch.tensor([[3]])),
                  lambda: x.gather(1, torch.tensor([[-1]])),
                  lambda: x.gather(2, torch.tensor([[0]]))):
            try:
                f()
            except (RuntimeError, IndexError, TypeError) as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "masked_fill_values_grads_and_value_tensor",
        """
        x = torch.arange(6.0).reshape(2, 3).requires_grad_()
        m = torch.tensor([True, False, True])
        print(x.masked_fill(m, -1.0), x.masked_fill(x > 2, 0), torch.masked_fill(x, m, 2))
        print(torch.zeros(3).masked_fill(torch.ones(2, 3).bool(), 1.0))
        print(torch.tensor([1, 2]).masked_fill(torch.tensor([True, False]), 3.7),
              torch.tensor([1.0, 2.0]).masked_fill(torch.tensor([True, False]), torch.tensor(3)))
        v = torch.tensor(2.0, requires_grad=True)
        y = x.masked_fill(m, v)
        print(y, type(x.masked_fill(m, 1).grad_fn).__name__)
        for t in (y, x.masked_fill(m, torch.tensor(1.0))):
            print([(type(f).__name__ if f else None, i) for f, i in t.grad_fn.next_functions])
        (y * torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])).sum().backward()
        print(x.grad, v.grad)
        (g,) = torch.autograd.grad((x.masked_fill(x > 3, 0.0) ** 2).sum(), x, create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), x)
        print(g, h)
        values = {"y": y, "gx": x.grad, "gv": v.grad, "h": h}
        """,
    ),
    Case(
        "masked_fill_errors",
        """
        x = torch.ones(2, 3)
        m = torch.tensor([True, False, True])
        for f in (lambda: x.masked_fill(m.float(), 1.0), lambda: x.masked_fill(m.long(), 1.0),
                  lambda: x.masked_fill(m, torch.tensor([1.0])),
                  lambda: x.masked_fill(torch.tensor([True, False]), 1.0)):
            try:
                f()
            except RuntimeError as e:
                print(e)
        y = torch.ones(2, requires_grad=True) * 2
        z = y.masked_fill(torch.tensor([True, False]), 0.0)
        z.sum().backward()
        z.sum().backward()
        """,
    ),
    Case(
        "clone_keeps_the_layout_contiguous_does_not",
        """
t = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).t()
print(t.clone().is_contiguous(), t.clone().stride(), t.contiguous().stride(), t.stride(0))
print(torch.tensor(2.0).stride(), torch.ones(2, 3).stride(-1))
torch.tensor(2.0).stride(0)
""",
    ),
]
