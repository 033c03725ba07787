"""The first control a learner meets: C = 6·N·D, live (notebook 00)."""

from __future__ import annotations

import bqplot as bq
import numpy as np

from ..kit import (
    PALETTE,
    Explorer,
    LogControl,
    fit_scale,
    log_scale,
    looks,
    make_figure,
    set_limits,
    update,
)
from ..science import budget, papers
from ..science.units import si

_D_RANGE = budget.TOKENS_RANGE  # tokens on the x axis by default
_C_RANGE = (1e15, 1e30)  # FLOPs on the y axis by default
_REFERENCE = (papers.GPT3_175B, papers.CHINCHILLA_70B)


class SixNDCalculator(Explorer):
    """Training compute C = 6·N·D for a model of N parameters trained on D tokens.

    The figure shows C against D for the chosen N (a straight line of slope 1
    on log–log axes), the chosen run as a point, and two real runs with the
    compute their papers report (Brown et al. 2020; Hoffmann et al. 2022).
    """

    app = "apps/00_calculator.ipynb"
    examples = (
        {"n_params": 175e9, "n_tokens": 300e9},  # GPT-3
        {"n_params": 70e9, "n_tokens": 1.4e12},  # Chinchilla
        {"n_params": 1e14, "n_tokens": 1e13},  # the forum question's brain-sized model
    )

    extremes = ({"n_params": 1e40, "n_tokens": 1e40}, {"n_params": 1.0, "n_tokens": 1.0})

    def __init__(self, n_params: float = 70e9, n_tokens: float = 1.4e12):
        super().__init__()
        n_control = LogControl("n_params", "N, parameters", "params", n_params,
                               (1e6, 1e15), (1.0, 1e40))
        d_control = LogControl("n_tokens", "D, training tokens", "tokens", n_tokens,
                               _D_RANGE, (1.0, 1e40))
        self.x_scale, self.y_scale = log_scale(*_D_RANGE), log_scale(*_C_RANGE)
        scales = {"x": self.x_scale, "y": self.y_scale}
        self.line = bq.Lines(scales=scales, colors=[PALETTE[0]], stroke_width=2.5,
                             labels=["C = 6·N·D for your N"], display_legend=True)
        self.point = bq.Scatter(scales=scales, colors=[PALETTE[1]], marker="diamond",
                                default_size=120, labels=["your run"], display_legend=True,
                                tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".3~e"],
                                                   labels=["D (tokens)", "C (FLOPs)"]))
        # The two published runs, one marker shape each, named in the key under the figure
        # (a name beside its marker would sit on the line, which passes through Chinchilla).
        self.references = [
            bq.Scatter(x=[r.n_tokens], y=[r.reported_flops], names=[r.name],
                       display_names=False, scales=scales, colors=[PALETTE[2]], marker=marker,
                       default_size=70, labels=[f"{r.name}, as reported"], display_legend=True,
                       tooltip=bq.Tooltip(fields=["name", "x", "y"], formats=["", ".3~e", ".3~e"],
                                          labels=["run", "D (tokens)", "C reported (FLOPs)"]))
            for r, marker in zip(_REFERENCE, ("square", "triangle-up"), strict=True)
        ]
        fig = make_figure("Training compute C = 6·N·D", self.x_scale, self.y_scale,
                          "D, training tokens", "C, FLOPs",
                          [self.line, *self.references, self.point])
        self._setup(
            "A first control: training compute", [n_control, d_control], [fig],
            readouts=looks.html(),
            formula_html=(
                "<p><b>C = 6 · N · D</b> FLOPs. Per token, the forward pass costs about 2N "
                "FLOPs (one multiply and one add per parameter) and the backward pass about "
                "4N (2N for gradients with respect to activations, 2N with respect to "
                "weights).</p><p>Source: Kaplan et al. 2020, <i>Scaling Laws for Neural "
                "Language Models</i>, arXiv:2001.08361, §2.1 and Table 1. "
                f"Reference points: {papers.GPT3_175B.citation}; "
                f"{papers.CHINCHILLA_70B.citation}.</p>"
            ),
        )

    compute = staticmethod(budget.six_nd)

    def render(self, k: budget.SixND, state: dict) -> None:
        x = k.line_tokens
        set_limits(self.x_scale, x[0], x[-1])
        fit_scale(self.y_scale, [k.flops, k.line_flops.min(), k.line_flops.max()], _C_RANGE)
        update(self.line, x=x)  # sent only when the axis moved: one array less per step
        self.line.y = k.line_flops
        self.point.x, self.point.y = np.array([k.n_tokens]), np.array([k.flops])
        self.readouts.value = (
            f"<b>C = 6 × {si(k.n_params)} × {si(k.n_tokens)} = {si(k.flops)} FLOPs</b><br>"
            f"= {si(k.pf_days)} PF-days &nbsp;·&nbsp; {si(k.tokens_per_param)} tokens per "
            "parameter"
        )
        self.flops = k.flops
