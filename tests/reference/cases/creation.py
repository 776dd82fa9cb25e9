"""Creation functions and the dtype rules of ``torch.tensor`` and the factories."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "tensor_python_float",
        """
        t = torch.tensor(3.0)
        print(t, t.dtype, t.shape, t.dim(), t.requires_grad, t.is_leaf, t.grad_fn)
        values = {"t": t}
        """,
    ),
    Case(
        "tensor_python_int",
        """
        t = torch.tensor(3)
        print(t, t.dtype)
        u = torch.tensor([1, -2, 3])
        print(u, u.dtype)
        values = {"t": t, "u": u}
        """,
    ),
    Case(
        "tensor_python_bool",
        """
        t = torch.tensor([True, False, True])
        print(t, t.dtype)
        print(torch.tensor(False))
        values = {"t": t}
        """,
    ),
    Case(
        "tensor_mixed_int_float_list",
        """
        t = torch.tensor([1, 2.5, 3])
        print(t, t.dtype)
        u = torch.tensor([True, 2])
        print(u, u.dtype)
        v = torch.tensor([True, 2.0])
        print(v, v.dtype)
        values = {"t": t, "u": u, "v": v}
        """,
    ),
    Case(
        "tensor_nested_2d_3d",
        """
        t = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        print(t)
        print(t.shape, t.size(), t.ndim, t.numel())
        u = torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
        print(u)
        print(u.shape)
        values = {"t": t, "u": u}
        """,
    ),
    Case(
        "tensor_empty_list",
        """
        t = torch.tensor([])
        print(t, t.dtype, t.shape, t.numel())
        u = torch.tensor([[], []])
        print(u, u.shape)
        values = {"t": t}
        """,
    ),
    Case(
        "tensor_dtype_argument",
        """
        a = torch.tensor([1, 2, 3], dtype=torch.float32)
        b = torch.tensor([1.5, 2.5], dtype=torch.float64)
        c = torch.tensor([1.7, -2.7], dtype=torch.int64)
        d = torch.tensor([0.0, 2.0], dtype=torch.bool)
        e = torch.tensor(2, dtype=torch.float64)
        for t in (a, b, c, d, e):
            print(t, t.dtype)
        values = {"a": a, "b": b, "c": c, "d": d, "e": e}
        """,
    ),
    Case(
        "tensor_requires_grad_float",
        """
        t = torch.tensor([1.0, 2.0], requires_grad=True)
        print(t)
        print(t.requires_grad, t.is_leaf, t.grad, t.grad_fn)
        u = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
        print(u)
        """,
    ),
    Case(
        "numpy_float64_stays_float64",
        """
        a = np.array([1.0, 2.0, 3.0])
        t = torch.tensor(a)
        print(t, t.dtype)
        u = torch.tensor(np.array([1.0, 2.0], dtype=np.float32))
        print(u, u.dtype)
        v = torch.tensor(np.array([1, 2]))
        print(v, v.dtype)
        w = torch.tensor(np.float64(2.5))
        print(w, w.dtype)
        values = {"t": t, "u": u, "v": v, "w": w}
        """,
    ),
    Case(
        "tensor_copies_numpy",
        """
        a = np.array([1.0, 2.0, 3.0])
        t = torch.tensor(a)
        a[0] = 100.0
        print(t)
        t[1] = -1.0
        print(a)
        """,
    ),
    Case(
        "from_numpy_shares_memory",
        """
        a = np.array([1.0, 2.0, 3.0])
        t = torch.from_numpy(a)
        print(t, t.dtype)
        a[0] = 100.0
        print(t)
        t[2] = -5.0
        print(a)
        b = np.arange(6, dtype=np.float32).reshape(2, 3)
        u = torch.from_numpy(b)
        print(u, u.dtype, u.shape)
        values = {"t": t, "a": a, "u": u}
        """,
    ),
    Case(
        "from_numpy_int_and_bool",
        """
        t = torch.from_numpy(np.array([1, 2, 3]))
        print(t, t.dtype)
        u = torch.from_numpy(np.array([True, False]))
        print(u, u.dtype)
        v = torch.from_numpy(np.array(2.5))
        print(v, v.dtype, v.shape)
        """,
    ),
    Case(
        "tensor_from_0d_tensor_warns",
        """
        x = torch.tensor(2.0)
        y = torch.tensor(x)
        print(y)
        """,
    ),
    Case(
        "tensor_list_of_0d_tensors",
        """
        t = torch.tensor([torch.tensor(1.0), torch.tensor(2.0)])
        print(t, t.dtype)
        """,
    ),
    Case(
        "zeros_ones_forms",
        """
        a = torch.zeros(2, 3)
        b = torch.zeros((2, 3))
        c = torch.ones([3])
        d = torch.zeros(())
        e = torch.ones(2, 1, 2)
        for t in (a, b, c, d, e):
            print(t, t.dtype, t.shape)
        values = {"a": a, "b": b, "c": c, "d": d, "e": e}
        """,
    ),
    Case(
        "zeros_ones_dtype_and_requires_grad",
        """
        a = torch.zeros(3, dtype=torch.int64)
        b = torch.ones(2, dtype=torch.float64)
        c = torch.ones(2, dtype=torch.bool)
        d = torch.zeros(2, 2, requires_grad=True)
        for t in (a, b, c, d):
            print(t, t.dtype)
        print(d.is_leaf, d.grad_fn)
        values = {"a": a, "b": b, "c": c, "d": d}
        """,
    ),
    Case(
        "zeros_like_ones_like",
        """
        x = torch.tensor([[1.5, 2.5]], dtype=torch.float64, requires_grad=True)
        a = torch.zeros_like(x)
        b = torch.ones_like(x)
        c = torch.zeros_like(x, dtype=torch.int64)
        d = torch.ones_like(torch.tensor([1, 2, 3]))
        e = torch.ones_like(x, requires_grad=True)
        for t in (a, b, c, d, e):
            print(t, t.dtype, t.requires_grad)
        values = {"a": a, "b": b, "c": c, "d": d, "e": e}
        """,
    ),
    Case(
        "full_dtype_from_fill_value",
        """
        a = torch.full((2, 3), 7.0)
        b = torch.full((2,), 7)
        c = torch.full((2,), True)
        d = torch.full((2, 2), 0.5, dtype=torch.float64)
        e = torch.full((), 3.25)
        f = torch.full([3], 2, dtype=torch.float32, requires_grad=True)
        for t in (a, b, c, d, e, f):
            print(t, t.dtype)
        values = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
        """,
    ),
    Case(
        "arange_forms",
        """
        a = torch.arange(5)
        b = torch.arange(1, 4)
        c = torch.arange(0, 10, 3)
        d = torch.arange(5, 0, -2)
        e = torch.arange(0.0, 1.0, 0.25)
        f = torch.arange(3.0)
        g = torch.arange(4, dtype=torch.float64)
        h = torch.arange(1, 2.5, 0.5)
        for t in (a, b, c, d, e, f, g, h):
            print(t, t.dtype)
        values = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}
        """,
    ),
    Case(
        "arange_float_steps",
        """
        a = torch.arange(0, 1, 0.1)
        b = torch.arange(-1.0, 1.0, 0.3)
        print(a)
        print(b)
        print(a.shape, b.shape)
        values = {"a": a, "b": b}
        """,
    ),
    Case(
        "linspace_forms",
        """
        a = torch.linspace(0, 1, 5)
        b = torch.linspace(-1.0, 1.0, steps=4)
        c = torch.linspace(0, 10, 1)
        d = torch.linspace(0, 1, 0)
        e = torch.linspace(0, 1, 3, dtype=torch.float64)
        f = torch.linspace(2, 2, 3)
        g = torch.linspace(0, 1, 7)
        for t in (a, b, c, d, e, f, g):
            print(t, t.dtype)
        values = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}
        """,
    ),
    Case(
        "linspace_bits_float32_float64",
        """
        # PyTorch's kernel: start + i*step up to the middle, end - (steps-1-i)*step after it,
        # each a fused multiply-add in the dtype: element 42 below is -0.99999976, not -1
        specs = [(-8, 8, 97), (8, -8, 97), (0, 1, 7), (-1, 1, 4), (0.1, 0.7, 33), (3, -2.5, 11),
                 (-5, 5, 401), (1e-3, 1e3, 77), (-0.3, 0.3, 2), (2.5, -7, 1), (-123.456, 7.89, 250),
                 (0, 6.283185307179586, 100), (-3.0, 3.0, 61), (1e6, -1e6, 333), (-1e-6, 3e-7, 40),
                 (2**20 + 0.5, -17, 129)]
        values = {}
        for dtype in (torch.float32, torch.float64):
            for i, (start, end, steps) in enumerate(specs):
                values[f"{dtype}_{i}"] = torch.linspace(start, end, steps, dtype=dtype)
        x = torch.linspace(-8, 8, 97)
        print(x[42].item(), x[40:45], x.dtype)
        print(torch.linspace(-8, 8, 97, dtype=torch.float64)[42].item())
        print(torch.linspace(torch.tensor(1.5), torch.tensor(3), 4))
        """,
        tol="exact",
    ),
    Case(
        "linspace_bits_integer_and_half_dtypes",
        """
        specs = [(0, 10, 4), (2.7, -3.9, 5), (0, -10, 7), (-100, 100, 33), (5, 5, 1), (0.5, 3, 4),
                 (0, 1, 7), (-3, 97, 60), (100, -27.5, 13)]
        values = {}
        for dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.float16):
            for i, (start, end, steps) in enumerate(specs):
                t = torch.linspace(start, end, steps, dtype=dtype)
                values[f"{dtype}_{i}"] = t
            print(dtype, torch.linspace(2.7, -3.9, 5, dtype=dtype))
        u = torch.linspace(-1, 10, 5, dtype=torch.uint8)  # -1 wraps around to 255
        print(u, torch.linspace(0, 250, 7, dtype=torch.uint8))
        values["uint8"] = u
        """,
        tol="exact",
    ),
    Case(
        "linspace_infinite_nan_and_signed_zero_bounds",
        """
        values = {}
        for i, (start, end, steps) in enumerate([(0, float("inf"), 3), (float("nan"), 1, 3),
                                                 (1e38, -3e38, 5), (-0.0, 0.0, 3),
                                                 (float("-inf"), float("inf"), 4)]):
            for dtype in (torch.float32, torch.float64):
                t = torch.linspace(start, end, steps, dtype=dtype)
                print(t)
                values[f"{dtype}_{i}"] = t
        print(torch.linspace(1e5, 0, 1, dtype=torch.float16))  # one step: start, overflowed
        """,
        tol="exact",
    ),
    Case(
        "linspace_bound_errors",
        """
        for args, dtype in [((0, 1e39, 3), torch.float32), ((0, 70000, 3), torch.float16),
                            ((-256, 1, 3), torch.uint8), ((-1.0, 10, 5), torch.uint8),
                            ((0, float("nan"), 3), torch.int64), ((0, 1e6, 3), torch.int16),
                            ((0, 3e9, 3), torch.int32), ((0, 1, 5), torch.bool),
                            ((1e39, 0, 1), torch.float32), ((0, 1e39, 1), torch.float32),
                            ((1e39, 0, 0), torch.float32), ((0, 1, -1), torch.float32)]:
            try:
                print(torch.linspace(*args, dtype=dtype))
            except Exception as e:
                print(type(e).__name__, e)
        """,
    ),
    Case(
        "factory_requires_grad_int_error",
        """
        t = torch.zeros(2, dtype=torch.int64, requires_grad=True)
        """,
    ),
    Case(
        "dtype_objects",
        """
        print(torch.float32, torch.float64, torch.int64, torch.bool)
        print(repr(torch.float32), str(torch.int64))
        x = torch.tensor([1.0])
        print(x.dtype == torch.float32, x.dtype is torch.float32, x.dtype == torch.float64)
        print(torch.tensor([1]).dtype is torch.int64)
        print(isinstance(x.dtype, torch.dtype))
        values = {"f32": torch.float32, "b": torch.bool}
        """,
    ),
    Case(
        "tensor_type_and_isinstance",
        """
        x = torch.tensor([1.0, 2.0])
        print(type(x).__name__, isinstance(x, torch.Tensor))
        y = x * 2
        print(type(y).__name__, isinstance(y, torch.Tensor))
        print(isinstance(x.shape, tuple), type(x.shape).__name__)
        """,
    ),
    Case(
        "factories_default_not_requiring_grad",
        """
        for t in (torch.zeros(2), torch.ones(2), torch.full((2,), 1.0), torch.arange(2.0),
                  torch.linspace(0, 1, 2), torch.rand(2), torch.randn(2)):
            print(t.requires_grad, t.is_leaf, t.grad_fn, t.dtype)
        """,
    ),
    Case(
        "tensor_negative_zero_and_specials",
        """
        t = torch.tensor([-0.0, float("inf"), float("-inf"), float("nan")])
        print(t)
        values = {"t": t}
        """,
    ),
    Case(
        "tensor_float32_rounding",
        """
        t = torch.tensor([0.1, 1 / 3, 1e-8, 123456789.0])
        print(t)
        print(t.tolist())
        u = torch.tensor([0.1, 1 / 3], dtype=torch.float64)
        print(u.tolist())
        values = {"t": t, "u": u}
        """,
    ),
]

CASES += [
    Case(
        "as_tensor_of_tensor_with_dtype",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.as_tensor(x, dtype=torch.float64)
        print(y, y.requires_grad, y is x)
        print(torch.as_tensor(x, dtype=torch.float32) is x, torch.as_tensor(x, device="cpu") is x)
        y.sum().backward()
        print(x.grad)
        i = torch.as_tensor(torch.tensor([1, 2]), dtype=torch.float32)
        print(i, i.dtype)
        values = {"y": y, "grad": x.grad, "i": i}
        """,
    ),
]
