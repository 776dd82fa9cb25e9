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
]
