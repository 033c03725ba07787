"""Notebook 09: size a model for its whole life, training plus inference (Sardana et al. 2024)."""

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
    fit_scale,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    set_limits,
    update,
)
from ..science import inference
from ..science.grids import decade_ticks
from ..science.units import si

_N_RANGE = (1e8, 1e12)  # parameters
_FLOPS_RANGE = (1e21, 1e26)
_TOKENS_RANGE = (1e9, 1e16)


class LifetimeExplorer(Explorer):
    """Training + lifetime inference FLOPs against model size, at a fixed target loss.

    Figures: lifetime FLOPs against N (training, inference, total; the least-total model and
    the compute-optimal one); the lifetime-optimal N and its training tokens as inference
    grows; de Vries's overhead curve with published runs placed on it.
    """

    app = "apps/09_lifetime.ipynb"
    examples = (
        {"inference_tokens": 1e15},
        {"loss": 1.9},
        {"fit": "epoch"},
        {"inference_tokens": 1e9, "loss": 2.2},
    )
    extremes = ({"fit": "chinchilla", "inference_tokens": 1e40, "loss": 1.7},
                {"fit": "chinchilla", "inference_tokens": 1.0, "loss": 50.0},
                {"fit": "epoch", "loss": 1.8173})

    def __init__(self, loss: float = 2.0, inference_tokens: float = 1e13):
        super().__init__()
        controls = [
            LogControl("inference_tokens", "Tokens served", "tokens",
                       inference_tokens, (1e9, 1e16), (1.0, 1e40), step=0.05,
                       readout=lambda v: f"{si(v)} tokens"),
            LinearControl("loss", "Target loss", "nats/token", loss, (1.75, 3.0), (0.0, 100.0),
                          step=0.01),
            ChoiceControl("fit", "Loss law", {k: f.name for k, f in inference.FITS.items()},
                          "chinchilla"),
        ]
        # Figure 1: lifetime FLOPs against N.
        self.n_scale, self.f_scale = log_scale(*_N_RANGE), log_scale(*_FLOPS_RANGE)
        sc = {"x": self.n_scale, "y": self.f_scale}
        self.parts = bq.Lines(scales=sc, stroke_width=2.5, display_legend=True,
                              colors=[PALETTE[0], PALETTE[4], "#000000"],
                              line_style="solid",
                              labels=["training, 6·N·D_train(N)", "inference, 2·N·D_inference",
                                      "total"])
        self.best = bq.Scatter(scales=sc, colors=["#000000"], marker="circle", default_size=80,
                               labels=["least total compute"], display_legend=True)
        self.chin = bq.Scatter(scales=sc, colors=[PALETTE[0]], marker="square", default_size=70,
                               labels=["compute-optimal (no inference counted)"],
                               display_legend=True)
        self.floor = bq.Lines(scales=sc, colors=["#888888"], line_style="dotted",
                                 labels=["size floor: smaller never reaches the loss"],
                                 display_legend=True)
        fig1 = make_figure("Lifetime compute against model size, at the target loss",
                           self.n_scale, self.f_scale, "N, parameters", "FLOPs",
                           [self.parts, self.best, self.chin, self.floor])
        # Figure 2: N* and D* against inference demand.
        self.i_scale, self.nd_scale = log_scale(*_TOKENS_RANGE), log_scale(1e9, 1e14)
        sc2 = {"x": self.i_scale, "y": self.nd_scale}
        self.star = bq.Lines(scales=sc2, stroke_width=2.5, colors=[PALETTE[0], PALETTE[1]],
                             line_style="solid", display_legend=True,
                             labels=["N*, parameters", "D_train*, tokens"])
        self.i_rule = bq.Lines(scales=sc2, colors=["#888888"], line_style="dotted",
                               labels=["your inference demand"], display_legend=True)
        fig2 = make_figure("As inference grows: a smaller model on more data",
                           self.i_scale, self.nd_scale, "tokens served in its life",
                           "parameters / training tokens", [self.star, self.i_rule])
        self.nd_axis = fig2.axes[1]
        # Figure 3: de Vries's curve.
        self.s_scale, self.o_scale = log_scale(0.05, 2.0), linear_scale(0.0, 3.0)
        sc3 = {"x": self.s_scale, "y": self.o_scale}
        self.curve = bq.Lines(scales=sc3, colors=[PALETTE[0]], stroke_width=2.5,
                              labels=["extra training compute at equal loss"],
                              display_legend=True)
        self.crit3 = bq.Lines(scales=sc3, colors=["#888888"], line_style="dotted",
                              labels=["size floor"], display_legend=True)
        self.de_vries = bq.Scatter(scales=sc3, colors=[PALETTE[4]], marker="cross",
                                   default_size=120, x=[0.3], y=[1.0],
                                   labels=["de Vries's critical model size: ~30%, ~+100%"],
                                   display_legend=True)
        self.runs = bq.Scatter(scales=sc3, colors=[PALETTE[2]], marker="triangle-up",
                               default_size=60, labels=["published runs (their N and D)"],
                               display_legend=True,
                               tooltip=bq.Tooltip(fields=["name"], labels=["run"]))
        self.run_names = bq.Label(scales=sc3, colors=[PALETTE[2]], default_size=11, x_offset=6,
                                  y_offset=-14, align="start")
        fig3 = make_figure("De Vries's curve: a smaller model at equal loss costs more training",
                           self.s_scale, self.o_scale, "N / compute-optimal N",
                           "extra training compute (1 = +100%)",
                           # The cross last and larger: Llama 3 8B sits on it (printed law).
                           [self.curve, self.crit3, self.runs, self.run_names, self.de_vries],
                           tick_format=".2~f")
        self.more_numbers = looks.html()
        self._setup("Sizing for a model's whole life: training plus inference", controls,
                    [fig1, fig2, fig3], readouts=looks.html(),
                    formula_html=_FORMULAS, primary=("inference_tokens", "loss"))
        attach_more(self, self.more_numbers, "More: the optimum in full, and published runs")

    compute = staticmethod(inference.lifetime)

    def check(self, state):
        fit = inference.FITS[state["fit"]]
        if not state["loss"] > fit.E:
            raise ValueError(f"the target loss must be above the law's floor E = {fit.E:.4g} "
                             f"nats/token ({fit.name}); no model of any size reaches "
                             f"{state['loss']:.4g}")

    def render(self, k: inference.Lifetime, state):
        o = k.optimum
        total = k.train_flops + k.inference_flops
        chin_total = o.chinchilla_total_flops
        ys = np.vstack([k.train_flops, k.inference_flops, total])
        fit_scale(self.n_scale, [k.n_grid], _N_RANGE)
        fit_scale(self.f_scale, [ys[np.isfinite(ys) & (ys > 0)], [o.total_flops, chin_total]],
                  _FLOPS_RANGE)
        # Below the size floor training never ends (inf): drawn at the top of the axis.
        ys = np.clip(ys, self.f_scale.min, self.f_scale.max)
        update(self.parts, x=np.tile(k.n_grid, (3, 1)), y=ys)
        update(self.best, x=[o.n_params], y=[o.total_flops])
        update(self.chin, x=[o.chinchilla_n], y=[chin_total])
        update(self.floor, x=[k.floor_params] * 2, y=[self.f_scale.min, self.f_scale.max])
        fit_scale(self.i_scale, [k.inf_grid], _TOKENS_RANGE)
        fit_scale(self.nd_scale, [k.n_star, k.d_star], (1e9, 1e14))
        # One tick per decade: bqplot's own log ticks crowd a few decades with labels.
        update(self.nd_axis, tick_values=decade_ticks(self.nd_scale.min, self.nd_scale.max))
        update(self.star, x=np.tile(k.inf_grid, (2, 1)), y=np.vstack([k.n_star, k.d_star]))
        here = max(o.inference_tokens, k.inf_grid[0])
        update(self.i_rule, x=[here, here], y=[self.nd_scale.min, self.nd_scale.max])
        top = max(3.0, float(np.ceil(max(r.overhead for r in k.runs) + 0.5)))
        set_limits(self.o_scale, 0.0, top)
        # Room on the right for the runs' names (they stand right of their markers).
        right = max(3.0, 4.0 * max(r.size_fraction for r in k.runs))
        set_limits(self.s_scale, 10.0 ** np.floor(np.log10(k.floor_fraction)), right)
        # The curve leaves the top of the axis on its way up to the asymptote: draw it only up
        # to there (clipping would draw a false plateau).
        shown = k.overheads <= top
        update(self.curve, x=k.fractions[shown], y=k.overheads[shown])
        update(self.crit3, x=[k.floor_fraction] * 2, y=[0.0, top])
        update(self.runs, x=[r.size_fraction for r in k.runs],
               y=[min(max(r.overhead, 0.0), top) for r in k.runs])
        update(self.run_names, x=[r.size_fraction for r in k.runs],
               y=[min(max(r.overhead, 0.0), top) for r in k.runs],
               text=[r.name for r in k.runs])
        shrink = o.n_params / o.chinchilla_n
        self.readouts.value = (
            f"Least lifetime compute: <b>N = {si(o.n_params)}</b> on {si(o.train_tokens)} tokens"
            f"<br>{shrink:.0%} of the compute-optimal size, {si(o.tokens_per_param)} tokens per "
            f"parameter<br>Black dot: the least total; blue square: compute-optimal"
        )
        head = ("<tr><th>run</th><th>N</th><th>D</th><th>loss under this law</th>"
                "<th>N / optimal N</th><th>extra training compute</th>"
                "<th>pays off if it serves</th></tr>")

        def pays(r):
            if r.justifying_inference == 0:
                return "never (at or above the optimal size)"
            return f"{si(r.justifying_inference)} tokens"

        body = "".join(
            f"<tr><td>{html.escape(r.name)}</td><td>{si(r.n_params)}</td>"
            f"<td>{si(r.n_tokens)}</td><td>{r.loss:.3f}</td><td>{r.size_fraction:.2f}</td>"
            f"<td>{r.overhead:+.0%}</td><td>{pays(r)}</td></tr>" for r in k.runs)
        self.more_numbers.value = (
            f"<p>Target {o.loss:.3f} nats/token under <b>{html.escape(k.fit_name)}</b>, "
            f"{si(o.inference_tokens)} tokens served: {si(o.total_flops)} FLOPs in all. The "
            f"compute-optimal model for the same loss: N = {si(o.chinchilla_n)} on "
            f"{si(o.chinchilla_train_tokens)} tokens "
            f"({si(o.chinchilla_train_tokens / o.chinchilla_n)} per parameter). Size floor "
            f"{si(k.floor_params)} ({k.floor_fraction:.1%} of it): no smaller model reaches the "
            f"loss. At 30% of the optimal size this law charges {k.de_vries_overhead:+.0%} "
            f"training compute (de Vries: about +100%).</p>"
            f"<p>Published runs under this law (each at its own loss). Read across: how far "
            f"below the optimal size, the extra training, and the tokens it must serve before "
            f"its size pays off.</p><table class='sll-table'>{head}{body}</table>"
        )


_FORMULAS = (
    "<p><b>Lifetime compute</b> (Sardana et al. 2024, <i>Beyond Chinchilla-Optimal</i>, "
    "arXiv:2401.00448, §2): minimise 6·N·D_train + 2·N·D_inference subject to "
    "L(N, D_train) = ℓ, with L the Chinchilla form E + A/N^α + B/D^β (Hoffmann et al. 2022, "
    "Eq 2). D_train(N) = (B / (ℓ − E − A/N^α))^(1/β) is the data N needs to reach ℓ.</p>"
    "<p><b>The optimum</b> satisfies I = 3·D·(αA·N^−α / (β·(ℓ − E − A·N^−α)) − 1): read the "
    "other way, the inference tokens I that make a given size the best one. It is 0 at the "
    "compute-optimal size N = (A(α+β) / (β(ℓ − E)))^(1/α).</p>"
    "<p><b>De Vries's curve</b> (<i>Go smol or go home</i>, 2023): extra training compute of a "
    "model k × the compute-optimal size at equal loss; it does not depend on ℓ. It grows "
    "without bound at the <i>size floor</i>, where E + A/N^α = ℓ: (β/(α+β))^(1/α) of the "
    f"optimal size, {inference.floor_fraction(inference.FITS['chinchilla']):.1%} with "
    f"Chinchilla's printed constants, {inference.floor_fraction(inference.FITS['epoch']):.1%} "
    "with Epoch's. De Vries's "
    "<i>critical model size</i> is the knee above it: 'around 30% of the Chinchilla optimal "
    "model and leads to a 100% compute overhead'.</p>"
    "<p><b>Runs</b>: Chinchilla 70B on 1.4T tokens (Hoffmann et al. 2022); Llama 3 8B and 70B "
    "on over 15T tokens each (Meta's model card).</p>"
)
