"""``Optimizer``: what SGD and Adam share — parameter groups, per-parameter state, zero_grad.

An optimizer holds ``param_groups``: lists of parameters, each with its own settings (``lr``,
...). ``step()`` changes every parameter that has a gradient, in place, so a model holding the
same Parameter objects sees the new values. ``state`` keeps what an optimizer carries from one
step to the next (momentum buffers, Adam's averages), per parameter.

The updates work on the parameters' numpy arrays directly: no graph is recorded (PyTorch runs
``step`` under ``no_grad`` for the same reason) and each formula is a few numpy operations, at
numpy speed. PyTorch's CPU kernels fuse each multiply-add into one rounding where numpy rounds
twice, so a float32 update can differ from PyTorch's in its last bit.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable
from copy import deepcopy
from itertools import chain
from typing import Any, ClassVar

from ..nn.module import typename
from ..ops._inplace import bump
from ..ops._numeric import QUIET, restore, silence
from ..tensor import Tensor


class _RequiredParameter:
    """The default of a setting that every parameter group must give (e.g. an ``lr``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required: Any = _RequiredParameter()


def mark_modified(param: Tensor) -> None:
    """Record an in-place change of ``param`` (its version counter goes up, as with ``add_``):
    a graph that saved its old value then refuses to backward instead of using the new one."""
    bump(param)


class Optimizer:
    """Base class: ``Optimizer(params, defaults)`` where ``params`` is an iterable of tensors
    (e.g. ``model.parameters()``) or of dicts, one per parameter group."""

    # settings PyTorch added in later versions: a state dict saved without them gets these
    _later_settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {typename(params)}"
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)  # a generator such as model.parameters() can be read only once
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add parameters with their own settings (missing settings take the defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]  # from named_parameters()
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is {typename(p)}"
                )
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this "
                "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                UserWarning,
                stacklevel=3,
            )
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        for group in self.param_groups:
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. cannot add param "
                    f"group {which} to the optimizer"
                )
        if any(id(p) in taken for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient before the next ``backward()`` (which adds to it).

        By default ``.grad`` becomes None; ``set_to_none=False`` fills it with zeros instead.
        """
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if grad._grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the parameters once from their ``.grad``. Subclasses implement it."""
        raise NotImplementedError

    def _step_each(self, closure: Callable[[], Any] | None) -> Any:
        """``step`` for optimizers with a rule per parameter, ``_update(p, group)``: every
        parameter that has a gradient is updated (others are left alone)."""
        loss = self._evaluate(closure)
        quiet = silence(QUIET)  # inf and nan gradients make inf and nan silently, as in PyTorch
        try:
            for group in self.param_groups:
                for p in group["params"]:
                    if p._grad is not None:
                        self._update(p, group)
        finally:
            restore(quiet)
        return loss

    def _evaluate(self, closure: Callable[[], Any] | None) -> Any:
        """Run the closure (forward, backward) with gradients recorded, if one is given."""
        if closure is None:
            return None
        from ..autograd.grad_mode import enable_grad

        with enable_grad():
            return closure()

    # -- saving and loading ---------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The settings of each group and the per-parameter state, with parameters replaced by
        their position (0, 1, ...) so it can be loaded into a new optimizer of a new model."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore settings and state saved by ``state_dict()``, matched by position.

        As in PyTorch, the state tensors are taken over, not copied (converted only if the
        parameter's dtype differs): loading one optimizer's state into another makes them share
        their buffers. Save with ``copy.deepcopy(opt.state_dict())`` to keep them apart.
        """
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        by_index = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in by_index:
                param = by_index[key]
                state[param] = {k: _copy_like(v, param, k) for k, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            for key, value in self._later_settings.items():  # newer than the saved state
                saved.setdefault(key, value)
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state = state
        self.param_groups = saved_groups

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _copy_like(value: Any, param: Tensor, key: str) -> Any:
    """A loaded state value in the parameter's dtype (the same tensor when it already is);
    the step count keeps its own dtype."""
    if not isinstance(value, Tensor) or key == "step" or not param.is_floating_point():
        return value
    return value.to(param.dtype)
