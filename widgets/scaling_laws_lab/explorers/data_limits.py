"""Notebook 09: when there is not enough data, repeat it (Muennighoff et al. 2023)."""

from __future__ import annotations

import bqplot as bq
import numpy as np

from ..kit import (
    PALETTE,
    Explorer,
    LogControl,
    attach_more,
    fit_scale,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    pad_rows,
    set_limits,
    update,
)
from ..science import data_constrained as dc
from ..science.grids import decade_ticks
from ..science.units import si


class DataLimitsExplorer(Explorer):
    """Repeated tokens as effective data; the best number of epochs; the allocation when unique
    data run out.

    Figures: D′ against epochs (with the "all fresh" line and the ceiling U_D(1 + R*_D));
    loss against epochs at a fixed budget; the best N and D against compute with and
    without a data limit.
    """

    app = "apps/09_data_limits.ipynb"
    examples = (
        {"epochs": 40.0},
        {"unique_tokens": 1e13, "flops": 1e27},
        {"flops": 1e24},
        {"unique_tokens": 1e9},
    )
    extremes = ({"unique_tokens": 1e40, "epochs": 1.0, "flops": 1e40},
                {"unique_tokens": 1.0, "epochs": 1e6, "flops": 1e12})

    def __init__(self, unique_tokens: float = 1e11, epochs: float = 4.0, flops: float = 1e22):
        super().__init__()
        controls = [
            LogControl("epochs", "Epochs", "", epochs, (1.0, 1000.0),
                       (1.0, 1e9), step=0.02, readout=lambda v: f"{v:.3g} epochs"),
            LogControl("unique_tokens", "Unique tokens, U_D", "tokens", unique_tokens,
                       (1e9, 1e15), (1.0, 1e40), step=0.05),
            LogControl("flops", "Compute budget, C", "FLOPs", flops, (1e18, 1e28), (1e12, 1e40),
                       step=0.05),
        ]
        # Figure 1: effective data against epochs.
        self.e_scale, self.d_scale = log_scale(1.0, 100.0), log_scale(1e9, 1e15)
        sc = {"x": self.e_scale, "y": self.d_scale}
        self.data = bq.Lines(scales=sc, stroke_width=2.5, colors=[PALETTE[0], "#888888"],
                             line_style="solid", display_legend=True,
                             labels=["effective data D′ (Eq 5)", "if every token were fresh"])
        self.ceiling = bq.Lines(scales=sc, colors=[PALETTE[6]], line_style="dashed",
                                labels=["ceiling U_D·(1 + R*_D)"], display_legend=True)
        self.yours = bq.Scatter(scales=sc, colors=[PALETTE[1]], marker="diamond",
                                default_size=120, labels=["your epochs"], display_legend=True)
        fig1 = make_figure("Repeated tokens are worth less and less", self.e_scale,
                           self.d_scale, "epochs", "tokens", [self.data, self.ceiling, self.yours])
        self.d_axis = fig1.axes[1]
        # Figure 2: loss against epochs at budget C.
        self.e2_scale, self.l_scale = log_scale(1.0, 100.0), linear_scale(2.0, 4.0)
        sc2 = {"x": self.e2_scale, "y": self.l_scale}
        self.losses = bq.Lines(scales=sc2, stroke_width=2.5, colors=[PALETTE[0], "#888888"],
                               line_style="solid", display_legend=True,
                               labels=["repeating U_D", "the same count, all fresh"])
        self.best = bq.Scatter(scales=sc2, colors=["#000000"], marker="circle",
                               default_size=80, labels=["best number of epochs"],
                               display_legend=True)
        self.yours2 = bq.Scatter(scales=sc2, colors=[PALETTE[1]], marker="diamond",
                                 default_size=120, labels=["your epochs"], display_legend=True)
        fig2 = make_figure("At your budget: loss against epochs (model = C / 6D)",
                           self.e2_scale, self.l_scale, "epochs", "loss, nats/token",
                           [self.losses, self.best, self.yours2])
        # Figure 3: allocation against compute.
        self.c_scale, self.nd_scale = log_scale(*dc.FLOPS_RANGE), log_scale(1e8, 1e15)
        sc3 = {"x": self.c_scale, "y": self.nd_scale}
        self.n_lines = bq.Lines(scales=sc3, stroke_width=2.5, colors=[PALETTE[0], "#888888"],
                                display_legend=True, line_style="solid",
                                labels=["N, only U_D unique tokens", "N, unlimited fresh data"])
        self.d_lines = bq.Lines(scales=sc3, stroke_width=2, colors=[PALETTE[0], "#888888"],
                                line_style="dashed", display_legend=True,
                                labels=["D (dashed), only U_D unique", "D, unlimited"])
        self.u_rule = bq.Lines(scales=sc3, colors=[PALETTE[6]], line_style="dotted",
                               labels=["U_D"], display_legend=True)
        self.c_rule = bq.Lines(scales=sc3, colors=[PALETTE[1]], line_style="dotted",
                               labels=["your budget"], display_legend=True)
        fig3 = make_figure("Best model and data against compute, with and without a data limit",
                           self.c_scale, self.nd_scale, "C, FLOPs",
                           "parameters (solid) / tokens (dashed)",
                           [self.n_lines, self.d_lines, self.u_rule, self.c_rule])
        self.more_numbers = looks.html()
        self._setup("Running out of data: how much is a repeated token worth?", controls,
                    [fig1, fig2, fig3], readouts=looks.html(), formula_html=_FORMULAS,
                    primary=("epochs", "unique_tokens", "flops"))
        attach_more(self, self.more_numbers)

    compute = staticmethod(dc.data_limits)

    def render(self, k: dc.DataLimits, state):
        e = k.epochs_grid
        set_limits(self.e_scale, 1.0, e[-1])
        set_limits(self.e2_scale, 1.0, e[-1])
        fit_scale(self.d_scale, [k.effective, k.fresh, [k.ceiling]], (1e9, 1e15))
        # One tick per decade: bqplot's own log ticks crowd a few decades with labels.
        update(self.d_axis, tick_values=decade_ticks(self.d_scale.min, self.d_scale.max))
        update(self.data, x=np.tile(e, (2, 1)), y=np.vstack([k.effective, k.fresh]))
        update(self.ceiling, x=[1.0, e[-1]], y=[k.ceiling, k.ceiling])
        update(self.yours, x=[k.epochs], y=[k.effective_tokens])
        both = np.concatenate([k.loss_repeated, k.loss_fresh])
        lo, hi = float(both.min()), float(np.percentile(both, 90))
        pad = max(0.05, 0.1 * (hi - lo))
        set_limits(self.l_scale, round(lo - pad, 2), round(max(hi, k.chosen_loss) + pad, 2))
        # Many epochs make the model tiny and its loss leaves the top of the axis: draw each
        # line up to there (clipping would draw a false plateau).
        top = self.l_scale.max
        rows = [(e[v <= top], v[v <= top]) for v in (k.loss_repeated, k.loss_fresh)]
        update(self.losses, x=pad_rows([r[0] for r in rows]), y=pad_rows([r[1] for r in rows]))
        update(self.best, x=[k.best_epochs], y=[k.best_loss])
        update(self.yours2, x=[k.epochs], y=[min(k.chosen_loss, self.l_scale.max)])
        set_limits(self.c_scale, k.c_grid[0], k.c_grid[-1])
        fit_scale(self.nd_scale, [k.n_limited, k.d_limited, k.n_free, k.d_free,
                                  [k.unique_tokens]], (1e8, 1e15))
        x = np.tile(k.c_grid, (2, 1))
        update(self.n_lines, x=x, y=np.vstack([k.n_limited, k.n_free]))
        update(self.d_lines, x=x, y=np.vstack([k.d_limited, k.d_free]))
        update(self.u_rule, x=[k.c_grid[0], k.c_grid[-1]], y=[k.unique_tokens] * 2)
        update(self.c_rule, x=[k.flops] * 2, y=[self.nd_scale.min, self.nd_scale.max])
        # Two worths, kept apart: the average over every token seen, and the last pass's.
        self.readouts.value = (
            f"<b>{k.epochs:.3g} epochs</b> of {si(k.unique_tokens)} unique tokens: worth "
            f"<b>{si(k.effective_tokens)}</b> fresh<br>Average token seen: {k.value_per_token:.0%}"
            f" of a fresh one; the last pass adds {k.last_pass_worth:.0%}<br>"
            f"Best number of epochs at {si(k.flops)} FLOPs: <b>{k.best_epochs:.3g}</b> (black dot)"
        )
        self.more_numbers.value = (
            f"<p>{si(k.unique_tokens * k.epochs)} tokens seen. Ceiling: {si(k.ceiling)} "
            f"effective tokens however long you train. At {si(k.flops)} FLOPs the model is "
            f"C/6D = {si(k.n_params)} parameters: loss <b>{k.chosen_loss:.3f}</b> against "
            f"{k.chosen_fresh_loss:.3f} with fresh data "
            f"(+{k.chosen_loss - k.chosen_fresh_loss:.3f} nats); at the best number of epochs, "
            f"{k.best_loss:.3f}.</p>"
        )


_FORMULAS = (
    "<p><b>Effective data</b> (Muennighoff et al. 2023, <i>Scaling Data-Constrained Language "
    "Models</i>, arXiv:2305.16264, Eq 5): with U_D unique tokens seen R_D = epochs − 1 extra "
    "times, D′ = U_D + U_D·R*_D·(1 − e^(−R_D/R*_D)). Parameters beyond the compute-optimal "
    "size for U_D decay the same way (R*_N). Then L = E + A/N′^α + B/D′^β (Eq 6).</p>"
    "<p><b>Constants</b> (C4; the authors' repository huggingface/datablations, README "
    "'Parametric Fit'): R*_D = 15.387756, R*_N = 5.309743, α = β = 0.3526596, ln A = 6.255414, "
    "ln B = 7.3049974, ln E = 0.6254804. The paper's abstract: up to 4 epochs of repeated "
    "data change the loss negligibly; with more, added compute is worth less and less.</p>"
    "<p><b>Two worths</b>: the <i>average</i> worth of a token seen is D′ / (U_D·epochs); the "
    "<i>marginal</i> worth of the k-th pass is (D′(k) − D′(k − 1)) / U_D, the rate "
    "e^(−R_D/R*_D) over that pass, 1/e at R_D = R*_D.</p>"
    "<p><b>Best split</b>: for each budget, the N (and D = C/6N) with the lowest loss, searched "
    "1/80 of a decade apart in D/N.</p>"
)
