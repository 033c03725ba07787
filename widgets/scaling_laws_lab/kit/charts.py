"""Small figure classes that explorers compose: scales, axes and marks built once, ``set_…`` after.

In the manner of the ipywidgets tutorial's ``Chart``: a chart owns its figure and the marks
that every use of it needs, exposes its scales for the marks an explorer adds, and changes
only through a few ``set_…`` methods that send nothing when nothing changed
(:func:`figures.update`). Two charts are shared:

- :class:`NDPlane`: the parameters–tokens plane on log axes with dashed, labelled lines
  (equal compute in notebook 01, equal loss in notebook 06);
- :class:`IsoFlopChart`: loss against model size at one compute budget, with each law's
  optimum and "your model" (notebook 02; the lab's IsoFLOP sweeps will use it too).
"""

from __future__ import annotations

import bqplot as bq
import numpy as np

from ..science.grids import decade_ticks as _decade_ticks
from .figures import (
    FIGURE_HEIGHT,
    end_label_mark,
    end_labels,
    linear_scale,
    log_scale,
    make_figure,
    note_plot_height,
    set_limits,
    update,
)


class Chart:
    """A figure and its two scales; explorers add marks on :attr:`scales`."""

    def __init__(self, title, x_scale, y_scale, x_label, y_label, marks=(), **figure_args):
        self.x_scale, self.y_scale = x_scale, y_scale
        self.figure = make_figure(title, x_scale, y_scale, x_label, y_label, list(marks),
                                  **figure_args)

    @property
    def scales(self) -> dict:
        return {"x": self.x_scale, "y": self.y_scale}

    def add(self, *marks) -> None:
        """Put marks on the chart (in front of those already there)."""
        self.figure.marks = [*self.figure.marks, *marks]
        note_plot_height(self.figure)


class NDPlane(Chart):
    """The N–D plane: parameters across, tokens up, log axes, dashed labelled lines.

    The lines (equal compute, equal loss) all fall from upper left to lower right. Each
    label starts at a point on its line and stands just above it, extending right: there
    its own line has already fallen below it, so the label never covers the line it names.

    Parameters
    ----------
    n_range, d_range : (float, float)
        Starting ranges, parameters and tokens.
    """

    def __init__(self, title, n_range, d_range, *, x_label="N, parameters",
                 y_label="D, training tokens", label_colour="#555555",
                 height=FIGURE_HEIGHT["plane"]):
        super().__init__(title, log_scale(*n_range), log_scale(*d_range), x_label, y_label,
                         height=height)
        sc = self.scales
        self.lines = bq.Lines(scales=sc, colors=["#999999"], stroke_width=1, line_style="dashed")
        # Centred 7 px above the anchor: a 10 px label's box (12 px) clears its line, and so
        # does a projector's 22 px label at 2.2 times the offset (kit/projector.py).
        self.line_labels = bq.Label(scales=sc, colors=[label_colour], default_size=10,
                                    align="start", x_offset=2, y_offset=-7)
        self.add(self.lines, self.line_labels)

    def set_range(self, n_range, d_range, decade_ticks: bool = False) -> None:
        """The box shown; ``decade_ticks`` puts a tick at every power of ten."""
        set_limits(self.x_scale, *n_range)
        set_limits(self.y_scale, *d_range)
        if decade_ticks:
            for axis, (lo, hi) in zip(self.figure.axes, (n_range, d_range), strict=True):
                update(axis, tick_values=_decade_ticks(lo, hi))

    def set_lines(self, x_rows, y_rows, label_x, label_y, texts) -> None:
        """The dashed lines (one row each) and their labels; unchanged lines send nothing."""
        x = np.array(x_rows) if len(x_rows) else np.zeros((0, 0))
        y = np.array(y_rows) if len(y_rows) else np.zeros((0, 0))
        update(self.lines, x=x, y=y)
        update(self.line_labels, x=np.asarray(label_x, dtype=float),
               y=np.asarray(label_y, dtype=float), text=list(texts))


class IsoFlopChart(Chart):
    """Loss against model size at one compute budget: each law's curve, optimum and your model.

    Laws that give only an allocation (no loss surface) appear as a vertical rule at their
    N_opt. The curves are named in the right margin; the key under the figure says the rest.
    """

    def __init__(self, title, x_label="N, parameters (D = C / 6N)",
                 height=FIGURE_HEIGHT["plane"]):
        super().__init__(title, log_scale(1e9, 1e12), linear_scale(1.5, 3.0), x_label,
                         "loss, nats/token", height=height, end_labels=True)
        sc = self.scales
        self.curves = bq.Lines(scales=sc, stroke_width=2.5)
        self.optima = bq.Scatter(scales=sc, marker="circle", default_size=60,
                                 colors=["#000000"], labels=["optimum"], display_legend=True,
                                 tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".4f"],
                                                    labels=["N_opt", "loss"]))
        self.yours = bq.Scatter(scales=sc, marker="diamond", default_size=120,
                                colors=["#D55E00"], labels=["your model size"],
                                display_legend=True,
                                tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".4f"],
                                                   labels=["N", "loss"]))
        self.rules = bq.Lines(scales=sc, line_style="dash_dotted", stroke_width=1.5,
                              display_legend=True)
        self.names = end_label_mark(sc)
        self.add(self.curves, self.rules, self.optima, self.yours, self.names)
        self.figure.axes[1].tick_format = ".2f"

    def set_view(self, sizes, curves, colours, labels, short, optima, yours, rules) -> None:
        """Draw one budget's view.

        ``sizes`` (parameters) and ``curves`` (one row of loss per law with a surface, with its
        ``colours``, legend ``labels`` and direct-label ``short`` names); ``optima``:
        [(N, loss, colour)]; ``yours``: [(N, loss)]; ``rules``: [(N_opt, colour, label)] for laws without a
        loss surface.
        """
        lo, hi = float(sizes[0]), float(sizes[-1])
        values = [np.ravel(curves), [o[1] for o in optima], [y[1] for y in yours]]
        y_all = np.concatenate([np.asarray(v, dtype=float) for v in values]) if optima else [2, 3]
        y_min, y_max = float(np.min(y_all)), float(np.max(y_all))
        y_lo, y_hi = y_min - 0.02, y_max + 0.05 * (y_max - y_min) + 0.02
        set_limits(self.x_scale, lo, hi)
        update(self.figure.axes[0], tick_values=_decade_ticks(lo, hi))
        set_limits(self.y_scale, y_lo, y_hi)
        x = np.tile(sizes, (len(curves), 1))
        update(self.curves, colors=list(colours), labels=list(labels), x=x,
               y=np.asarray(curves))
        end_labels(self.names, x, np.asarray(curves), list(short), list(colours), self.y_scale)
        update(self.optima, x=np.array([o[0] for o in optima]),
               y=np.array([o[1] for o in optima]), colors=[o[2] for o in optima] or ["#000000"])
        update(self.yours, x=np.array([y[0] for y in yours]), y=np.array([y[1] for y in yours]))
        update(self.rules, colors=[r[1] for r in rules] or ["#000000"],
               labels=[r[2] for r in rules],
               x=np.array([[r[0]] * 2 for r in rules]).reshape(-1, 2),
               y=np.array([[y_lo, y_hi]] * len(rules)).reshape(-1, 2))
