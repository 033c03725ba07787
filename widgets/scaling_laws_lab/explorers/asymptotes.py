"""Notebook 05: pure power laws vs a law with a constant term, and what each predicts far out."""

from __future__ import annotations

import bqplot as bq
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LinearControl,
    LogControl,
    MultiChoiceControl,
    attach_more,
    decade_cover,
    end_label_mark,
    end_labels,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    one_two_five_ticks,
    seed_control,
    set_limits,
    update,
)
from ..science import asymptotes
from ..science.units import si

CURVES = asymptotes.CURVES
#: Colour per curve.
# Chinchilla's law (Eq 2 on the Eq 4 allocation, printed constants) lies within 0.05 nats of the
# post's Chinchilla curve and covers it; notebook 05 says so. A hue far from its blue.
COLOURS = {"seed_kaplan": PALETTE[6], "seed_chinchilla": PALETTE[0], "eq4_printed": PALETTE[3],
           "eq4_exact": PALETTE[2], "epoch": PALETTE[1]}
#: Key labels (the menu shows the full formulas). "post": the LessWrong post *A Quick Note on
#: AI Scaling Asymptotes*, whose two curves were rescaled by hand.
SHORT = {"seed_kaplan": "post: Kaplan (pure power law)", "seed_chinchilla": "post: Chinchilla",
         "eq4_printed": "Chinchilla law (paper's constants)",
         "eq4_exact": "Chinchilla law (full-precision fit)", "epoch": "Chinchilla law (Epoch refit)"}
#: Names at the lines' right ends (the figure's margin holds 16 characters).
END = {"seed_kaplan": "post Kaplan", "seed_chinchilla": "post Chinchilla",
       "eq4_printed": "Chinchilla law", "eq4_exact": "Chinchilla full", "epoch": "Epoch refit"}
KAPLAN_WARNING = asymptotes.KAPLAN_WARNING


class AsymptoteExplorer(Explorer):
    """Kaplan's pure power law vs Chinchilla's law with a constant; Henighan's form; what fits see."""

    app = "apps/05_asymptotes.ipynb"
    examples = (
        {"c_lo": 20.0, "c_hi": 30.0},
        {"curves": ["seed_kaplan", "eq4_exact"]},
        {"view": "reducible"},
        {"l_inf": 0.5},
        {"window_hi": 24.0},
        {"noise": 0.05},
    )
    extremes = ({"c_lo": 10.0, "c_hi": 50.0}, {"window_lo": 10.0, "window_hi": 50.0},
                {"x0": 1e40, "alpha_h": 2.0}, {"x0": 1e-10, "alpha_h": 2.0}, {"noise": 10.0},
                {"l_inf": 0.0}, {"y_axis": "linear", "view": "reducible"})

    def __init__(self):
        super().__init__()
        self._drawn = {}  # figure part -> the settings it was last drawn for
        controls = [
            LinearControl("c_lo", "from c = log10 FLOPs", "", 18.0, (10, 50), (10.0, 50.0),
                          step=0.5),
            LinearControl("c_hi", "to c = log10 FLOPs", "", 35.0, (10, 50), (10.0, 50.0),
                          step=0.5),
            MultiChoiceControl("curves", "Curves", {k: v[0] for k, v in CURVES.items()},
                               ["seed_kaplan", "seed_chinchilla", "eq4_printed"]),
            ChoiceControl("y_axis", "Loss axis", {"log": "log (log–log plot)",
                                                  "linear": "linear"}, "log"),
            ChoiceControl("view", "Show", {"total": "total loss L",
                                           "reducible": "reducible loss L − E"}, "total"),
            LinearControl("l_inf", "Henighan: L_∞", "nats", 1.7, (0, 5), (0.0, 100.0), step=0.05),
            # Bounded so that (x0/x)^α stays inside float range over the plotted 1e15-1e35.
            LogControl("x0", "Henighan: x0", "FLOPs", 1e18, (1e10, 1e30), (1e-10, 1e40)),
            LinearControl("alpha_h", "Henighan: α", "", 0.15, (0.01, 1.0), (1e-3, 2.0),
                          step=0.005),
            LinearControl("window_lo", "fit window from c", "", 18.0, (10, 50), (10.0, 50.0),
                          step=0.25),
            LinearControl("window_hi", "fit window to c", "", 22.0, (10, 50), (10.0, 50.0),
                          step=0.25),
            LinearControl("noise", "noise (nats, sd)", "nats", 0.01, (0, 0.2), (0.0, 10.0),
                          step=0.002),
            seed_control(),
        ]
        # Figure 1: the laws against compute.
        self.c_scale = log_scale(1e18, 1e35)
        self.y_log, self.y_lin = log_scale(1.0, 10.0), linear_scale(0.0, 5.0)
        sc = {"x": self.c_scale, "y": self.y_log}
        self.curves = bq.Lines(scales=sc, stroke_width=2.5, display_legend=True)
        self.crossings = bq.Scatter(scales=sc, colors=["#000000"], marker="circle",
                                    default_size=50,
                                    labels=["where Kaplan's crosses another curve (ILLUSTRATIVE)"],
                                    display_legend=True,
                                    tooltip=bq.Tooltip(fields=["x", "y"],
                                                       formats=[".3~e", ".3f"],
                                                       labels=["C (FLOPs)", "loss"]))
        self.curve_names = end_label_mark(sc)
        self.warning = bq.Scatter(x=[KAPLAN_WARNING[0]], y=[KAPLAN_WARNING[1]], scales=sc,
                                  colors=[PALETTE[4]], marker="triangle-up", default_size=110,
                                  labels=["Kaplan Eq 6.8: laws must break near here"],
                                  display_legend=True)
        self.fig1 = make_figure("Loss against compute, extrapolated", self.c_scale, self.y_log,
                                "C, FLOPs", "loss, nats/token",
                                [self.curves, self.crossings, self.warning, self.curve_names],
                                end_labels=True)
        # Plain numbers on the log loss axis (the kit's default ".0e" printed "3e+0").
        self.fig1.axes[1].tick_format = ".2~r"
        # Figure 2: Henighan's form, total and reducible, on log–log axes.
        self.h_x, self.h_y = log_scale(1e15, 1e35), log_scale(1e-3, 10.0)
        hs = {"x": self.h_x, "y": self.h_y}
        self.henighan = bq.Lines(scales=hs, colors=[PALETTE[0], PALETTE[1]],
                                 stroke_width=2.5, labels=["total L = L_∞ + (x0/x)^α",
                                                           "reducible L − L_∞"],
                                 display_legend=True)
        self.floor = bq.Lines(scales=hs, colors=["#888888"], line_style="dotted",
                              labels=["L_∞"], display_legend=True)
        fig2 = make_figure("Henighan et al. 2020 form (ILLUSTRATIVE constants)", self.h_x,
                           self.h_y, "x: compute, FLOPs", "loss, nats", [self.henighan, self.floor])
        fig2.axes[1].tick_format = ".2~g"  # 0.005, 2, 10: not "5e-3", "2e+0", "1e+1"
        # Figure 3: what a pure power law sees in a window.
        self.w_x, self.w_y = log_scale(1e17, 1e27), linear_scale(1.5, 3.0)
        ws = {"x": self.w_x, "y": self.w_y}
        self.points = bq.Scatter(scales=ws, colors=["#555555"], default_size=25,
                                 labels=["SIMULATED runs (Eq 4 + noise)"], display_legend=True)
        self.truth = bq.Lines(scales=ws, colors=[PALETTE[2]], line_style="dashed",
                              labels=["true law (Eq 4, unrounded)"], display_legend=True)
        self.fits = bq.Lines(scales=ws, colors=[PALETTE[6], PALETTE[1]], stroke_width=2,
                             labels=["pure power law fit", "power law + constant fit"],
                             display_legend=True)
        self.marks_at = bq.Scatter(scales=ws, colors=[PALETTE[6], PALETTE[1]] * 2,
                                   marker="diamond", default_size=80,
                                   # Named in the key, their values in the table below: on
                                   # a projector nobody can hover for them.
                                   labels=["each fit's forecast at 100× and 10⁴× (table below)"],
                                   display_legend=True,
                                   tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".3f"],
                                                      labels=["C", "predicted loss"]))
        fig3 = make_figure("What a pure power law sees: SIMULATED data, extrapolated 100× and 10⁴×",
                           self.w_x, self.w_y, "C, FLOPs", "loss, nats/token",
                           [self.points, self.truth, self.fits, self.marks_at])
        fig3.axes[1].tick_format = ".2f"
        self.fit_table = looks.html()
        self.more_readouts = looks.html()
        self._setup("Constant terms and asymptotes: Kaplan vs Chinchilla vs Henighan", controls,
                    [self.fig1, fig2, fig3], readouts=looks.html(), extra=[self.fit_table],
                    formula_html=_FORMULAS, primary=("c_lo", "c_hi"))
        attach_more(self, self.more_readouts, "More: every curve at 1e27, the crossings")

    # ------------------------------------------------------------------ model
    def check(self, state):
        asymptotes.check_ranges(state)

    compute = staticmethod(asymptotes.asymptotes)

    # ------------------------------------------------------------------ view
    def draw(self, state):
        # Each figure's numbers come from its own science function, computed only when its own
        # settings change (the window fits took most of a step's time otherwise).
        self._render_laws(asymptotes.law_curves(state), state)
        for compute, render, keys in (
                (asymptotes.henighan_curves, self._render_henighan, asymptotes.HENIGHAN_KEYS),
                (asymptotes.window_fits, self._render_window, asymptotes.WINDOW_KEYS)):
            key = tuple(state[k] for k in keys)
            if self._drawn.get(render.__name__) != key:
                render(compute(state))
                self._drawn[render.__name__] = key

    def render(self, result: asymptotes.Asymptotes, state):
        self._render_laws(result.laws, state)
        self._render_henighan(result.henighan)
        self._render_window(result.window)

    def _render_laws(self, k: asymptotes.LawCurves, state):
        keys, reducible = list(k.keys), state["view"] == "reducible"
        rows = k.rows
        y_scale = self.y_log if state["y_axis"] == "log" else self.y_lin
        warn = [] if reducible else [KAPLAN_WARNING[1]]
        values = np.concatenate([rows.ravel(), k.cross_loss, warn])
        lo, hi = float(values.min()), float(values.max())
        if state["y_axis"] == "log":
            y_scale.min, y_scale.max = lo / 1.1, hi * 1.1
        else:
            y_scale.min, y_scale.max = min(0.0, lo), hi * 1.05
        set_limits(self.c_scale, k.flops[0], k.flops[-1])
        for mark in (self.curves, self.crossings, self.warning, self.curve_names):
            if mark.scales["y"] is not y_scale:
                mark.scales = {"x": self.c_scale, "y": y_scale}
        if self.fig1.axes[1].scale is not y_scale:
            self.fig1.axes[1].scale = y_scale
            self.fig1.axes[1].tick_format = ".2f" if y_scale is self.y_lin else ".2~r"
        # On the log axis, ticks at 1, 2, 5 × 10^k: bqplot's own put nine a decade, and
        # "1, 0.9, 0.8, 0.7" ran into each other (and a room cannot read them).
        update(self.fig1.axes[1], tick_values=(
            one_two_five_ticks(y_scale.min, y_scale.max) if state["y_axis"] == "log" else None))
        colours = [COLOURS[key] for key in keys]
        self.curves.colors = colours
        self.curves.labels = [SHORT[key] for key in keys]
        x = np.tile(k.flops, (len(keys), 1))
        self.curves.x, self.curves.y = x, rows
        end_labels(self.curve_names, x, rows, [END[key] for key in keys], colours, y_scale)
        # Hidden (empty) where out of range, so no mark leaves its axis.
        self.crossings.x, self.crossings.y = k.cross_flops, k.cross_loss
        self.warning.x = [KAPLAN_WARNING[0]] if k.warning_inside else []
        self.warning.y = [KAPLAN_WARNING[1]] if k.warning_inside else []
        # Three short lines: what each shape predicts far out, and what not to compare.
        floors = [key for key in keys if CURVES[key][2] > 0]
        far = k.at_1e27
        # At most two curves here (Kaplan's and the first with a floor); all of them in "More".
        shown = ([key for key in keys if key == "seed_kaplan"] + floors)[:2] or list(keys)[:2]
        values = " vs ".join(f"{END[key]} {far[key]:.2f}" for key in shown)
        es = sorted({round(CURVES[key][2], 2) for key in floors})
        shape = []
        if "seed_kaplan" in keys:
            shape.append("Kaplan's never levels off")
        if es:
            shape.append(("the others at" if shape else "Each levels off at")
                         + " E = " + "–".join(f"{e:.2f}" for e in (es[0], es[-1])[:len(es)]))
        self.readouts.value = (
            f"At 1e27 FLOPs: {values} nats/token.<br>"
            + ("; ".join(shape) + ".<br>" if shape else "")
            + "Compare shapes, not losses: different data and tokenizers."
        )
        self.more_readouts.value = (
            "At 1e27 FLOPs: " + "; ".join(f"{SHORT[key]} {v:.3f}" for key, v in far.items())
            + " nats/token." + (" The post's Kaplan curve crosses the others at C = "
                                + ", ".join(si(x) for x in k.cross_flops) + " FLOPs: "
                                "illustrative, since the post rescaled its curves by hand."
                                if k.cross_flops.size else "")
        )

    def _render_henighan(self, h: asymptotes.Henighan):
        values = [h.reducible, h.total, [h.l_inf] if h.l_inf > 0 else []]
        self.h_y.min, self.h_y.max = decade_cover(values, (values[0].min(), values[1].max()))
        self.henighan.x, self.henighan.y = np.tile(h.x, (2, 1)), np.array([h.total, h.reducible])
        if h.l_inf > 0:
            self.floor.x, self.floor.y = [h.x[0], h.x[-1]], [h.l_inf] * 2
        else:  # L_∞ = 0 has no place on a log axis: hide the floor
            self.floor.x, self.floor.y = [], []

    def _render_window(self, w: asymptotes.WindowFits):
        preds, at = w.predictions, w.at
        values = np.concatenate([w.y, w.truth, w.fit_rows.ravel()])
        self.w_x.min, self.w_x.max = float(w.grid[0] / 2), float(w.grid[-1] * 2)
        self.w_y.min, self.w_y.max = float(values.min() - 0.05), float(values.max() + 0.05)
        self.points.x, self.points.y = w.x, w.y
        self.truth.x, self.truth.y = w.grid, w.truth
        self.fits.x, self.fits.y = np.tile(w.grid, (2, 1)), w.fit_rows
        # Both fits at 100×, then both at 10⁴×: x in the same order as y and the colours (each
        # diamond on its own fit's line; a concatenation put two of them at the other budget).
        self.marks_at.x = np.repeat(at, 2)
        self.marks_at.y = np.array([preds[0][0], preds[1][0], preds[0][1], preds[1][1]])
        self.marks_at.colors = [PALETTE[6], PALETTE[1], PALETTE[6], PALETTE[1]]
        rows = "".join(
            f"<tr><td>{name}</td><td>{fit.E:.3f}</td><td>{fit.b:.4f}</td>"
            + "".join(f"<td>{p - t:+.3f}</td>" for p, t in zip(pred, w.truth_at, strict=True))
            + "</tr>"
            for name, fit, pred in (("pure power law", w.pure, preds[0]),
                                    ("power law + constant", w.const, preds[1])))
        self.fit_table.value = (
            "<b>SIMULATED</b> data fitted in the window, then extrapolated: error against the "
            "true law (nats)<table class='sll-table'><tr><th>fit</th><th>E</th><th>exponent</th>"
            f"<th>at 100× ({si(at[0])})</th><th>at 10⁴× ({si(at[1])})</th></tr>{rows}</table>"
        )


_FORMULAS = (
    "<p><b>Kaplan</b> (Eq 1.3): L = (C_c/C_min)^0.050 with C_c = 3.1e8 PF-days = 2.6784e28 "
    "FLOPs; the LessWrong post <i>A Quick Note on AI Scaling Asymptotes</i> writes it as "
    "L(c) = 26.387/10^(0.05c), c = log10 FLOPs, since (2.6784e28)^0.05 = 26.387. Nats per "
    "token on WebText2, non-embedding compute. The post reads c as C_min; a run at the "
    "critical batch size spends C = 2·C_min (Eq 5.5, §5.1), which would put this curve "
    "2^0.05 = 3.5% higher. Drawn as the post wrote it.</p>"
    "<p><b>Chinchilla</b> (Eq 2 on the Eq 4 allocation): L = E + A/N_opt^α + B/D_opt^β. "
    "The post's numbers follow (our inference; the post does not say) from N_opt ≈ 0.5·C^0.46, "
    "D_opt ≈ 0.33·C^0.54 with the printed constants: "
    "406.4/0.5^0.34 = 514.5, 410.7/0.33^0.28 = 560.2, 0.34·0.46 ≈ 0.156, 0.28·0.54 = 0.1512. "
    "Eq 4 itself gives 1.69 + 483.8/10^(0.1535c) + 587.5/10^(0.1535c). The post rescaled "
    "its curves by hand ('I juggled a few terms around'), and the two papers' data and "
    "tokenizers differ: only the shapes compare.</p>"
    "<p><b>Henighan et al. 2020</b>: L(x) = L_∞ + (x0/x)^α; L_∞ estimates the entropy of the "
    "data, the power-law term the reducible loss. Constants here are illustrative, not the "
    "paper's per-modality fits.</p><p><b>Kaplan Eq 6.8</b>: the laws must break down near "
    "C* ~ 1e4 PF-days, L* ~ 1.7 nats/token.</p>"
)
