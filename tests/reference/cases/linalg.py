"""matmul / mm / @ in every rank combination, with gradients and shape errors."""

from __future__ import annotations

from reference.harness import Case


def _matmul_case(name: str, shape_a: tuple, shape_b: tuple) -> Case:
    return Case(
        f"matmul_{name}",
        f"""
        # Small integers and halves: every product and sum is exact in float32.
        a = (torch.arange(float(np.prod({shape_a}))).reshape({shape_a}) - 2).requires_grad_()
        b = (torch.arange(float(np.prod({shape_b}))).reshape({shape_b}) / 2 - 1).requires_grad_()
        y = a @ b
        print(y)
        print(y.shape, type(y.grad_fn).__name__)
        print([(type(f).__name__ if f is not None else None, i)
               for f, i in y.grad_fn.next_functions])
        z = torch.matmul(a, b)
        print((y == z).sum().item() == y.numel())
        (y * y).sum().backward()
        print(a.grad)
        print(b.grad)
        values = {{"y": y, "ga": a.grad, "gb": b.grad}}
        """,
    )


CASES = [
    _matmul_case("1d_1d", (3,), (3,)),
    _matmul_case("2d_1d", (2, 3), (3,)),
    _matmul_case("1d_2d", (3,), (3, 2)),
    _matmul_case("2d_2d", (2, 3), (3, 4)),
    _matmul_case("3d_2d", (2, 2, 3), (3, 2)),
    _matmul_case("2d_3d", (2, 3), (2, 3, 2)),
    _matmul_case("3d_3d", (2, 2, 3), (2, 3, 2)),
    _matmul_case("3d_1d", (2, 2, 3), (3,)),
    _matmul_case("1d_3d", (2,), (3, 2, 2)),
    _matmul_case("batch_broadcast", (2, 1, 2, 3), (3, 3, 2)),
]

CASES += [
    Case(
        "mm_function_and_method",
        """
        a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        b = torch.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
        y = torch.mm(a, b)
        z = a.mm(b)
        w = a.matmul(b)
        print(y, z, w, sep="\\n")
        (y + z).sum().backward()
        print(a.grad)
        print(b.grad)
        values = {"y": y, "ga": a.grad, "gb": b.grad}
        """,
    ),
    Case(
        "matmul_float64_and_non_exact",
        """
        a = torch.tensor([[0.1, 0.2, 0.3]], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([[0.7], [1.1], [-1.3]], dtype=torch.float64)
        y = a @ b
        print(y)
        y.backward(torch.ones(1, 1, dtype=torch.float64))
        print(a.grad)
        c = torch.tensor([[0.1, 0.2], [0.3, 0.4]]) @ torch.tensor([[1.0 / 3], [2.0 / 3]])
        values = {"y": y, "g": a.grad, "c": c}
        """,
        tol="loose",
    ),
    Case(
        "matmul_int_tensors",
        """
        a = torch.tensor([[1, 2], [3, 4]])
        b = torch.tensor([5, 6])
        print(a @ b, (a @ b).dtype)
        print(a @ a)
        """,
    ),
    Case(
        "matmul_mixed_dtype_error",
        """
        a = torch.tensor([[1, 2], [3, 4]])
        b = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
        a @ b
        """,
    ),
    Case(
        "matmul_float32_float64_error",
        """
        a = torch.ones(2, 2)
        b = torch.ones(2, 2, dtype=torch.float64)
        torch.matmul(a, b)
        """,
    ),
    Case(
        "matmul_shape_mismatch_2d",
        """
        a = torch.ones(2, 3, requires_grad=True)
        b = torch.ones(4, 5)
        a @ b
        """,
    ),
    Case(
        "matmul_shape_mismatch_1d_1d",
        """
        torch.ones(3) @ torch.ones(4)
        """,
    ),
    Case(
        "matmul_shape_mismatch_2d_1d",
        """
        torch.ones(2, 3) @ torch.ones(4)
        """,
    ),
    Case(
        "matmul_shape_mismatch_1d_2d",
        """
        torch.ones(3) @ torch.ones(4, 2)
        """,
    ),
    Case(
        "matmul_shape_mismatch_batched",
        """
        torch.ones(2, 2, 3) @ torch.ones(3, 4, 5)
        """,
    ),
    Case(
        "matmul_0d_error",
        """
        torch.tensor(2.0) @ torch.ones(3)
        """,
    ),
    Case(
        "mm_1d_error",
        """
        torch.mm(torch.ones(3), torch.ones(3, 2))
        """,
    ),
    Case(
        "mm_shape_mismatch",
        """
        torch.mm(torch.ones(2, 3), torch.ones(2, 3))
        """,
    ),
    Case(
        "matmul_scalar_operand_error",
        """
        torch.ones(2, 2) @ 2
        """,
    ),
    Case(
        "linear_layer_by_hand",
        """
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        w = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
        b = torch.tensor([0.5, 1.0, -1.0], requires_grad=True)
        out = x @ w + b
        loss = (out ** 2).mean()
        print(out)
        print(loss)
        loss.backward()
        print(w.grad)
        print(b.grad)
        values = {"loss": loss, "gw": w.grad, "gb": b.grad}
        """,
    ),
]
