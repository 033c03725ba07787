"""Notebook 01's checks: where the 6 in 6·N·D comes from, attention's share, and days."""

from ...science import laws, papers
from ...science.units import si
from ..bank import choice, number

#: GPT-2 small's width and the long context the predict-first check asks about.
_GPT2_SMALL_D_MODEL, _LONG_CONTEXT = 768, 131_072
#: GPT-3's width (Brown et al. 2020, Table 2.1) and the context at which attention is 10% of it.
_GPT3_D_MODEL, _GPT3_TEN_PERCENT_CONTEXT = 12288, 16384
#: Llama 2 70B's width (Touvron et al. 2023) at its 4,096-token context.
_LLAMA2_70B_D_MODEL, _LLAMA2_CONTEXT = 8192, 4096


def attention_share(d_model: float, n_ctx: float) -> float:
    """Attention's share of training FLOPs per token, n_ctx / (12·d_model + n_ctx) (Kaplan Eq 2.1–2.2).

    Computed from the package's FLOP counts (12 layers; the share does not depend on depth).
    """
    n = laws.non_embedding_params(12, d_model)
    return float(1 - 6 * n / laws.training_flops_per_token(n, 12, n_ctx, d_model))


def _llama13b_flops() -> float:
    return float(laws.training_flops(13e9, 1e12))


def _chinchilla_a100_days() -> float:
    a100 = papers.ACCELERATORS["A100"].peak_flops
    return float(laws.training_days(laws.training_flops(70e9, 1.4e12), a100, 0.40))


def _llama2_attention_percent() -> float:
    return 100 * attention_share(_LLAMA2_70B_D_MODEL, _LLAMA2_CONTEXT)


def _long_context_explanation() -> str:
    share = attention_share(_GPT2_SMALL_D_MODEL, _LONG_CONTEXT)
    return (f"131,072 / (12 × 768 + 131,072) ≈ {100 * share:.0f}%: at long contexts a small "
            "model spends almost all its compute comparing tokens with each other, and 6·N·D "
            "undercounts badly.")


def _ten_percent_explanation() -> str:
    share = attention_share(_GPT3_D_MODEL, _GPT3_TEN_PERCENT_CONTEXT)
    return (f"That is GPT-3's share at a 16k context ({100 * share:.0f}%). GPT-2 small is "
            f"{_GPT3_D_MODEL // _GPT2_SMALL_D_MODEL}× narrower, and its context here is "
            f"{_LONG_CONTEXT // _GPT3_TEN_PERCENT_CONTEXT}× longer.")


QUESTIONS = [
    choice(
        "01.attention-share",
        "Predict before you see the table: GPT-2 small (d_model = 768) trained with a "
        "131k-token context. Attention's share of its training FLOPs is about…",
        {"one": "1%: 6·N·D counts nearly all the work",
         "ten": "10%: noticeable, but 6·N·D still dominates",
         "half": "50%: attention and the weights cost about the same",
         "most": "over 90%: attention is nearly all the work"},
        "most",
        {"one": "That is the share for a wide model at a short context, the case 6·N·D was "
                "made for. Here the context is 170× the width: the share is "
                "n_ctx / (12·d_model + n_ctx).",
         "ten": _ten_percent_explanation(),
         "half": "That happens at n_ctx = 12·d_model ≈ 9k tokens for this width; 131k is far "
                 "past it.",
         "most": _long_context_explanation()},
        predict_first=True, spoilers=("93.4%", "93%"),
    ),
    choice(
        "01.backward-4n",
        "4. A weight matrix is frozen (it does not train), but layers below it still train. "
        "Per token, its backward pass costs about how many FLOPs per weight?",
        {"two": "2: the gradient for the layers below still passes through it, but it needs "
                "no gradient of its own",
         "four": "4: the backward pass is 4N whatever trains, so a frozen matrix costs the same",
         "zero": "0: a frozen matrix drops out of the backward pass",
         "six": "6: its activations must be recomputed before anything passes through it"},
        "two",
        {"two": "Right: the backward pass does two products per matrix, ∂L/∂x = Wᵀ·∂L/∂y (2 per "
                "weight, passed to the layer below) and ∂L/∂W = ∂L/∂y·xᵀ (2 per weight, what "
                "the optimizer needs), Kaplan §2.1. Frozen, it skips the second, not the first. "
                "Notebook 03 builds on this.",
         "four": "The 4 is two products of 2: the weight's own gradient is one of them, and a "
                 "frozen weight has no use for it.",
         "zero": "Only if nothing below it trains. The layers below need ∂L/∂x, and that "
                 "product runs through this matrix.",
         "six": "Recomputation (activation checkpointing) is a memory trick some runs add: "
                "another forward pass, 2 per weight, and not part of 6·N·D. Freezing does not "
                "call for it."},
    ),
    number(
        "01.llama13b-flops",
        "1. A 13B-parameter model trained on 1T tokens: training FLOPs by 6·N·D?",
        _llama13b_flops, unit="FLOPs",
        working=lambda: f"6 × 13 × 10⁹ × 10¹² = {si(_llama13b_flops())} FLOPs.",
    ),
    number(
        "01.chinchilla-a100-days",
        "2. Chinchilla (70B params, 1.4T tokens): how many A100-days at 40% MFU (by 6·N·D)? "
        f"An A100's peak is {papers.ACCELERATORS['A100'].peak_flops / 1e12:.0f} TFLOP/s.",
        _chinchilla_a100_days, unit="GPU-days",
        working=lambda: ("6 × 70e9 × 1.4e12 = 5.88e23 FLOPs; one A100 at 40% does "
                         "0.4 × 312e12 = 1.25e14 FLOP/s; 5.88e23 / 1.25e14 / 86400 ≈ "
                         f"{_chinchilla_a100_days():,.0f} A100-days."),
    ),
    number(
        "01.llama2-attention",
        "3. Llama 2 70B's width (d_model 8192) at n_ctx = 4096: attention's share of training "
        "FLOPs, in %?",
        _llama2_attention_percent, unit="%",
        working=lambda: ("n_ctx / (12·d_model + n_ctx) = 4096 / (98304 + 4096) = "
                         f"{_llama2_attention_percent():.1f}%."),
    ),
]

