"""Reading and writing quantities the way people type them: ``70B``, ``1.4T``, ``3e23``, ``10^14``.

Pure Python (no widgets): the explorer kit and the self-check boxes use it, and
so can anybody's script.
"""

from __future__ import annotations

import math
import re

#: Suffixes a learner may type after a number. "B" (billion) is how papers
#: write model sizes; "G" is accepted as its SI twin.
SUFFIXES = {
    "": 1.0,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "B": 1e9,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
}

#: Unit words a typed value may carry; they are checked against the control's unit.
UNIT_WORDS = {
    "params": ("params", "param", "parameters", "parameter"),
    "tokens": ("tokens", "token"),
    "characters": ("characters", "character", "chars", "char"),
    "FLOPs": ("flops", "flop"),
    "PF-days": ("pf-days", "pf-day", "pfdays", "pf days"),
    "GPU-days": ("gpu-days", "gpu-day", "gpu days"),
    "GPU-hours": ("gpu-hours", "gpu-hour", "gpu hours"),
    "%": ("%", "percent"),
    "layers": ("layers", "layer"),
    "devices": ("devices", "device", "gpus", "gpu", "chips", "chip"),
    "$": ("$", "usd", "dollars"),
}

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PATTERN = re.compile(
    rf"""^\s*
    (?P<num>{_NUMBER})
    \s*(?:(?:[x×*]\s*)?10\s*(?:\^|\*\*)\s*(?P<exp>[+-]?\d+))?   # 1.4 x 10^12
    \s*(?P<suffix>[kKMBGTP]?)
    \s*(?P<unit>[A-Za-z%$][A-Za-z\- ]*)?\s*$""",
    re.VERBOSE,
)
_POWER_OF_TEN = re.compile(r"^\s*10\s*(?:\^|\*\*)\s*(?P<exp>[+-]?\d+)\s*(?P<unit>[A-Za-z][A-Za-z\- ]*)?\s*$")
_MAX_TEXT = 100  # nobody types a number longer than this; refuse before regex work


def parse_quantity(text, unit: str | None = None) -> float:
    """Parse a typed quantity into a float.

    Accepts plain and scientific notation (``300000000000``, ``3e11``), digit
    separators (``1,000``, ``1_000``), suffixes (``70B``, ``1.4T``, ``500M``,
    ``2k``), powers of ten (``10^14``, ``1.4 x 10^12``) and an optional unit
    word matching ``unit`` (``175B params``).

    Raises
    ------
    ValueError
        With a message a learner can act on, for anything else, and for
        results that are not finite (``1e400``).
    """
    if isinstance(text, bool) or text is None:
        raise ValueError(f"expected a number, got {text!r}")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        if not isinstance(text, str):
            raise ValueError(f"expected a number, got {text!r}")
        raw = text.strip()
        if not raw:
            raise ValueError("type a number, e.g. 70B or 1.4e12")
        if len(raw) > _MAX_TEXT:
            raise ValueError(f"that is {len(raw)} characters long; type a number such as 70B or 3e23")
        cleaned = re.sub(r"(?<=\d)[,_](?=\d)", "", raw)
        value = _parse_text(cleaned, raw, unit)
    if math.isnan(value):
        raise ValueError("NaN is not a number you can train with; type a value such as 70B")
    if math.isinf(value):
        raise ValueError(f"{text!r} is too large to represent (larger than about 1.8e308)")
    return value


#: Every unit word, longest first: matched at the end of the text before any SI prefix is
#: read, so that "54500 GPU-days" is GPU-days (not giga-"PU-days") and "3 PF-days" PF-days.
_ALL_WORDS = sorted({w for words in UNIT_WORDS.values() for w in words}, key=len, reverse=True)


def _strip_unit_word(cleaned: str, raw: str, unit: str | None) -> str:
    """``cleaned`` without a trailing unit word, checked against the box's unit."""
    low = cleaned.rstrip().lower()
    for word in _ALL_WORDS:
        if low.endswith(word) and len(low) > len(word):
            text = cleaned.rstrip()
            rest, typed = text[: -len(word)], text[-len(word):]
            if word[0].isalpha() and rest[-1:].isalpha() and rest[-1:] not in SUFFIXES:
                continue  # part of a longer word ("xparams"): let the pattern report it
            _check_unit(typed, unit, raw)
            return rest
    return cleaned


def _parse_text(cleaned: str, raw: str, unit: str | None) -> float:
    if cleaned.lower() in ("nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
        return float(cleaned)
    cleaned = _strip_unit_word(cleaned, raw, unit)
    match = _POWER_OF_TEN.match(cleaned)
    if match:
        _check_unit(match.group("unit"), unit, raw)
        return _power(1.0, int(match.group("exp")))
    match = _PATTERN.match(cleaned)
    if not match:
        raise ValueError(f"could not read {raw!r} as a number; try 70B, 1.4T, 3e23 or 10^14")
    _check_unit(match.group("unit"), unit, raw)
    value = float(match.group("num"))
    if match.group("exp") is not None:
        value = _power(value, int(match.group("exp")))
    return value * SUFFIXES[match.group("suffix")]


def _power(mantissa: float, exponent: int) -> float:
    try:
        return mantissa * 10.0**exponent
    except OverflowError:
        return math.copysign(math.inf, mantissa)


def _check_unit(word, unit, raw):
    if not word:
        return
    allowed = UNIT_WORDS.get(unit, ()) if unit else ()
    if word.strip().lower() not in allowed:
        expected = f" (this box is in {unit})" if unit else ""
        raise ValueError(f"could not read {raw!r}: unknown unit {word.strip()!r}{expected}")


def si(value: float, digits: int = 3) -> str:
    """A compact human number: 1.75e11 → ``175B``, 1.4e12 → ``1.4T``, 3.14e23 → ``3.14e23``."""
    if value is None or not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    mag = abs(value)
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if 1 <= mag / scale < 1000 and mag < 1e15:
            return f"{value / scale:.{digits}g}{suffix}"
    if 1e-3 <= mag < 1e3:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def format_quantity(value: float, unit: str) -> str:
    """``si(value)`` followed by the unit: ``175B params``, ``3.15e23 FLOPs``."""
    return f"{si(value)} {unit}".strip()
