"""``Module``: the base class of every layer and model.

A module is an object whose attributes include its learnable ``Parameter``s and its sub-modules.
Assigning one (``self.fc = nn.Linear(2, 1)``) registers it, which is all that ``parameters()``,
``state_dict()``, ``zero_grad()`` and the printed summary need: they walk the registered tree.
Calling the module (``model(x)``) runs its ``forward``.

Registration happens in ``__setattr__``: parameters, buffers (tensors that belong to the module
but are not learned) and sub-modules live in three dicts, and ``__getattr__`` finds them there.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from .. import _dtype
from ..autograd.grad_mode import no_grad
from ..tensor import Tensor
from .parameter import Parameter

M = TypeVar("M", bound="Module")


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it missed and the keys it did not expect."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )

    __str__ = __repr__


class Module:
    """Base class for layers and models: subclass it, assign layers in ``__init__``, compute in
    ``forward``.

    >>> class Net(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = Linear(2, 1)
    ...     def forward(self, x):
    ...         return self.fc(x)
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers_set: set[str]
    _modules: dict[str, Module | None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
            )
        if args:
            raise TypeError(
                f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        # written straight into __dict__: our __setattr__ needs these dicts to exist first
        state = self.__dict__
        state["training"] = True
        state["_parameters"] = {}
        state["_buffers"] = {}
        state["_non_persistent_buffers_set"] = set()
        state["_modules"] = {}

    # -- computing ------------------------------------------------------------------------------

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # -- registration -----------------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        # only called when ordinary lookup fails: the registered members live in the dicts
        state = self.__dict__
        if "_parameters" in state:
            params = state["_parameters"]
            if name in params:  # first: layers read their weights on every call
                return params[name]
            buffers = state["_buffers"]
            if name in buffers:
                return buffers[name]
            modules = state["_modules"]
            if name in modules:
                return modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        state = self.__dict__
        params = state.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, "__dict__", "_buffers", "_modules")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if state.get("_modules") is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, "__dict__", "_parameters", "_buffers")
            self._modules[name] = value
        elif state.get("_modules") is not None and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            self._modules[name] = value
        elif state.get("_buffers") is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{typename(value)}' as buffer '{name}' "
                    "(torch.nn.Buffer, torch.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, *kinds: str) -> None:
        """Drop ``name`` from the other places it may be registered (a name has one meaning)."""
        for kind in kinds:
            members = self.__dict__ if kind == "__dict__" else self.__dict__[kind]
            if name in members:
                del members[name]
        if "_buffers" in kinds:
            self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name: str) -> None:
        for kind in ("_parameters", "_buffers", "_modules"):
            members = self.__dict__[kind]
            if name in members:
                del members[name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def _check_new_name(self, name: Any, what: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{what} name should be a string. Got {typename(name)}")
        if "." in name:
            got = f", got: {name}" if what == "module" else ""
            raise KeyError(f'{what} name can\'t contain "."{got}')
        if name == "":
            raise KeyError(f'{what} name can\'t be empty string ""')

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter under ``name`` (what ``self.name = Parameter(...)`` does)."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_new_name(name, "parameter")
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{typename(param)}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that belongs to the module's state but is not learned (e.g. a loss's
        class weights). ``persistent=False`` keeps it out of ``state_dict``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_new_name(name, "buffer")
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a sub-module under ``name`` (what ``self.name = module`` does)."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{typename(module)} is not a Module subclass")
        self._check_new_name(name, "module")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    # -- walking the tree ---------------------------------------------------------------------

    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module and every module below it, depth first, with dotted names."""
        seen = set() if memo is None else memo
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:  # an explicit stack: no recursion, same order as PyTorch's
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [
                (name + ("." if name else "") + key, child)
                for key, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, kind: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """(dotted name, tensor) for the parameters or buffers of this module (and below)."""
        seen: set[int] = set()
        owners = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for owner_name, owner in owners:
            for name, value in owner.__dict__[kind].items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:  # a tensor shared by two layers is listed once
                    seen.add(id(value))
                yield owner_name + ("." if owner_name else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name (``'0.weight'``, ``'fc.bias'``, ...)."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter of the module and its sub-modules: what an optimizer is given."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self: M, fn: Callable[[Module], Any]) -> M:
        """Call ``fn`` on every sub-module, then on this module (e.g. to initialise weights)."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # -- modes and gradients ----------------------------------------------------------------

    def train(self: M, mode: bool = True) -> M:
        """Switch training mode on (or off with ``mode=False``) here and in every sub-module."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self: M) -> M:
        """Evaluation mode: ``train(False)``. (It does not stop gradients: use ``no_grad``.)"""
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter before the next backward pass.

        By default ``.grad`` becomes None (nothing to zero, and a parameter that gets no
        gradient keeps None); ``set_to_none=False`` fills the existing ``.grad`` with zeros.
        """
        for param in self.parameters():
            grad = param._grad
            if grad is None:
                continue
            if set_to_none:
                param._grad = None
            else:
                if grad._grad_fn is not None:
                    grad.detach_()
                else:
                    grad.requires_grad_(False)
                grad.zero_()

    # -- saving and loading ---------------------------------------------------------------------

    def state_dict(
        self, *, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name, detached (values only)."""
        out: Any = OrderedDict() if destination is None else destination
        for owner_name, owner in self.named_modules(remove_duplicate=False):
            head = prefix + owner_name + ("." if owner_name else "")  # PyTorch's prefix ends in .
            for name, value in owner._state_items():
                out[head + name] = value if keep_vars else value.detach()
        return out

    def _state_items(self) -> list[tuple[str, Tensor]]:
        """This module's own saved tensors: parameters, then persistent buffers."""
        items = [(k, v) for k, v in self._parameters.items() if v is not None]
        items += [
            (k, v)
            for k, v in self._buffers.items()
            if v is not None and k not in self._non_persistent_buffers_set
        ]
        return items

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> _IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers (in place, so an
        optimizer holding them keeps working). With ``strict``, every key must match."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        for owner_name, owner in self.named_modules(remove_duplicate=False):
            head = owner_name + ("." if owner_name else "")
            local = dict(owner._state_items())
            for name, current in local.items():
                key = head + name
                if key not in state_dict:
                    missing.append(key)
                    continue
                error = owner._load_one(name, key, current, state_dict[key], assign)
                if error:
                    errors.append(error)
            for key in state_dict:
                if not key.startswith(head):
                    continue
                first, *rest = key[len(head) :].split(".", 1)
                if (rest and first not in owner._modules) or (not rest and first not in local):
                    unexpected.append(key)
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        return _IncompatibleKeys(missing, unexpected)

    def _load_one(self, name: str, key: str, current: Tensor, value: Any, assign: bool) -> str:
        """Load one tensor; return an error message (empty when it worked)."""
        if not isinstance(value, Tensor):
            return (
                f'While copying the parameter named "{key}", expected torch.Tensor or '
                f"Tensor-like object from checkpoint but received {type(value)}"
            )
        if current.ndim == 0 and value.shape == (1,):  # PyTorch still reads its 0.3 files
            value = value[0]
        if value.shape != current.shape:
            return (
                f"size mismatch for {key}: copying a param with shape {value.shape} from "
                f"checkpoint, the shape in current model is {current.shape}."
            )
        with no_grad():
            if assign:
                if isinstance(current, Parameter) and not isinstance(value, Parameter):
                    value = Parameter(value, requires_grad=current.requires_grad)
                setattr(self, name, value)
            else:
                current.copy_(value)
        return ""

    # -- conversion ------------------------------------------------------------------------------

    def to(self: M, *args: Any, **kwargs: Any) -> M:
        """Convert the floating-point parameters and buffers to a dtype, in place: the
        Parameter objects stay the same, so an optimizer made before still updates them."""
        dtype = kwargs.get("dtype")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, _dtype.dtype):
                dtype = arg
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )
        if dtype is None:
            return self
        return self._convert(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def float(self: M) -> M:
        return self.to(_dtype.float32)

    def double(self: M) -> M:
        return self.to(_dtype.float64)

    def cpu(self: M) -> M:
        return self

    def _convert(self: M, fn: Callable[[Tensor], Tensor]) -> M:
        for module in self.modules():
            for param in module._parameters.values():
                if param is None:
                    continue
                with no_grad():
                    param.data = fn(param.data)
                    if param._grad is not None:
                        param._grad.data = fn(param._grad.data)
            for key, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[key] = fn(buffer)
        return self

    # -- printing ----------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The settings shown between the parentheses, e.g. ``in_features=2, ...``."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        children = [
            f"({name}): " + _indent(repr(module), 2) for name, module in self._modules.items()
        ]
        if len(lines) == 1 and not children:
            return f"{self._get_name()}({lines[0]})"  # one line: Linear(in_features=2, ...)
        body = lines + children
        if not body:
            return f"{self._get_name()}()"
        return self._get_name() + "(\n  " + "\n  ".join(body) + "\n)"

    def __dir__(self) -> list[str]:
        names = [
            *dir(type(self)),
            *self.__dict__,
            *self._parameters,
            *self._modules,
            *self._buffers,
        ]
        return sorted(n for n in names if not n[0].isdigit())


def _indent(text: str, spaces: int) -> str:
    """Indent every line but the first (a child's repr sits after its ``(name): ``)."""
    first, *rest = text.split("\n")
    if not rest:
        return text
    pad = " " * spaces
    return "\n".join([first] + [pad + line if line.strip() else "" for line in rest])


def typename(obj: Any) -> str:
    """How PyTorch names a value's type in its messages: ``torch.FloatTensor``, ``int``, ..."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = obj if isinstance(obj, type) else type(obj)
    module = getattr(cls, "__module__", "") or ""
    name = cls.__qualname__
    return name if module in ("", "builtins") else f"{module}.{name}"
