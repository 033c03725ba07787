"""Projector mode: one switch that sizes every explorer on a page for a room.

Turn it on for a page with ``?projector=1`` on a Voila app or a Voila render (read from the
page's query the way share links are, :mod:`.voila_request` for pre-heated kernels), in
JupyterLab with ``scaling_laws_lab.projector(True)`` before the explorers are made, or for
one explorer with ``AllocationExplorer(projector=True)``. An explorer made without the
option follows the page.

What it changes, here and nowhere else (explorers do not know about it):

- the explorer root gets the CSS class ``sll-projector``; the kit's stylesheet
  (:data:`.explorer.STYLE`) then sets the text sizes below for bqplot's axes and titles
  (its CSS variables) and for ipywidgets' labels, readouts, keys and buttons;
- every figure takes the width it is given up to :data:`MAX_WIDTH`, is
  :data:`HEIGHT_SCALE` times taller, and its margins grow with its text;
- every line is :data:`STROKE_SCALE` times wider, every marker :data:`MARKER_AREA_SCALE`
  times larger in area, every in-plot label at least :data:`LABEL_PX`;
- marks that name points only in a tooltip get a visible label (each explorer says which,
  through :meth:`Explorer.projector_labels`).

How the sizes were chosen. A 1080p projector filling a screen 3 m wide gives
3000 mm / 1920 px = 1.56 mm per pixel. A 20/20 eye resolves a letter 5 arcminutes tall
(Snellen); a sign meant to be read comfortably is drawn about twice that (10 arcmin), which
at 10 m is 10 m · tan(10′) = 29 mm, i.e. 19 px of capital height. A sans-serif capital is
about 0.72 of the font size, so text meant for the back row wants a font of about 26 px,
and nothing may be below 22 px (capitals 16 px = 25 mm = 8.6′ at 10 m, still 1.7 × the
Snellen letter). Hence: tick labels 24 px, axis labels and readouts 26 px, titles 28 px,
in-plot labels and everything else at least 22 px (:data:`MIN_TEXT_PX`, what
``tests/test_layout.py`` asserts at 1920×1080).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from . import voila_request

#: The smallest text shown in projector mode, px (see the module docstring).
MIN_TEXT_PX = 22
#: Tick labels, axis labels and figure titles, px.
TICK_PX, AXIS_LABEL_PX, TITLE_PX = 24, 26, 28
#: In-plot text labels (line names, point names), px: never below MIN_TEXT_PX.
LABEL_PX = MIN_TEXT_PX
#: A figure takes the width it is given up to this (a 1920 px screen less the controls).
MAX_WIDTH = "1200px"
#: Heights grow less than text (a figure must still fit a 1080 px screen), but never below
#: MIN_HEIGHT px: a plot area of 350 px holds a 26 px axis label of 22 characters.
HEIGHT_SCALE, MIN_HEIGHT = 1.45, 520
#: Figure margins (px) in projector mode: room for 24 px tick labels such as "3.5e+11"
#: (about 105 px wide) and a 26 px axis label beside them.
MARGIN = {"top": 80, "bottom": 90, "left": 150, "right": 36}
#: The right margin of a figure with line names there (16 characters of 22 px text).
MARGIN_WITH_LABELS = {**MARGIN, "right": 230}
#: The y axis label's distance from the axis (px): past the widest tick label.
Y_LABEL_OFFSET = "112px"
#: Lines twice as wide (a 1.5 px dashed line is 2.3 mm on the screen: faint from the back).
STROKE_SCALE = 2.0
#: Markers: area × 3 (1.7 × across), so a 120 px² diamond becomes 19 px across.
MARKER_AREA_SCALE = 3.0

_TRUE = {"1", "true", "yes", "on"}
#: The page-wide setting made in Python (None: follow the page's query).
_page_setting: bool | None = None


def projector(on: bool | None = None) -> bool:
    """Set or read the page-wide projector mode; returns the setting now in force.

    ``projector(True)`` (in JupyterLab, before making explorers) sizes every explorer made
    afterwards for a projector; ``projector(False)`` turns it off again; ``projector()``
    only reads it. Without a call the page decides: ``?projector=1`` on a Voila page.
    An explorer's own ``projector=`` option wins over both.
    """
    global _page_setting
    if on is not None:
        _page_setting = bool(on)
    return page_setting()


def page_setting() -> bool:
    """Whether explorers made now, without an option of their own, are for a projector."""
    if _page_setting is not None:
        return _page_setting
    return query_says(voila_request.page_query())


def query_says(query: str) -> bool:
    """Whether a page query asks for projector mode (``projector=1``, ``true``, ``on``…)."""
    if not isinstance(query, str) or "projector" not in query:
        return False
    try:
        values = [v.strip().lower() for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True)
                  if k == "projector"]
    except ValueError:
        return False
    # "?projector" alone means on; a word that is neither on nor off switches nothing.
    return bool(values) and (values[-1] in _TRUE or values[-1] == "")


def _px(height: str | None, default: float = 340.0) -> float:
    match = re.fullmatch(r"\s*([\d.]+)\s*px\s*", height or "")
    return float(match.group(1)) if match else default


def size_figure(fig, *, end_labels: bool | None = None) -> None:
    """Size one bqplot figure and its marks for a projector (once: a second call does nothing)."""
    from . import figures, looks

    if getattr(fig, "_sll_projector", False):
        return
    fig._sll_projector = True
    if end_labels is None:  # a figure made with a right margin for line names keeps one
        end_labels = fig.fig_margin.get("right", 0) > 60
    with fig.hold_sync():
        height = max(MIN_HEIGHT, round(_px(fig.layout.height) * HEIGHT_SCALE))
        fig.layout = looks.layout(width="100%", max_width=MAX_WIDTH, height=f"{height}px")
        margin = dict(MARGIN_WITH_LABELS if end_labels else MARGIN)
        if end_labels:  # names in the margin: twice the room they had (text twice as large)
            margin["right"] = max(margin["right"], 2 * fig.fig_margin["right"])
        fig.fig_margin = margin
        fig.title_style = {**(fig.title_style or {}), "font-size": f"{TITLE_PX}px"}
        for axis in fig.axes:
            if axis.side in ("left", "right"):
                axis.label_offset = Y_LABEL_OFFSET
        for mark in fig.marks:
            size_mark(mark)
    figures.note_plot_height(fig)  # line names are pushed apart in px of the new plot


def size_mark(mark) -> None:
    """Wider lines, larger markers, in-plot text of at least :data:`LABEL_PX`."""
    import bqplot as bq

    if isinstance(mark, bq.Label):
        old = float(mark.default_size)
        mark.default_size = max(LABEL_PX, round(old * 2))
        mark.font_unit = "px"
        # Offsets from the anchor (a label just above its line) grow with the text, unless
        # the explorer already set them for the projector.
        if not getattr(mark, "_sll_sized", False):
            ratio = mark.default_size / old
            mark.x_offset = round(mark.x_offset * ratio)
            mark.y_offset = round(mark.y_offset * ratio)
    elif isinstance(mark, bq.Lines):
        if float(mark.stroke_width) > 0:  # 0: a shaded band, no outline
            mark.stroke_width = float(mark.stroke_width) * STROKE_SCALE
    elif isinstance(mark, bq.Scatter):
        mark.default_size = round(float(mark.default_size) * MARKER_AREA_SCALE)
