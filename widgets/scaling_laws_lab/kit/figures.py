"""The bqplot figure factory: scales, axes and a figure, built once per explorer.

Explorers create their marks on these scales and afterwards only assign
``mark.x`` / ``mark.y`` and scale ``min`` / ``max``; nothing is rebuilt.
"""

from __future__ import annotations

import bqplot as bq
import numpy as np

from ..science.grids import decade_cover, decade_ticks, log_grid
from . import looks

__all__ = ["PALETTE", "decade_cover", "decade_ticks", "end_labels", "fit_scale", "linear_scale", "log_grid",
           "log_scale", "make_figure", "set_limits", "update"]

#: Colour-blind-safe palette (Okabe & Ito 2008); explorers pair it with markers
#: or dashes so that no line is told apart by colour alone.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def log_scale(lo: float, hi: float) -> bq.LogScale:
    """A log scale with explicit bounds (an unbounded one becomes [0, ∞], bqplot #1218)."""
    return bq.LogScale(min=float(lo), max=float(hi))


def linear_scale(lo: float, hi: float) -> bq.LinearScale:
    return bq.LinearScale(min=float(lo), max=float(hi))


def make_figure(
    title: str,
    x_scale,
    y_scale,
    x_label: str,
    y_label: str,
    marks=(),
    *,
    legend: bool = True,
    height: str = "340px",
    tick_format: str = ".0e",
) -> bq.Figure:
    """A figure with labelled axes (``side=`` not the deprecated ``orientation``)."""
    def fmt(scale):
        return tick_format if isinstance(scale, bq.LogScale) else None

    x_axis = bq.Axis(scale=x_scale, label=x_label, side="bottom", tick_format=fmt(x_scale),
                     grid_lines="dashed")
    y_axis = bq.Axis(scale=y_scale, label=y_label, side="left", tick_format=fmt(y_scale),
                     grid_lines="dashed", label_offset="50px")
    fig = bq.Figure(
        title=title,
        marks=list(marks),
        axes=[x_axis, y_axis],
        legend_location="top-left",
        fig_margin={"top": 50, "bottom": 50, "left": 75, "right": 20},
        layout=looks.layout(width="100%", max_width="720px", height=height),
        animation_duration=0,  # a slider step must show at once, not tween
    )
    fig.add_class("sll-figure")
    return fig


def fit_scale(scale, values, default: tuple[float, float]) -> None:
    """Set ``scale.min/max`` to :func:`decade_cover` only if it changed (no needless message)."""
    set_limits(scale, *decade_cover(values, default))


def update(widget, **values) -> None:
    """Assign each trait only if its value changed: the kit's one way of sending less per step.

    Arrays are compared element by element (and by shape), everything else with ``==``; a
    step that leaves a mark's data as it was sends nothing for it.
    """
    for name, new in values.items():
        old = getattr(widget, name)
        if isinstance(new, np.ndarray) or isinstance(old, np.ndarray):
            a, b = np.asarray(old), np.asarray(new)
            same = a.shape == b.shape and a.dtype.kind == b.dtype.kind and np.array_equal(a, b)
        else:
            try:
                same = bool(old == new)
            except ValueError:  # sequences of arrays
                same = False
        if not same:
            setattr(widget, name, new)


def set_limits(scale, lo: float, hi: float) -> None:
    """Set ``scale.min/max`` to ``lo``/``hi``, sending nothing if they are already there."""
    lo, hi = float(lo), float(hi)
    if scale.min != lo:
        scale.min = lo
    if scale.max != hi:
        scale.max = hi


def end_labels(label_mark, x_rows, y_rows, texts, colours=None, y_scale=None,
               gap: float = 0.06) -> None:
    """Name each line at its right end, so no line is told apart by colour alone.

    ``x_rows``/``y_rows`` are the lines' data (one row per line); the labels sit on each
    row's last point, right-aligned, in the line's colour when ``colours`` is given. With
    ``y_scale``, labels closer than ``gap`` of the axis span (in log units on a log axis)
    are pushed apart, upwards, and kept inside the axis.
    """
    xs = [float(np.asarray(r)[-1]) for r in x_rows]
    ys = np.array([float(np.asarray(r)[-1]) for r in y_rows])
    if y_scale is not None and ys.size > 1:
        log = isinstance(y_scale, bq.LogScale)
        lo, hi = (np.log10([y_scale.min, y_scale.max]) if log else (y_scale.min, y_scale.max))
        pos = np.log10(ys) if log else ys.copy()
        step = gap * (hi - lo)
        order = np.argsort(pos)
        for i, j in zip(order[:-1], order[1:], strict=True):
            pos[j] = max(pos[j], pos[i] + step)
        if pos[order[-1]] > hi:  # slid off the top: shift the stack down, keep the bottom in
            pos = np.maximum(pos - (pos[order[-1]] - hi), lo)
        ys = 10.0**pos if log else pos
    update(label_mark, x=xs, y=ys.tolist(), text=list(texts))
    if colours is not None:
        update(label_mark, colors=list(colours))
