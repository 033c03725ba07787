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
         "same": "Neither: the same number of weights train, so the same FLOPs"},
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
         "same": f"That is the thread's view: cost follows the number of trainable weights. The "
                 f"forward pass (2N) is the same for both, the backward pass is not: gradients "
                 f"must reach the lowest trainable weight, so the bottom block pays for almost the "
                 f"whole backward pass (about {_bottom()}) and the top block for almost none "
                 f"(about {_top()})."},
        predict_first=True,
        spoilers=("2.85N", "2.85 N", "stops early", "lowest trainable", "only the top trains"),
    ),
    number(
        "03.medium-fpt-share",
        "1. GPT-2 medium (24 blocks, d_model 1024, n_ctx 1024): what percentage of its "
        "parameters train under FPT (positional embeddings included)?",
        _medium_fpt_share, unit="%",
        working="Count as for GPT-2 small: 2 layer norms per block plus the final one, the "
                "positional embeddings (1024 × 1024), and FPT's new input and output layers; "
                "divided by all 355M parameters.",
    ),
    number(
        "03.xl-last-block",
        "2. GPT-2 XL (48 blocks): tuning only its last block costs how many FLOPs per token, "
        "in units of N?",
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
        {"memory": "Memory and storage: no optimizer state for the frozen weights, tiny checkpoints",
         "quality": "Quality: tuning fewer weights overfits less, so it beats full fine-tuning",
         "data": "Data: with fewer weights to fit, it needs far fewer fine-tuning examples",
         "speed": "Speed: skipping the frozen weights' gradients makes each step several times faster"},
        "memory",
        {"memory": (
            f"Right. Hu et al. (2021, §4.2): on GPT-3 175B, training memory falls from "
            f"{_lora()['mem']['full'] / 1000:.1f} TB to {_lora()['mem']['lora']} GB (Adam keeps no "
            f"state for frozen weights) and a task's checkpoint from 350 GB to 35 MB (r = 4, W_q and "
            f"W_v), so one copy of the model serves many tasks."),
         "quality": "Hu et al. report quality comparable to full fine-tuning, sometimes better, "
                    "sometimes worse: not a reliable win, and not why it is chosen.",
         "data": "That is the thread's other claim. No scaling law ties the data a fine-tune needs "
                 "to the number of weights that train: the data side is answered by what "
                 "pre-training transfers (notebook 04), and Zhang et al. (2024) found that more "
                 "LoRA parameters help little.",
         "speed": f"The forward pass and the activation gradients still run through every frozen "
                  f"weight: about 4N of the 6N remain, so FLOPs allow at most about 1.5×, and Hu "
                  f"et al. measured {_lora()['fast']}× (43.1 vs 32.5 tokens/s per V100)."},
    ),
]
