"""Typed input: what a learner types becomes the number they meant, or a clear refusal."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scaling_laws_lab.science.units import format_quantity, parse_quantity, si


@pytest.mark.parametrize(
    "text, value",
    [
        ("1e9", 1e9),
        ("70B", 70e9),
        ("1.4T", 1.4e12),
        ("3e23", 3e23),
        ("175 B", 175e9),
        ("500M", 5e8),
        ("2k", 2e3),
        ("10^14", 1e14),
        ("10**13", 1e13),
        ("1.4 x 10^12", 1.4e12),
        ("1,000,000", 1e6),
        ("300_000", 3e5),
        ("  6e27  ", 6e27),
        ("1e40", 1e40),
    ],
)
def test_accepts_how_people_write_numbers(text, value):
    assert parse_quantity(text) == pytest.approx(value)


def test_unit_word_must_match_the_box():
    assert parse_quantity("175B params", "params") == pytest.approx(175e9)
    assert parse_quantity("300B tokens", "tokens") == pytest.approx(300e9)
    with pytest.raises(ValueError, match="unknown unit"):
        parse_quantity("300B tokens", "params")


@pytest.mark.parametrize("bad", ["abc", "", "   ", "1e400", "nan", "inf", None, True, "7B7", "x" * 5000])
def test_refuses_with_a_message(bad):
    with pytest.raises(ValueError) as err:
        parse_quantity(bad)
    assert str(err.value)  # never an empty message


def test_formatting():
    assert si(175e9) == "175B"
    assert si(1.4e12) == "1.4T"
    assert si(3.14e23) == "3.14e23"
    assert si(20.0) == "20"
    assert format_quantity(70e9, "params") == "70B params"


@given(st.floats(min_value=1e-6, max_value=1e300))
def test_formatted_numbers_read_back(value):
    back = parse_quantity(si(value, digits=6))
    assert math.isclose(back, value, rel_tol=1e-5)


@pytest.mark.parametrize("text, unit, value", [
    ("54500 GPU-days", "GPU-days", 54500.0),  # the G is part of the unit, not giga
    ("54,500 gpu-days", "GPU-days", 54500.0),
    ("2 GPU-hours", "GPU-hours", 2.0),
    ("3 PF-days", "PF-days", 3.0),  # the P is part of the unit, not peta
    ("3.6k PF-days", "PF-days", 3600.0),
    ("3.15e23 FLOPs", "FLOPs", 3.15e23),
    ("175B params", "params", 175e9),
    ("70Bparams", "params", 70e9),
    ("1.4T tokens", "tokens", 1.4e12),
    ("3e5 characters", "characters", 3e5),
    ("0.7 %", "%", 0.7),
    ("1000 GPUs", "devices", 1000.0),
])
def test_unit_words_are_read_before_si_prefixes(text, unit, value):
    from scaling_laws_lab.science.units import parse_quantity

    assert parse_quantity(text, unit) == pytest.approx(value)


def test_a_unit_word_for_another_box_is_named_in_its_own_spelling():
    from scaling_laws_lab.science.units import parse_quantity

    with pytest.raises(ValueError, match=r"unknown unit 'FLOPs' \(this box is in params\)"):
        parse_quantity("3e23 FLOPs", "params")
