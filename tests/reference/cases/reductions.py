"""sum / mean / max / min: all elements, dim, keepdim, negative dims, gradients."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "sum_mean_all",
        """
        x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        s = x.sum()
        m = torch.mean(x)
        print(s, m, torch.sum(x), x.mean())
        print(s.shape, m.shape)
        (s + m).backward()
        print(x.grad)
        values = {"s": s, "m": m, "g": x.grad}
        """,
    ),
    Case(
        "sum_dim_keepdim_negative",
        """
        x = torch.arange(24.0).reshape(2, 3, 4)
        for kw in [dict(dim=0), dict(dim=1), dict(dim=-1), dict(dim=2, keepdim=True),
                   dict(dim=-3, keepdim=True), dict(dim=(0, 2)), dict(dim=(-1, 1), keepdim=True)]:
            r = x.sum(**kw)
            print(kw, r.shape)
        print(x.sum(1))
        print(torch.sum(x, -1, keepdim=True))
        values = {"d1": x.sum(1), "dk": x.sum(dim=(0, 2), keepdim=True)}
        """,
    ),
    Case(
        "mean_dim_keepdim_negative",
        """
        x = torch.arange(12.0).reshape(3, 4)
        print(x.mean(0))
        print(x.mean(dim=-1))
        print(x.mean(1, keepdim=True))
        print(torch.mean(x, dim=(0, 1)))
        values = {"m0": x.mean(0), "m1": x.mean(dim=-1, keepdim=True)}
        """,
    ),
    Case(
        "sum_mean_dim_grads",
        """
        x = torch.arange(6.0).reshape(2, 3).requires_grad_()
        w = torch.tensor([1.0, 10.0])
        y = (x.sum(dim=1) * w).sum() + (x.mean(dim=0, keepdim=True) ** 2).sum()
        y.backward()
        print(x.grad)
        values = {"g": x.grad}
        """,
    ),
    Case(
        "sum_mean_grad_fn_names",
        """
        x = torch.ones(2, 3, requires_grad=True)
        for y in (x.sum(), x.sum(0), x.sum(dim=-1, keepdim=True), x.mean(), x.mean(1),
                  x.sum((0, 1))):
            print(y, type(y.grad_fn).__name__)
        """,
    ),
    Case(
        "sum_int_and_bool_dtypes",
        """
        i = torch.tensor([[1, 2], [3, 4]])
        print(i.sum(), i.sum().dtype, i.sum(0))
        b = torch.tensor([True, True, False])
        print(b.sum(), b.sum().dtype)
        f = torch.tensor([1.0, 2.0], dtype=torch.float64)
        print(f.sum(), f.mean())
        values = {"i": i.sum(), "b": b.sum()}
        """,
    ),
    Case(
        "mean_int_error",
        """
        torch.tensor([1, 2, 3]).mean()
        """,
    ),
    Case(
        "sum_mean_empty",
        """
        e = torch.tensor([])
        print(e.sum(), e.mean())
        z = torch.zeros(0, 3)
        print(z.sum(0), z.mean(0))
        """,
    ),
    Case(
        "sum_0d",
        """
        x = torch.tensor(3.0, requires_grad=True)
        y = x.sum()
        print(y, x.sum(0), x.sum(-1), x.mean(dim=0))
        y.backward()
        print(x.grad)
        """,
    ),
    Case(
        "max_min_all",
        """
        x = torch.tensor([[1.0, 5.0, 3.0], [4.0, -2.0, 6.0]], requires_grad=True)
        a = x.max()
        b = torch.min(x)
        print(a, b)
        (a + b).backward()
        print(x.grad)
        values = {"a": a, "b": b, "g": x.grad}
        """,
    ),
    Case(
        "max_all_ties_share_gradient",
        """
        x = torch.tensor([1.0, 3.0, 3.0, 2.0, 3.0], requires_grad=True)
        x.max().backward()
        print(x.grad)
        y = torch.tensor([[0.0, 0.0], [0.0, 1.0]], requires_grad=True)
        y.min().backward()
        print(y.grad)
        values = {"gx": x.grad, "gy": y.grad}
        """,
    ),
    Case(
        "max_dim_returns_values_and_indices",
        """
        x = torch.tensor([[1.0, 5.0, 3.0], [4.0, -2.0, 6.0]], requires_grad=True)
        r = x.max(dim=1)
        print(r)
        print(r.values, r.indices)
        print(r[0], r[1], len(r), type(r).__name__)
        v, i = torch.max(x, 0)
        print(v, i, i.dtype)
        values = {"v": v, "i": i}
        """,
    ),
    Case(
        "min_dim_keepdim_negative",
        """
        x = torch.tensor([[1.0, 5.0, 3.0], [4.0, -2.0, 6.0]])
        r = x.min(-1, keepdim=True)
        print(r)
        print(r.values.shape, r.indices.shape)
        print(torch.min(x, dim=-2))
        values = {"v": r.values, "i": r.indices}
        """,
    ),
    Case(
        "max_dim_grads_ties_go_to_one_index",
        """
        x = torch.tensor([[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
        v, i = x.max(dim=1)
        print(v, i)
        v.sum().backward()
        print(x.grad)
        y = torch.tensor([[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
        w, j = y.min(0)
        print(w, j)
        (w * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        print(y.grad)
        values = {"gx": x.grad, "gy": y.grad}
        """,
    ),
    Case(
        "max_min_grad_fn_names",
        """
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        for y in (x.max(), x.min(), x.max(0).values, x.min(dim=1, keepdim=True)[0]):
            print(y, type(y.grad_fn).__name__)
        print(x.max(0).indices.grad_fn, x.max(0).indices.requires_grad)
        """,
    ),
    Case(
        "max_min_int_and_nan",
        """
        i = torch.tensor([[3, 7], [9, -1]])
        print(i.max(), i.min(), i.max(1))
        f = torch.tensor([1.0, float("nan"), 3.0])
        print(f.max(), f.min(), f.max(0))
        """,
    ),
    Case(
        "max_binary_elementwise",
        """
        a = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)
        b = torch.tensor([4.0, 2.0, 3.0], requires_grad=True)
        y = torch.max(a, b)
        print(y)
        y.sum().backward()
        print(a.grad, b.grad)
        z = torch.min(a.detach(), b.detach())
        print(z)
        """,
    ),
    Case(
        "max_empty_error",
        """
        torch.tensor([]).max()
        """,
    ),
    Case(
        "max_0d_with_dim",
        """
        x = torch.tensor(2.5)
        print(x.max(), x.max(0), x.min(dim=-1))
        """,
    ),
    Case(
        "sum_dim_out_of_range",
        """
        torch.ones(2, 3).sum(dim=2)
        """,
    ),
    Case(
        "max_dim_out_of_range",
        """
        torch.ones(2, 3).max(dim=-3)
        """,
    ),
    Case(
        "mean_lesson_vector",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x ** 2).mean()
        print(y)
        y.backward()
        print(x.grad)
        print(x.grad.tolist())
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "reductions_float32_accumulation",
        """
        # Only printed to 4 decimals: the last bits of a float32 sum depend on the order of
        # the additions, which differs between numpy, torch, and torch's thread count.
        x = torch.full((1000,), 0.1)
        print(x.sum(), f"{x.sum().item():.4f} {x.mean().item():.4f}")
        y = torch.arange(100000, dtype=torch.float32)
        values = {"s": x.sum(), "m": x.mean(), "big": y.sum()}
        """,
        tol="loose",
    ),
]
