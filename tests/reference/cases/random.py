"""manual_seed with rand / randn / randint: torch's exact streams (the harness seeds 0 first)."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "rand_default_seed_0",
        """
        a = torch.rand(5)
        print(a, a.dtype)
        values = {"a": a}
        """,
        tol="exact",
    ),
    Case(
        "manual_seed_repeats_stream",
        """
        torch.manual_seed(42)
        a = torch.rand(3)
        b = torch.rand(2, 2)
        torch.manual_seed(42)
        c = torch.rand(3)
        print(a, b, c, sep="\\n")
        print((a == c).sum().item())
        values = {"a": a, "b": b, "c": c}
        """,
        tol="exact",
    ),
    Case(
        "randn_small_and_large",
        """
        torch.manual_seed(0)
        a = torch.randn(5)
        b = torch.randn(3, 4)
        c = torch.randn(20)
        print(a, b, c, sep="\\n")
        values = {"a": a, "b": b, "c": c}
        """,
        tol="exact",
    ),
    Case(
        "randn_sizes_around_vectorised_path",
        """
        out = {}
        for n in (1, 15, 16, 17, 31, 32, 33, 100):
            torch.manual_seed(123)
            out[f"n{n}"] = torch.randn(n)
        print(out["n16"])
        values = out
        """,
        tol="exact",
    ),
    Case(
        "rand_sizes",
        """
        out = {}
        for n in (1, 3, 16, 17, 100, 1000):
            torch.manual_seed(7)
            out[f"n{n}"] = torch.rand(n)
        print(out["n3"])
        values = out
        """,
        tol="exact",
    ),
    Case(
        "rand_float64_and_requires_grad",
        """
        torch.manual_seed(1)
        a = torch.rand(3, dtype=torch.float64)
        b = torch.randn(2, dtype=torch.float64)
        c = torch.randn(2, 2, requires_grad=True)
        print(a, b, c, sep="\\n")
        values = {"a": a, "b": b, "c": c}
        """,
        tol="exact",
    ),
    Case(
        "randint_forms",
        """
        torch.manual_seed(3)
        a = torch.randint(0, 10, (8,))
        b = torch.randint(5, (2, 3))
        c = torch.randint(-3, 3, size=(4,))
        print(a, b, c, a.dtype, sep="\\n")
        values = {"a": a, "b": b, "c": c}
        """,
        tol="exact",
    ),
    Case(
        "rand_shapes_and_tuple_size",
        """
        torch.manual_seed(5)
        a = torch.rand((2, 3))
        b = torch.rand(())
        c = torch.randn([2, 1, 2])
        print(a.shape, b.shape, c.shape)
        print(a, b, c, sep="\\n")
        values = {"a": a, "b": b, "c": c}
        """,
        tol="exact",
    ),
    Case(
        "interleaved_rand_randn_randint",
        """
        torch.manual_seed(2024)
        a = torch.rand(2)
        b = torch.randn(3)
        c = torch.randint(0, 100, (3,))
        d = torch.rand(1)
        e = torch.randn(17)
        f = torch.rand(2)
        print(a, b, c, d, sep="\\n")
        values = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
        """,
        tol="exact",
    ),
    Case(
        "random_init_training_step",
        """
        torch.manual_seed(0)
        w = torch.randn(3, 2, requires_grad=True)
        x = torch.rand(4, 3)
        loss = ((x @ w).sigmoid() ** 2).mean()
        loss.backward()
        print(loss)
        print(w.grad)
        values = {"loss": loss, "g": w.grad}
        """,
        tol="loose",
    ),
    Case(
        "randn_statistics",
        """
        torch.manual_seed(11)
        x = torch.randn(10000)
        print(f"{x.mean().item():.4f} {(x ** 2).mean().item():.4f}")
        print(x.max(), x.min())
        values = {"mean": x.mean(), "max": x.max()}
        """,
        tol="loose",
    ),
]
