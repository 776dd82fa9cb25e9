"""Bad input in general: exact exception type and message."""

from __future__ import annotations

from reference.harness import Case


def _error(name: str, code: str) -> Case:
    return Case(name, code)


CASES = [
    _error("ragged_list", "torch.tensor([[1.0, 2.0], [3.0]])"),
    _error("ragged_list_deeper", "torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]])"),
    _error("ragged_scalar_and_list", "torch.tensor([1.0, [2.0, 3.0]])"),
    _error("string_data", "torch.tensor('abc')"),
    _error("string_in_list", "torch.tensor([1.0, 'a'])"),
    _error("none_data", "torch.tensor(None)"),
    _error("none_in_list", "torch.tensor([1.0, None])"),
    _error("dict_data", "torch.tensor({'a': 1})"),
    _error("tensor_no_arguments", "torch.tensor()"),
    _error("bad_dtype_argument", "torch.tensor([1.0], dtype='float32')"),
    _error("from_numpy_not_an_array", "torch.from_numpy([1.0, 2.0])"),
    _error("from_numpy_object_array", "torch.from_numpy(np.array(['a', 'b']))"),
    _error("zeros_negative_dim", "torch.zeros(2, -1)"),
    _error("ones_float_size", "torch.ones(2.5)"),
    _error("full_missing_fill_value", "torch.full((2, 2))"),
    _error("arange_zero_step", "torch.arange(0, 5, 0)"),
    _error("arange_wrong_direction", "torch.arange(5, 0, 1)"),
    _error("linspace_negative_steps", "torch.linspace(0, 1, -1)"),
    _error("rand_negative_size", "torch.rand(-2)"),
    _error("randint_empty_range", "torch.randint(5, 5, (3,))"),
    _error("randint_missing_size", "torch.randint(0, 10)"),
    _error("add_string", "torch.tensor([1.0]) + 'a'"),
    _error("add_none", "torch.tensor([1.0]) + None"),
    _error("radd_list", "[1, 2] + torch.tensor([1.0, 2.0])"),
    _error("sum_repeated_dim", "torch.ones(2, 3).sum(dim=(0, 0))"),
    _error("unsqueeze_missing_dim", "torch.ones(2).unsqueeze()"),
    _error("view_wrong_numel", "torch.ones(2, 3).view(5)"),
    _error("reshape_bad_type", "torch.ones(4).reshape('a')"),
    _error("flatten_start_after_end", "torch.ones(2, 3, 4).flatten(2, 1)"),
    _error("cat_not_tensors", "torch.cat([torch.ones(2), [1.0, 2.0]])"),
    _error("stack_not_a_list", "torch.stack(torch.ones(2))"),
    _error("clamp_no_bounds", "torch.clamp(torch.ones(2))"),
    _error("exp_of_list", "torch.exp([1.0, 2.0])"),
    _error("sigmoid_of_int_list", "torch.sigmoid(3)"),
    _error("max_bad_dim", "torch.ones(3).max(dim=1)"),
    _error("mean_bad_dim", "torch.ones(2, 2).mean(dim=-3)"),
    _error("size_bad_dim", "torch.ones(2, 2).size(-3)"),
    _error("unknown_attribute", "torch.ones(2).no_such_method()"),
    _error("item_of_2d", "torch.ones(2, 2).item()"),
    _error("bool_of_2d", "bool(torch.ones(2, 2))"),
    _error("int_of_multi", "int(torch.tensor([1, 2]))"),
    _error("index_with_tuple_of_lists_mismatch", "torch.ones(3, 3)[[0, 1], [0, 1, 2]]"),
    _error("grad_of_non_float_leaf_via_backward", "torch.tensor([1, 2]).sum().backward()"),
    _error(
        "autograd_grad_non_tensor_input",
        """
        x = torch.ones(2, requires_grad=True)
        torch.autograd.grad(x.sum(), [1.0])
    """,
    ),
    _error("requires_grad_non_bool", "torch.ones(2).requires_grad_('yes')"),
    _error("pow_string_exponent", "torch.ones(2) ** 'a'"),
    _error("matmul_with_list", "torch.ones(2, 2) @ [[1.0], [2.0]]"),
    _error(
        "inplace_add_string",
        """
        x = torch.ones(2)
        x += 'a'
    """,
    ),
    _error("copy_shape_mismatch", "torch.zeros(2).copy_(torch.ones(3))"),
    _error("fill_with_tensor_non_0d", "torch.zeros(2).fill_(torch.ones(2))"),
    _error(
        "where_int_condition",
        "torch.where(torch.tensor([1, 0]), torch.ones(2), torch.zeros(2))",
    ),
    _error(
        "where_float_condition",
        "torch.where(torch.tensor([1.0, 0.0]), torch.ones(2), torch.zeros(2))",
    ),
]

CASES += [
    _error("frac_of_int", "torch.frac(torch.tensor([1, 2]))"),
    _error("floor_of_bool", "torch.tensor([True]).floor()"),
    _error("round_decimals_of_int", "torch.tensor([1, 2]).round(decimals=1)"),
    _error("round_decimals_zero_of_int", "torch.round(torch.tensor([1, 2]), decimals=0)"),
    _error("tan_of_list", "torch.tan([0.5])"),
    _error("any_bad_dim", "torch.ones(2, 3).any(dim=2)"),
    _error("all_bad_dim_0d", "torch.tensor(1.0).all(dim=1)"),
    _error("outer_of_matrix", "torch.outer(torch.ones(2, 2), torch.ones(2))"),
    _error("outer_with_matrix", "torch.ones(2).outer(torch.ones(2, 2))"),
    _error("outer_of_scalar", "torch.outer(torch.tensor(2.0), torch.ones(2))"),
    _error("outer_with_list", "torch.outer(torch.ones(2), [1.0])"),
    _error("outer_method_with_list", "torch.ones(2).outer([1.0])"),
    _error("outer_of_list", "torch.outer([1.0], torch.ones(2))"),
]
