"""Notebook 08: fine-tune 1–2% (the biases, or a rank-1 adapter) vs all of a model you
pre-trained, and measure the effective data.

The explorer draws a study plan and whatever of it this kernel has run
(:func:`scaling_laws_lab.lab.transfer_study.study_view`); "Run the fine-tunes" trains
the rest in a background thread (:class:`scaling_laws_lab.kit.runner.Runner`), and each
finished run appears at once. Pre-training and the from-scratch curves ship with the package.
"""

from __future__ import annotations

import bqplot as bq
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LogControl,
    attach_more,
    decade_ticks,
    end_label_mark,
    end_labels,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    seed_control,
    set_limits,
    update,
)
from ..kit.runner import Runner, RunsInBackground
from ..lab import transfer_study as ts
from ..lab.transfer import METHODS
from ..science import papers
from ..science.units import si

#: Each method's look: colour, line style, marker (never colour alone).
_LOOK = {"full": (PALETTE[0], "solid", "circle"), "biases": (PALETTE[1], "solid", "square"),
         "lora": (PALETTE[2], "dash_dotted", "triangle-up"),
         "small": (PALETTE[3], "dashed", "diamond")}
#: The share of the weights a bias or rank-1 tune trains, smallest to largest network's.
_SHARES = [ts.subset_share(w) for w in ts.WIDTHS]
_SHARE = f"{100 * min(_SHARES):.1f}–{100 * max(_SHARES):.1f}%"
_NAMES = {"scratch": "from scratch, same size", "full": "full fine-tune",
          "biases": f"biases only ({_SHARE})", "lora": f"LoRA r=1, output layer ({_SHARE})",
          "small": "network of the subset's size, from scratch"}
_SHORT = {"scratch": "scratch", "full": "full", "biases": "biases", "lora": "LoRA",
          "small": "small net"}
_SIZE_COLOURS = (PALETTE[4], PALETTE[5], PALETTE[0])
_PARTS = ("forward", "activation gradients", "weight gradients", "other (ReLU, softmax, Adam)")


class TransferLabExplorer(RunsInBackground, Explorer):
    """Pre-trained networks of three sizes, fine-tuned on a little target data four ways."""

    app = "apps/08_transfer_lab.ipynb"
    examples = ({"proximity": "0.5"}, {"size": "288"}, {"d_max": 1e6}, {"proximity": "0.95"})
    extremes = ({"d_min": 100, "d_max": 100, "proximity": "0.5"},
                {"d_min": 1e6, "d_max": 1e6, "size": "96"})

    def __init__(self, **start):
        super().__init__()
        d = {**ts.DEFAULT, **start}
        sizes = {str(w): f"N = {si(ts.n_params(w))} (width {w})" for w in ts.WIDTHS}
        controls = [
            ChoiceControl("proximity", "Proximity ρ",
                          {str(p): f"ρ = {p}: {p:.0%} of target tokens as in pre-training"
                           for p in ts.PROXIMITIES}, str(d["proximity"])),
            ChoiceControl("size", "Model shown", sizes, str(d["size"])),
            LogControl("d_max", "Largest D_F", "tokens", d["d_max"], (1e3, 1e6), (100, 1e6),
                       step=0.25),
            LogControl("d_min", "Smallest D_F", "tokens", d["d_min"], (100, 1e5), (100, 1e6),
                       step=0.25),
            seed_control("Seed (fine-tuning data)", d["seed"]),
        ]
        # Figure 1: target loss against data, for one size: the from-scratch curve (shipped)
        # and each fine-tuning method (live).
        self.lx, self.ly = log_scale(1e2, 3e6), linear_scale(0.6, 4.0)
        sc = {"x": self.lx, "y": self.ly}
        self.scratch = bq.Lines(scales=sc, colors=["#000000"], stroke_width=2,
                                marker="circle", marker_size=12,
                                labels=["from scratch, same size (shipped runs)"],
                                display_legend=True)
        # One mark per method: each keeps its own line style and marker.
        self.methods = {m: bq.Lines(scales=sc, x=[], y=[], colors=[_LOOK[m][0]], stroke_width=2,
                                    line_style=_LOOK[m][1], marker=_LOOK[m][2], marker_size=28,
                                    labels=[_NAMES[m]], display_legend=True)
                        for m in _LOOK}
        self.levels = bq.Lines(scales=sc, colors=["#7F7F7F", "#000000"], line_style="dotted",
                               stroke_width=2, labels=["before fine-tuning (zero-shot)",
                                                       "entropy E (the floor)"],
                               display_legend=True)
        self.loss_names = end_label_mark(sc)
        fig1 = make_figure("Target loss against data: fine-tuned vs from scratch", self.lx,
                           self.ly, "D_F (fine-tuning) or D (from scratch), tokens",
                           "target loss, nats/token",
                           [self.levels, self.scratch, *self.methods.values(), self.loss_names],
                           end_labels=True)
        fig1.axes[1].tick_format = ".2f"
        # Figure 2: D_T against D_F, all sizes, full fine-tuning, with the fitted law.
        self.tx, self.ty = log_scale(1e2, 1e6), log_scale(1e2, 1e7)
        sc2 = {"x": self.tx, "y": self.ty}
        self.fit_lines = bq.Lines(scales=sc2, stroke_width=1.5, line_style="dashed",
                                  labels=[], display_legend=True)
        self.dt_used = bq.Scatter(scales=sc2, marker="circle", default_size=50,
                                  stroke="#333333", labels=["measured D_T (in the fit)"],
                                  display_legend=True,
                                  tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~s", ".3~s"],
                                                     labels=["D_F", "D_T"]))
        self.dt_other = bq.Scatter(scales=sc2, marker="circle", default_size=50,
                                   colors=["#ffffff"], stroke="#7F7F7F",
                                   labels=["measured, left out (high-data regime or a "
                                           "lower bound)"], display_legend=True)
        self.dt_names = end_label_mark(sc2)
        fig2 = make_figure("Effective data transferred, D_T, full fine-tuning", self.tx,
                           self.ty, "D_F, fine-tuning tokens", "D_T, tokens",
                           [self.fit_lines, self.dt_other, self.dt_used, self.dt_names],
                           end_labels=True)
        # Figure 3: FLOPs per token, counted by the trainer, part by part, and the formula.
        self.bx = bq.OrdinalScale(domain=[_SHORT[m] for m in METHODS])
        self.by = linear_scale(0.0, 1.0)
        sc3 = {"x": self.bx, "y": self.by}
        self.bars = bq.Bars(x=[_SHORT[m] for m in METHODS], y=np.zeros((4, len(METHODS))),
                            type="stacked", scales=sc3,
                            colors=[PALETTE[0], PALETTE[1], PALETTE[2], "#BBBBBB"],
                            labels=list(_PARTS), display_legend=True, padding=0.3,
                            tooltip=bq.Tooltip(fields=["x", "y"], formats=["", ".4~s"],
                                               labels=["method", "FLOPs per token"]))
        self.formula = bq.Scatter(x=[_SHORT[m] for m in METHODS], y=np.zeros(len(METHODS)),
                                  scales=sc3, marker="diamond", colors=["#000000"],
                                  default_size=70, labels=["notebook 03's formula"],
                                  display_legend=True)
        fig3 = make_figure("FLOPs per token the trainer performed, by method", self.bx, self.by,
                           "", "FLOPs per token", [self.bars, self.formula])
        fig3.axes[1].tick_format = ".3~s"
        self.runner = Runner("Run the fine-tunes", "runs", "this run", lambda: self._redraw())
        self.runner.run_button.on_click(lambda _: self.run(wait=False))
        self.table = looks.html()
        self.more_readouts = looks.html()
        self._setup("Test the thread yourself: fine-tune 1–2% vs all", controls,
                    [fig1, fig2, fig3], readouts=looks.html(), extra=[self.table],
                    formula_html=_FORMULAS, primary=("proximity", "size", "d_max"),
                    actions=[self.runner.widgets()])
        attach_more(self, self.more_readouts, "More: your law's constants and intervals, the plan")

    # ------------------------------------------------------------------ model
    compute = staticmethod(ts.study_view)

    def check(self, state):
        if self.running:
            raise ValueError("fine-tunes are running: cancel them (or wait) before changing "
                             "the plan")
        ts.plan(state["proximity"], state["d_min"], state["d_max"], int(state["seed"]))

    @property
    def status(self):
        return self.runner.status

    # ------------------------------------------------------------------ view
    def render(self, v: ts.StudyView, state):
        self.view = v
        self._render_losses(v)
        self._render_transfer(v)
        self._render_flops(v)
        self._write_readouts(v)

    def _render_losses(self, v):
        w = v.size
        d, curve = v.curves[w]
        update(self.scratch, x=d, y=curve)
        lines = {m: v.losses(m, w) for m in _LOOK}  # each method's runs, read once a draw
        for m, mark in self.methods.items():
            update(mark, x=lines[m][0], y=lines[m][1])
        shown = [m for m in _LOOK if lines[m][0].size]
        xs = [lines[m][0] for m in shown]
        ys = [lines[m][1] for m in shown]
        ends = np.array([d[0], d[-1]], float)
        update(self.levels, x=np.tile(ends, (2, 1)),
               y=np.array([[v.zero_shot[w]] * 2, [v.entropy] * 2]))
        values = [*curve, v.zero_shot[w], v.entropy, *(y for row in ys for y in row)]
        lo, hi = min(values), max(values)
        set_limits(self.ly, lo - 0.04 * (hi - lo), hi + 0.04 * (hi - lo))
        set_limits(self.lx, float(d[0]), float(d[-1]))
        update(self.figures[0].axes[0], tick_values=decade_ticks(float(d[0]), float(d[-1])))
        update(self.figures[0], title=f"Target loss against data, N = {si(ts.n_params(w))}: "
                                      "fine-tuned vs from scratch")
        names = [*(_SHORT[m] for m in shown), "scratch", "zero-shot", "E"]
        colours = [*(_LOOK[m][0] for m in shown), "#000000", "#7F7F7F", "#000000"]
        x_rows = [*xs, d, ends, ends]
        y_rows = [*ys, curve, [v.zero_shot[w]] * 2, [v.entropy] * 2]
        end_labels(self.loss_names, x_rows, y_rows, names, colours, self.ly)

    def _render_transfer(self, v):
        full = [t for t in v.transfers if t.method == "full" and t.d_t > 0]
        used = [t for t in full if t.usable]
        other = [t for t in full if not t.usable]
        colour_of = dict(zip(ts.WIDTHS, _SIZE_COLOURS, strict=True))
        update(self.dt_used, x=np.array([t.d_f for t in used], float),
               y=np.array([t.d_t for t in used], float),
               colors=[colour_of[t.base_width] for t in used] or [PALETTE[0]])
        update(self.dt_other, x=np.array([t.d_f for t in other], float),
               y=np.array([t.d_t for t in other], float))
        d_lo, d_hi = min(v.plan.d_f), max(v.plan.d_f)
        ends = np.array([d_lo, d_hi], float)
        if v.fit is not None:
            rows = np.array([v.fit.k * ends**v.fit.alpha * ts.n_params(w) ** v.fit.beta
                             for w in ts.WIDTHS])
            labels = [f"fit at N = {si(ts.n_params(w))}" for w in ts.WIDTHS]
            update(self.fit_lines, x=np.tile(ends, (len(ts.WIDTHS), 1)), y=rows,
                   colors=list(_SIZE_COLOURS), labels=labels)
        else:
            rows = np.zeros((0, 2))
            update(self.fit_lines, x=np.zeros((0, 2)), y=rows, labels=[])
        ys = [t.d_t for t in full] + rows.ravel().tolist()
        y_lo, y_hi = (min(ys), max(ys)) if ys else (1e2, 1e6)
        y_lo, y_hi = 10 ** np.floor(np.log10(y_lo)), 10 ** np.ceil(np.log10(y_hi))
        set_limits(self.ty, y_lo, max(y_hi, 10 * y_lo))
        x_lo, x_hi = 10 ** np.floor(np.log10(d_lo)), 10 ** np.ceil(np.log10(d_hi))
        set_limits(self.tx, x_lo, max(x_hi, 10 * x_lo))
        update(self.figures[1].axes[0], tick_values=decade_ticks(x_lo, max(x_hi, 10 * x_lo)))
        update(self.figures[1].axes[1], tick_values=decade_ticks(y_lo, max(y_hi, 10 * y_lo)))
        if v.fit is not None:
            end_labels(self.dt_names, [ends] * len(ts.WIDTHS), list(rows),
                       [f"N = {si(ts.n_params(w))}" for w in ts.WIDTHS], list(_SIZE_COLOURS),
                       self.ty)
        else:
            end_labels(self.dt_names, [], [], [], [], self.ty)

    def _render_flops(self, v):
        parts = np.array([[v.flops[m]["parts"][p] for m in METHODS] for p in _PARTS], float)
        formula = np.array([v.flops[m]["formula"] for m in METHODS], float)
        update(self.bars, y=parts)
        update(self.formula, y=formula)
        top = float(max(parts.sum(axis=0).max(), formula.max()))
        set_limits(self.by, 0.0, 1.08 * top)
        update(self.figures[2], title=f"FLOPs per token the trainer performs, N = "
                                      f"{si(ts.n_params(v.size))} (small net: its own N)")

    def _write_readouts(self, v):
        # Three short lines (your law beside the paper's, progress, what is real); the rest is
        # under More. "bootstrap intervals" and "60 finished" stay on screen (browser test).
        p = v.plan
        lines, more = [], []
        if v.fit is not None:
            f, h = v.fit, papers.HERNANDEZ_2021_TEXT  # Table 1, text → python
            lines.append(f"Your law: D_T ∝ D_F^<b>{f.alpha:.2f}</b>·N^<b>{f.beta:.2f}</b> (90% "
                         f"bootstrap intervals under More); Hernandez et al.: α {h.alpha:g}, "
                         f"β {h.beta:g}.")
            more.append(f"Your law (full fine-tuning, {f.n_runs} points: the low-data regime's "
                        f"positive D_T): "
                        f"D_T = {f.k:.3g}·D_F^{f.alpha:.2f}·N^{f.beta:.2f}; 90% bootstrap "
                        f"intervals α [{f.alpha_ci[0]:.2f}, {f.alpha_ci[1]:.2f}], "
                        f"β [{f.beta_ci[0]:.2f}, {f.beta_ci[1]:.2f}]. Hernandez et al., {h.name}: "
                        "other data, other units: compare the shape.")
        elif v.runs:
            lines.append(f"No fit yet: {v.fit_note}.")
        lines.append(f"Plan: {len(p.jobs)} fine-tuning runs, about {p.seconds:.0f} s on two free cores; "
                     f"{len(v.runs)} finished.")
        lines.append("SIMULATED world, REAL training: a toy source, real networks.")
        more.append(f"The plan: 4 methods × {len(ts.WIDTHS)} sizes × {len(p.d_f)} amounts of "
                    f"fine-tuning data D_F from {si(p.d_f[0])} to {si(p.d_f[-1])} tokens; the "
                    "time is for a 2-core laptop. Every loss is a network trained in this kernel.")
        update(self.readouts, value="<br>".join(lines))
        update(self.more_readouts, value="<br>".join(more))
        rows = []
        for t in v.transfers:
            if t.method != "full":
                continue
            d_t = si(t.d_t) if t.d_t > 0 else f"{si(t.d_t)} (worse than scratch)"
            if t.status == "beyond":
                d_t = f"> {si(t.d_t)}"
            rows.append(f"<tr><td>{si(t.n_params)}</td><td>{si(t.d_f)}</td><td>{t.loss:.3f}</td>"
                        f"<td>{t.scratch_loss:.3f}</td><td>{d_t}</td>"
                        f"<td>{t.multiplier:.1f}×</td>"
                        f"<td>{'low' if t.low_data else 'high'}</td></tr>")
        table = ("<table class='sll-table'><caption>Full fine-tuning, run by run: D_T is the "
                 "extra data a network of the same size needs from scratch to match the "
                 "fine-tuned loss; D_E/D_F = (D_F + D_T)/D_F, the multiplier. From scratch "
                 "is read as the best loss at any D ≤ D_F (a network can stop early).</caption>"
                 "<tr><th>N</th><th>D_F</th><th>loss, full FT</th>"
                 "<th>best scratch loss, D ≤ D_F</th><th>D_T</th><th>D_E/D_F</th><th>data regime</th></tr>"
                 + "".join(rows) + "</table>") if rows else ""
        update(self.table, value=table)

    # ------------------------------------------------------------------ actions
    def run(self, wait: bool = True) -> None:
        """Run the plan's unfinished fine-tunes; ``wait=False`` (the button) runs in a thread."""
        the_plan = self.view.plan
        self.runner.start(lambda progress: ts.run_study(the_plan, progress),
                          len(the_plan.jobs), len(self.view.runs), wait=wait,
                          what="fine-tuning runs")




_FORMULAS = (
    "<p><b>Pre-training</b>: notebook 07's fact source (Zipf 1.6 over 4,096 keys, 64 values, "
    "10% noise) and network (one hidden ReLU layer on a 12-bit key code), 8M fresh tokens per "
    "size. <b>The target</b>: the same facts, key frequencies ρ·p(k) + (1 − ρ)·p(π(k)), a "
    "mixture of the pre-training list and a shuffled copy (scaling_laws_lab.lab."
    "transfer).</p>"
    "<p><b>Fine-tuning</b>: a fixed dataset of D_F tokens, up to ten epochs, the best epoch by "
    "the exact target loss (early stopping). <b>D_T</b> = D_scratch(L_fine-tuned) − D_F, with "
    "D_scratch read off the same-size from-scratch curve in log D (Hernandez et al. 2021, "
    "Eq 1.1); the fit D_T = k·D_F^α·N^β uses full fine-tuning's points with D_F ≤ 10% of the "
    "data that brings a from-scratch model within 1% of its best loss (their low-data regime), "
    "by least squares in logs, 400 bootstrap resamples.</p>"
    "<p><b>FLOPs</b>: counted matmul by matmul; notebook 03's formula is forward 2·N + "
    "activation gradients 2·N·depth (here the output layer's H·M weights when anything at or "
    "below the hidden layer trains) + 2 per trainable weight "
    "(scaling_laws_lab.laws.finetune_flops_per_token).</p>"
)
