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
