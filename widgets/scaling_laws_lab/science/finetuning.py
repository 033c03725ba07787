"""What tuning a few weights costs, method by method: the numbers behind notebook 03's explorer.

:func:`finetuning` takes the explorer's state (a GPT-2-style shape or preset, a method, a
LoRA rank, k blocks, fine-tuning tokens) and returns a frozen :class:`Finetuning`. Counts
and FLOPs per token: :mod:`scaling_laws_lab.science.transformer` (Kaplan et al. 2020, §2.1
generalised); the thread's "1000× smaller network": :func:`laws.smaller_network_comparison`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import laws, papers, transformer
from .units import si

#: D_F for the data comparison: the worked example of Hernandez et al.'s Fig 1 (as a summary of
#: *Scaling Laws for Transfer* reports it), 3e5 characters of Python. The transfer law's unit is
#: characters; the ratio of the two D_T does not depend on D_F.
THREAD_D_F = 3e5


def shape_of(state: dict) -> papers.TransformerShape:
    """The architecture a state describes (a preset, or custom sizes)."""
    if state["preset"] != "custom":
        return papers.SHAPES[state["preset"]]
    return papers.TransformerShape("custom", int(state["n_layer"]), int(state["d_model"]),
                                   int(state["n_ctx"]), int(state["vocab"]), "custom")


def preset_sizes(state: dict) -> dict:
    """The preset's n_layer, d_model, n_ctx and vocab (none for custom sizes)."""
    if state["preset"] == "custom":
        return {}
    shape = papers.SHAPES[state["preset"]]
    return {"n_layer": float(shape.n_layer), "d_model": float(shape.d_model),
            "n_ctx": float(shape.n_ctx), "vocab": float(shape.vocab)}


def check_setup(state: dict) -> None:
    """Refuse a LoRA rank above d_model, or more blocks than the model has (ValueError)."""
    shape = shape_of(state)
    if state["lora_rank"] > shape.d_model:
        raise ValueError(f"LoRA rank r = {si(state['lora_rank'])} is larger than d_model = "
                         f"{shape.d_model}: the low-rank factors would be bigger than the "
                         f"matrix they adapt")
    if state["top_k"] > shape.n_layer:
        raise ValueError(f"k = {si(state['top_k'])} blocks, but the model has only "
                         f"{shape.n_layer}")


def setups(state: dict) -> dict:
    """:func:`transformer.finetune_setup` for every method at this state."""
    shape = shape_of(state)
    return {m: transformer.finetune_setup(shape, m, lora_rank=int(state["lora_rank"]),
                                          top_k=int(state["top_k"]))
            for m in transformer.METHODS}


@dataclass(frozen=True)
class Finetuning:
    """Notebook 03's explorer state, computed."""

    shape: papers.TransformerShape
    setups: dict  #: method -> finetune_setup dict (counts, depth)
    chosen: dict  #: the state's method's setup
    parts: np.ndarray  #: (3, methods + 1) FLOPs per token: forward, activation, weight grads;
    #: the last column is the thread's view, 6 FLOPs per trainable weight
    per_token: float  #: the chosen method's FLOPs per token
    per_token_full: float  #: full fine-tuning's, 6N
    per_n: float  #: the chosen method's FLOPs per token in units of its forward N
    fraction: float  #: trainable share of all parameters
    small_net: float  #: 6 × trainable: what a network of the trainable size would cost
    total_flops: float  #: per_token × fine-tuning tokens
    total_flops_full: float
    lora_flops_ratio: float  #: full / LoRA FLOPs per token: the most LoRA's FLOPs allow
    lora_measured_ratio: float  #: Hu et al.'s measured 43.1 / 32.5
    curve_fractions: np.ndarray  #: (2, ks) trainable fraction for top k, bottom k
    curve_per_n: np.ndarray  #: (2, ks) FLOPs per token / N for top k, bottom k
    param_counts: dict  #: component -> parameters
    thread: dict | None  #: laws.smaller_network_comparison, None when all weights train
    methods: dict  #: method -> (trainable fraction, FLOPs per token ÷ its forward N), every method


@functools.lru_cache(maxsize=32)
def fraction_curves(shape) -> tuple[np.ndarray, np.ndarray]:
    """Trainable fraction and FLOPs per token (÷ N) for top-k and bottom-k tuning, k = 1..n_layer.

    Cached by shape (a frozen dataclass): the curves depend on nothing else, and a step of
    k or of the method would otherwise recompute 2 × n_layer setups (most of a step's time).
    The arrays are returned read-only, so a caller cannot change the cached copy.
    """
    ks = np.unique(np.round(np.geomspace(1, shape.n_layer, 40)).astype(int))
    fracs, per_n = [], []
    for method in ("top_k", "bottom_k"):
        pts = [transformer.finetune_setup(shape, method, top_k=int(k)) for k in ks]
        fracs.append([p["n_trainable"] / p["n_total"] for p in pts])
        per_n.append([transformer.flops_per_token(p) / p["n_forward"] for p in pts])
    fracs, per_n = np.array(fracs), np.array(per_n)
    fracs.flags.writeable = per_n.flags.writeable = False
    return fracs, per_n


def finetuning(state: dict) -> Finetuning:
    """Notebook 03's explorer, computed for ``state``."""
    shape, all_setups = shape_of(state), setups(state)
    chosen = all_setups[state["method"]]
    parts = np.array([list(transformer.flops_breakdown(all_setups[m]).values())
                      for m in transformer.METHODS]).T
    small = 2.0 * chosen["n_trainable"]  # the thread's view: 6 FLOPs per trainable weight
    per_token = transformer.flops_per_token(chosen)
    full = transformer.flops_per_token(all_setups["full"])
    fracs, per_n = fraction_curves(shape)
    n_non_embedding = transformer.non_embedding_params(shape)
    thread = (laws.smaller_network_comparison(n_non_embedding, chosen["n_trainable"], THREAD_D_F)
              if chosen["n_trainable"] < n_non_embedding else None)
    tokens = state["d_finetune"]
    return Finetuning(
        shape=shape, setups=all_setups, chosen=chosen,
        parts=np.column_stack([parts, [small, small, small]]), per_token=per_token,
        per_token_full=full, per_n=per_token / chosen["n_forward"],
        fraction=chosen["n_trainable"] / chosen["n_total"], small_net=3.0 * small,
        total_flops=per_token * tokens, total_flops_full=full * tokens,
        lora_flops_ratio=full / transformer.flops_per_token(all_setups["lora"]),
        lora_measured_ratio=papers.LORA_THROUGHPUT["lora"] / papers.LORA_THROUGHPUT["full"],
        curve_fractions=fracs, curve_per_n=per_n,
        param_counts=transformer.param_counts(shape), thread=thread,
        methods={m: (s["n_trainable"] / s["n_total"], transformer.flops_per_token(s) / s["n_forward"])
                 for m, s in all_setups.items()},
    )
