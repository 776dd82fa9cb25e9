"""item / tolist / numpy, Python conversions, ``__format__``, and the tensor attributes."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "item_types",
        """
        a = torch.tensor(2.5).item()
        b = torch.tensor([7]).item()
        c = torch.tensor([[True]]).item()
        d = torch.tensor(0.1).item()
        e = torch.tensor(0.1, dtype=torch.float64).item()
        f = torch.tensor(3.0, requires_grad=True).item()
        for v in (a, b, c, d, e, f):
            print(type(v).__name__, repr(v))
        values = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
        """,
    ),
    Case(
        "item_of_result_with_grad_fn",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        s = (x * 1.1).sum()
        v = s.item()
        print(type(v).__name__, v)
        values = {"v": v}
        """,
    ),
    Case(
        "item_multi_element_error",
        """
        torch.tensor([1.0, 2.0, 3.0]).item()
        """,
    ),
    Case(
        "item_empty_error",
        """
        torch.tensor([]).item()
        """,
    ),
    Case(
        "tolist_types",
        """
        print(torch.tensor([[1.5, 2.0], [3.0, 4.0]]).tolist())
        print(torch.tensor([1, 2]).tolist(), torch.tensor([True, False]).tolist())
        print(torch.tensor(2.0).tolist(), type(torch.tensor(2.0).tolist()).__name__)
        print(torch.tensor(5).tolist(), torch.tensor([]).tolist(), torch.zeros(2, 0).tolist())
        print(torch.tensor([0.1, 0.2]).tolist())
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        print((x * 3).tolist(), x.tolist())
        values = {"nested": torch.tensor([[1.5, 2.0], [3.0, 4.0]]).tolist()}
        """,
    ),
    Case(
        "numpy_conversion_shares_memory",
        """
        t = torch.tensor([1.0, 2.0, 3.0])
        a = t.numpy()
        print(type(a).__name__, a.dtype, a.shape)
        a[0] = 100.0
        print(t)
        t += 1
        print(a)
        print(torch.tensor([1, 2]).numpy().dtype, torch.tensor([True]).numpy().dtype)
        print(torch.tensor(3.5).numpy(), torch.tensor(3.5).numpy().shape)
        print(torch.tensor([1.0], dtype=torch.float64).numpy().dtype)
        values = {"a": a}
        """,
    ),
    Case(
        "numpy_of_detached",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        a = x.detach().numpy()
        a[1] = 5.0
        print(x)
        y = (x * 2).detach().numpy()
        print(y, y.dtype)
        """,
    ),
    Case(
        "numpy_requires_grad_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.numpy()
        """,
    ),
    Case(
        "numpy_of_result_requires_grad_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).numpy()
        """,
    ),
    Case(
        "python_scalar_conversions",
        """
        t = torch.tensor(2.75)
        print(float(t), int(t), bool(t), bool(torch.tensor(0.0)), bool(torch.tensor([3])))
        print(int(torch.tensor(-2.75)), float(torch.tensor(3)), int(torch.tensor([[4]])))
        # (float() / int() of a tensor that requires grad warn only once per process in
        # torch, so no case does that: the result would depend on the order of the cases.)
        if torch.tensor(1.0) > 0:
            print("branch taken")
        print(round(float(torch.tensor(2.5)), 3), abs(torch.tensor(-1.5)))
        values = {"f": float(t), "i": int(t)}
        """,
    ),
    Case(
        "bool_multi_element_error",
        """
        x = torch.tensor([1.0, 2.0])
        if x > 0:
            print("unreachable")
        """,
    ),
    Case(
        "float_multi_element_error",
        """
        float(torch.tensor([1.0, 2.0]))
        """,
    ),
    Case(
        "len_of_0d_error",
        """
        len(torch.tensor(3.0))
        """,
    ),
    Case(
        "iterate_0d_error",
        """
        for v in torch.tensor(3.0):
            print(v)
        """,
    ),
    Case(
        "format_0d",
        """
        t = torch.tensor(6.691762447357178)
        print(f"{t}")
        print(f"{t:.3f} {t:.1e} {t:10.4f}| {t:g} {t:+.2f}")
        d = torch.tensor(0.1, dtype=torch.float64)
        print(f"{d} {d:.3f}")
        i = torch.tensor(7)
        print(f"{i} {i:5d} {i:.2f}")
        b = torch.tensor(True)
        print(f"{b}")
        g = torch.tensor(2.0, requires_grad=True) * 1.5
        print(f"{g} {g:.2f}")
        print("{}".format(torch.tensor(0.5)), format(torch.tensor(0.25), ".1%"))
        """,
    ),
    Case(
        "format_nd",
        """
        t = torch.tensor([1.5, 2.0])
        print(f"{t}")
        print(f"{t!r}")
        print(f"{torch.tensor([3.25])}")
        print("{}".format(torch.ones(2, 2)))
        """,
    ),
    Case(
        "format_nd_spec_error",
        """
        t = torch.tensor([1.5, 2.0])
        print(f"{t:.3f}")
        """,
    ),
    Case(
        "format_lesson_manual_gradient",
        """
        x = torch.tensor(6.7)
        y = torch.tensor(0.0)
        w = torch.tensor(1.0)
        b = torch.tensor(0.0)
        z = w * x + b
        y_pred = torch.sigmoid(z)
        dloss = (y_pred - y) / (y_pred * (1 - y_pred))
        dy = y_pred * (1 - y_pred)
        print(f"{dloss * dy * x}")
        print(f"{dloss * dy * 1}")
        print(f"{y_pred}", f"{y_pred:.3f}")
        values = {"dw": dloss * dy * x, "db": dloss * dy}
        """,
        tol="loose",
    ),
    Case(
        "str_equals_repr",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        for t in (x, x * 2, torch.tensor(3), torch.zeros(2, 2, dtype=torch.float64)):
            print(str(t) == repr(t), repr(t))
        """,
    ),
    Case(
        "legacy_constructor_is_float32",
        """
print(torch.Tensor([1, 2]), torch.Tensor([True, False]).dtype)
print(torch.Tensor(np.array([1.5, 2.5])).dtype, torch.Tensor(torch.tensor([1, 2])))
print(torch.Tensor(2, 3).shape)
""",
    ),
]
