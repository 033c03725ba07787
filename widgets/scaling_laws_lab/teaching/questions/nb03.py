"""Notebook 03's checks: the fine-tuning compute debate (what a few trainable weights cost)."""

from ...science import laws, papers, transformer
from ..bank import choice, number


def _per_n(key: str, method: str, top_k: int = 1) -> float:
    """FLOPs per token ÷ the forward N for ``method`` on the preset ``key`` (k blocks)."""
    s = transformer.finetune_setup(papers.SHAPES[key], method, top_k=top_k)
    return transformer.flops_per_token(s) / s["n_forward"]


def _top() -> str:
    return f"{_per_n('gpt2-small', 'top_k'):.2f}N"


def _bottom() -> str:
    return f"{_per_n('gpt2-small', 'bottom_k'):.1f}N"


def _medium_fpt_share() -> float:
    s = transformer.finetune_setup(papers.GPT2_MEDIUM, "fpt")
    return 100 * s["n_trainable"] / s["n_total"]


def _xl_last_block() -> float:
    return _per_n("gpt2-xl", "top_k")


def _kaplan_steps_10000() -> float:
    return laws.smaller_model_ratios(1e4, papers.KAPLAN_2020)["steps"]


def _steps_working() -> str:
    k = papers.KAPLAN_2020
    kap = laws.smaller_model_ratios(1e4, k)
    return (f"A model 10,000× smaller is compute-optimal for a budget 10,000^(1/{k.n_opt_exp}) ≈ "
            f"{1e4 ** (1 / k.n_opt_exp):.1e}× smaller, and S_min falls as that to the power "
            f"{k.s_min_exp}: 10,000^({k.s_min_exp}/{k.n_opt_exp}) ≈ {kap['steps']:.2f}× fewer "
            f"serial steps. Its tokens fall far more: 10,000^({1 - k.n_opt_exp:.2f}/{k.n_opt_exp}) "
            f"≈ {kap['tokens']:.0f}× under Kaplan's allocation, and "
            f"{laws.smaller_model_ratios(1e4)['tokens']:,.0f}× under Chinchilla's approach 1.")


def _medium_text() -> str:
    shape, d = papers.GPT2_MEDIUM, papers.GPT2_MEDIUM.d_model
    return (f"1. GPT-2 medium: {shape.n_layer} blocks, d_model {d}, n_ctx {shape.n_ctx}, "
            f"{transformer.total_params(shape):,} parameters in all. FPT trains 2 layer norms per "
            f"block (4 × d_model), the final one (2 × d_model), the positional embeddings "
            f"(n_ctx × d_model), a new input layer from {transformer.FPT_INPUT_FEATURES} features "
            f"({transformer.FPT_INPUT_FEATURES} × d_model + d_model) and a new "
            f"{transformer.FPT_OUTPUT_CLASSES}-class output layer "
            f"(d_model × {transformer.FPT_OUTPUT_CLASSES} + {transformer.FPT_OUTPUT_CLASSES}). "
            f"What percentage of all its parameters train?")


def _xl_text() -> str:
    shape, d = papers.GPT2_XL, papers.GPT2_XL.d_model
    s = transformer.finetune_setup(shape, "top_k")
    block = transformer.block_params(shape)
    return (f"2. GPT-2 XL: {shape.n_layer} blocks, d_model {d}, vocabulary {shape.vocab:,}. N, "
            f"the weights a token multiplies, is {s['n_forward'] / 1e9:.3f}B: each block holds "
            f"12 × d_model² + 13 × d_model = {block / 1e6:.1f}M, the tied output head "
            f"{shape.vocab:,} × {d} = {shape.vocab * d / 1e6:.1f}M. You tune only the last block "
            f"and the final layer norm (2 × d_model), so the activation gradients cross the head, "
            f"that norm and the last block. How many FLOPs per token, in units of N?")


def _lora() -> dict:
    t = papers.LORA_THROUGHPUT
    return {"fast": f"{t['lora'] / t['full']:.2f}", "mem": t["memory_gb"]}


QUESTIONS = [
    choice(
        "03.top-or-bottom",
        "Predict before the explorer opens: GPT-2 small has 12 blocks. You train only its top "
        "block (next to the output) or only its bottom block (next to the input); either way "
        "about 6% of the weights train. Per token, which costs fewer FLOPs?",
        {"top": "The top block: the backward pass can end just below it",
         "bottom": "The bottom block: the eleven frozen blocks above it need no gradients",
         "same": "About the same, near 4N each: the gradients travel back through the whole "
                 "network, whatever trains"},
        "top",
        {"top": f"Right. Gradients flow from the loss downwards and need to reach only the lowest "
                f"weight that trains. Training the top block they stop just below it: about "
                f"{_top()} per token (forward 2N, backward through the head and one block). "
                f"Training the bottom block they cross all twelve: about {_bottom()}. In the "
                f"explorer, switch <i>What trains</i> between top k and bottom k, and drag k.",
         "bottom": f"Tempting: frozen weights need no weight gradients. But the bottom block's "
                   f"gradient is built from the gradient of the block above it, and so on up to "
                   f"the loss, so every frozen block above still passes activation gradients "
                   f"down (about 2N of work). The bottom block costs about {_bottom()} per token, "
                   f"the top block about {_top()}.",
         "same": f"Tempting, and true for FPT, LoRA and BitFit: each trains something in the "
                 f"bottom block (a new input layer, adapters, biases), so their gradients cross "
                 f"the whole network. But gradients need to reach only the lowest trainable "
                 f"weight: the bottom block pays for the whole backward pass (about {_bottom()}), "
                 f"the top block for the head and one block (about {_top()})."},
        predict_first=True,
        spoilers=("2.85N", "2.85 N", "stops early", "lowest trainable", "only the top trains"),
    ),
    number(
        "03.medium-fpt-share",
        _medium_text(),
        _medium_fpt_share, unit="%",
        working="Count as for GPT-2 small: 2 layer norms per block plus the final one, the "
                "positional embeddings (1024 × 1024), and FPT's new input and output layers; "
                "divided by all 355M parameters.",
    ),
    number(
        "03.xl-last-block",
        _xl_text(),
        _xl_last_block,
        working=lambda: (f"Forward 2N; activation gradients only through the head and the last "
                         f"block; weight gradients for the last block. With 48 blocks the last one "
                         f"is a small share, so the total sits closer to 2N than GPT-2 small's "
                         f"{_top()}."),
    ),
    number(
        "03.kaplan-steps",
        "3. Kaplan et al.'s laws (Table 6): the compute-optimal size grows as C_min^0.73 and the "
        "serial steps as C_min^0.03. How many times fewer serial steps does a compute-optimal "
        "model 10,000× smaller take?",
        _kaplan_steps_10000, working=_steps_working,
    ),
    choice(
        "03.lora-why",
        "4. Per token, LoRA on GPT-3 175B costs about two thirds of full fine-tuning's FLOPs. "
        "Why, then, does almost everyone fine-tune large models with it?",
        {"memory": "Memory and storage: Adam keeps no state for the frozen weights, and a task's "
                   "checkpoint is megabytes, not hundreds of gigabytes",
         "quality": "Quality: with few weights free it cannot overfit a small data set, so on "
                    "GPT-3 it reliably beats full fine-tuning",
         "data": "Data: with 18.9M trainable weights instead of 175B (r = 4), it needs thousands "
                 "of times fewer fine-tuning examples",
         "speed": "Speed: it skips the backward pass through the frozen weights, and Hu et al. "
                  "measured each step about 3× faster on GPT-3"},
        "memory",
        {"memory": (
            f"Right. Hu et al. (2021, §4.2): on GPT-3 175B, training memory falls from "
            f"{_lora()['mem']['full'] / 1000:.1f} TB to {_lora()['mem']['lora']} GB (Adam keeps no "
            f"state for frozen weights) and a task's checkpoint from 350 GB to 35 MB (r = 4, W_q and "
            f"W_v), so one copy of the model serves many tasks."),
         "quality": "Tempting: fewer free weights should overfit less. But Hu et al. report "
                    "quality comparable to full fine-tuning, sometimes better, sometimes worse: "
                    "not a reliable win, and not why it is chosen.",
         "data": "Tempting: it is the thread's other claim, counting examples like weights. No "
                 "scaling law ties the data a fine-tune needs to the number of weights that "
                 "train: the data side is answered by what pre-training transfers (notebook 04), "
                 "and Zhang et al. (2024) found that more LoRA parameters help little.",
         "speed": f"Tempting: the frozen weights need no weight gradients. But the forward pass "
                  f"and the activation gradients still run through every frozen weight: about 4N "
                  f"of the 6N remain, so FLOPs allow at most about 1.5×, and Hu et al. measured "
                  f"{_lora()['fast']}× (43.1 vs 32.5 tokens/s per V100), not 3×."},
    ),
]
