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
    attach_more,
    decade_cover,
    decade_ticks,
    linear_scale,
    log_grid,
    log_scale,
    looks,
    make_figure,
    update,
)
from ..science import finetuning, laws, papers, transformer
from ..science.units import si

_PRESETS = {key: shape.name for key, shape in papers.SHAPES.items()} | {"custom": "custom sizes"}
# Short enough for eight bars side by side at 720 px (the last is the thread's view: a network
# of the trainable size, 6 FLOPs per trainable weight; the readout says so in full).
_BAR_X = ["full", "FPT", "LoRA", "top k", "bottom k", "biases", "last norm", "'small net'"]
_PARTS = ["forward", "activation gradients", "weight gradients"]


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
                       integer=True, step=0.01, readout=_blocks),
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
                       integer=True, step=0.01, readout=_blocks),
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
                               "", "FLOPs per token", [self.bars])
        bars_fig.axes[1].tick_format = ".2~e"
        # Figure 2: FLOPs per token (in units of N) against the trainable fraction. The two
        # curves differ in marker as well as colour.
        self.frac_scale, self.units_scale = log_scale(1e-4, 1.0), linear_scale(0.0, 6.5)
        sc = {"x": self.frac_scale, "y": self.units_scale}
        self.top_curve = bq.Lines(scales=sc, colors=[PALETTE[2]], stroke_width=2.5,
                                  marker="circle", marker_size=20,
                                  labels=["top k blocks train"], display_legend=True)
        self.bottom_curve = bq.Lines(scales=sc, colors=[PALETTE[3]], stroke_width=2.5,
                                     marker="triangle-up", marker_size=24,
                                     labels=["bottom k blocks train"], display_legend=True)
        self.refs = bq.Lines(scales=sc, colors=["#444444", "#999999"], line_style="dotted",
                             labels=["6N: full fine-tuning", "2N: forward only"],
                             display_legend=True)
        self.thread = bq.Lines(scales=sc, colors=[PALETTE[4]], line_style="dash_dotted",
                               labels=["the thread's 0.1%"], display_legend=True)
        self.small_net = bq.Lines(scales=sc, colors=[PALETTE[6]], line_style="dashed",
                                  labels=["6 × trainable: the '1000× smaller net' view"],
                                  display_legend=True)
        self.here = bq.Scatter(scales=sc, colors=[PALETTE[1]], marker="diamond",
                               default_size=120, labels=["your setup"], display_legend=True,
                               tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3~%", ".3f"],
                                                  labels=["trainable", "FLOPs per token / N"]))
        frac_fig = make_figure("FLOPs per token (× N) against the trainable fraction",
                               self.frac_scale, self.units_scale,
                               "trainable fraction of the parameters", "FLOPs per token ÷ N",
                               [self.refs, self.thread, self.small_net, self.top_curve,
                                self.bottom_curve, self.here])
        frac_fig.axes[1].tick_format = ".0f"
        frac_fig.axes[1].tick_values = list(range(7))
        frac_fig.axes[0].label = "trainable fraction of the parameters (1e-3 = 0.1%)"
        self.frac_axis = frac_fig.axes[0]
        self.counts = looks.html()
        self.more_readouts = looks.html()
        self._setup("Fine-tuning compute: what shrinks when only a few weights train", controls,
                    [bars_fig, frac_fig], readouts=looks.html(), extra=[self.counts],
                    formula_html=_FORMULAS, primary=("method", "top_k"))
        attach_more(self, self.more_readouts, "More: total FLOPs, LoRA, the smaller network, "
                                              "every method")

    # ------------------------------------------------------------------ model
    def derive(self, state):
        return finetuning.preset_sizes(state)

    def derived_reason(self, state):
        return f"the sizes follow the '{_PRESETS[state['preset']]}' preset; choose 'custom sizes'"

    def check(self, state):
        finetuning.check_setup(state)

    compute = staticmethod(finetuning.finetuning)

    # ------------------------------------------------------------------ view
    def render(self, k: finetuning.Finetuning, state):
        custom = state["preset"] == "custom"
        for name in ("n_layer", "d_model", "n_ctx", "vocab"):
            self.controls[name].set_enabled(custom)
        self.controls["lora_rank"].set_enabled(state["method"] == "lora")
        self.controls["top_k"].set_enabled(state["method"] in ("top_k", "bottom_k"))
        self.bars.y = k.parts
        self.bar_y.max = float(1.12 * k.parts.sum(axis=0).max())
        self._draw_fractions(k)
        self._write_readouts(state, k)

    def _draw_fractions(self, k):
        fracs, per_n = k.curve_fractions, k.curve_per_n
        lo = float(decade_cover([fracs, k.fraction], (1e-4, 1.0))[0])
        self.frac_scale.min, self.frac_scale.max = lo, 1.0
        update(self.top_curve, x=fracs[0], y=per_n[0])
        update(self.bottom_curve, x=fracs[1], y=per_n[1])
        self.refs.x, self.refs.y = [[lo, 1.0], [lo, 1.0]], [[6.0, 6.0], [2.0, 2.0]]
        grid = log_grid(lo, 1.0, 50)
        self.small_net.x, self.small_net.y = grid, 6.0 * grid  # the reference line y = 6x
        self.thread.x, self.thread.y = [1e-3, 1e-3], [0.0, 6.0]
        self.frac_axis.tick_values = decade_ticks(lo, 1.0)
        self.here.x, self.here.y = np.array([k.fraction]), np.array([k.per_n])

    def _write_readouts(self, state, k):
        chosen, method = k.chosen, state["method"]
        # Three short lines: what trains, what a token costs, where to look. The rest is in More.
        self.readouts.value = (
            f"<b>{html.escape(transformer.METHODS[method])}</b>: <b>{_percent(k.fraction)}</b> of "
            f"the parameters train ({si(chosen['n_trainable'])} of {si(chosen['n_total'])}; the "
            f"thread's figure: 0.1%).<br>FLOPs per token: <b>{k.per_n:.2f} N</b> = "
            f"{si(k.per_token)}, N being this setup's own {si(chosen['n_forward'])} weights; full "
            f"fine-tuning 6N of {si(k.setups['full']['n_forward'])} = {si(k.per_token_full)}; a "
            f"network of the trainable size {si(k.small_net)}.<br>{_look(method, k.shape)}"
        )
        tokens = state["d_finetune"]
        rows = "".join(
            f"<tr><td>{html.escape(transformer.METHODS[m])}</td><td>{_percent(frac)}</td>"
            f"<td>{per_n:.3f}</td></tr>" for m, (frac, per_n) in k.methods.items())
        self.more_readouts.value = (
            f"On {si(tokens)} fine-tuning tokens: <b>{si(k.total_flops)} FLOPs</b> "
            f"({si(laws.flops_to_pf_days(k.total_flops))} PF-days, {si(k.per_token)} per token); "
            f"full fine-tuning {si(k.total_flops_full)}.<br>"
            f"Reality check, LoRA: FLOPs allow at most {k.lora_flops_ratio:.2f}× the tokens per "
            f"second of full fine-tuning; Hu et al. measured {papers.LORA_THROUGHPUT['lora']} vs "
            f"{papers.LORA_THROUGHPUT['full']} tokens/s per V100 on GPT-3 175B = "
            f"{k.lora_measured_ratio:.2f}×.<br>" + _thread_readout(k)
            + "<table class='sll-table'><caption>Every method at these settings (LoRA rank and k "
            "as set). ÷ N: FLOPs per token over the forward N; 6 is full fine-tuning, 2 the "
            "forward pass alone.</caption><tr><th>what trains</th><th>share</th><th>÷ N</th></tr>"
            + rows + "</table>"
        )
        counts, shape = k.param_counts, k.shape
        total = sum(counts.values())
        rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{v:,}</td><td>{100 * v / total:.2f}%"
                       f"</td></tr>" for name, v in counts.items())
        printed = ""
        if shape.paper_params and shape.name.startswith("GPT-2"):
            printed = (f"<br>Radford et al. 2019 print {si(shape.paper_params)}; the released "
                       f"checkpoint has {total:,} (the difference is GPT-2's larger vocabulary: "
                       f"notebook 03, 'What 0.1% is').")
        self.counts.value = (
            f"<table class='sll-table'><tr><th>{html.escape(shape.name)}</th><th>parameters"
            f"</th><th>share</th></tr>{rows}<tr><td><b>total</b></td><td><b>{total:,}</b></td>"
            f"<td>100%</td></tr></table>{printed}"
        )


#: The third line of the readout: what to look at for this method.
_LOOK = {
    "full": "Every weight trains: compare the other bars with this one.",
    "top_k": "Look at the middle bar segment and the green curve: what is above k is all "
             "the backward pass crosses.",
    "final_ln": "Look at the middle bar segment: the backward pass ends at the top.",
    "bottom_k": "Look at the pink curve: gradients must still reach the bottom block.",

    "other": "Look at the bars: only the top segment (weight gradients) shrinks.",
}


def _look(method: str, shape) -> str:
    """The readout's third line; for FPT, why its bar is lower (its N is its own)."""
    if method != "fpt":
        return _LOOK.get(method, _LOOK["other"])
    head = int(shape.vocab) * int(shape.d_model)
    return (f"FPT's bar is lower because its {transformer.FPT_OUTPUT_CLASSES}-class output layer "
            f"replaces the {si(head)}-weight language head: a change of task, not a saving from "
            f"freezing.")


def _blocks(k: float) -> str:
    """The readout under a block-count slider: "1 block", "12 blocks"."""
    return f"{k:.0f} block" if round(k) == 1 else f"{k:.0f} blocks"


def _percent(fraction: float) -> str:
    """A share as a percentage with two significant digits (0.7%, 0.0012%, 100%)."""
    return f"{100 * fraction:.3g}%" if fraction >= 0.1 else f"{100 * fraction:.2g}%"


def _thread_readout(k: finetuning.Finetuning) -> str:
    """The data and steps side of the thread's claim (``laws.smaller_network_comparison``)."""
    if k.thread is None:
        return ("<b>Is it like training a smaller network?</b> Here every non-embedding weight "
                "trains: there is no smaller network to compare with.<br>")
    small, cmp = k.chosen["n_trainable"], k.thread
    n = transformer.non_embedding_params(k.shape)
    return (
        f"<b>Is it like training a network of {si(small)} parameters?</b> Data: with "
        f"Hernandez et al.'s law (text → python; N = the whole model's {si(n)} non-embedding "
        f"parameters, and the whole model fine-tuned), D_F = {si(finetuning.THREAD_D_F)} characters "
        f"is worth D_T = <b>{si(cmp['d_t'])}</b> characters from pre-training; a network really of "
        f"{si(small)} parameters would get {si(cmp['d_t_small'])}, "
        f"<b>{cmp['transfer_ratio']:.3g}× less</b>. From scratch (not a fine-tune), "
        f"compute-optimal models of the two sizes ({si(n / small)}× apart) differ by "
        f"{si(cmp['chinchilla_tokens_ratio'])}× in tokens (Chinchilla, approach 1) but only "
        f"{cmp['kaplan_steps_ratio']:.3g}× in serial steps (Kaplan's batch law, Table 6; their "
        f"allocation: {cmp['kaplan_tokens_ratio']:.3g}× in tokens).<br>"
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
    "size. Tokens of a compute-optimal run: D ∝ N (Hoffmann et al. 2022, approach 1, "
    "a = b = 0.50). Steps: S_min = 5.4e3·C_min^0.03 (Kaplan et al. 2020, Table 6), the only "
    "batch-size law used here.</p>"
)
