"""Notebook 01: where C = 6ND comes from, and what a compute budget means in devices and days."""

from __future__ import annotations

import html
import math

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LinearControl,
    LogControl,
    end_label_mark,
    fit_scale,
    looks,
    make_figure,
)
from ..kit.charts import NDPlane
from ..kit.figures import MARGIN_WITH_LABELS, callouts
from ..science import budget, papers
from ..science.units import si

_N_RANGE = (1e6, 1e15)  # parameters, x axis
_D_RANGE = (1e8, 1e15)  # tokens, y axis
_ISO_FLOPS = tuple(10.0**k for k in range(18, 28))  # C = 6ND lines, 1e18 ... 1e27 FLOPs
ASPECT_RATIO = budget.ASPECT_RATIO  # d_model / n_layer in "set N directly" mode
_RUNS = papers.FAMOUS_RUNS
_FORUM = papers.FORUM_BRAIN_MODEL
#: How the forum question's brain-sized run is named on the plane.
_FORUM_NAME = "the forum question's brain-sized model (hypothetical)"
_BAR_LABELS = ["forward", "backward (activations)", "backward (weights)", "attention"]


def runs_table_html() -> str:
    """The famous runs with N, D, reported C, 6ND and the difference, each with its source."""
    rows = []
    for p in budget.published_runs(_RUNS):
        run = p.run
        if p.difference is not None:
            reported, diff = si(run.reported_flops), f"{100 * p.difference:+.1f}%"
        else:
            reported = f"not reported ({si(run.device_hours)} {run.hardware}-hours)"
            diff = "–"
        rows.append(
            f"<tr><td>{html.escape(run.name)}</td><td>{si(run.n_params)}</td>"
            f"<td>{si(run.n_tokens)}</td><td>{reported}</td><td>{si(p.six_nd)}</td>"
            f"<td>{diff}</td><td style='font-size:85%'>{html.escape(run.citation)}"
            f"{'. ' + html.escape(run.note) if run.note else ''}</td></tr>"
        )
    head = ("<tr><th>run</th><th>N</th><th>D (tokens)</th><th>C reported</th><th>6ND</th>"
            "<th>6ND vs reported</th><th>source</th></tr>")
    return f"<table class='sll-table'>{head}{''.join(rows)}</table>"


def attention_shares_html(widths=(768, 12288), contexts=(2048, 32768, 131072)) -> str:
    """Attention's share of the training FLOPs per token, by model width and context.

    Share = 1 − 6N / (6N + 6·n_layer·n_ctx·d_model) with N = 12·n_layer·d_model² (Kaplan et
    al. 2020, Eqs 2.1–2.2), which is n_ctx / (12·d_model + n_ctx): the depth cancels.
    Defaults: GPT-2 small's width (768) and GPT-3 175B's (12288).
    """
    shares = budget.attention_shares(widths, contexts)
    rows = [f"<tr><td>{d_model:,}</td>" + "".join(f"<td>{100 * x:.1f}%</td>" for x in row) + "</tr>"
            for d_model, row in zip(widths, shares, strict=True)]
    head = "".join(f"<th>n_ctx {n_ctx:,}</th>" for n_ctx in contexts)
    return ("<table class='sll-table'><caption>Attention's share of the training FLOPs per "
            "token: one row per width d_model, one column per context n_ctx</caption>"
            f"<tr><th>d_model</th>{head}</tr>{''.join(rows)}</table>")


class ComputeExplorer(Explorer):
    """Training compute C = 6·N·D, its per-token breakdown, and what it costs on real hardware.

    Two ways to size the model: set N directly (the shape then follows GPT-3's
    d_model = 128·n_layer, for the attention term), or set n_layer and d_model
    and get N = 12·n_layer·d_model² (Kaplan et al. 2020, Eq 2.1).
    """

    app = "apps/01_compute.ipynb"
    examples = (
        {"mode": "direct", "n_params": 175e9, "n_tokens": 300e9},  # GPT-3
        {"mode": "direct", "n_params": 70e9, "n_tokens": 1.4e12, "accelerator": "A100"},
        {"mode": "architecture", "n_layer": 96, "d_model": 12288, "n_ctx": 32768},
        {"mode": "direct", "n_params": 1e14, "n_tokens": 1e13},  # the forum's brain-sized model
    )

    extremes = ({"mode": "direct", "n_params": 1e40, "n_tokens": 1e40},
                {"mode": "architecture", "n_layer": 1e13, "d_model": 1e14, "n_ctx": 1e9},
                {"mode": "direct", "n_params": 1.0, "n_tokens": 1.0})

    def __init__(self, n_params: float = 70e9, n_tokens: float = 1.4e12):
        super().__init__()
        accelerators = {k: f"{a.name} ({si(a.peak_flops)}FLOP/s)"
                        for k, a in papers.ACCELERATORS.items()}
        controls = [
            ChoiceControl("mode", "Model size from", {
                "direct": "N, set directly", "architecture": "layers × width"}, "direct"),
            LogControl("n_params", "N, parameters", "params", n_params, _N_RANGE, (1.0, 1e40)),
            LogControl("n_tokens", "D, training tokens", "tokens", n_tokens, (1e6, 1e15),
                       (1.0, 1e40)),
            LogControl("n_layer", "n_layer, layers", "layers", 80, (1, 1000), (1.0, 1e13),
                       integer=True, step=0.01),
            LogControl("d_model", "d_model, width", "", 8192, (64, 65536), (1.0, 1e14),
                       integer=True, step=0.01),
            LogControl("n_ctx", "n_ctx, context", "tokens", 2048, (128, 1 << 20), (1.0, 1e9),
                       integer=True, step=0.01),
            ChoiceControl("accelerator", "Accelerator", accelerators, "H100"),
            LinearControl("mfu", "MFU, utilisation", "%", 40.0, (1, 100), (0.1, 100.0), step=1),
            LogControl("n_devices", "Devices", "devices", 1024, (1, 1e5), (1.0, 1e9),
                       integer=True, step=0.01),
            LogControl("price", "Price per device-hour", "$", 2.0, (0.1, 100), (0.001, 1e5),
                       readout=lambda v: f"${v:,.2f} per device-hour (illustrative)"),
        ]
        # Figure 1: the N–D plane (a chart the fit explorer shares), lines of equal compute,
        # each named by its budget just above it.
        self.plane = NDPlane("The N–D plane: dashed lines of equal compute C = 6·N·D, FLOPs",
                             _N_RANGE, _D_RANGE)
        self.x_scale, self.y_scale, plane = self.plane.x_scale, self.plane.y_scale, self.plane.scales
        self.iso_lines, self.iso_labels = self.plane.lines, self.plane.line_labels
        # Eight runs, three of them within a few pixels of each other (and of the default
        # "your run", Chinchilla's own size): names would cover markers and each other, so
        # they are in the tooltips and in the table under the figures, not on the plot.
        self.runs = bq.Scatter(
            x=[r.n_params for r in _RUNS], y=[r.n_tokens for r in _RUNS],
            names=[self._tooltip(p) for p in budget.published_runs(_RUNS)], display_names=False,
            scales=plane, colors=[PALETTE[2]], marker="square", default_size=50,
            labels=["published runs (named in the table below)"], display_legend=True,
            tooltip=bq.Tooltip(fields=["name"], labels=["run"]),
        )
        self.forum_model = bq.Scatter(
            x=[_FORUM.n_params], y=[_FORUM.n_tokens], names=[_FORUM_NAME], display_names=False,
            scales=plane, colors=[PALETTE[3]], marker="triangle-up", default_size=70,
            labels=["the forum's hypothetical 10¹⁴-parameter run"], display_legend=True,
            tooltip=bq.Tooltip(fields=["name", "x", "y"], formats=["", ".3~e", ".3~e"],
                               labels=["", "N", "D"]),
        )
        self.point = bq.Scatter(scales=plane, colors=[PALETTE[1]], marker="diamond",
                                default_size=120, labels=["your run"], display_legend=True,
                                tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".3~e"],
                                                   labels=["N (params)", "D (tokens)"]))
        self.plane.add(self.point, self.runs, self.forum_model)
        plane_fig = self.plane.figure
        # Figure 2: FLOPs per token, by where they go.
        self.bar_x = bq.OrdinalScale(domain=_BAR_LABELS)
        self.bar_y = bq.LinearScale(min=0.0, max=1.0)
        bar_scales = {"x": self.bar_x, "y": self.bar_y}
        self.bars = bq.Bars(x=_BAR_LABELS, y=np.zeros(4), scales=bar_scales,
                            colors=list(PALETTE[:4]), color_mode="element", padding=0.3,
                            tooltip=bq.Tooltip(fields=["x", "y"], formats=["", ".3~e"],
                                               labels=["part", "FLOPs per token"]))
        bars_fig = make_figure("Training FLOPs per token: 2N + 2N + 2N + attention", self.bar_x,
                               self.bar_y, "", "FLOPs per token", [self.bars], tick_format=".2~e")
        bars_fig.axes[1].tick_format = ".2~e"
        # Three short lines by default; the rest of the numbers wait behind "More".
        self.readouts_widget = looks.html()
        self.more_readouts = looks.html()
        more = ipw.Accordion(children=[self.more_readouts],
                             titles=("More: tokens per parameter, FLOPs with attention, "
                                     "device-hours, cost",),
                             selected_index=None)
        runs = ipw.Accordion(children=[looks.html(runs_table_html())],
                             titles=("The published runs on the plane, with sources",),
                             selected_index=None)
        self._setup(
            "Compute = 6ND: what a training run costs", controls, [plane_fig, bars_fig],
            readouts=self.readouts_widget, extra=[more, runs], primary=("n_params", "n_tokens"),
            formula_html=(
                "<p><b>C = 6·N·D</b> FLOPs (Kaplan et al. 2020, §2.1, Table 1). Per token: forward "
                "2N (a multiply and an add per weight), backward 4N (2N for activation gradients, "
                "2N for weight gradients). Attention over the context adds "
                "2·n_layer·n_ctx·d_model forward (Eq 2.2), so 6·n_layer·n_ctx·d_model for "
                "training; its share is n_ctx / (12·d_model + n_ctx). PaLM (Chowdhery et al. "
                "2022, App. B) counts it as 12·n_layer·n_ctx·d_model.</p>"
                "<p><b>N = 12·n_layer·d_model²</b> non-embedding parameters (Eq 2.1). In "
                "'N, set directly' mode the shape follows GPT-3's d_model = 128·n_layer.</p>"
                "<p><b>days = C / (devices · peak · MFU) / 86 400</b>. Peak dense FLOP/s from the "
                "vendors' data sheets: "
                + "; ".join(html.escape(a.citation) for a in papers.ACCELERATORS.values())
                + ". 1 PF-day = 8.64e19 FLOPs. Prices are illustrative: set your own.</p>"
            ),
        )

    @staticmethod
    def _tooltip(p: budget.PublishedRun) -> str:
        run = p.run
        text = f"{run.name}: N {si(run.n_params)}, D {si(run.n_tokens)}, 6ND {si(p.six_nd)} FLOPs"
        if p.difference is not None:
            text += f", reported {si(run.reported_flops)} ({100 * p.difference:+.1f}%)"
        return text

    def projector_labels(self):
        """Projector mode: the runs' names, which a room cannot hover for, stand in the plane's
        right margin, each joined to its marker by a thin leader (kit.figures.callouts); the
        plane is taller, so the names stack above the equal-compute lines' own labels."""
        sc = self.plane.scales
        self.run_leaders = bq.Lines(scales=sc, colors=["#777777"], stroke_width=0.75)
        self.run_names = end_label_mark(sc, colour="#1a1a1a")
        self.plane.add(self.run_names)
        fig = self.plane.figure
        fig.marks = [self.run_leaders, *fig.marks]  # leaders behind every marker
        fig.fig_margin = {**MARGIN_WITH_LABELS, "right": 140}  # "Chinchilla, LLaMA-65B"
        fig.layout = looks.layout(width="100%", max_width="760px", height="500px")
        self.runs.labels = ["published runs (named at the right)"]
        # The equal-compute lines are one decade apart, about 80 px on a 1080p projector: a
        # 22 px "1e21" level with the page would touch the next line, so each name runs along
        # its own line, just above it. The lines fall at atan(px per decade up / across):
        # 7 decades on the 555 px plot, 9 decades on about 724 px (a 1920 px screen).
        angle = math.degrees(math.atan((555 / 7) / (724 / 9)))
        self.iso_labels.rotate_angle = angle
        lift = 17  # px from the line to the name's middle: half its height and a gap
        self.iso_labels.x_offset = round(lift * math.sin(math.radians(angle)))
        self.iso_labels.y_offset = -round(lift * math.cos(math.radians(angle)))
        self.iso_labels._sll_sized = True  # offsets set for the projector: not to be scaled

    def held_widgets(self):
        """As the base class, plus the numbers behind "More" (text: sent after the figures)."""
        yield from super().held_widgets()
        yield self.more_readouts

    # ------------------------------------------------------------------ model
    def derive(self, state):
        return budget.model_shape(state)

    def derived_reason(self, state):
        if state["mode"] == "architecture":
            return "N = 12·n_layer·d_model² in 'layers × width' mode"
        return "the shape follows N in 'N, set directly' mode"

    compute = staticmethod(budget.training_budget)

    # ------------------------------------------------------------------ view
    def render(self, k: budget.Budget, state):
        self.controls["n_params"].set_enabled(state["mode"] == "direct")
        for name in ("n_layer", "d_model"):
            self.controls[name].set_enabled(state["mode"] == "architecture")
        n, d = state["n_params"], state["n_tokens"]
        fit_scale(self.x_scale, [n], _N_RANGE)
        fit_scale(self.y_scale, [d], _D_RANGE)
        self._draw_iso_lines()
        if getattr(self, "run_names", None) is not None:  # projector mode
            callouts(self.run_names, self.run_leaders, [r.n_params for r in _RUNS],
                     [r.n_tokens for r in _RUNS], [r.short for r in _RUNS])
        self.point.x, self.point.y = np.array([n]), np.array([d])
        self.bars.y = k.parts
        self.bar_y.max = float(1.15 * k.parts.max())
        acc = papers.ACCELERATORS[state["accelerator"]]
        self.readouts_widget.value = (
            f"<b>C = 6·N·D = {si(k.flops_6nd)} FLOPs</b> ({si(k.pf_days)} PF-days)<br>"
            f"attention: <b>{100 * k.attention_share:.1f}%</b> of the FLOPs (last bar)<br>"
            f"<b>{si(k.days)} days</b> on {si(state['n_devices'])} × {html.escape(acc.name)} "
            f"at {state['mfu']:.0f}% MFU"
        )
        self.more_readouts.value = (
            f"{si(k.tokens_per_param)} tokens per parameter<br>"
            f"with attention: {si(k.per_token)} FLOPs per token, {si(k.flops_total)} FLOPs in "
            f"all (attention is {100 * k.attention_share:.1f}% of it)<br>"
            f"{si(k.device_hours)} device-hours, ≈ ${si(k.cost)} at "
            f"${state['price']:,.2f}/device-hour"
        )

    def _draw_iso_lines(self):
        # Each C = 6ND line clipped to the visible box, so no mark leaves its axes; labels at
        # the lower-right end (the legend owns the top left).
        box = budget.iso_flop_lines(_ISO_FLOPS, (self.x_scale.min, self.x_scale.max),
                                    (self.y_scale.min, self.y_scale.max))
        self.plane.set_lines(box.x, box.y, box.label_x, box.label_y, box.texts)
