"""Notebook 03: does tuning 0.1% of the weights cost like training a 1000× smaller network?"""

from __future__ import annotations

import html

import bqplot as bq
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LogControl,
    end_labels,
    linear_scale,
    log_scale,
    looks,
    make_figure,
)
from ..science import laws, papers, transformer
from ..science.units import si

_PRESETS = {key: shape.name for key, shape in papers.SHAPES.items()} | {"custom": "custom sizes"}
_BAR_X = ["full", "FPT", "LoRA", "top k", "bottom k", "biases", "final norm",
          "'1000× smaller net'"]
_PARTS = ["forward", "activation gradients", "weight gradients"]


def shape_of(state) -> papers.TransformerShape:
    """The architecture a state describes (a preset, or custom sizes)."""
    if state["preset"] != "custom":
        return papers.SHAPES[state["preset"]]
    return papers.TransformerShape("custom", int(state["n_layer"]), int(state["d_model"]),
                                   int(state["n_ctx"]), int(state["vocab"]), "custom")


class FinetuneExplorer(Explorer):
    """Trainable parameters and FLOPs per token for full, FPT, LoRA, top/bottom-k and bias tuning.

    The forum's claim: tuning 0.1% of the weights is like training a 1000×
    smaller network. Per token, every method still runs the whole model
    forward (2N) and, unless only the top of the network trains, carries
    gradients all the way down (2N); only the weight-gradient term (2 FLOPs per
    trainable weight) shrinks with the trainable fraction.
    """

    app = "apps/03_finetune.ipynb"
    examples = (
        {"method": "full"},
        {"method": "lora", "lora_rank": 64},
        {"preset": "gpt2-xl", "method": "top_k", "top_k": 4},
        {"preset": "custom", "n_layer": 6, "d_model": 512, "n_ctx": 512, "vocab": 32000},
    )

    bench_args = {"method": "top_k"}  # then k, the first visible slider, moves both figures
    extremes = ({"preset": "custom", "n_layer": 1e4, "d_model": 1e6, "n_ctx": 1e8, "vocab": 1e7,
                 "d_finetune": 1e40, "method": "lora", "lora_rank": 1e6},
                {"preset": "custom", "n_layer": 1, "d_model": 8, "n_ctx": 1, "vocab": 1,
                 "method": "top_k", "top_k": 1, "lora_rank": 1})

    def __init__(self, preset: str = "gpt2-small", method: str = "fpt"):
        super().__init__()
        controls = [
            ChoiceControl("preset", "Model", _PRESETS, preset),
            LogControl("n_layer", "n_layer, blocks", "layers", 12, (1, 200), (1, 1e4),
                       integer=True, step=0.01),
            LogControl("d_model", "d_model, width", "", 768, (64, 32768), (8, 1e6),
                       integer=True, step=0.01),
            LogControl("n_ctx", "n_ctx, context", "tokens", 1024, (64, 1 << 17), (1, 1e8),
                       integer=True, step=0.01),
            LogControl("vocab", "vocabulary", "tokens", 50257, (256, 1e6), (1, 1e7),
                       integer=True, step=0.01),
            ChoiceControl("method", "What trains", transformer.METHODS, method),
            LogControl("lora_rank", "LoRA rank r", "", 8, (1, 1024), (1, 1e6), integer=True,
                       step=0.01),
            LogControl("top_k", "k (top/bottom blocks)", "layers", 1, (1, 100), (1, 1e4),
                       integer=True, step=0.01),
            LogControl("d_finetune", "Fine-tuning tokens", "tokens", 1e8, (1e3, 1e13),
                       (1.0, 1e40)),
        ]
        # Figure 1: stacked FLOPs per token for every method.
        self.bar_x = bq.OrdinalScale(domain=_BAR_X)
        self.bar_y = linear_scale(0.0, 1.0)
        self.bars = bq.Bars(x=_BAR_X, y=np.zeros((3, len(_BAR_X))), type="stacked",
                            scales={"x": self.bar_x, "y": self.bar_y},
                            colors=[PALETTE[0], PALETTE[1], PALETTE[2]], labels=_PARTS,
                            display_legend=True, padding=0.25,
                            tooltip=bq.Tooltip(fields=["x", "y"], formats=["", ".3~e"],
                                               labels=["setup", "FLOPs per token"]))
        bars_fig = make_figure("Training FLOPs per token, by method", self.bar_x, self.bar_y,
                               "", "FLOPs per token", [self.bars], height="360px")
        bars_fig.axes[1].tick_format = ".2~e"
        bars_fig.legend_location = "top-right"
        # Figure 2: FLOPs per token (in units of N) against the trainable fraction.
        # y to 11: the values stop at 6, the band above holds the legend.
        self.frac_scale, self.units_scale = log_scale(1e-4, 1.0), linear_scale(0.0, 11.0)
        sc = {"x": self.frac_scale, "y": self.units_scale}
        self.curves = bq.Lines(scales=sc, colors=[PALETTE[2], PALETTE[3]], stroke_width=2.5,
                               marker="circle", marker_size=20,
                               labels=["top k blocks train", "bottom k blocks train"],
                               display_legend=True)
        self.curve_names = bq.Label(scales=sc, default_size=11, align="end", y_offset=14)
        self.refs = bq.Lines(scales=sc, colors=["#444444", "#999999"], line_style="dotted",
                             labels=["6N: full fine-tuning", "2N: forward only"],
                             display_legend=True)
        self.thread = bq.Lines(scales=sc, colors=[PALETTE[4]], line_style="dash_dotted",
                               labels=["the thread's 0.1%"], display_legend=True)
        self.small_net = bq.Lines(scales=sc, colors=[PALETTE[6]], line_style="dashed",
                                  labels=["6 × trainable: the '1000× smaller net' view"],
                                  display_legend=True)
        self.here = bq.Scatter(scales=sc, colors=[PALETTE[1]], marker="diamond",
                               default_size=130, labels=["your setup"], display_legend=True,
                               tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~%", ".3f"],
                                                  labels=["trainable", "FLOPs per token / N"]))
        frac_fig = make_figure("FLOPs per token (× N) against the trainable fraction",
                               self.frac_scale, self.units_scale,
                               "trainable fraction of the parameters", "FLOPs per token ÷ N",
                               [self.refs, self.thread, self.small_net, self.curves, self.here,
                                self.curve_names],
                               height="400px")
        frac_fig.axes[1].tick_format = ".0f"
        frac_fig.axes[1].tick_values = list(range(7))
        frac_fig.axes[0].label = "trainable fraction of the parameters (1e-3 = 0.1%)"
        self.frac_axis = frac_fig.axes[0]
        self.counts = looks.html()
        self._setup("Fine-tuning compute: what shrinks when only a few weights train", controls,
                    [bars_fig, frac_fig], readouts=looks.html(), extra=[self.counts],
                    formula_html=_FORMULAS)

    # ------------------------------------------------------------------ model
    def derive(self, state):
        if state["preset"] == "custom":
            return {}
        shape = papers.SHAPES[state["preset"]]
        return {"n_layer": float(shape.n_layer), "d_model": float(shape.d_model),
                "n_ctx": float(shape.n_ctx), "vocab": float(shape.vocab)}

    def derived_reason(self, state):
        return f"the sizes follow the '{_PRESETS[state['preset']]}' preset; choose 'custom sizes'"

    def check(self, state):
        shape = shape_of(state)
        if state["lora_rank"] > shape.d_model:
            raise ValueError(f"LoRA rank r = {si(state['lora_rank'])} is larger than d_model = "
                             f"{shape.d_model}: the low-rank factors would be bigger than the "
                             f"matrix they adapt")
        if state["top_k"] > shape.n_layer:
            raise ValueError(f"k = {si(state['top_k'])} blocks, but the model has only "
                             f"{shape.n_layer}")

    def setups(self, state) -> dict:
        """:func:`scaling_laws_lab.transformer.finetune_setup` for every method at this state."""
        shape = shape_of(state)
        return {m: transformer.finetune_setup(shape, m, lora_rank=int(state["lora_rank"]),
                                              top_k=int(state["top_k"]))
                for m in transformer.METHODS}

    # ------------------------------------------------------------------ view
    def draw(self, state):
        custom = state["preset"] == "custom"
        for name in ("n_layer", "d_model", "n_ctx", "vocab"):
            self.controls[name].set_enabled(custom)
        self.controls["lora_rank"].set_enabled(state["method"] == "lora")
        self.controls["top_k"].set_enabled(state["method"] in ("top_k", "bottom_k"))
        shape, setups = shape_of(state), self.setups(state)
        chosen = setups[state["method"]]
        parts = np.array([list(transformer.flops_breakdown(setups[m]).values())
                          for m in transformer.METHODS]).T
        small = 2.0 * chosen["n_trainable"]  # the thread's view: 6 FLOPs per trainable weight
        y = np.column_stack([parts, [small, small, small]])
        self.bars.y = y
        self.bar_y.max = float(1.12 * y.sum(axis=0).max())
        self._draw_fractions(shape, chosen)
        self._write_readouts(state, shape, setups)

    def _draw_fractions(self, shape, chosen):
        ks = np.unique(np.round(np.geomspace(1, shape.n_layer, 40)).astype(int))
        rows = []
        for method in ("top_k", "bottom_k"):
            pts = [transformer.finetune_setup(shape, method, top_k=int(k)) for k in ks]
            rows.append(([p["n_trainable"] / p["n_total"] for p in pts],
                         [transformer.flops_per_token(p) / p["n_forward"] for p in pts]))
        frac_here = chosen["n_trainable"] / chosen["n_total"]
        x_all = np.concatenate([rows[0][0], rows[1][0], [frac_here]])
        lo = 10.0 ** np.floor(np.log10(min(x_all.min(), 1e-4)))
        self.frac_scale.min, self.frac_scale.max = float(lo), 1.0
        self.curves.x = np.array([rows[0][0], rows[1][0]])
        self.curves.y = np.array([rows[0][1], rows[1][1]])
        end_labels(self.curve_names, [rows[0][0][:1], rows[1][0][:1]],
                   [rows[0][1][:1], rows[1][1][:1]], ["top k", "bottom k"],
                   [PALETTE[2], PALETTE[3]])
        self.refs.x, self.refs.y = [[lo, 1.0], [lo, 1.0]], [[6.0, 6.0], [2.0, 2.0]]
        grid = np.geomspace(lo, 1.0, 50)
        self.small_net.x, self.small_net.y = grid, 6.0 * grid
        self.thread.x, self.thread.y = [1e-3, 1e-3], [0.0, 6.0]
        self.frac_axis.tick_values = [10.0**k for k in range(int(np.log10(lo)), 1)]
        self.here.x = np.array([frac_here])
        self.here.y = np.array([transformer.flops_per_token(chosen) / chosen["n_forward"]])

    def _write_readouts(self, state, shape, setups):
        chosen = setups[state["method"]]
        full = transformer.flops_per_token(setups["full"])
        per_token = transformer.flops_per_token(chosen)
        small = 6.0 * chosen["n_trainable"]
        frac = chosen["n_trainable"] / chosen["n_total"]
        tokens = state["d_finetune"]
        lora_ratio = full / transformer.flops_per_token(setups["lora"])
        measured = papers.LORA_THROUGHPUT["lora"] / papers.LORA_THROUGHPUT["full"]
        self.readouts.value = (
            f"<b>{html.escape(transformer.METHODS[state['method']])}</b>: "
            f"{si(chosen['n_trainable'])} of {si(chosen['n_total'])} parameters train = "
            f"<b>{100 * frac:.3g}%</b> (the thread's figure: 0.1%).<br>"
            f"FLOPs per token: <b>{si(per_token)}</b> = {per_token / chosen['n_forward']:.3f} N, "
            f"against {si(full)} (6N) for full fine-tuning and {si(small)} if it really cost "
            f"like a network of the trainable size (6 × {si(chosen['n_trainable'])}).<br>"
            f"On {si(tokens)} fine-tuning tokens: <b>{si(per_token * tokens)} FLOPs</b> "
            f"({si(laws.flops_to_pf_days(per_token * tokens))} PF-days); full fine-tuning "
            f"{si(full * tokens)}.<br>"
            f"Reality check, LoRA: FLOPs predict at most {lora_ratio:.2f}× the tokens per second "
            f"of full fine-tuning; Hu et al. measured {papers.LORA_THROUGHPUT['lora']} vs "
            f"{papers.LORA_THROUGHPUT['full']} tokens/s per V100 on GPT-3 175B = {measured:.2f}× "
            f"(LoRA's main saving is memory: optimizer state for the frozen weights).<br>"
            + _thread_readout(shape, chosen)
        )
        counts = transformer.param_counts(shape)
        total = sum(counts.values())
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v:,}</td><td>{100 * v / total:.2f}%"
                       f"</td></tr>" for k, v in counts.items())
        printed = ""
        if shape.paper_params and shape.name.startswith("GPT-2"):
            printed = (f"<br>Radford et al. 2019 print {si(shape.paper_params)}; the released "
                       f"checkpoint has {total:,} (see the notebook for why they differ).")
        self.counts.value = (
            f"<table class='sll-table'><tr><th>{html.escape(shape.name)}</th><th>parameters"
            f"</th><th>share</th></tr>{rows}<tr><td><b>total</b></td><td><b>{total:,}</b></td>"
            f"<td>100%</td></tr></table>{printed}"
        )


#: D_F for the data comparison: seed 002's example, 3e5 characters of Python (the transfer
#: law's unit is characters, not the tokens of the slider; the ratio does not depend on it).
_THREAD_D_F = 3e5


def _thread_readout(shape, chosen, d_finetune=_THREAD_D_F) -> str:
    """The data and steps side of the thread's claim (``laws.smaller_network_comparison``)."""
    n, small = transformer.non_embedding_params(shape), chosen["n_trainable"]
    if small >= n:
        return ("<b>Is it like training a smaller network?</b> Here every non-embedding weight "
                "trains: there is no smaller network to compare with.")
    cmp = laws.smaller_network_comparison(n, small, d_finetune)
    return (
        f"<b>Is it like training a network of {si(small)} parameters?</b> Data: with "
        f"Hernandez et al.'s law (text → python; N = the whole model's {si(n)} non-embedding "
        f"parameters, and the whole model fine-tuned), D_F = {si(d_finetune)} characters is worth "
        f"D_T = <b>{si(cmp['d_t'])}</b> characters from pre-training; a network really of "
        f"{si(small)} parameters would get {si(cmp['d_t_small'])}, "
        f"<b>{cmp['transfer_ratio']:.3g}× less</b>. Steps: compute-optimal models of the two "
        f"sizes (Kaplan Table 6) differ by {cmp['kaplan_steps_ratio']:.3g}× in serial steps and "
        f"{cmp['kaplan_tokens_ratio']:.3g}× in tokens, not {si(n / small)}×."
    )


_FORMULAS = (
    "<p>FLOPs per training token = <b>2·N</b> (forward) + <b>2·N·depth</b> (activation "
    "gradients, down to the lowest trainable weight) + <b>2·N_trainable</b> (weight "
    "gradients). Full fine-tuning: 6N (Kaplan et al. 2020, §2.1). N counts the weights used "
    "in matrix products per token (embedding look-ups are free; the tied output head is "
    "not).</p><p>Parameter counts per block: attention 4d² + 4d, MLP 8d² + 5d, two layer norms "
    "4d; plus token embeddings V·d (tied with the output head), positional embeddings "
    "n_ctx·d and a final layer norm 2d (the released GPT-2 checkpoints).</p>"
    f"<p>{html.escape(papers.FPT_CITATION)}. FPT's new input and output layers use "
    f"illustrative sizes ({transformer.FPT_INPUT_FEATURES} input features, "
    f"{transformer.FPT_OUTPUT_CLASSES} classes). LoRA: rank-r factors A (d×r) and B (r×d) on "
    f"W_q and W_v in every block ({html.escape(papers.LORA_THROUGHPUT['citation'])}).</p>"
    "<p>Data transferred by pre-training: D_T = k·D_F^α·N^β (Hernandez et al. 2021, Eq 1.1, "
    "Table 1, text → python: k 1.9e4, α 0.18, β 0.38), N the pretrained model's non-embedding "
    "size. Steps: S_min = 5.4e3·C_min^0.03 (Kaplan et al. 2020, Table 6).</p>"
)
