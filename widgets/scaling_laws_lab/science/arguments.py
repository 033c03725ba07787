"""Argument checks and scalar-or-array results, shared by every formula.

The laws' chapters (:mod:`scaling_laws_lab.science.laws`) and the fits' own methods
(:mod:`scaling_laws_lab.science.papers`) both use these, so they live below both: this
module imports no other module of the package. A bad argument (negative, zero where
meaningless, NaN, infinite, not a number) raises ``ValueError`` naming the argument; a
scalar argument gives a ``float`` back, an array an ``ndarray``.
"""

from __future__ import annotations

import numpy as np


def finite(name: str, value) -> np.ndarray:
    """``value`` as a float array, or ValueError naming ``name``."""
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return arr


def positive(name: str, value) -> np.ndarray:
    """``value`` as a float array, every element > 0, or ValueError naming ``name``."""
    arr = finite(name, value)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 (got {value!r})")
    return arr


def non_negative(name: str, value) -> np.ndarray:
    """``value`` as a float array, every element >= 0, or ValueError naming ``name``."""
    arr = finite(name, value)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (got {value!r})")
    return arr


def scalar_or_array(arr):
    """Scalar in, float out; array in, array out."""
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def fit_of(fit, kind, name: str = "fit"):
    """``fit`` if it is a ``kind`` (a fit class of papers), or ValueError naming ``name``."""
    if not isinstance(fit, kind):
        raise ValueError(f"{name} must be a {kind.__name__} from scaling_laws_lab.papers, not {fit!r}")
    return fit
