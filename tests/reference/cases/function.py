"""Custom ``torch.autograd.Function`` subclasses: ctx, saved tensors, grad_fn names, errors."""

from __future__ import annotations

from reference.harness import Case

_SQUARE = """
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_output
"""

_MUL_CONSTANT = """
class MulConstant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, constant):
        ctx.constant = constant
        return x * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None
"""

CASES = [
    Case(
        "square_forward_backward_and_name",
        _SQUARE
        + """
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = Square.apply(x)
print(y)
print(type(y.grad_fn).__name__, y.grad_fn.name(), y.is_leaf, y.requires_grad)
print([(type(f).__name__ if f is not None else None, i) for f, i in y.grad_fn.next_functions])
y.sum().backward()
print(x.grad)
values = {"y": y, "g": x.grad}
""",
    ),
    Case(
        "mul_constant_non_tensor_argument",
        _MUL_CONSTANT
        + """
x = torch.tensor([1.0, -2.0], requires_grad=True)
y = MulConstant.apply(x, 3.5)
print(y)
(y * y).sum().backward()
print(x.grad)
""",
    ),
    Case(
        "needs_input_grad",
        """
class Mul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        print("needs_input_grad", ctx.needs_input_grad)
        ga = g * b if ctx.needs_input_grad[0] else None
        gb = g * a if ctx.needs_input_grad[1] else None
        return ga, gb

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
Mul.apply(a, b).sum().backward()
print(a.grad)
c = torch.tensor([5.0, 6.0], requires_grad=True)
Mul.apply(a, c).sum().backward()
print(a.grad, c.grad)
""",
    ),
    Case(
        "forward_runs_without_grad_recording",
        """
class Probe(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        print("in forward:", torch.is_grad_enabled())
        y = x * 2
        print("inner result:", y.requires_grad, y.grad_fn)
        return y

    @staticmethod
    def backward(ctx, g):
        print("in backward:", torch.is_grad_enabled())
        return g * 2

x = torch.tensor(1.0, requires_grad=True)
y = Probe.apply(x)
print(y)
y.backward()
print(x.grad)
""",
    ),
    Case(
        "apply_without_grad_required",
        _SQUARE
        + """
x = torch.tensor([1.0, 2.0])
y = Square.apply(x)
print(y, y.requires_grad, y.grad_fn)
with torch.no_grad():
    z = Square.apply(torch.tensor(3.0, requires_grad=True))
print(z, z.requires_grad)
""",
    ),
    Case(
        "custom_function_in_larger_graph",
        _SQUARE
        + """
x = torch.tensor([0.5, 1.5], requires_grad=True)
y = torch.sin(Square.apply(x * 2) + 1).sum()
print(y)
y.backward()
print(x.grad)
values = {"y": y, "g": x.grad}
""",
        tol="loose",
    ),
    Case(
        "saved_tensors_freed_after_backward",
        _SQUARE
        + """
x = torch.tensor(2.0, requires_grad=True)
y = Square.apply(x)
y.backward(retain_graph=True)
y.backward()
print(x.grad)
y.backward()
""",
    ),
    Case(
        "wrong_number_of_gradients_error",
        """
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g

x = torch.tensor(1.0, requires_grad=True)
Bad.apply(x, 2.0).backward()
""",
    ),
    Case(
        "wrong_gradient_shape_error",
        """
class BadShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return torch.ones(3)

x = torch.tensor([1.0, 2.0], requires_grad=True)
BadShape.apply(x).sum().backward()
""",
    ),
    Case(
        "legacy_instance_call_error",
        _SQUARE
        + """
x = torch.tensor(2.0, requires_grad=True)
Square()(x)
""",
    ),
    Case(
        "double_backward_through_custom_function",
        """
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * g

x = torch.tensor(2.0, requires_grad=True)
(d1,) = torch.autograd.grad(Cube.apply(x), x, create_graph=True)
print(d1)
(d2,) = torch.autograd.grad(d1, x)
print(d2)
""",
    ),
    Case(
        "gradcheck_custom_function",
        """
class Wrong(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x * g

class Right(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g

x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Right.apply, (x,)))
torch.autograd.gradcheck(Wrong.apply, (x,))
""",
    ),
    Case(
        "multiple_outputs",
        """
class SplitSq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2, x ** 2

    @staticmethod
    def backward(ctx, g1, g2):
        (x,) = ctx.saved_tensors
        return g1 * 2 + g2 * 2 * x

x = torch.tensor([1.0, 3.0], requires_grad=True)
a, b = SplitSq.apply(x)
print(a, b)
(a.sum() + b.sum()).backward()
print(x.grad)
""",
    ),
    Case(
        "custom_function_after_library_ops",
        """
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x > 0).float()

x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
w = torch.tensor([[1.0, -1.0], [2.0, 1.0]], requires_grad=True)
b = torch.tensor([0.5, -0.5], requires_grad=True)
h = MyReLU.apply(x @ w - b)  # its gradient flows on through matmul, sub and a broadcast
(h.sum() * 2).backward()
print(x.grad, w.grad, b.grad)
y = MyReLU.apply(x.clone())
y.sum().backward()
print(x.grad)
""",
    ),
    Case(
        "saved_output_is_the_result",
        """
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        ctx.made = result
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        print("saved output:", result.requires_grad, type(result.grad_fn).__name__)
        return grad_output * result

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = Exp.apply(x)
print(y is y.grad_fn.made)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g)
g.sum().backward()
print(x.grad)
y = Exp.apply(x)
y.add_(1)
y.sum().backward()
""",
    ),
    Case(
        "multiple_outputs_saved_and_modified",
        """
class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        a, b = i * 2, i * 3
        ctx.save_for_backward(a, b)
        return a, b

    @staticmethod
    def backward(ctx, ga, gb):
        a, b = ctx.saved_tensors
        return ga * 2 + gb * 3

x = torch.tensor([1.0, 2.0], requires_grad=True)
a, b = Two.apply(x)
print(a, b)
(a + b).sum().backward()
print(x.grad)
a, b = Two.apply(x)
b.mul_(2)
(a + b).sum().backward()
""",
    ),
    Case(
        "mark_non_differentiable",
        """
class ValuesAndOrder(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        order = torch.tensor([1, 0])
        ctx.mark_non_differentiable(order)
        return x * 2, order

    @staticmethod
    def backward(ctx, grad_values, grad_order):
        print("unused output's gradient:", grad_order)
        return grad_values * 2

x = torch.ones(2, requires_grad=True)
doubled, order = ValuesAndOrder.apply(x)
print(doubled.requires_grad, order.requires_grad, order.grad_fn, order.dtype)
doubled.sum().backward()
print(x.grad)
""",
    ),
    Case(
        "ctx_attributes_without_recording",
        """
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.k = 3
        print(type(ctx).__name__, ctx.needs_input_grad)
        return x * ctx.k

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.k

print(Scale.apply(torch.ones(2)))
with torch.no_grad():
    print(Scale.apply(torch.ones(2, requires_grad=True)))
""",
    ),
    Case(
        "identity_function_returns_a_view",
        """
class Identity(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = Identity.apply(x)
print(y is x, y, x.grad_fn)
(y * 3).sum().backward()
print(x.grad)
""",
    ),
    Case(
        "saved_output_of_several_second_derivative",
        """
class ExpAndDouble(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        e = a.exp()
        ctx.save_for_backward(e)
        return e, a * 2

    @staticmethod
    def backward(ctx, grad_e, grad_d):
        (e,) = ctx.saved_tensors
        return grad_e * e + 2 * grad_d

x = torch.tensor([0.5, 1.0], requires_grad=True)
e, d = ExpAndDouble.apply(x)
(g,) = torch.autograd.grad((e * e).sum(), x, create_graph=True)
print(g, torch.autograd.grad(g.sum(), x))
""",
        tol="loose",
    ),
    Case(
        "non_differentiable_input_returned",
        """
class Keep(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.mark_non_differentiable(a)
        return a

    @staticmethod
    def backward(ctx, grad):
        return grad

x = torch.ones(2, requires_grad=True)
h = x * 1
o = Keep.apply(h)
print(o is h, o.requires_grad, o.grad_fn)
(o * 2).sum().backward()
""",
    ),
    Case(
        "function_view_output_after_base_changed",
        """
class Ident(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a

    @staticmethod
    def backward(ctx, grad):
        return grad

x = torch.ones(2, requires_grad=True)
h = x * 2
y = Ident.apply(h)
h.mul_(3)
try:
    y.grad_fn
except RuntimeError as e:
    print(e)
y.sum().backward()
""",
    ),
]
