"""The bqplot figure factory: scales, axes and a figure, built once per explorer.

Explorers create their marks on these scales and afterwards only assign
``mark.x`` / ``mark.y`` and scale ``min`` / ``max``; nothing is rebuilt.
"""

from __future__ import annotations

import html

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from ..science.grids import decade_cover, decade_ticks, log_grid
from . import looks

__all__ = ["FIGURE_HEIGHT", "HALF_HEIGHT", "PALETTE", "FigureKey", "decade_cover", "decade_ticks",
           "end_label_mark", "end_labels",
           "callouts", "fit_scale", "linear_scale", "log_grid", "pad_rows", "log_scale", "make_figure",
           "one_two_five_ticks", "set_limits",
           "sparse_decade_ticks", "update"]

#: The one size rule: every figure takes the width it is given, up to 760 px, and one of
#: two heights (a plot, or a taller plane with lines to read across it).
FIGURE_HEIGHT = {"plot": "340px", "plane": "420px"}
#: A figure that shares its row with another (``Explorer._setup(figure_rows=...)``): shorter,
#: so that an explorer with three figures fits a laptop screen (800 px) with its controls.
HALF_HEIGHT = "280px"
#: The figure's margins in px; "right" is wide enough for end labels of up to 16 characters.
MARGIN = {"top": 40, "bottom": 50, "left": 75, "right": 20}
MARGIN_WITH_LABELS = {**MARGIN, "right": 115}

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
    height: str = FIGURE_HEIGHT["plot"],
    tick_format: str = ".0e",
    end_labels: bool = False,
) -> bq.Figure:
    """A figure with labelled axes (``side=`` not the deprecated ``orientation``).

    No legend is drawn inside the plot: the explorer shows a :class:`FigureKey` under the
    figure, built from the marks with ``display_legend=True``. ``end_labels`` leaves a right
    margin for :func:`end_labels`.
    """
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
        fig_margin=dict(MARGIN_WITH_LABELS if end_labels else MARGIN),
        layout=looks.layout(width="100%", max_width="760px", height=height),
        animation_duration=0,  # a slider step must show at once, not tween
    )
    fig.add_class("sll-figure")
    note_plot_height(fig)
    return fig


def note_plot_height(fig) -> None:
    """Tell the figure's label marks how tall its plot area is, in px (for :func:`end_labels`)."""
    import re

    match = re.fullmatch(r"\s*([\d.]+)px\s*", fig.layout.height or "")
    if match is None:
        return
    plot_px = float(match.group(1)) - fig.fig_margin["top"] - fig.fig_margin["bottom"]
    for mark in fig.marks:
        if isinstance(mark, bq.Label):
            mark._sll_plot_px = plot_px


def sparse_decade_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Ticks at powers of ten from ``lo`` to ``hi`` (whole decades), at most ``most`` of them:
    every decade, or every second, third… (a narrow figure has no room for thirteen labels)."""
    ticks = decade_ticks(lo, hi)
    step = max(1, -(-(len(ticks) - 1) // max(1, most - 1)))
    return ticks[::step]


def one_two_five_ticks(lo: float, hi: float) -> list[float]:
    """Ticks at 1, 2 and 5 × 10^k between ``lo`` and ``hi`` (> 0), for a log axis spanning
    less than a few decades, where bqplot's own ticks (nine a decade) run into each other.
    Within two decades 3 × 10^k too; beyond four, only the powers of ten."""
    lo, hi = float(lo), float(hi)
    if not (0 < lo < hi and np.isfinite(hi)):
        return []
    k0, k1 = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
    steps = (1, 2, 3, 5) if hi / lo <= 100 else (1, 2, 5) if hi / lo <= 1e4 else (1,)
    ticks = [m * 10.0**k for k in range(k0, k1 + 1) for m in steps]
    return [t for t in ticks if lo <= t <= hi]


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


def pad_rows(rows) -> np.ndarray:
    """Rows of unequal length as one rectangle for a multi-line mark, each padded with its own
    last point (a line drawn to where it already is adds nothing; NaN would break the
    finite-data contract)."""
    width = max(2, max((len(r) for r in rows), default=0))  # bqplot squeezes a (1, 1) array
    return np.array([np.concatenate([r, np.repeat(r[-1:], width - len(r))]) for r in rows]) \
        if rows else np.zeros((0, 0))


def set_limits(scale, lo: float, hi: float) -> None:
    """Set ``scale.min/max`` to ``lo``/``hi``, sending nothing if they are already there."""
    lo, hi = float(lo), float(hi)
    if scale.min != lo:
        scale.min = lo
    if scale.max != hi:
        scale.max = hi


def end_label_mark(scales: dict, *, size: int = 11, colour: str | None = None) -> bq.Label:
    """The Label mark :func:`end_labels` fills: left-aligned just right of the plot, unclipped
    so that it can stand in the figure's right margin."""
    extra = {} if colour is None else {"colors": [colour]}
    return bq.Label(scales=scales, default_size=size, align="start", x_offset=6, y_offset=4,
                    apply_clip=False, **extra)


def end_labels(label_mark, x_rows, y_rows, texts, colours=None, y_scale=None,
               gap: float = 0.06) -> None:
    """Name each line in the figure's right margin, level with where it leaves the plot.

    ``label_mark`` comes from :func:`end_label_mark`; ``x_rows``/``y_rows`` are the lines' data
    (one row per line). Each label sits just right of the plot (the figure needs
    ``make_figure(..., end_labels=True)``), at the height of
    its line's last point inside the x axis, so no label covers a line or a marker. With
    ``y_scale``, labels closer than ``gap`` of the axis span (in log units on a log axis;
    0.06 of the shortest plot, 250 px, is 15 px, a line of 11 px text) are pushed apart
    and kept inside the axis. Colour is never the only cue: the label names the line.
    """
    # A short plot, or larger text (projector mode), needs a wider gap: at least 1.35 lines of
    # the label's text, in px of the plot's height (make_figure notes it on the label mark).
    plot_px = getattr(label_mark, "_sll_plot_px", None)
    if plot_px:
        gap = max(gap, 1.35 * float(label_mark.default_size) / plot_px)
    x_scale = label_mark.scales["x"]
    x_max = float(x_scale.max) if x_scale.max is not None else None
    xs, ys = [], []
    for xr, yr in zip(x_rows, y_rows, strict=True):
        xr, yr = np.asarray(xr, dtype=float), np.asarray(yr, dtype=float)
        inside = np.flatnonzero(np.isfinite(yr) & ((xr <= x_max) if x_max is not None else True))
        last = inside[-1] if inside.size else xr.size - 1
        xs.append(x_max if x_max is not None else float(xr[last]))
        ys.append(float(yr[last]))
    ys = np.array(ys)
    if y_scale is not None and ys.size:
        log = isinstance(y_scale, bq.LogScale)
        lo, hi = (np.log10([y_scale.min, y_scale.max]) if log else (y_scale.min, y_scale.max))
        pos = np.log10(np.maximum(ys, 1e-300)) if log else ys.copy()
        pos = np.clip(pos, lo, hi)
        step = gap * (hi - lo)
        order = np.argsort(pos, kind="stable")
        for i, j in zip(order[:-1], order[1:], strict=True):
            pos[j] = max(pos[j], pos[i] + step)
        if pos[order[-1]] > hi:  # slid off the top: shift the stack down, keep the bottom in
            pos = np.maximum(pos - (pos[order[-1]] - hi), lo)
        ys = 10.0**pos if log else pos
    update(label_mark, x=xs, y=ys.tolist(), text=list(texts))
    if colours is not None:
        update(label_mark, colors=list(colours))


def callouts(label_mark, leader_mark, x, y, texts, *, merge: float = 0.1,
             pitch_lines: float = 1.3) -> None:
    """Name points in the figure's right margin, each name joined to its point by a leader.

    For points whose names must be seen without a hover (projector mode) where the plot has
    no room beside them: ``label_mark`` from :func:`end_label_mark` (its figure made with a
    right margin for names), ``leader_mark`` a thin ``Lines`` mark on the same scales.
    Names stand in a column from the top of the margin down, ``pitch_lines`` lines of their
    text apart (in px of the plot's height, which :func:`make_figure` notes on the mark), the
    highest point taking the highest name, so the leaders rise to the right and seldom cross.
    Points closer than ``merge`` (axis units: decades on a log axis) in both directions share
    one name ("Chinchilla, LLaMA-65B"): their markers cover each other anyway.
    """
    xs_, ys_ = label_mark.scales["x"], label_mark.scales["y"]

    def to_u(scale, v):
        v = np.asarray(v, dtype=float)
        return np.log10(v) if isinstance(scale, bq.LogScale) else v

    def from_u(scale, u):
        return 10.0 ** np.asarray(u) if isinstance(scale, bq.LogScale) else np.asarray(u)

    groups: list[list] = []  # [x, y, [texts]]
    for ux, uy, text in sorted(zip(to_u(xs_, x), to_u(ys_, y), texts, strict=True),
                               key=lambda p: (-p[1], p[0])):
        for g in groups:
            if abs(g[0] - ux) < merge and abs(g[1] - uy) < merge:
                g[2].append(text)
                break
        else:
            groups.append([ux, uy, [text]])
    # Of two points at about the same height, the left one takes the higher name: its leader
    # then passes above the other point, and the two leaders do not cross.
    for _ in range(len(groups)):
        for i in range(len(groups) - 1):
            a, b = groups[i], groups[i + 1]
            if a[1] - b[1] < merge and b[0] < a[0]:
                groups[i], groups[i + 1] = b, a
    lo, hi = to_u(ys_, [ys_.min, ys_.max])
    plot_px = getattr(label_mark, "_sll_plot_px", None) or 250.0
    pitch = pitch_lines * float(label_mark.default_size) / plot_px * (hi - lo)
    slots = hi - pitch / 2 - pitch * np.arange(len(groups))
    edge = float(xs_.max)
    gx = from_u(xs_, [g[0] for g in groups])
    gy = from_u(ys_, [g[1] for g in groups])
    sy = from_u(ys_, slots)
    update(leader_mark, x=np.array([[a, edge] for a in gx]).reshape(-1, 2),
           y=np.array([[b, c] for b, c in zip(gy, sy, strict=True)]).reshape(-1, 2))
    update(label_mark, x=[edge] * len(groups), y=[float(v) for v in sy],
           text=[", ".join(g[2]) for g in groups])


_DASH = {"solid": "", "dashed": "6,3", "dotted": "2,3", "dash_dotted": "6,2,2,2"}


def _marker_svg(marker: str, colour: str) -> str:
    c = f"fill='{colour}' stroke='{colour}'"
    shapes = {
        "circle": f"<circle cx='11' cy='6' r='4' {c}/>",
        "square": f"<rect x='7' y='2' width='8' height='8' {c}/>",
        "bar": f"<rect x='4' y='1' width='14' height='10' fill='{colour}' fill-opacity='0.6'/>",
        "diamond": f"<polygon points='11,0 16,6 11,12 6,6' {c}/>",
        "triangle-up": f"<polygon points='11,1 16,11 6,11' {c}/>",
        "triangle-down": f"<polygon points='6,1 16,1 11,11' {c}/>",
        "cross": f"<path d='M7,2 L15,10 M15,2 L7,10' stroke='{colour}' stroke-width='2'/>",
        "plus": f"<path d='M11,1 L11,11 M6,6 L16,6' stroke='{colour}' stroke-width='2'/>",
    }
    return shapes.get(marker, shapes["circle"])


def _swatch(colour: str, line_style: str | None = None, marker: str | None = None,
            width: float = 2.0) -> str:
    parts = []
    if line_style is not None:
        dash = _DASH.get(line_style, "")
        dash_attr = f" stroke-dasharray='{dash}'" if dash else ""
        parts.append(f"<line x1='0' y1='6' x2='22' y2='6' stroke='{colour}' "
                     f"stroke-width='{min(width, 3)}'{dash_attr}/>")
    if marker is not None:
        parts.append(_marker_svg(marker, colour))
    # viewBox: the stylesheet may draw the swatch larger (projector mode) and it scales.
    return (f"<svg width='22' height='12' viewBox='0 0 22 12' aria-hidden='true'>"
            f"{''.join(parts)}</svg>")


class FigureKey(ipw.HTML):
    """The figure's key, under it: one swatch and name per series, never over the data.

    Built from the figure's marks that ask for a legend (``display_legend=True``); the
    key turns bqplot's own legend off (it is drawn inside the plot, over the lines) and
    after each draw lists what is on show: a line per labelled row, a marker per scatter.
    """

    def __init__(self, figure):
        self.figure = figure
        self.marks = [m for m in figure.marks if getattr(m, "display_legend", False)]
        for mark in self.marks:
            mark.display_legend = False
        super().__init__("", layout=looks.layout(), style=looks.style(ipw.HTML),
                         _dom_classes=("sll-key",))
        self.refresh()

    def entries(self) -> list[tuple[str, str]]:
        """(swatch SVG, label) for every series now on show."""
        out = []
        for mark in self.marks:
            labels = list(mark.labels or [])
            colours = list(mark.colors or []) or [PALETTE[0]]
            if isinstance(mark, bq.Lines):
                y = np.asarray(mark.y if mark.y is not None else [])
                rows = 0 if y.size == 0 else (y.shape[0] if y.ndim == 2 else 1)
                marker = mark.marker or None
                filled = mark.fill != "none" and list(mark.fill_colors or [])
                for i in range(min(rows, len(labels))):
                    if filled:  # a shaded area (stroke_width 0): show its fill, not a line
                        swatch = _swatch(filled[i % len(filled)], marker="bar")
                    else:
                        swatch = _swatch(colours[i % len(colours)], mark.line_style, marker,
                                         float(mark.stroke_width))
                    out.append((swatch, labels[i]))
            elif isinstance(mark, bq.Scatter):
                if labels and np.asarray(mark.x if mark.x is not None else []).size:
                    out.append((_swatch(colours[0], marker=mark.marker), labels[0]))
            elif isinstance(mark, bq.Bars):
                for i, label in enumerate(labels):
                    out.append((_swatch(colours[i % len(colours)], marker="bar"), label))
        return out

    def refresh(self) -> None:
        items = "".join(f"<span class='sll-key-item'>{svg}{html.escape(label)}</span>"
                        for svg, label in self.entries())
        value = f"<div>{items}</div>" if items else ""
        if value != self.value:
            self.value = value
