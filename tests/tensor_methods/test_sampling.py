from scratchgrad.tensor_methods.sampling import SamplingMethods
from tests.tensor_methods._mixins import check_resolution_and_names, check_values_against_torch


def test_tensor_uses_these_methods_and_torch_has_their_names() -> None:
    check_resolution_and_names(SamplingMethods)


def test_methods_without_arguments_match_torch() -> None:
    compared = check_values_against_torch(SamplingMethods)
    assert compared or not [n for n in vars(SamplingMethods) if not n.startswith("_")]
