"""Where a GPT-2-style transformer's parameters sit, and what fine-tuning part of them costs.

Pure numpy (no widgets). Counts follow the released GPT-2 checkpoints: per block,
attention has W_qkv (d × 3d) and W_o (d × d) with biases, the MLP W_1 (d × 4d) and
W_2 (4d × d) with biases, and two layer norms (gain and bias); token embeddings are
tied with the output head; positional embeddings are learned (n_ctx × d).

FLOPs per training token follow :func:`scaling_laws_lab.laws.finetune_flops_per_token`:
forward 2·N_fwd, activation gradients 2·N_fwd·depth (down to the lowest trainable
weight), weight gradients 2·N_trainable, where N_fwd counts the weights used in
matrix products for one token (embedding look-ups cost no FLOPs).
"""

from __future__ import annotations

from . import laws
from .papers import TransformerShape

#: The menu's names (short enough for the explorer's side column; the readout and the formula
#: panel spell out FPT: layer norms, input, positional embeddings and output, Lu et al. 2021).
METHODS = {
    "full": "full fine-tuning",
    "fpt": "FPT: norms + in/out layers (Lu 2021)",
    "lora": "LoRA on W_q and W_v (Hu et al. 2021)",
    "top_k": "top k blocks only",
    "bottom_k": "bottom k blocks only",
    "biases": "biases only (BitFit)",
    "final_ln": "final layer norm only",
}

#: Illustrative task sizes for FPT's new input and output layers (Lu et al. train a
#: fresh linear layer in and out of the frozen transformer for each task).
FPT_INPUT_FEATURES = 48  # e.g. a 4×4 RGB image patch
FPT_OUTPUT_CLASSES = 10  # e.g. CIFAR-10


def param_counts(shape: TransformerShape) -> dict[str, int]:
    """Parameters by component, exact integers, for a GPT-2-style decoder.

    GPT-2 small gives 124,439,808, the released checkpoint's count; Radford et
    al. 2019 (Table 2) print 117M.
    """
    L, d = int(shape.n_layer), int(shape.d_model)
    return {
        "token embeddings (tied output head)": shape.vocab * d,
        "positional embeddings": shape.n_ctx * d,
        "attention": L * (4 * d * d + 4 * d),
        "MLP": L * (8 * d * d + 5 * d),
        "layer norms": L * 4 * d + 2 * d,
    }


def block_params(shape: TransformerShape) -> int:
    """Parameters of one transformer block (attention + MLP + its two layer norms)."""
    d = int(shape.d_model)
    return 12 * d * d + 13 * d


def non_embedding_params(shape: TransformerShape) -> int:
    """Parameters outside the token and positional embeddings: the blocks and the final norm.

    The N of Kaplan et al. 2020 and of Hernandez et al. 2021's transfer law (with
    biases and norms, which Kaplan's 12·n_layer·d_model² leaves out).
    """
    return int(shape.n_layer) * block_params(shape) + 2 * int(shape.d_model)


def total_params(shape: TransformerShape) -> int:
    return sum(param_counts(shape).values())


def finetune_setup(shape: TransformerShape, method: str, *, lora_rank: int = 8,
                   top_k: int = 1) -> dict:
    """Trainable and forward parameters, and how deep gradients must flow, for a method.

    Returns
    -------
    dict
        ``n_forward`` (weights in matrix products per token, FLOPs/2),
        ``n_trainable`` (all trainable parameters), ``n_weight_grad`` (the
        trainable ones used in matrix products: their gradients cost 2 FLOPs
        each; look-up tables such as positional embeddings cost next to none),
        ``grad_depth`` (fraction of ``n_forward`` the activation gradients pass
        through), and ``n_total`` (all stored parameters).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    L, d, V = int(shape.n_layer), int(shape.d_model), int(shape.vocab)
    block, head = block_params(shape), V * d
    final_ln = 2 * d
    lm_forward = L * block + final_ln + head  # blocks, final norm, logits; look-ups are free
    pos = shape.n_ctx * d  # positional look-up table
    if method == "full":
        n_fwd, n_train, depth = lm_forward, total_params(shape), 1.0
        n_wgrad = n_fwd
    elif method == "fpt":
        # New linear layers in and out replace the token embeddings and the LM head.
        fpt_in = FPT_INPUT_FEATURES * d + d
        fpt_out = d * FPT_OUTPUT_CLASSES + FPT_OUTPUT_CLASSES
        n_fwd = L * block + final_ln + fpt_in + fpt_out
        n_train = fpt_in + fpt_out + pos + L * 4 * d + final_ln
        n_wgrad = n_train - pos
        depth = 1.0  # the input layer trains: gradients reach the bottom
    elif method == "lora":
        if not 1 <= lora_rank <= d:
            raise ValueError(f"LoRA rank must be between 1 and d_model = {d}; got {lora_rank}")
        n_train = L * 2 * (2 * lora_rank * d)  # A (d×r) and B (r×d) on W_q and W_v
        n_fwd, depth = lm_forward + n_train, 1.0  # adapters in block 1: all the way down
        n_wgrad = n_train
    elif method in ("top_k", "bottom_k"):
        if not 1 <= top_k <= L:
            raise ValueError(f"k must be between 1 and n_layer = {L}; got {top_k}")
        n_train = top_k * block + (final_ln if method == "top_k" else 0)
        n_fwd = lm_forward
        # Top k: gradients pass the head and the top k blocks only. Bottom k: they must
        # pass every block above to reach them, so all the way down.
        depth = (head + final_ln + top_k * block) / n_fwd if method == "top_k" else 1.0
        n_wgrad = n_train
    elif method == "final_ln":
        # The last norm sits under the (frozen) head: gradients cross the head only.
        n_train = n_wgrad = final_ln
        n_fwd = lm_forward
        depth = (head + final_ln) / n_fwd
    else:  # biases (and layer-norm shifts) only
        n_train = L * (9 * d + 2 * d) + d
        n_fwd, depth, n_wgrad = lm_forward, 1.0, n_train
    return {"n_forward": n_fwd, "n_trainable": n_train, "n_weight_grad": n_wgrad,
            "grad_depth": depth, "n_total": total_params(shape)}


def flops_breakdown(setup: dict) -> dict[str, float]:
    """FLOPs per training token: forward, activation gradients and weight gradients.

    They sum to :func:`scaling_laws_lab.laws.finetune_flops_per_token` (``n_forward``,
    ``n_weight_grad``, ``grad_depth``): 6·N for full fine-tuning.
    """
    n, t, depth = setup["n_forward"], setup["n_weight_grad"], setup["grad_depth"]
    return {"forward": 2.0 * n, "activation gradients": 2.0 * n * depth if t > 0 else 0.0,
            "weight gradients": 2.0 * t}


def flops_per_token(setup: dict) -> float:
    """Total training FLOPs per token for a :func:`finetune_setup` (Kaplan §2.1 generalised)."""
    return laws.finetune_flops_per_token(setup["n_forward"], setup["n_weight_grad"],
                                         setup["grad_depth"])
