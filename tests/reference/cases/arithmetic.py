"""Operators with tensors and Python scalars on either side, type promotion, in-place ops."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "add_sub_mul_div_tensor_tensor",
        """
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
        for y in (a + b, a - b, a * b, a / b):
            print(y)
        values = {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b}
        """,
    ),
    Case(
        "ops_tensor_scalar_right",
        """
        x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
        for y in (x + 2, x - 2, x * 2, x / 2, x ** 2, x + 0.5, x * True):
            print(y)
        """,
    ),
    Case(
        "ops_scalar_left",
        """
        x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
        for y in (2 + x, 2 - x, 2 * x, 2 / x, 2 ** x, 0.5 - x, 1.5 / x):
            print(y)
        values = {"rsub": 2 - x, "rdiv": 2 / x, "rpow": 2 ** x}
        """,
    ),
    Case(
        "grads_tensor_tensor",
        """
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
        out = {}
        for name, f in [("add", lambda: a + b), ("sub", lambda: a - b), ("mul", lambda: a * b),
                        ("div", lambda: a / b), ("pow", lambda: a ** b)]:
            a.grad = None
            b.grad = None
            f().sum().backward()
            out[name + "_a"] = a.grad
            out[name + "_b"] = b.grad
        values = out
        """,
        tol="loose",
    ),
    Case(
        "grads_scalar_left_and_right",
        """
        x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
        out = {}
        fs = [("radd", lambda: 3 + x), ("rsub", lambda: 3 - x), ("rmul", lambda: 3 * x),
              ("rdiv", lambda: 3 / x), ("rpow", lambda: 3 ** x), ("sub", lambda: x - 3),
              ("div", lambda: x / 4), ("pow", lambda: x ** 3), ("pow_half", lambda: x ** 0.5),
              ("pow_neg", lambda: x ** -1)]
        for name, f in fs:
            x.grad = None
            f().sum().backward()
            out[name] = x.grad
        values = out
        """,
        tol="loose",
    ),
    Case(
        "grad_fn_names_binary",
        """
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = torch.tensor([3.0, 4.0], requires_grad=True)
        ys = [a + b, a - b, a * b, a / b, a ** b, a + 1, a - 1, a * 2, a / 2, a ** 2,
              1 + a, 1 - a, 2 * a, 2 / a, 2 ** a, -a, a ** 0.5, a ** 1]
        for y in ys:
            print(type(y.grad_fn).__name__, y.grad_fn.name())
        """,
    ),
    Case(
        "next_functions_binary",
        """
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = torch.tensor([3.0, 4.0])
        c = torch.tensor([5.0, 6.0], requires_grad=True)
        for y in (a * b, a * c, b * c, a + 1, 2 - a, a / c, (a * c) + (a - c)):
            print(type(y.grad_fn).__name__,
                  [(type(f).__name__ if f is not None else None, i)
                   for f, i in y.grad_fn.next_functions])
        """,
    ),
    Case(
        "unary_neg",
        """
        x = torch.tensor([1.0, -2.0, 0.0], requires_grad=True)
        y = -x
        print(y)
        y.sum().backward()
        print(x.grad)
        print(-torch.tensor([1, -2]))
        print(-torch.tensor(0.0))
        values = {"y": y, "grad": x.grad}
        """,
    ),
    Case(
        "neg_bool_error",
        """
        m = torch.tensor([True, False])
        print(-m)
        """,
    ),
    Case(
        "comparisons",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = torch.tensor([3.0, 2.0, 1.0])
        for r in (x < y, x <= y, x > y, x >= y, x == y, x != y, x > 1.5, 2 < x, x == 2):
            print(r, r.dtype, r.requires_grad, r.grad_fn)
        values = {"lt": x < y, "ge": x >= 2}
        """,
    ),
    Case(
        "comparisons_mixed_dtypes_broadcast",
        """
        a = torch.tensor([[1], [2]])
        b = torch.tensor([1.5, 2.0, 2.5])
        print(a < b)
        print(a == 2)
        print(torch.tensor([True, False]) == torch.tensor([1, 0]))
        """,
    ),
    Case(
        "promotion_int_with_python_float",
        """
        i = torch.tensor([1, 2, 3])
        for r in (i + 1.5, i * 0.5, 2.5 - i, i + 1, i * 2, i * True, i - 1):
            print(r, r.dtype)
        values = {"a": i + 1.5, "b": i * 2}
        """,
    ),
    Case(
        "promotion_true_division",
        """
        i = torch.tensor([1, 2, 3])
        j = torch.tensor([2, 2, 2])
        for r in (i / j, i / 2, 3 / i, torch.tensor(7) / torch.tensor(2)):
            print(r, r.dtype)
        values = {"a": i / j, "b": 3 / i}
        """,
    ),
    Case(
        "promotion_tensor_tensor",
        """
        f32 = torch.tensor([1.0, 2.0])
        f64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
        i64 = torch.tensor([1, 2])
        b = torch.tensor([True, False])
        pairs = [(f32, f64), (f32, i64), (f64, i64), (i64, b), (f32, b), (b, b)]
        for x, y in pairs:
            print(x.dtype, y.dtype, (x + y).dtype, (x * y).dtype, (y / x).dtype)
        """,
    ),
    Case(
        "promotion_zero_dim_vs_nd",
        """
        f32 = torch.tensor([1.0, 2.0])
        i64 = torch.tensor([1, 2])
        s64 = torch.tensor(2.0, dtype=torch.float64)
        si = torch.tensor(3)
        sf = torch.tensor(0.5)
        for r in (f32 + s64, i64 + s64, i64 + sf, f32 + si, s64 + si, sf * s64, i64 * si):
            print(r, r.dtype)
        values = {"a": f32 + s64, "b": i64 + s64, "c": i64 + sf}
        """,
    ),
    Case(
        "bool_arithmetic",
        """
        b = torch.tensor([True, False, True])
        c = torch.tensor([True, True, False])
        print(b + c, (b + c).dtype)
        print(b * c, (b * c).dtype)
        print(b + 1, b * 2.5, b / 2)
        """,
    ),
    Case(
        "sub_bool_error",
        """
        b = torch.tensor([True, False])
        print(b + b)
        print(b - b)
        """,
    ),
    Case(
        "broadcast_col_times_row_grads",
        """
        a = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
        b = torch.tensor([[1.0, 10.0, 100.0, 1000.0]], requires_grad=True)
        y = a * b
        print(y.shape)
        y.sum().backward()
        print(a.grad)
        print(b.grad)
        values = {"y": y, "ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "broadcast_matrix_plus_row_grads",
        """
        a = torch.ones(2, 3, requires_grad=True)
        b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (a + b) * torch.tensor([[1.0], [2.0]])
        y.sum().backward()
        print(y)
        print(a.grad)
        print(b.grad)
        values = {"ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "broadcast_zero_dim_with_nd_grads",
        """
        s = torch.tensor(2.0, requires_grad=True)
        v = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        y = s * v - v / s
        y.sum().backward()
        print(s.grad, s.grad.shape)
        print(v.grad)
        values = {"gs": s.grad, "gv": v.grad}
        """,
    ),
    Case(
        "broadcast_3d_grads",
        """
        a = torch.arange(6.0).reshape(2, 1, 3).requires_grad_()
        b = torch.arange(4.0).reshape(4, 1).requires_grad_()
        y = a * b + b
        print(y.shape)
        (y * y).sum().backward()
        print(a.grad)
        print(b.grad)
        values = {"ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "broadcast_keepdim_like_shapes",
        """
        a = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        b = torch.tensor([[2.0], [4.0]], requires_grad=True)
        y = a / b
        y.backward(torch.ones(2, 3))
        print(a.grad)
        print(b.grad)
        values = {"ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "broadcast_shape_mismatch_error",
        """
        a = torch.ones(2, 3)
        b = torch.ones(4)
        a + b
        """,
    ),
    Case(
        "broadcast_shape_mismatch_error_3d",
        """
        a = torch.ones(2, 3, 4, requires_grad=True)
        b = torch.ones(5, 4)
        a * b
        """,
    ),
    Case(
        "pow_int_tensors",
        """
        i = torch.tensor([1, 2, 3])
        print(i ** 2, (i ** 2).dtype)
        print(2 ** i, (2 ** i).dtype)
        print(i ** 0.5, (i ** 0.5).dtype)
        print(i ** i)
        print(torch.tensor([0.0, 2.0]) ** torch.tensor([0, 3]))
        """,
    ),
    Case(
        "pow_int_negative_exponent_error",
        """
        i = torch.tensor([1, 2, 3])
        print(i ** -1)
        """,
    ),
    Case(
        "pow_special_values",
        """
        x = torch.tensor([0.0, -2.0, 4.0], requires_grad=True)
        y = x ** 0.5
        print(y)
        y.sum().backward()
        print(x.grad)
        z = torch.tensor([0.0, 1.0], requires_grad=True)
        (z ** 0).sum().backward()
        print(z.grad)
        w = torch.tensor([0.0, -1.0], requires_grad=True)
        (w ** 2).sum().backward()
        print(w.grad)
        values = {"y": y, "gx": x.grad}
        """,
    ),
    Case(
        "tensor_pow_tensor_grad_at_zero_base",
        """
        a = torch.tensor([0.0, 2.0, -1.0], requires_grad=True)
        b = torch.tensor([2.0, 0.5, 3.0], requires_grad=True)
        y = a ** b
        print(y)
        y.sum().backward()
        print(a.grad)
        print(b.grad)
        """,
    ),
    Case(
        "same_tensor_both_operands",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x + x / x - x
        y.sum().backward()
        print(y)
        print(x.grad)
        print([(type(f).__name__, i) for f, i in (x * x).grad_fn.next_functions])
        values = {"g": x.grad}
        """,
    ),
    Case(
        "inplace_operators_plain_tensor",
        """
        x = torch.tensor([1.0, 2.0, 3.0])
        before = id(x)
        x += 1
        x -= 0.5
        x *= 2
        x /= 4
        print(x, id(x) == before)
        i = torch.tensor([1, 2])
        i += 3
        i *= 2
        print(i, i.dtype)
        values = {"x": x, "i": i}
        """,
    ),
    Case(
        "inplace_methods_return_self",
        """
        x = torch.tensor([1.0, 2.0, 3.0])
        for r in (x.add_(1), x.sub_(0.5), x.mul_(2), x.div_(5)):
            print(r, r is x)
        y = torch.tensor([4.0, 5.0, 6.0])
        print(x.add_(y), x.mul_(y) is x)
        print(x.zero_(), x.fill_(2.5), x.copy_(y))
        print(x.copy_(torch.tensor([7, 8, 9])), x.dtype)
        values = {"x": x}
        """,
    ),
    Case(
        "inplace_broadcast_source",
        """
        x = torch.zeros(2, 3)
        x += torch.tensor([1.0, 2.0, 3.0])
        x.mul_(torch.tensor([[1.0], [-1.0]]))
        x.copy_(x * 2)
        print(x)
        y = torch.zeros(2, 2)
        y.copy_(torch.tensor([5.0, 6.0]))
        print(y)
        """,
    ),
    Case(
        "inplace_broadcast_to_bigger_shape_error",
        """
        x = torch.zeros(3)
        x += torch.ones(2, 3)
        """,
    ),
    Case(
        "inplace_int_tensor_float_result_error",
        """
        i = torch.tensor([1, 2])
        i /= 2
        """,
    ),
    Case(
        "inplace_int_tensor_add_float_error",
        """
        i = torch.tensor([1, 2])
        i += 0.5
        """,
    ),
    Case(
        "inplace_float_tensor_keeps_dtype",
        """
        x = torch.tensor([1.0, 2.0])
        x += torch.tensor([1.0, 2.0], dtype=torch.float64)
        print(x, x.dtype)
        x *= torch.tensor([3, 4])
        print(x, x.dtype)
        y = torch.tensor([1.0, 2.0], dtype=torch.float64)
        y += torch.tensor([0.1, 0.2])
        print(y, y.dtype)
        values = {"y": y}
        """,
    ),
    Case(
        "inplace_on_leaf_requiring_grad_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x += 1
        """,
    ),
    Case(
        "inplace_method_on_leaf_requiring_grad_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.mul_(2)
        """,
    ),
    Case(
        "zero_fill_on_leaf_requiring_grad_error",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        try:
            x.zero_()
        except RuntimeError as e:
            print(e)
        x.fill_(3.0)
        """,
    ),
    Case(
        "inplace_on_nonleaf_grad_fn",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        y += 2
        print(y, y.is_leaf)
        y.mul_(3)
        print(y)
        y.sub_(1)
        y.div_(2)
        print(y)
        y.sum().backward()
        print(x.grad)
        values = {"y": y, "g": x.grad}
        """,
    ),
    Case(
        "inplace_nonleaf_next_functions",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.add_(1)
        print([(type(f).__name__ if f is not None else None, i)
               for f, i in y.grad_fn.next_functions])
        z = x + 0
        z.zero_()
        print(z, type(z.grad_fn).__name__)
        w = x * 3
        w.fill_(4.0)
        print(w)
        v = x * 3
        v.copy_(torch.tensor([5.0, 6.0]))
        print(v)
        (z.sum() + w.sum() + v.sum()).backward()
        print(x.grad)
        """,
    ),
    Case(
        "inplace_copy_from_requiring_grad",
        """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        buf = torch.zeros(2)
        buf.copy_(x * 3)
        print(buf, buf.requires_grad, buf.is_leaf)
        buf.sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "inplace_plain_tensor_with_requiring_grad_operand",
        """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        acc = torch.zeros(2)
        acc += w * 2
        print(acc, acc.is_leaf, acc.requires_grad)
        acc.sum().backward()
        print(w.grad)
        """,
    ),
    Case(
        "inplace_saved_tensor_version_error",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x.exp()
        z = y * 2
        y.add_(1)
        print(y._version)
        z.sum().backward()
        print(x.grad)
        y.sum().backward()
        """,
    ),
    Case(
        "inplace_saved_input_version_error",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x * 1
        b = a ** 2
        a.mul_(10)
        b.sum().backward()
        """,
    ),
    Case(
        "inplace_not_saved_is_fine",
        """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x * 1
        b = a + 5
        a.mul_(10)
        b.sum().backward()
        print(x.grad)
        c = x * 1
        d = c * 2
        c.add_(1)
        d.sum().backward()
        print(x.grad)
        """,
    ),
    Case(
        "version_counter",
        """
        x = torch.zeros(3)
        print(x._version)
        x += 1
        x.mul_(2)
        x[0] = 5.0
        print(x._version)
        y = x.view(3)
        y.add_(1)
        print(x._version, y._version)
        """,
    ),
]

CASES += [
    Case(
        "pow_tensor_tensor_grads_at_zero_base_0d",
        """
        out = {}
        for a0, b0 in [(0.0, 2.0), (0.0, 0.0), (0.0, 1.0), (0.0, 0.5), (0.0, -1.0), (-0.0, -1.0),
                       (-2.0, 2.0), (-2.0, 0.0), (-2.0, 0.5), (3.0, 0.0)]:
            a = torch.tensor(a0, requires_grad=True)
            b = torch.tensor(b0, requires_grad=True)
            y = a ** b
            y.backward()
            print(f"{a0} ** {b0}:", y.item(), a.grad, b.grad)
            out[f"{a0}**{b0}"] = [y, a.grad, b.grad]
        values = out
        """,
        tol="loose",
    ),
    Case(
        "pow_tensor_tensor_grads_at_zero_base_broadcast",
        """
        a = torch.tensor([0.0, 0.0, -0.0, 2.0, -2.0], requires_grad=True)
        b = torch.tensor([[0.0], [2.0], [-1.0]], requires_grad=True)
        y = a ** b
        print(y)
        y.sum().backward()
        print(a.grad)
        print(b.grad)
        values = {"y": y, "a": a.grad, "b": b.grad}
        """,
        tol="loose",
    ),
    Case(
        "pow_zero_exponent_grads_are_zeros",
        """
        x = torch.tensor([0.0, 2.0, -1.0, float("nan")], requires_grad=True)
        (x ** 0).backward(torch.tensor([float("inf"), -1.0, -2.0, 1.0]))
        print(x.grad)
        s = torch.tensor(-3.0, requires_grad=True)
        (s ** 0.0).backward(torch.tensor(-1.0))
        print(s.grad)
        values = {"x": x.grad, "s": s.grad}
        """,
    ),
    Case(
        "rpow_zero_and_negative_base_grads",
        """
        out = {}
        for base in (0, 0.0, -2, -2.5):
            x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
            y = base ** x
            y.sum().backward()
            print(base, y, x.grad)
            out[str(base)] = [y, x.grad]
        values = out
        """,
    ),
    Case(
        "remainder_grads_both_operands",
        """
        a = torch.tensor([[5.0, -5.0, 5.5], [-7.0, 7.0, 0.5]], requires_grad=True)
        b = torch.tensor([3.0, 3.0, -2.0], requires_grad=True)
        y = a % b
        print(y)
        y.sum().backward()
        print(a.grad)
        print(b.grad, b.grad.dtype)
        print((a % 4).grad_fn.name(), (a % b).grad_fn.name())
        values = {"y": y, "a": a.grad, "b": b.grad}
        """,
    ),
    Case(
        "remainder_grads_0d_and_float64",
        """
        a = torch.tensor(5.0, requires_grad=True)
        b = torch.tensor(3.0, requires_grad=True)
        (a % b).backward()
        print(a.grad, b.grad)
        c = torch.tensor([5.0, 6.0, -1.0], dtype=torch.float64, requires_grad=True)
        d = torch.tensor(4.0, requires_grad=True)
        z = c % d
        z.sum().backward()
        print(z.dtype, c.grad, d.grad)
        values = {"a": a.grad, "b": b.grad, "c": c.grad, "d": d.grad}
        """,
    ),
    Case(
        "rpow_backward_stays_in_float32",
        """
        # x is v, but its gradient is scaled by 1e10 on the way to v: computed in float32, as
        # in PyTorch, 1e30 * 1e10 passes float32's largest number (3.4e38) and becomes inf
        v = torch.tensor([0.5, 1.0], requires_grad=True)
        x = (v * 1e-10) * 1e10
        (2 ** x).backward(torch.tensor([1e30, 1e30]))
        print(v.grad)
        values = {"grad": v.grad}
        """,
    ),
]
