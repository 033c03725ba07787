"""Notebook 05: pure power laws vs a law with a constant term, and what each predicts far out."""

from __future__ import annotations

import bqplot as bq
import numpy as np
from scipy.optimize import brentq

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LinearControl,
    LogControl,
    MultiChoiceControl,
    decade_cover,
    end_labels,
    linear_scale,
    log_scale,
    looks,
    make_figure,
)
from ..science import fitting, laws, papers
from ..science.units import si

#: key -> (label, loss as a function of c = log10 FLOPs, irreducible term E, colour)
CURVES = {
    "seed_kaplan": ("seed: Kaplan, 26.387 / 10^(0.05c)", laws.seed_kaplan_curve, 0.0, PALETTE[6]),
    "seed_chinchilla": ("seed: Chinchilla, 1.69 + 514.5/10^(0.156c) + 560.2/10^(0.1512c)",
                        laws.seed_chinchilla_curve, 1.69, PALETTE[0]),
    "eq4_printed": ("Eq 4, printed constants",
                    lambda c: laws.chinchilla_loss_compute(10.0**c, papers.HOFFMANN_2022),
                    papers.HOFFMANN_2022.E, PALETTE[5]),
    "eq4_exact": ("Eq 4, unrounded constants",
                  lambda c: laws.chinchilla_loss_compute(10.0**c, papers.HOFFMANN_2022_EXACT),
                  papers.HOFFMANN_2022_EXACT.E, PALETTE[2]),
    "epoch": ("Eq 4, Epoch AI refit",
              lambda c: laws.chinchilla_loss_compute(10.0**c, papers.BESIROGLU_2024),
              papers.BESIROGLU_2024.E, PALETTE[1]),
}
#: Legend labels (the menu shows the full formulas).
SHORT = {"seed_kaplan": "seed: Kaplan (pure power law)", "seed_chinchilla": "seed: Chinchilla",
         "eq4_printed": "Eq 4, printed", "eq4_exact": "Eq 4, unrounded", "epoch": "Epoch refit"}
#: Kaplan et al. 2020, Eq 6.8: the laws must break down near C* ~ 1e4 PF-days, L* ~ 1.7 nats.
KAPLAN_WARNING = (1e4 * papers.PF_DAY_FLOPS, 1.7)
EXTRAPOLATE = (1e2, 1e4)  # how far past the fitted window Figure 3 predicts


def curve_gap_crossings(key_a: str, key_b: str, gap: float = 0.0, lo: float = 10.0,
                        hi: float = 50.0) -> list[float]:
    """Every c (log10 FLOPs) in [lo, hi] where curve a − curve b = ``gap`` nats.

    Sign changes on a fine grid, each refined with Brent's method.
    """
    f = lambda c: CURVES[key_a][1](c) - CURVES[key_b][1](c) - gap  # noqa: E731
    grid = np.linspace(lo, hi, 801)
    values = np.asarray(f(grid), dtype=float)  # the laws are vectorised: one call, not 801
    roots = []
    for i in np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0)[0]:
        root = (float(grid[i]) if values[i] == 0
                else brentq(lambda c: float(f(c)), grid[i], grid[i + 1], xtol=1e-12))
        if not roots or abs(root - roots[-1]) > 1e-6:
            roots.append(float(root))
    return roots


def simulate_window(state) -> tuple[np.ndarray, np.ndarray]:
    """SIMULATED noisy losses from Eq 4 (unrounded) over the chosen window of compute."""
    rng = np.random.default_rng(int(state["seed"]))
    c = np.linspace(state["window_lo"], state["window_hi"], 24)
    loss = CURVES["eq4_exact"][1](c) + state["noise"] * rng.standard_normal(c.size)
    return 10.0**c, np.maximum(loss, 1e-3)


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
            LinearControl("seed", "random seed", "", 0, (0, 50), (0, 1e9), step=1, integer=True),
        ]
        # Figure 1: the laws against compute.
        self.c_scale = log_scale(1e18, 1e35)
        self.y_log, self.y_lin = log_scale(1.0, 10.0), linear_scale(0.0, 5.0)
        sc = {"x": self.c_scale, "y": self.y_log}
        self.curves = bq.Lines(scales=sc, stroke_width=2.5, display_legend=True)
        self.crossings = bq.Scatter(scales=sc, colors=["#000000"], marker="circle",
                                    default_size=50, labels=["where a curve crosses Kaplan's"],
                                    display_legend=True,
                                    tooltip=bq.Tooltip(fields=["x", "y"],
                                                       formats=[".3~e", ".3f"],
                                                       labels=["C (FLOPs)", "loss"]))
        self.curve_names = bq.Label(scales=sc, default_size=11, align="end", y_offset=-5)
        self.warning = bq.Scatter(x=[KAPLAN_WARNING[0]], y=[KAPLAN_WARNING[1]], scales=sc,
                                  colors=[PALETTE[4]], marker="cross", default_size=140,
                                  labels=["Kaplan Eq 6.8: laws must break near here"],
                                  display_legend=True)
        self.fig1 = make_figure("Loss against compute, extrapolated", self.c_scale, self.y_log,
                                "C, FLOPs", "loss, nats/token",
                                [self.curves, self.crossings, self.warning, self.curve_names],
                                height="400px")
        self.fig1.legend_location = "bottom-left"
        # Figure 2: Henighan's form, total and reducible, on log–log axes.
        self.h_x, self.h_y = log_scale(1e15, 1e35), log_scale(1e-3, 10.0)
        hs = {"x": self.h_x, "y": self.h_y}
        self.henighan = bq.Lines(scales=hs, colors=[PALETTE[0], PALETTE[1]],
                                 stroke_width=2.5, labels=["total L = L_∞ + (x0/x)^α",
                                                           "reducible L − L_∞"],
                                 display_legend=True)
        self.floor = bq.Lines(scales=hs, colors=["#888888"], line_style="dotted",
                              labels=["L_∞"], display_legend=True)
        fig2 = make_figure("Henighan et al. 2020 form (illustrative constants)", self.h_x,
                           self.h_y, "x: compute, FLOPs", "loss, nats", [self.henighan, self.floor])
        fig2.legend_location = "bottom-left"
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
                                   tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".3f"],
                                                      labels=["C", "predicted loss"]))
        fig3 = make_figure("What a pure power law sees: SIMULATED data, extrapolated 100× and 10⁴×",
                           self.w_x, self.w_y, "C, FLOPs", "loss, nats/token",
                           [self.points, self.truth, self.fits, self.marks_at], height="380px")
        fig3.axes[1].tick_format = ".2f"
        fig3.legend_location = "top-right"
        self.fit_table = looks.html()
        self._setup("Constant terms and asymptotes: Kaplan vs Chinchilla vs Henighan", controls,
                    [self.fig1, fig2, fig3], readouts=looks.html(), extra=[self.fit_table],
                    formula_html=_FORMULAS)

    # ------------------------------------------------------------------ model
    def check(self, state):
        if state["c_lo"] >= state["c_hi"]:
            raise ValueError(f"the compute range is inverted: from c = {state['c_lo']:g} to "
                             f"c = {state['c_hi']:g}; 'from' must be below 'to'")
        if state["window_hi"] - state["window_lo"] < 0.5:
            raise ValueError("the fit window must span at least half a decade of compute, "
                             f"with 'from' below 'to' (got {state['window_lo']:g} to "
                             f"{state['window_hi']:g})")

    def fits_in_window(self, state):
        """(x, y, pure power-law fit, power law + constant fit) for the simulated window."""
        x, y = simulate_window(state)
        return x, y, fitting.fit_power_law(x, y), fitting.fit_power_law_with_constant(x, y)

    # ------------------------------------------------------------------ view
    def draw(self, state):
        self._draw_laws(state)
        # The other two figures depend on a few settings each: redrawn only when those change
        # (their window fits take most of a step's time otherwise).
        for part, keys in ((self._draw_henighan, ("alpha_h", "x0", "l_inf")),
                           (self._draw_window, ("window_lo", "window_hi", "noise", "seed"))):
            key = tuple(state[k] for k in keys)
            if self._drawn.get(part.__name__) != key:
                part(state)
                self._drawn[part.__name__] = key

    def _draw_laws(self, state):
        keys, reducible = state["curves"], state["view"] == "reducible"
        c = np.linspace(state["c_lo"], state["c_hi"], 200)
        rows = np.array([CURVES[k][1](c) - (CURVES[k][2] if reducible else 0.0) for k in keys])
        cross_x, cross_y = [], []
        if "seed_kaplan" in keys:
            for k in keys:
                if k == "seed_kaplan":
                    continue
                for at in curve_gap_crossings("seed_kaplan", k, 0.0, state["c_lo"], state["c_hi"]):
                    cross_x.append(10.0**at)
                    cross_y.append(float(CURVES["seed_kaplan"][1](at)))
        y_scale = self.y_log if state["y_axis"] == "log" else self.y_lin
        warn = [] if reducible else [KAPLAN_WARNING[1]]
        values = np.concatenate([rows.ravel(), cross_y, warn])
        lo, hi = float(values.min()), float(values.max())
        if state["y_axis"] == "log":
            y_scale.min, y_scale.max = lo / 1.1, hi * 1.1
        else:
            y_scale.min, y_scale.max = min(0.0, lo), hi * 1.05
        self.c_scale.min, self.c_scale.max = 10.0 ** state["c_lo"], 10.0 ** state["c_hi"]
        for mark in (self.curves, self.crossings, self.warning, self.curve_names):
            if mark.scales["y"] is not y_scale:
                mark.scales = {"x": self.c_scale, "y": y_scale}
        if self.fig1.axes[1].scale is not y_scale:
            self.fig1.axes[1].scale = y_scale
            self.fig1.axes[1].tick_format = ".2f" if y_scale is self.y_lin else ".2~r"
        self.curves.colors = [CURVES[k][3] for k in keys]
        self.curves.labels = [SHORT[k] for k in keys]
        self.curves.x, self.curves.y = np.tile(10.0**c, (len(keys), 1)), rows
        end_labels(self.curve_names, np.tile(10.0**c, (len(keys), 1)), rows,
                   [SHORT[k] for k in keys], [CURVES[k][3] for k in keys], y_scale)
        # Hidden (empty) where out of range, so no mark leaves its axis.
        self.crossings.x, self.crossings.y = np.array(cross_x), np.array(cross_y)
        inside = (not reducible and state["c_lo"] <= np.log10(KAPLAN_WARNING[0]) <= state["c_hi"])
        self.warning.x = [KAPLAN_WARNING[0]] if inside else []
        self.warning.y = [KAPLAN_WARNING[1]] if inside else []
        at27 = {k: float(CURVES[k][1](27.0)) for k in keys}
        self.readouts.value = (
            "At 1e27 FLOPs: " + "; ".join(f"{SHORT[k]} {v:.3f}"
                                          for k, v in at27.items())
            + " nats/token." + (" Kaplan's curve crosses the others at C = "
                                + ", ".join(si(x) for x in cross_x) + " FLOPs." if cross_x else "")
        )

    def _draw_henighan(self, state):
        x = np.logspace(15, 35, 120)
        reducible = np.exp(state["alpha_h"] * (np.log(state["x0"]) - np.log(x)))
        total = state["l_inf"] + reducible
        values = [reducible, total, [state["l_inf"]] if state["l_inf"] > 0 else []]
        self.h_y.min, self.h_y.max = decade_cover(values, (values[0].min(), values[1].max()))
        self.henighan.x, self.henighan.y = np.tile(x, (2, 1)), np.array([total, reducible])
        if state["l_inf"] > 0:
            self.floor.x, self.floor.y = [x[0], x[-1]], [state["l_inf"]] * 2
        else:  # L_∞ = 0 has no place on a log axis: hide the floor
            self.floor.x, self.floor.y = [], []

    def _draw_window(self, state):
        x, y, pure, const = self.fits_in_window(state)
        far = x[-1] * EXTRAPOLATE[1]
        grid = np.logspace(np.log10(x[0]), np.log10(far), 150)
        truth = CURVES["eq4_exact"][1](np.log10(grid))
        at = x[-1] * np.array(EXTRAPOLATE)
        preds = np.array([pure.predict(at), const.predict(at)])
        fit_rows = np.array([pure.predict(grid), const.predict(grid)])
        values = np.concatenate([y, truth, fit_rows.ravel()])
        self.w_x.min, self.w_x.max = float(grid[0] / 2), float(grid[-1] * 2)
        self.w_y.min, self.w_y.max = float(values.min() - 0.05), float(values.max() + 0.05)
        self.points.x, self.points.y = x, y
        self.truth.x, self.truth.y = grid, truth
        self.fits.x, self.fits.y = np.tile(grid, (2, 1)), fit_rows
        self.marks_at.x = np.concatenate([at, at])
        self.marks_at.y = np.array([preds[0][0], preds[1][0], preds[0][1], preds[1][1]])
        self.marks_at.colors = [PALETTE[6], PALETTE[1], PALETTE[6], PALETTE[1]]
        true_at = CURVES["eq4_exact"][1](np.log10(at))
        rows = "".join(
            f"<tr><td>{name}</td><td>{fit.E:.3f}</td><td>{fit.b:.4f}</td>"
            + "".join(f"<td>{p - t:+.3f}</td>" for p, t in zip(pred, true_at, strict=True))
            + "</tr>"
            for name, fit, pred in (("pure power law", pure, preds[0]),
                                    ("power law + constant", const, preds[1])))
        self.fit_table.value = (
            "<b>SIMULATED</b> data fitted in the window, then extrapolated: error against the "
            "true law (nats)<table class='sll-table'><tr><th>fit</th><th>E</th><th>exponent</th>"
            f"<th>at 100× ({si(at[0])})</th><th>at 10⁴× ({si(at[1])})</th></tr>{rows}</table>"
        )


_FORMULAS = (
    "<p><b>Kaplan</b> (Eq 1.3): L = (C_c/C_min)^0.050 with C_c = 3.1e8 PF-days = 2.6784e28 "
    "FLOPs; the seed writes it as L(c) = 26.387/10^(0.05c), c = log10 FLOPs, since "
    "(2.6784e28)^0.05 = 26.387. Nats per token on WebText2, non-embedding compute. The seed "
    "reads c as C_min; a run at the critical batch size spends C = 2·C_min (Eq 5.5, §5.1), "
    "which would put this curve 2^0.05 = 3.5% higher. Drawn as the seed wrote it.</p>"
    "<p><b>Chinchilla</b> (Eq 2 on the Eq 4 allocation): L = E + A/N_opt^α + B/D_opt^β. The seed's "
    "numbers follow (our inference; the seed does not say) from N_opt ≈ 0.5·C^0.46, "
    "D_opt ≈ 0.33·C^0.54 with the printed constants: "
    "406.4/0.5^0.34 = 514.5, 410.7/0.33^0.28 = 560.2, 0.34·0.46 ≈ 0.156, 0.28·0.54 = 0.1512. "
    "Eq 4 itself gives 1.69 + 483.8/10^(0.1535c) + 587.5/10^(0.1535c).</p>"
    "<p><b>Henighan et al. 2020</b>: L(x) = L_∞ + (x0/x)^α; L_∞ estimates the entropy of the "
    "data, the power-law term the reducible loss. Constants here are illustrative, not the "
    "paper's per-modality fits.</p><p><b>Kaplan Eq 6.8</b>: the laws must break down near "
    "C* ~ 1e4 PF-days, L* ~ 1.7 nats/token.</p>"
)
