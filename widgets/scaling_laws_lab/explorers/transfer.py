"""Notebook 04: the effective data pre-training is worth (Hernandez et al. 2021), and how to measure it."""

from __future__ import annotations

import html

import bqplot as bq
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LinearControl,
    LogControl,
    attach_more,
    decade_ticks,
    end_label_mark,
    end_labels,
    fit_scale,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    seed_control,
    set_limits,
    update,
)
from ..science import transfer
from ..science.units import si

_DISTRIBUTIONS = transfer.DISTRIBUTIONS
_DIST_LABELS = {"text": "text (Table 1)", "mix": "50% text + 50% code (Table 1)",
                "custom": "custom k, α, β"}
_DF_RANGE = transfer.DF_RANGE  # characters
_DT_RANGE = (1e3, 1e14)
_SIZES = transfer.SIZES  # parameters of the reference lines in Figure 1
ILLUSTRATIVE = transfer.ILLUSTRATIVE


class TransferExplorer(Explorer):
    """D_T = k·D_F^α·N^β: effective data, the multiplier, and data-vs-model trade-offs."""

    app = "apps/04_transfer.ipynb"
    examples = (
        {"n_params": 1e9},
        {"d_finetune": 1e8},
        {"pretrain": "mix"},
        {"pretrain": "custom", "k": 1e5, "alpha": 0.3, "beta": 0.5},
    )
    extremes = ({"n_params": 1e40, "d_finetune": 1e40}, {"n_params": 1.0, "d_finetune": 1.0})

    def __init__(self, n_params: float = 40e6, d_finetune: float = 3e5):
        super().__init__()
        controls = [
            LogControl("n_params", "N (non-embedding)", "params", n_params, (1e5, 1e13),
                       (1.0, 1e40)),
            LogControl("d_finetune", "D_F, fine-tuning data", "characters", d_finetune,
                       _DF_RANGE, (1.0, 1e40)),
            ChoiceControl("pretrain", "Pre-trained on", _DIST_LABELS, "text"),
            LogControl("k", "k", "", 1.9e4, (1, 1e7), (1e-12, 1e30)),
            LinearControl("alpha", "α (data exponent)", "", 0.18, (0.01, 0.99), (-1e3, 1e3),
                          step=0.005),
            LinearControl("beta", "β (size exponent)", "", 0.38, (0.0, 1.0), (-1e3, 1e3),
                          step=0.005),
            LogControl("target", "Target: effective data ×", "", 10.0, (1.1, 1e4), (1.0001, 1e12),
                       readout=lambda v: f"× {si(v)} today's effective data"),
        ]
        # Figure 1: D_T against D_F for several model sizes.
        self.df_scale, self.dt_scale = log_scale(*_DF_RANGE), log_scale(*_DT_RANGE)
        sc = {"x": self.df_scale, "y": self.dt_scale}
        self.regime = bq.Lines(scales=sc, fill="inside", fill_opacities=[0.12],
                               colors=[PALETTE[2]], fill_colors=[PALETTE[2]], stroke_width=0,
                               labels=["low-data regime, where the law holds (ILLUSTRATIVE "
                                       "boundary; beyond it: ossification)"],
                               display_legend=True)
        self.size_lines = bq.Lines(scales=sc, colors=["#bbbbbb"], stroke_width=1.5,
                                   labels=["other model sizes (named at the right)"],
                                   display_legend=True)
        self.size_labels = end_label_mark(sc, size=10, colour="#777777")
        self.line = bq.Lines(scales=sc, colors=[PALETTE[0]], stroke_width=3,
                             labels=["your N"], display_legend=True)
        self.identity = bq.Lines(scales=sc, colors=["#444444"], line_style="dotted",
                                 labels=["D_T = D_F"], display_legend=True)
        self.point = bq.Scatter(scales=sc, colors=[PALETTE[1]], marker="diamond",
                                default_size=120, labels=["your fine-tune"], display_legend=True,
                                tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".3~e"],
                                                   labels=["D_F (chars)", "D_T (chars)"]))
        fig1 = make_figure("Effective data transferred, D_T = k·D_F^α·N^β", self.df_scale,
                           self.dt_scale, "D_F, fine-tuning characters",
                           "D_T, characters transferred",
                           [self.regime, self.size_lines, self.identity, self.line,
                            self.size_labels, self.point], end_labels=True)
        # Figure 2: loss against D_F, from scratch and fine-tuned (illustrative loss law).
        self.df_scale2, self.loss_scale = log_scale(*_DF_RANGE), linear_scale(2.0, 6.0)
        sc2 = {"x": self.df_scale2, "y": self.loss_scale}
        self.loss_lines = bq.Lines(scales=sc2, colors=[PALETTE[6], PALETTE[0]], stroke_width=2.5,
                                   line_style="solid", labels=["from scratch", "fine-tuned"],
                                   display_legend=True)
        self.loss_names = end_label_mark(sc2)
        self.loss_points = bq.Scatter(scales=sc2, colors=[PALETTE[6], PALETTE[0]],
                                      marker="diamond", default_size=90)
        fig2 = make_figure("Loss against fine-tuning data (ILLUSTRATIVE loss law)",
                           self.df_scale2, self.loss_scale, "D_F, fine-tuning characters",
                           "loss, nats/token", [self.loss_lines, self.loss_points, self.loss_names],
                           end_labels=True)
        fig2.axes[1].tick_format = ".2f"
        # Figure 3: the multiplier for text vs text+code.
        self.df_scale3, self.mult_scale = log_scale(*_DF_RANGE), log_scale(1.0, 1e6)
        sc3 = {"x": self.df_scale3, "y": self.mult_scale}
        self.mult_lines = bq.Lines(scales=sc3, colors=[PALETTE[0], PALETTE[3]], stroke_width=2.5,
                                   labels=["text", "50% text + 50% code"], display_legend=True)
        self.mult_names = end_label_mark(sc3)
        self.mult_point = bq.Scatter(scales=sc3, colors=[PALETTE[1]], marker="diamond",
                                     default_size=100)
        fig3 = make_figure("The data multiplier D_E / D_F at your N", self.df_scale3,
                           self.mult_scale, "D_F, fine-tuning characters",
                           "effective data / fine-tuning data",
                           [self.mult_lines, self.mult_point, self.mult_names], end_labels=True)
        self.mult_axis = fig3.axes[1]
        self.more_readouts = looks.html()
        self._setup("Effective data from pre-training (Hernandez et al. 2021)", controls,
                    [fig1, fig2, fig3], readouts=looks.html(),
                    extra=[looks.html(f"<i>The loss figure (the second) and the shaded boundary are "
                                      f"{ILLUSTRATIVE}.</i>")],
                    formula_html=_FORMULAS, primary=("n_params", "d_finetune"))
        attach_more(self, self.more_readouts, "More: the trade-off, your target, the formula")

    # ------------------------------------------------------------------ model
    def derive(self, state):
        if state["pretrain"] == "custom":
            return {}
        fit = _DISTRIBUTIONS[state["pretrain"]]
        return {"k": fit.k, "alpha": fit.alpha, "beta": fit.beta}

    def derived_reason(self, state):
        return "k, α and β follow Table 1 for this pre-training; choose 'custom k, α, β'"

    def check(self, state):
        transfer.check_transfer_constants(state["k"], state["alpha"], state["beta"])

    compute = staticmethod(transfer.transfer)

    # ------------------------------------------------------------------ view
    def render(self, k: transfer.Transfer, state):
        for name in ("k", "alpha", "beta"):
            self.controls[name].set_enabled(state["pretrain"] == "custom")
        fit, n, d_f, grid = k.fit, state["n_params"], state["d_finetune"], k.grid
        for scale in (self.df_scale, self.df_scale2, self.df_scale3):
            set_limits(scale, grid[0], grid[-1])
        fit_scale(self.dt_scale, [k.your_line, k.size_lines, k.d_t, grid], _DT_RANGE)
        lo, hi = self.dt_scale.min, self.dt_scale.max
        sizes = np.clip(k.size_lines, lo, hi)
        self.size_lines.x, self.size_lines.y = np.tile(grid, (len(_SIZES), 1)), sizes
        end_labels(self.size_labels, np.tile(grid, (len(_SIZES), 1)), sizes,
                   [f"N = {si(s)}" for s in _SIZES], y_scale=self.dt_scale)
        self.line.x, self.line.y = grid, k.your_line
        self.identity.x, self.identity.y = grid, np.clip(grid, lo, hi)
        self.point.x, self.point.y = np.array([d_f]), np.array([k.d_t])
        edge = float(np.clip(k.boundary, grid[0], grid[-1]))
        self.regime.x = [grid[0], edge, edge, grid[0]]
        self.regime.y = [lo, lo, hi, hi]
        # Figure 2 (illustrative): L_scratch(N, D_F) vs L_scratch(N, D_F + D_T).
        scratch, tuned = k.scratch_loss, k.tuned_loss
        y_all = np.concatenate([scratch, tuned])
        self.loss_scale.min = float(y_all.min() - 0.05)
        self.loss_scale.max = float(y_all.max() + 0.05)
        self.loss_lines.x, self.loss_lines.y = np.tile(grid, (2, 1)), np.array([scratch, tuned])
        end_labels(self.loss_names, [grid] * 2, [scratch, tuned], ["from scratch", "fine-tuned"],
                   [PALETTE[6], PALETTE[0]], self.loss_scale)
        self.loss_points.x = np.array([d_f, d_f])
        self.loss_points.y = np.array([k.loss_scratch_here, k.loss_tuned_here])
        # Figure 3: multipliers for both Table 1 distributions.
        fit_scale(self.mult_scale, [k.multipliers, k.multiplier], (1.0, 1e6))
        # A tick per decade: bqplot's own log ticks put three a decade, crowded over 7 decades.
        update(self.mult_axis, tick_values=decade_ticks(self.mult_scale.min, self.mult_scale.max))
        self.mult_lines.x, self.mult_lines.y = np.tile(grid, (2, 1)), k.multipliers
        end_labels(self.mult_names, [grid] * 2, k.multipliers, ["text", "text + code"],
                   [PALETTE[0], PALETTE[3]], self.mult_scale)
        self.mult_point.x, self.mult_point.y = np.array([d_f]), np.array([k.multiplier])
        inside = d_f <= k.boundary
        # Three short lines: the answer for this setting, and where the law stops holding.
        self.readouts.value = (
            f"D_T = <b>{si(k.d_t)} characters</b> transferred = <b>{si(k.d_t / d_f)}× D_F</b>."
            f"<br>Effective data D_E = D_F + D_T = {si(k.multiplier)}× D_F."
            f"<br>{'Inside' if inside else '<b>Outside</b>'} the low-data regime"
            f"{' (illustrative edge)' if inside else ': the law is not meant to hold here'}."
        )
        self.more_readouts.value = (
            f"D_T = {si(fit.k)} × {si(d_f)}^{fit.alpha:.3g} × {si(n)}^{fit.beta:.3g}; "
            f"fine-tuning data is {100 * k.fraction:.3g}% of the effective data.<br>"
            f"Trade-off: a 10× bigger model is worth 10^(β/α) = <b>{si(k.size_for_data)}×</b> "
            f"more fine-tuning data.<br>"
            f"To multiply the effective data by {si(state['target'])}: collect "
            f"<b>{si(k.more_data)}×</b> more fine-tuning data, or train a "
            f"<b>{si(k.bigger_model)}×</b> bigger model.<br>"
            f"Low-data edge for this N: D_F ≲ {si(k.boundary)} characters ({ILLUSTRATIVE})."
        )


class TransferRecipeExplorer(Explorer):
    """SIMULATED: Hernandez et al.'s recipe (§6.3) for measuring k, α, β, fitted live."""

    app = "apps/04_recipe.ipynb"
    examples = (
        {"noise": 0.5},
        {"true_alpha": 0.3},
        {"seed": 7},
        {"true_beta": 0.6, "true_k": 1e3},
    )
    extremes = ({"true_k": 1e12, "dataset": 1e15}, {"noise": 0.0}, {"noise": 3.0})

    def __init__(self):
        super().__init__()
        controls = [
            LogControl("true_k", "true k", "", 1.9e4, (1, 1e7), (1e-6, 1e15)),
            LinearControl("true_alpha", "true α", "", 0.18, (0.01, 0.99), (-1e3, 1e3),
                          step=0.005),
            LinearControl("true_beta", "true β", "", 0.38, (0.0, 1.0), (-1e3, 1e3), step=0.005),
            LinearControl("noise", "noise (log sd)", "", 0.2, (0.0, 1.5), (0.0, 5.0), step=0.01),
            LogControl("dataset", "fine-tuning dataset", "characters", 1e9, (1e5, 1e12),
                       (1e3, 1e20)),
            seed_control(),
        ]
        self.x_scale, self.y_scale = log_scale(1e5, 1e12), log_scale(1e6, 1e13)
        sc = {"x": self.x_scale, "y": self.y_scale}
        colours = list(PALETTE[:4])
        self.runs = bq.Scatter(scales=sc, colors=colours, default_size=60,
                               labels=["SIMULATED runs (colour: N)"], display_legend=True,
                               tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".3~e"],
                                                  labels=["D_F", "D_T (simulated)"]))
        self.true_lines = bq.Lines(scales=sc, colors=["#888888"], line_style="dashed",
                                   labels=["the true law (grey, dashed)"], display_legend=True)
        self.fit_lines = bq.Lines(scales=sc, colors=colours, stroke_width=2,
                                  labels=["fitted, N=1e6", "fitted, N=1e7", "fitted, N=1e8",
                                          "fitted, N=1e9"],
                                  display_legend=True)
        fig = make_figure("SIMULATED runs at 1% and 10% of the data; dashed grey: the true law",
                          self.x_scale, self.y_scale, "D_F, characters",
                          "D_T, characters (simulated)",
                          [self.true_lines, self.fit_lines, self.runs])
        self.more_readouts = looks.html()
        self._setup("The estimation recipe, simulated (Hernandez et al. §6.3)", controls, [fig],
                    readouts=looks.html(), primary=("noise", "dataset"),
                    formula_html=("<p>SIMULATED: D_T = k·D_F^α·N^β × exp(noise·z), z ~ N(0, 1), "
                                  "at D_F = 1% and 10% of the dataset and N = 1e6, 1e7, 1e8, 1e9. "
                                  "Fit: least squares of log D_T on log D_F and log N, 90% "
                                  "intervals from Student's t (scaling_laws_lab.fitting.fit_transfer_law)."
                                  "</p>"))
        attach_more(self, self.more_readouts, "More: all three constants, with intervals")

    def check(self, state):
        transfer.check_transfer_constants(state["true_k"], state["true_alpha"],
                                          state["true_beta"])

    compute = staticmethod(transfer.recipe)

    def render(self, r: transfer.Recipe, state):
        est, grid = r.estimate, r.grid
        set_limits(self.x_scale, grid[0], grid[-1])
        fit_scale(self.y_scale, [r.true_lines, r.fit_lines, r.d_transferred], (1e6, 1e13))
        self.runs.x, self.runs.y = r.d_finetune, r.d_transferred
        self.runs.colors = [PALETTE[_SIZES.index(s)] for s in r.n_params]
        self.true_lines.x, self.true_lines.y = np.tile(grid, (4, 1)), r.true_lines
        self.fit_lines.x, self.fit_lines.y = np.tile(grid, (4, 1)), r.fit_lines

        def row(name, true, value, ci):
            ok = ci[0] <= true <= ci[1]
            return (f"<tr><td>{name}</td><td>{true:.4g}</td><td>{value:.4g}</td>"
                    f"<td>[{ci[0]:.4g}, {ci[1]:.4g}]</td><td>{'✔ inside' if ok else '✘ outside'}"
                    f"</td></tr>")

        inside = [lo <= true <= hi for true, (lo, hi) in
                  ((state["true_alpha"], est.alpha_ci), (state["true_beta"], est.beta_ci))]
        self.readouts.value = (
            f"<b>SIMULATED data, not measurements</b>: {est.n_runs} fine-tuning runs.<br>"
            f"Fitted α = {est.alpha:.3g}, β = {est.beta:.3g} (true {state['true_alpha']:.3g}, "
            f"{state['true_beta']:.3g}): "
            f"{'both inside' if all(inside) else '✘ a truth outside'} the 90% intervals.<br>"
            f"Trade-off: 10× N ≈ {si(r.size_for_data_fit)}× data (true: {si(r.size_for_data_true)}×)."
        )
        self.more_readouts.value = (
            "Recovered constants, 90% intervals:"
            "<table class='sll-table'><tr><th></th><th>true</th><th>fitted</th>"
            "<th>90% interval</th><th></th></tr>"
            + row("k", state["true_k"], est.k, est.k_ci)
            + row("α", state["true_alpha"], est.alpha, est.alpha_ci)
            + row("β", state["true_beta"], est.beta, est.beta_ci) + "</table>"
        )


_FORMULAS = (
    "<p><b>D_T = k · D_F^α · N^β</b> characters (Hernandez et al. 2021, Eq 1.1): the extra "
    "data a from-scratch model of the same size would need to match the fine-tuned loss. "
    "Table 1: text → python k = 1.9e4, α = 0.18, β = 0.38; 50% text + 50% code → python "
    "k = 2.1e5, α = 0.096, β = 0.38. N counts non-embedding parameters; D_F and D_T are "
    "characters of Python.</p><p><b>D_E = D_F + D_T</b>; multiplier D_E/D_F = 1 + k·N^β / "
    "D_F^(1−α) (Eq 1.2 drops the 1). A 10× bigger model is worth 10^(β/α) more data.</p>"
    f"<p>The loss figure and the low-data boundary are {html.escape(ILLUSTRATIVE)}. The boundary is "
    "10% of the data at which that law reaches 99% of its infinite-data performance, the "
    "paper's description of where the transfer law holds.</p>"
)
