"""no_grad / enable_grad / set_grad_enabled / is_grad_enabled: context managers, decorators."""

from __future__ import annotations

from reference.harness import Case

CASES = [
    Case(
        "no_grad_context",
        """
        x = torch.tensor(2.0, requires_grad=True)
        print(torch.is_grad_enabled())
        with torch.no_grad():
            print(torch.is_grad_enabled())
            y = x ** 2
        print(torch.is_grad_enabled())
        print(y, y.requires_grad, y.is_leaf, y.grad_fn)
        y.backward()
        """,
    ),
    Case(
        "enable_grad_inside_no_grad",
        """
        x = torch.tensor(2.0, requires_grad=True)
        with torch.no_grad():
            with torch.enable_grad():
                print(torch.is_grad_enabled())
                y = x * 3
            z = x * 3
            print(torch.is_grad_enabled())
        print(y, z)
        """,
    ),
    Case(
        "set_grad_enabled_context",
        """
        x = torch.tensor(2.0, requires_grad=True)
        with torch.set_grad_enabled(False):
            print(torch.is_grad_enabled())
            a = x * 2
            with torch.set_grad_enabled(True):
                b = x * 2
        print(torch.is_grad_enabled(), a.requires_grad, b.requires_grad)
        is_train = False
        with torch.set_grad_enabled(is_train):
            c = x * 2
        print(c.requires_grad)
        """,
    ),
    Case(
        "set_grad_enabled_plain_call",
        """
        x = torch.tensor(2.0, requires_grad=True)
        torch.set_grad_enabled(False)
        print(torch.is_grad_enabled())
        y = x * 2
        torch.set_grad_enabled(True)
        print(torch.is_grad_enabled())
        z = x * 2
        print(y, z)
        """,
    ),
    Case(
        "no_grad_decorator_with_parentheses",
        """
        x = torch.tensor(2.0, requires_grad=True)

        @torch.no_grad()
        def f(t):
            return t * 2, torch.is_grad_enabled()

        y, mode = f(x)
        print(y, mode, torch.is_grad_enabled(), f.__name__)
        """,
    ),
    Case(
        "no_grad_decorator_without_parentheses",
        """
        x = torch.tensor(2.0, requires_grad=True)

        @torch.no_grad
        def double(t):
            "Doubles t."
            return t * 2, torch.is_grad_enabled()

        y, mode = double(x)
        print(y, mode, torch.is_grad_enabled(), double.__name__, double.__doc__)
        print(double(x)[0])
        """,
    ),
    Case(
        "enable_grad_decorator",
        """
        x = torch.tensor(2.0, requires_grad=True)

        @torch.enable_grad()
        def f(t):
            return t * 2

        with torch.no_grad():
            y = f(x)
            print(torch.is_grad_enabled())
        print(y)
        """,
    ),
    Case(
        "set_grad_enabled_decorator",
        """
        x = torch.tensor(2.0, requires_grad=True)

        @torch.set_grad_enabled(False)
        def f(t):
            return t * 2

        print(torch.is_grad_enabled())
        print(f(x), torch.is_grad_enabled())
        """,
    ),
    Case(
        "no_grad_restored_after_exception",
        """
        x = torch.tensor(2.0, requires_grad=True)
        try:
            with torch.no_grad():
                raise ValueError("boom")
        except ValueError as e:
            print("caught", e)
        print(torch.is_grad_enabled(), (x * 2).requires_grad)

        @torch.no_grad()
        def fail():
            raise KeyError("k")

        try:
            fail()
        except KeyError:
            pass
        print(torch.is_grad_enabled())
        """,
    ),
    Case(
        "no_grad_creation_still_requires_grad",
        """
        with torch.no_grad():
            w = torch.tensor([1.0, 2.0], requires_grad=True)
            z = torch.zeros(2, requires_grad=True)
            v = w * 2
        print(w, z, v)
        print(w.is_leaf, v.is_leaf, v.requires_grad)
        """,
    ),
    Case(
        "no_grad_inplace_update_of_leaf_keeps_identity",
        """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        (w ** 2).sum().backward()
        before = id(w)
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.mul_(2)
            w[0] = 5.0
            w.grad.zero_()
        print(id(w) == before, w.is_leaf, w.requires_grad, w.grad_fn)
        print(w, w.grad)
        (w * 3).sum().backward()
        print(w.grad)
        values = {"w": w}
        """,
    ),
    Case(
        "no_grad_out_of_place_update_rebinds",
        """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        before = id(w)
        with torch.no_grad():
            w = w - 0.5
        print(id(w) == before, w.is_leaf, w.requires_grad, w)
        """,
    ),
    Case(
        "outside_no_grad_leaf_update_error",
        """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        (w ** 2).sum().backward()
        w -= 0.1 * w.grad
        """,
    ),
    Case(
        "no_grad_backward_still_works_for_earlier_graph",
        """
        x = torch.tensor(3.0, requires_grad=True)
        y = x ** 2
        with torch.no_grad():
            y.backward()
        print(x.grad)
        """,
    ),
    Case(
        "is_grad_enabled_nested",
        """
        states = [torch.is_grad_enabled()]
        with torch.no_grad():
            states.append(torch.is_grad_enabled())
            with torch.no_grad():
                states.append(torch.is_grad_enabled())
            states.append(torch.is_grad_enabled())
            with torch.enable_grad():
                states.append(torch.is_grad_enabled())
                with torch.set_grad_enabled(False):
                    states.append(torch.is_grad_enabled())
                states.append(torch.is_grad_enabled())
        states.append(torch.is_grad_enabled())
        print(states)
        """,
    ),
    Case(
        "no_grad_object_reusable",
        """
        ctx = torch.no_grad()
        x = torch.tensor(1.0, requires_grad=True)
        with ctx:
            a = x * 2
        with ctx:
            b = x * 2
        print(a.requires_grad, b.requires_grad, torch.is_grad_enabled())
        """,
    ),
    Case(
        "lesson_linear_regression",
        """
        x = torch.tensor([1., 2., 3., 4.])
        y_true = torch.tensor([2., 4., 6., 8.])
        w = torch.tensor(0.0, requires_grad=True)
        b = torch.tensor(0.0, requires_grad=True)
        for epoch in range(100):
            y_pred = w * x + b
            l = ((y_pred - y_true) ** 2).mean()
            l.backward()
            with torch.no_grad():
                w -= 0.01 * w.grad
                b -= 0.01 * b.grad
                w.grad.zero_()
                b.grad.zero_()
            if epoch % 10 == 0:
                print(f'Epoch {epoch}: w = {w.item():.3f}, loss = {l.item():.3f}')
        print(f'Final prediction: y = {w.item():.3f} * x + {b.item():.3f}')
        print(w, b)
        values = {"w": w, "b": b}
        """,
        tol="loose",
    ),
]

CASES += [
    Case(
        "no_grad_decorator_on_generator",
        """
        x = torch.tensor(2.0, requires_grad=True)

        @torch.no_grad()
        def steps(n):
            for i in range(n):
                received = yield (x * i).requires_grad, torch.is_grad_enabled()
                print("resumed with", received, torch.is_grad_enabled())
            return "done"

        g = steps(2)
        print(next(g), torch.is_grad_enabled())
        print(g.send("a"), torch.is_grad_enabled())
        try:
            g.send("b")
        except StopIteration as stop:
            print("returned", stop.value, torch.is_grad_enabled())
        print([mode for _, mode in steps(3)], steps.__name__)
        """,
    ),
    Case(
        "enable_grad_and_set_grad_enabled_decorators_on_generators",
        """
        @torch.enable_grad()
        def recording():
            yield torch.is_grad_enabled()
            yield torch.is_grad_enabled()

        with torch.no_grad():
            print(list(recording()), torch.is_grad_enabled())

        @torch.set_grad_enabled(False)
        def guarded():
            try:
                yield torch.is_grad_enabled()
            except ValueError:
                print("caught inside", torch.is_grad_enabled())
                yield "after throw"
            finally:
                print("finally", torch.is_grad_enabled())

        g = guarded()
        print(next(g), torch.is_grad_enabled())
        print(g.throw(ValueError), torch.is_grad_enabled())
        g.close()
        print(torch.is_grad_enabled())
        """,
    ),
]
