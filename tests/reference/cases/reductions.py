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
    Case(
        "logsumexp_saved_result_and_second_derivative",
        """
x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
y = x.logsumexp(1)
print(y)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
g[0, 0].backward()
print(g, x.grad)
y = x.logsumexp(1)
y.add_(1)
y.sum().backward()
""",
        tol="loose",
    ),
    Case(
        "reduce_over_an_empty_dim_list",
        """
x = torch.ones(2, 3, requires_grad=True)
print(x.sum(dim=[]), x.sum(dim=[], keepdim=True), x.mean(dim=()), torch.tensor(2.0).sum(dim=[]))
x.mean(dim=[]).backward()
print(x.grad)
""",
    ),
]

# amax / amin, prod, var / std, norm, cumsum
CASES += [
    Case(
        "amax_amin_values_dims_and_grad_fn",
        """
        x = torch.tensor([[1.0, 5.0, 3.0], [4.0, -2.0, 6.0]], requires_grad=True)
        print(x.amax(), x.amin(), x.amax(1), x.amin(dim=0), x.amax(-1, keepdim=True))
        print(torch.amax(x, dim=(0, 1)), torch.amin(x, [0, 1], keepdim=True), x.amax(dim=[]))
        print(torch.tensor([[3, 7], [9, -1]]).amax(0), torch.tensor(2.5).amin(0))
        values = {"a1": x.amax(1), "a0": x.amin(0, keepdim=True)}
        """,
    ),
    Case(
        "amax_amin_ties_share_gradient",
        """
        x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
        x.amax().backward()
        print(x.grad)
        x.grad = None
        (x.amax(1) * torch.tensor([-1.0, 2.0])).sum().backward()
        print(x.grad)
        x.grad = None
        x.amin(dim=1, keepdim=True).sum().backward()
        print(x.grad)
        y = torch.tensor([2.0, 2.0, 2.0, 1.0], requires_grad=True)
        (g,) = torch.autograd.grad(y.amax(), y, create_graph=True)
        print(g, g.requires_grad)
        values = {"gx": x.grad, "gy": g}
        """,
    ),
    Case(
        "amax_amin_errors",
        """
        for f in (lambda: torch.tensor([]).amax(), lambda: torch.zeros(0, 3).amin(0),
                  lambda: torch.ones(2, 3).amax(2), lambda: torch.ones(2, 3).amin((1, 1))):
            try:
                f()
            except (RuntimeError, IndexError) as e:
                print(type(e).__name__, e)
        print(torch.zeros(0, 3).amax(1))
        """,
    ),
    Case(
        "prod_values_dims_dtypes_and_grad_fn",
        """
        x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        print(x.prod(), x.prod(1), x.prod(0, keepdim=True), torch.prod(x, dim=-1))
        print(torch.prod(x), x.prod(dtype=torch.float64))
        print(torch.tensor([1, 2, 3]).prod(), torch.tensor([True, True]).prod(),
              torch.tensor([[1, 2]], dtype=torch.int32).prod(1))
        print(torch.tensor(3.0).prod(0), x.prod(0).shape)
        x.prod().backward()
        print(x.grad)
        values = {"p": x.prod(), "p1": x.prod(1), "g": x.grad}
        """,
    ),
    Case(
        "prod_grads_with_zeros",
        """
        for vals in ([2.0, 3.0, 4.0], [2.0, 0.0, 4.0], [0.0, 3.0, 0.0]):
            x = torch.tensor(vals, requires_grad=True)
            x.prod().backward()
            print(x.grad)
        m = torch.tensor([[2.0, 0.0, 4.0], [1.0, 3.0, 5.0], [0.0, 0.0, 7.0]], requires_grad=True)
        (m.prod(1) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        print(m.grad)
        m.grad = None
        m.prod(0, keepdim=True).sum().backward()
        print(m.grad)
        values = {"g": m.grad}
        """,
    ),
    Case(
        "prod_second_derivative_with_and_without_zeros",
        """
        for vals in ([2.0, 3.0, 4.0], [2.0, 0.0, 4.0], [0.0, 3.0, 0.0]):
            x = torch.tensor(vals, requires_grad=True)
            (g,) = torch.autograd.grad(x.prod(), x, create_graph=True)
            (h,) = torch.autograd.grad(g.sum(), x)
            print(g.detach(), h)
        m = torch.tensor([[2.0, 0.0, 4.0], [1.0, 3.0, 5.0]], requires_grad=True)
        (g,) = torch.autograd.grad(m.prod(1).sum(), m, create_graph=True)
        (h,) = torch.autograd.grad((g * torch.arange(6.0).reshape(2, 3)).sum(), m)
        print(h)
        values = {"g": g, "h": h}
        """,
    ),
    Case(
        "var_std_values_and_overloads",
        """
        x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 7.0]])
        print(x.std(), x.var(), torch.std(x), torch.var(x, 1))
        print(x.std(0), x.var(1, keepdim=True), x.std(unbiased=False), x.var(0, False))
        print(x.std(dim=1, correction=0), x.var(correction=2), x.var(correction=0.5))
        print(x.std(0, True, True), x.std(True), x.std([0, 1]), x.var(None, keepdim=True))
        print(torch.var(x, dim=-1, unbiased=False), x.double().std(0))
        values = {"s": x.std(0), "v": x.var(1, correction=0), "vd": x.double().var()}
        """,
        tol="loose",
    ),
    Case(
        "var_std_grads_and_grad_fn",
        """
        x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 7.0]], requires_grad=True)
        for y in (x.var(), x.std(), x.var(0), x.std(1, keepdim=True), x.var(correction=0)):
            print(type(y.grad_fn).__name__)
        (x.var(1) * torch.tensor([1.0, -2.0])).sum().backward()
        print(x.grad)
        x.grad = None
        x.std(0, correction=0).sum().backward()
        print(x.grad)
        (g,) = torch.autograd.grad(x.std(), x, create_graph=True)
        (h,) = torch.autograd.grad((g * torch.arange(6.0).reshape(2, 3)).sum(), x)
        print(g.detach(), h)
        (g,) = torch.autograd.grad(x.var(1).sum(), x, create_graph=True)
        (h,) = torch.autograd.grad((g ** 2).sum(), x)
        print(h)
        values = {"gstd": x.grad, "h": h}
        """,
        tol="loose",
    ),
    Case(
        "std_of_constant_and_of_one_element",
        """
        z = torch.zeros(3, requires_grad=True)
        s = z.std()
        (s * -1).backward()
        print(s, z.grad)
        one = torch.tensor([2.0], requires_grad=True)
        s = one.std()
        s.backward()
        print(s, one.grad, torch.tensor([[1.0, 2.0]]).var(0))
        """,
    ),
    Case(
        "var_std_errors",
        """
        for f in (lambda: torch.tensor([1, 2, 3]).std(), lambda: torch.ones(2, 3).var(2)):
            try:
                f()
            except (RuntimeError, IndexError) as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "norm_p2_p1_dims_keepdim",
        """
        x = torch.tensor([[3.0, -4.0, 0.0], [1.0, 2.0, -2.0]], requires_grad=True)
        print(x.norm(), torch.norm(x), x.norm(dim=1), torch.norm(x, dim=0, keepdim=True))
        print(x.norm(p=1), x.norm(1, 0), x.norm(p="fro", dim=1), x.norm(p=None, dim=(0, 1)))
        print(x.norm(float("inf"), 1), x.norm(3), x.norm(p=-float("inf"), dim=1))
        print(x.norm(dtype=torch.float64), x.double().norm(dim=-1))
        values = {"n": x.norm(dim=1), "n1": x.norm(1, 0), "n3": x.norm(3),
                  "ninf": x.norm(float("inf"))}
        """,
        tol="loose",
    ),
    Case(
        "norm_grads_at_zero_and_second_derivative",
        """
        x = torch.tensor([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0]], requires_grad=True)
        x.norm(dim=1).sum().backward()
        print(x.grad)
        x.grad = None
        x.norm(p=1, dim=1).sum().backward()
        print(x.grad)
        x.grad = None
        (x.norm(float("inf"), 1) * torch.tensor([-1.0, 2.0])).sum().backward()
        print(x.grad)
        z = torch.zeros(3, requires_grad=True)
        z.norm().backward()
        print(z.grad)
        y = torch.tensor([1.0, 2.0, -4.0], requires_grad=True)
        (g,) = torch.autograd.grad(y.norm(), y, create_graph=True)
        (h,) = torch.autograd.grad((g * torch.tensor([1.0, 2.0, 3.0])).sum(), y)
        print(g.detach(), h)
        y.grad = None
        y.norm(3).backward()
        print(y.grad)
        values = {"g": g, "h": h, "g3": y.grad}
        """,
        tol="loose",
    ),
    Case(
        "norm_grad_fn_and_errors",
        """
        x = torch.ones(2, 3, requires_grad=True)
        print(type(x.norm().grad_fn).__name__, type(x.norm(1, dim=0).grad_fn).__name__)
        for f in (lambda: torch.tensor([3, 4]).norm(), lambda: x.norm(p="abc"),
                  lambda: torch.ones(2, 2, 2).norm(p="fro", dim=(0, 1, 2)),
                  lambda: torch.zeros(0).norm(float("inf")), lambda: x.norm(dim=2)):
            try:
                f()
            except (RuntimeError, IndexError) as e:
                print(type(e).__name__, e)
        print(torch.zeros(0).norm())
        """,
    ),
    Case(
        "cumsum_values_dtypes_grads",
        """
        x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        print(x.cumsum(0), x.cumsum(dim=-1), torch.cumsum(x, 1), sep="\\n")
        print(torch.tensor([1, 2, 3]).cumsum(0), torch.tensor([True, True]).cumsum(0),
              torch.tensor([1, 2], dtype=torch.int32).cumsum(0).dtype, torch.tensor(2.0).cumsum(0))
        print(x.cumsum(0, dtype=torch.float64))
        (x.cumsum(1) * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
        print(x.grad)
        y = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
        (g,) = torch.autograd.grad((y.cumsum(0) ** 2).sum(), y, create_graph=True)
        (h,) = torch.autograd.grad((g * torch.tensor([1.0, 2.0, 3.0])).sum(), y)
        print(g, h)
        values = {"c": x.cumsum(1), "g": x.grad, "h": h}
        """,
    ),
    Case(
        "cumsum_errors",
        """
        x = torch.ones(2, 3)
        for f in (lambda: x.cumsum(), lambda: torch.cumsum(x), lambda: x.cumsum(2)):
            try:
                f()
            except (TypeError, IndexError) as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "logsumexp_of_integers_and_of_an_empty_dim",
        """
print(torch.logsumexp(torch.tensor([[1, 2], [3, 4]]), 1))
print(torch.zeros(0, 3).logsumexp(0))
""",
        tol="loose",
    ),
]
