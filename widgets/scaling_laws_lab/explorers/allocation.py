"""Notebook 02: how to split a compute budget between parameters and data, law by law."""

from __future__ import annotations

import html
import math

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from ..kit import (
    HALF_HEIGHT,
    PALETTE,
    Explorer,
    LogControl,
    MultiChoiceControl,
    end_label_mark,
    end_labels,
    fit_scale,
    log_scale,
    looks,
    make_figure,
    set_limits,
    sparse_decade_ticks,
    update,
)
from ..kit.charts import IsoFlopChart
from ..kit.figures import FIGURE_HEIGHT
from ..science import allocation, laws, papers
from ..science.units import si

#: Colour per law (colour is never the only cue: lines carry direct labels too).
_COLOURS = {"kaplan": PALETTE[6], "chinchilla": PALETTE[0], "chinchilla_exact": PALETTE[5],
            "llama3": PALETTE[3],
            "approach1": PALETTE[2], "approach2": PALETTE[4], "epoch": PALETTE[1]}
#: The laws on offer, from papers' one list: key -> (fit, label, colour). Order is legend order.
LAWS = {fit.key: (fit, fit.name, _COLOURS[fit.key]) for fit in papers.ALLOCATION_FITS}
#: Direct labels at line ends.
SHORT = {fit.key: fit.short for fit in papers.ALLOCATION_FITS}
#: Shown at first: the two papers the question is about and the refit that corrects one
#: (three laws); the other Chinchilla readings wait in "More settings".
DEFAULT_LAWS = ("kaplan", "chinchilla", "epoch")
_C_RANGE = allocation.FLOPS_RANGE  # FLOPs, x axis of the allocation figures
_ND_RANGE = (1e6, 1e18)  # parameters and tokens share the y axis
_TPP_RANGE = (1e-2, 1e4)  # tokens per parameter


class AllocationExplorer(Explorer):
    """Compute-optimal N and D for a budget C under Kaplan, Chinchilla (three ways) and Epoch.

    Figures: N_opt(C) and D_opt(C) per law; tokens per parameter vs C; and the
    IsoFLOP view (Hoffmann et al. 2022, Fig 3 style): loss against N at the
    chosen C for each law with a loss surface, with "your model size" marked.
    """

    app = "apps/02_allocation.ipynb"
    examples = (
        {"flops": 1e24},
        {"flops": 5.76e23, "n_params": 280e9},  # Gopher's budget and size
        {"laws": ["kaplan", "chinchilla"], "flops": 1e26},
        {"n_params": 10e9},
    )

    extremes = ({"flops": 1e40, "n_params": 1e40}, {"flops": 1e12, "n_params": 1.0})

    def __init__(self, flops: float = 5.76e23, n_params: float = 280e9):
        super().__init__()
        controls = [
            LogControl("flops", "C, compute budget", "FLOPs", flops, _C_RANGE, (1e12, 1e40),
                       readout=lambda v: f"{si(v)} FLOPs = {si(laws.flops_to_pf_days(v))} PF-days"),
            MultiChoiceControl("laws", "Laws shown", {k: v[1] for k, v in LAWS.items()},
                               list(DEFAULT_LAWS)),
            LogControl("n_params", "Your model size, N", "params", n_params, (1e6, 1e15),
                       (1.0, 1e40)),
        ]
        # Figure 1: N_opt and D_opt against C.
        self.c_scale, self.nd_scale = log_scale(*_C_RANGE), log_scale(*_ND_RANGE)
        alloc = {"x": self.c_scale, "y": self.nd_scale}
        self.n_lines = bq.Lines(scales=alloc, stroke_width=2.5, display_legend=True)
        self.d_lines = bq.Lines(scales=alloc, stroke_width=2, line_style="dashed")
        self.c_rule = bq.Lines(scales=alloc, colors=["#888888"], line_style="dotted",
                               labels=["your budget C"], display_legend=True)
        self.nd_names = end_label_mark(alloc)
        fig_alloc = make_figure("Optimal N (solid), D (dashed)",
                                self.c_scale, self.nd_scale, "C, FLOPs",
                                "N (params), D (tokens)",
                                [self.n_lines, self.d_lines, self.c_rule, self.nd_names],
                                end_labels=True, height=HALF_HEIGHT)
        # Figure 1b: tokens per parameter against C.
        self.c_scale2, self.tpp_scale = log_scale(*_C_RANGE), log_scale(*_TPP_RANGE)
        tpp = {"x": self.c_scale2, "y": self.tpp_scale}
        self.tpp_lines = bq.Lines(scales=tpp, stroke_width=2.5, display_legend=True)
        self.twenty = bq.Lines(x=list(_C_RANGE), y=[20.0, 20.0], scales=tpp, colors=["#888888"],
                               line_style="dotted", labels=["20 tokens per parameter"],
                               display_legend=True)
        self.c_rule2 = bq.Lines(scales=tpp, colors=["#888888"], line_style="dotted")
        self.tpp_names = end_label_mark(tpp)
        fig_tpp = make_figure("Tokens per parameter at the optimum", self.c_scale2,
                              self.tpp_scale, "C, FLOPs", "D_opt / N_opt",
                              [self.tpp_lines, self.twenty, self.c_rule2, self.tpp_names],
                              end_labels=True, height=HALF_HEIGHT)
        # Figure 2: the IsoFLOP view at the chosen C (a chart the lab's sweeps share).
        self.iso = IsoFlopChart("IsoFLOP view: loss against N at the chosen C",
                                height=FIGURE_HEIGHT["plot"])
        self.iso_curves, self.iso_opt, self.iso_yours = self.iso.curves, self.iso.optima, self.iso.yours
        self.iso_rules = self.iso.rules
        fig_iso = self.iso.figure
        # The readout says three things (the answer, your model, where to look); the rest waits
        # behind "More": C_min, Kaplan's overfitting bound and every law's row.
        self.details, self.table = looks.html(), looks.html()
        self.more_numbers = ipw.Accordion(
            children=[ipw.VBox([self.details, self.table], layout=looks.layout())],
            titles=("More: C_min, Kaplan's overfitting bound, every law's numbers",),
            selected_index=None, layout=looks.layout())
        self._setup(
            "Compute-optimal allocation: Kaplan vs Chinchilla vs the Epoch refit", controls,
            [fig_alloc, fig_tpp, fig_iso], readouts=looks.html(),
            extra=[self.more_numbers], formula_html=_FORMULAS, primary=("flops", "n_params"),
            # Both sliders move the IsoFLOP view (the budget its curves, your N its diamond):
            # it stands first, beside them; the two allocation figures share the row below,
            # so all three and the controls fit a laptop screen (the explorer was ~1,500 px tall).
            figure_rows=[[2], [0, 1]],
        )
        # Held like the readout, so a step's figures reach the browser before this text.
        self._held_text += [self.details, self.table]

    compute = staticmethod(allocation.allocation)

    # ------------------------------------------------------------------ view
    def render(self, k: allocation.Allocation, state):
        keys = list(state["laws"])
        # Figure 1 and 1b: one row per law, over the (possibly widened) C axis. They depend
        # only on the laws and the axis: update() sends them only when those changed, so a
        # budget step sends just the rules and Figure 2.
        set_limits(self.c_scale, k.c_grid[0], k.c_grid[-1])
        self._draw_allocation_lines(keys, k)
        self.c_rule.x, self.c_rule.y = [k.flops, k.flops], [self.nd_scale.min, self.nd_scale.max]
        self.c_rule2.x = [k.flops, k.flops]
        self.c_rule2.y = [self.tpp_scale.min, self.tpp_scale.max]
        self._draw_isoflop(k)
        self._write_readouts(k)

    def _draw_allocation_lines(self, keys, k):
        colours, labels = [LAWS[key][2] for key in keys], [LAWS[key][1] for key in keys]
        set_limits(self.c_scale2, self.c_scale.min, self.c_scale.max)
        tpp = k.d_lines / k.n_lines
        fit_scale(self.nd_scale, [k.n_lines, k.d_lines], _ND_RANGE)
        fit_scale(self.tpp_scale, tpp, _TPP_RANGE)
        # Two half-width figures: a tick label every few decades, not thirteen side by side.
        for fig, y in ((self.figures[0], self.nd_scale), (self.figures[1], self.tpp_scale)):
            update(fig.axes[0], tick_values=sparse_decade_ticks(self.c_scale.min, self.c_scale.max))
            update(fig.axes[1], tick_values=sparse_decade_ticks(y.min, y.max))
        x = np.tile(k.c_grid, (len(keys), 1))
        update(self.n_lines, colors=colours, labels=labels, x=x, y=k.n_lines)
        update(self.d_lines, colors=colours, x=x, y=k.d_lines)
        names = [f"{SHORT[key]}: {part}" for part in ("N", "D") for key in keys]
        end_labels(self.nd_names, np.vstack([x, x]), np.vstack([k.n_lines, k.d_lines]), names,
                   colours + colours, self.nd_scale)
        update(self.tpp_lines, colors=colours, labels=labels, x=x, y=tpp)
        end_labels(self.tpp_names, x, tpp, [SHORT[key] for key in keys], colours, self.tpp_scale)
        update(self.twenty, x=[self.c_scale.min, self.c_scale.max])

    def _draw_isoflop(self, k):
        # Laws with a loss surface get a curve and an optimum; the others a rule at N_opt.
        surface = [r for r in k.rows if r.loss_opt is not None]
        self.iso.set_view(
            k.iso_n, k.iso_loss, [LAWS[key][2] for key in k.iso_keys],
            [LAWS[key][1] for key in k.iso_keys], [SHORT[key] for key in k.iso_keys],
            optima=[(r.n_opt, r.loss_opt, LAWS[r.key][2]) for r in surface],
            yours=[(k.n_yours, r.loss_yours) for r in surface],
            rules=[(r.n_opt, LAWS[r.key][2], f"N_opt, {LAWS[r.key][1]}")
                   for r in k.rows if r.loss_opt is None])

    def _write_readouts(self, k):
        rows = {r.key: r for r in k.rows}
        # The answer first, under the law the notebook says to believe when it is shown.
        best = rows.get(allocation.VERDICT) or next(
            (r for r in k.rows if r.loss_opt is not None), k.rows[0])
        answer = (f"<b>{html.escape(SHORT[best.key])}</b>: best is <b>{si(best.n_opt)} parameters "
                  f"on {si(best.d_opt)} tokens</b> ({si(best.tokens_per_param)} per parameter).")
        yours = f"Your {si(k.n_yours)}: {si(k.d_yours)} tokens"
        if best.loss_opt is not None:
            extra = ("never reaches it" if math.isinf(best.overhead)
                     else f"{100 * best.overhead:+.0f}% compute to match")
            yours += f", loss {best.loss_yours:.3f} vs {best.loss_opt:.3f} nats/token; {extra}."
        else:
            yours += f" ({si(k.d_yours / k.n_yours)} per parameter)."
        self.readouts.value = (f"{answer}<br>{yours}<br>See the IsoFLOP view: your diamond "
                               "against each minimum.")
        verdict = ("enough" if k.d_yours >= k.kaplan_min_data
                   else "too few: Kaplan expects overfitting")
        self.details.value = (
            f"Budget {si(k.flops)} FLOPs = {si(k.pf_days)} PF-days (1 PF-day: 10¹⁵ FLOP/s for a day, "
            "8.64e19 FLOPs); Kaplan's laws read it as "
            f"C_min = C/2 = {si(k.c_min_pf_days)} PF-days (Eq 5.5). Kaplan's overfitting bound "
            f"(Eq 4.4) for your N: D ≳ 5e3·N^0.74 = {si(k.kaplan_min_data)} tokens ({verdict}). "
            "The table: each law's optimum at this budget, and what your N costs under the laws "
            "with a loss surface. Loss is cross-entropy in nats (natural-log units) per token."
        )
        head = ("<tr><th>law</th><th>N_opt</th><th>D_opt</th><th>tokens/param</th>"
                "<th>loss at optimum (nats/token)</th><th>your N: loss</th><th>your N: extra compute "
                "to match</th></tr>")
        body = []
        for r in k.rows:
            if r.loss_opt is None:
                loss = yours = overhead = "– (no loss surface)"
            else:
                loss, yours = f"{r.loss_opt:.4f}", f"{r.loss_yours:.4f}"
                overhead = ("never (too small to reach it)" if math.isinf(r.overhead)
                            else f"{100 * r.overhead:+.1f}%")
            body.append(
                f"<tr><td><span style='color:{LAWS[r.key][2]}'>■</span> "
                f"{html.escape(r.law)}</td><td>{si(r.n_opt)}</td><td>{si(r.d_opt)}</td>"
                f"<td>{si(r.tokens_per_param)}</td><td>{loss}</td><td>{yours}</td>"
                f"<td>{overhead}</td></tr>"
            )
        self.table.value = f"<table class='sll-table'>{head}{''.join(body)}</table>"


_A3_G, _A3_A = allocation.table_a3_implied_eq4()
_EXACT_G, _EXACT_A = allocation.eq4_unrounded()
_FORMULAS = (
    "<p><b>Chinchilla</b> (Hoffmann et al. 2022): L(N, D) = E + A/N^α + B/D^β (Eq 2); under "
    "C = 6ND the optimum is N_opt = G·(C/6)^a, D_opt = G⁻¹·(C/6)^b with "
    "G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β) (Eq 4). Printed constants: E 1.69, "
    "A 406.4, B 410.7, α 0.34, β 0.28; unrounded (the paper's TeX source): ln A 6.0073404, "
    "ln B 6.0179186, ln E 0.5267228, α 0.33917084, β 0.2849083.</p>"
    "<p><b>Approaches 1 and 2</b> fit N_opt ∝ C^a directly (Table 2: a = 0.50 and 0.49); "
    "approach 1's coefficient is calibrated on Table 3's nine rows, approach 2's on the nine "
    "rows of Table A3 (App. D.3). Table A3's approach-3 column comes from Eq 4: a line "
    f"through it gives a ≈ {_A3_A:.3f}, G ≈ {_A3_G:.2f}, close to the unrounded constants' "
    f"a = {_EXACT_A:.4f}, G = {_EXACT_G:.2f}; the unrounded constants reproduce its rows within "
    "8%, the printed ones do not.</p>"
    "<p><b>Kaplan et al. 2020</b>: N_opt = 1.3e9 · C_min^0.73 parameters, C_min in PF-days "
    "(Eq 6.1, Table 6). C_min is the compute at batch sizes far below the critical one, "
    "C_min = C/(1 + B/B_crit) (Eq 5.5); a run at the critical batch size spends C = 2·C_min "
    "(§5.1; §6.3 writes C = 2C_min), so the budget C is halved first. Hoffmann et al. "
    "(App. D.4) print only the result, Kaplan's 4.68B at 1e21 FLOPs; that they read C this way "
    "is our inference, and it reproduces their number. Here D = C / (6N), so the budget is "
    "spent exactly; "
    "Kaplan's own D_opt = 2e10 · C_min^0.27 spends 0.90·C. Overfitting bound D ≳ 5e3·N^0.74 "
    "(Eq 4.4).</p>"
    "<p><b>Epoch AI</b> (Besiroglu et al. 2024, arXiv:2404.10102): refit of Eq 2 on points "
    "extracted from Hoffmann et al.'s Fig 4: E 1.8172, A 482.01, B 2085.43, α 0.3478, "
    "β 0.3658.</p>"
    "<p><b>Llama 3</b> (Dubey et al. 2024, arXiv:2407.21783, §3.2.1): N*(C) = 0.29·C^0.53, "
    "where N* counts <i>training tokens</i>, not parameters; here N_opt = C / (6·N*). The "
    "paper's own extrapolation (402B on 16.55T tokens at 3.8e25 FLOPs) does not follow from "
    "the printed pair, which gives 10.5T tokens there, and rounding cannot explain the gap "
    "(no pair that rounds to (0.29, 0.53) reaches 16.55T); the paper does not say why. No loss "
    "surface is published with it, so it has no IsoFLOP curve.</p>"
)
