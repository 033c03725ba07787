"""Grids and ranges on log axes: where a curve is sampled and which decades an axis spans.

Pure numpy, shared by the science (which samples curves) and the kit (which sets scales),
so both agree on the same decades.
"""

from __future__ import annotations

import math

import numpy as np


def decade_cover(values, default: tuple[float, float]) -> tuple[float, float]:
    """The smallest whole-decade range holding ``default`` and every finite positive value.

    Used to widen a log scale when a learner types 1e40, and to shrink it back
    to ``default`` afterwards.
    """
    pieces = values if isinstance(values, (list, tuple)) else [values]
    arr = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in pieces])
    arr = arr[np.isfinite(arr) & (arr > 0)]
    lo, hi = default
    if arr.size:
        lo = min(lo, 10.0 ** math.floor(math.log10(arr.min())))
        hi = max(hi, 10.0 ** math.ceil(math.log10(arr.max())))
        # 10**ceil(log10(v)) can land a rounding step below v (1e50 vs 1.0000000000000005e50)
        lo = lo / 10 if lo > arr.min() else lo
        hi = hi * 10 if hi < arr.max() else hi
    return float(lo), float(hi)



def log_grid(lo: float, hi: float, num: int = 120) -> np.ndarray:
    """``num`` points evenly spaced in log between ``lo`` and ``hi``, both ends exact.

    (``np.logspace`` can land its ends a rounding step outside [lo, hi], which would put a
    mark a hair outside its axis.)
    """
    grid = np.logspace(math.log10(lo), math.log10(hi), num)
    grid[0], grid[-1] = lo, hi
    return grid


def decade_ticks(lo: float, hi: float) -> list[float]:
    """A tick at every power of ten from ``lo`` to ``hi`` (both whole decades)."""
    return [10.0**e for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
