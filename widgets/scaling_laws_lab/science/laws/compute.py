"""Compute: what training costs, in FLOPs, PF-days, devices and days.

C = 6·N·D and its parts (forward 2N, backward 4N, attention over the context), the model's
shape from its size, accelerator time and utilisation, and the cost of a fine-tuning token
when only some weights train. Kaplan et al. 2020 (arXiv:2001.08361) §2.1 and Table 1;
Chowdhery et al. 2022 (PaLM) App. B for utilisation.
"""

from __future__ import annotations

import numpy as np

from ..arguments import non_negative, positive, scalar_or_array
from ..papers import PF_DAY_FLOPS

_LOG6 = np.log(6.0)

__all__ = ["training_flops", "forward_flops_per_token", "non_embedding_params", "attention_flops_per_token",
           "training_flops_per_token", "shape_from_params", "training_days", "device_hours",
           "implied_mfu", "flops_to_pf_days", "pf_days_to_flops", "finetune_flops_per_token"]


def training_flops(n_params, n_tokens):
    """Training compute C = 6·N·D, in FLOPs.

    Kaplan et al. 2020 (arXiv:2001.08361) §2.1, Table 1: each token costs
    ≈2N FLOPs forward (a multiply-accumulate is two FLOPs) and ≈4N backward
    (activation gradients ≈2N, weight gradients ≈2N), so C ≈ 6·N·D.

    Parameters
    ----------
    n_params : float or array
        N, parameters (Kaplan count non-embedding parameters).
    n_tokens : float or array
        D, training tokens.

    Returns
    -------
    float or ndarray
        C in FLOPs. Worked value: GPT-3, 6·175e9·300e9 = 3.15e23 FLOPs; Brown et
        al. 2020 report 3.14e23.
    """
    log_n = np.log(positive("n_params", n_params))
    log_d = np.log(positive("n_tokens", n_tokens))
    return scalar_or_array(np.exp(_LOG6 + log_n + log_d))


def forward_flops_per_token(n_params, n_layer=0, n_ctx=0, d_attn=0):
    """Forward-pass FLOPs per token, C_fwd ≈ 2N + 2·n_layer·n_ctx·d_attn.

    Kaplan et al. 2020, Eq 2.2 and Table 1. The second term is attention over
    the context (QK^T and the weighted sum of values); it is small when
    d_model ≫ n_ctx/12 and is dropped in C ≈ 6ND.

    Parameters
    ----------
    n_params : float or array
        N, non-embedding parameters.
    n_layer, n_ctx, d_attn : float or array, optional
        Layers, context length (tokens) and attention width; 0 (the default)
        leaves the attention term out.

    Returns
    -------
    float or ndarray
        FLOPs per token, forward only.
    """
    n = positive("n_params", n_params)
    attn = np.asarray(attention_flops_per_token(n_layer, n_ctx, d_attn, attention_coeff=2.0))
    # 2N + attention: a sum, done as logaddexp so neither term can overflow.
    with np.errstate(divide="ignore"):
        return scalar_or_array(np.exp(np.logaddexp(np.log(2.0) + np.log(n), np.log(attn))))


def non_embedding_params(n_layer, d_model, d_attn=None, d_ff=None):
    """Non-embedding parameters N ≈ 2·d_model·n_layer·(2·d_attn + d_ff).

    Kaplan et al. 2020, Eq 2.1 and Table 1 (biases and layer norms left out).
    With the standard d_attn = d_model and d_ff = 4·d_model this is
    12·n_layer·d_model².

    Parameters
    ----------
    n_layer : float or array
        Number of transformer layers.
    d_model : float or array
        Residual stream width.
    d_attn, d_ff : float or array, optional
        Attention and feed-forward widths (default d_model and 4·d_model).

    Returns
    -------
    float or ndarray
        Parameters.
    """
    n_layer = positive("n_layer", n_layer)
    d_model = positive("d_model", d_model)
    d_attn = d_model if d_attn is None else positive("d_attn", d_attn)
    d_ff = 4.0 * d_model if d_ff is None else positive("d_ff", d_ff)
    log_n = np.log(2.0) + np.log(d_model) + np.log(n_layer) + np.log(2.0 * d_attn + d_ff)
    return scalar_or_array(np.exp(log_n))


def attention_flops_per_token(n_layer, n_ctx, d_attn, attention_coeff=6.0):
    """Training FLOPs per token spent on attention over the context: coeff·n_layer·n_ctx·d_attn.

    Kaplan et al. 2020, Eq 2.2 and Table 1: 2·n_layer·n_ctx·d_attn forward (QK^T and the
    weighted sum of values), twice that backward, so ``attention_coeff`` = 6 for training.
    PaLM (Chowdhery et al. 2022, App. B) counts both attention matmuls in full: 12.
    """
    coeff = non_negative("attention_coeff", attention_coeff)
    return scalar_or_array(coeff * non_negative("n_layer", n_layer) * non_negative("n_ctx", n_ctx)
                * non_negative("d_attn", d_attn))


def training_flops_per_token(n_params, n_layer=0, n_ctx=0, d_attn=0, attention_coeff=6.0):
    """Training FLOPs per token, 6N + attention_coeff·n_layer·n_ctx·d_attn.

    Kaplan et al. 2020, Eq 2.2 and Table 1, times 3 for forward + backward:
    the weights cost 2N forward, 2N for activation gradients and 2N for
    weight gradients; attention over the context costs 2·n_layer·n_ctx·d_attn
    forward and twice that backward (:func:`attention_flops_per_token`). Pass
    ``attention_coeff=12`` to reproduce PaLM's 2.56e24 FLOPs.
    """
    n = positive("n_params", n_params)
    attn = np.asarray(attention_flops_per_token(n_layer, n_ctx, d_attn, attention_coeff))
    with np.errstate(divide="ignore"):
        return scalar_or_array(np.exp(np.logaddexp(_LOG6 + np.log(n), np.log(attn))))


def shape_from_params(n_params, aspect_ratio=128.0):
    """(n_layer, d_model) of a model with N = 12·n_layer·d_model² and d_model = aspect·n_layer.

    Inverts :func:`non_embedding_params` for a fixed shape. The default
    aspect ratio 128 is GPT-3 175B's (d_model 12288, 96 layers; Brown et al.
    2020, Table 2.1); Kaplan et al. 2020 (§3.1, Fig 5) find loss nearly
    independent of shape over a wide range, so any sensible ratio would do.
    Results are real numbers, not rounded to whole layers.
    """
    log_n = np.log(positive("n_params", n_params))
    aspect = positive("aspect_ratio", aspect_ratio)
    log_layers = (log_n - np.log(12.0) - 2.0 * np.log(aspect)) / 3.0
    return scalar_or_array(np.exp(log_layers)), scalar_or_array(np.exp(log_layers + np.log(aspect)))


def training_days(flops, peak_flops, mfu, n_devices=1):
    """Wall-clock days to spend ``flops`` on ``n_devices`` accelerators at utilisation ``mfu``.

    days = C / (n_devices · peak FLOP/s · MFU) / 86 400. MFU (model FLOPs
    utilisation) is the fraction of peak that goes into the model's own FLOPs
    (Chowdhery et al. 2022, App. B); 30-50% is typical of large runs.

    Parameters
    ----------
    flops : float or array
        Training compute, FLOPs.
    peak_flops : float
        One device's peak, FLOP/s.
    mfu : float
        Utilisation, 0 < mfu <= 1 (a fraction, not a percentage).
    n_devices : float
        Number of accelerators.
    """
    mfu = positive("mfu", mfu)
    if np.any(mfu > 1):
        raise ValueError(f"mfu is a fraction of peak and cannot exceed 1 (got {mfu!r})")
    log_rate = (np.log(positive("peak_flops", peak_flops)) + np.log(mfu)
                + np.log(positive("n_devices", n_devices)))
    return scalar_or_array(np.exp(np.log(positive("flops", flops)) - log_rate - np.log(86_400.0)))


def device_hours(flops, peak_flops, mfu):
    """Accelerator-hours to spend ``flops``: C / (peak FLOP/s · MFU) / 3600 (see :func:`training_days`)."""
    return scalar_or_array(np.asarray(training_days(flops, peak_flops, mfu)) * 24.0)


def implied_mfu(flops, hours, peak_flops):
    """Utilisation implied by a run's reported accelerator-hours: C / (hours · 3600 · peak).

    For runs that report GPU-hours but not FLOPs (LLaMA, Llama 2, Llama 3),
    with C taken as 6·N·D. Reported hours often include restarts and
    evaluation, so this is a lower bound on the MFU achieved while training.
    """
    log_c = np.log(positive("flops", flops))
    log_capacity = np.log(positive("hours", hours)) + np.log(3600.0) + np.log(
        positive("peak_flops", peak_flops))
    return scalar_or_array(np.exp(log_c - log_capacity))


def flops_to_pf_days(flops):
    """FLOPs → PF-days: 1 PF-day = 1e15 FLOP/s · 86 400 s = 8.64e19 FLOPs (Kaplan §1.3)."""
    return scalar_or_array(np.exp(np.log(positive("flops", flops)) - np.log(PF_DAY_FLOPS)))


def pf_days_to_flops(pf_days):
    """PF-days → FLOPs: 1 PF-day = 8.64e19 FLOPs (Kaplan et al. 2020, §1.3)."""
    return scalar_or_array(np.exp(np.log(positive("pf_days", pf_days)) + np.log(PF_DAY_FLOPS)))


def finetune_flops_per_token(n_params, n_trainable, grad_depth=1.0):
    """Training FLOPs per token when only ``n_trainable`` of ``n_params`` weights train.

    forward 2N + activation gradients 2N·grad_depth + weight gradients 2·N_trainable.

    The backward pass must carry activation gradients down to the lowest
    trainable weight (``grad_depth`` is that fraction of the network, 1 when
    the input layer trains, as in Lu et al. 2021's frozen pretrained
    transformer); weight gradients cost 2 FLOPs per trainable weight. Full
    fine-tuning gives 6N (Kaplan et al. 2020, §2.1); with nothing trainable
    there is no backward pass and the cost is the forward 2N.

    Parameters
    ----------
    n_params : float or array
        N, parameters run in the forward pass.
    n_trainable : float or array
        Trainable parameters, 0 ≤ n_trainable ≤ n_params.
    grad_depth : float or array
        Fraction of the network the activation gradients traverse, 0 to 1.

    Returns
    -------
    float or ndarray
        FLOPs per training token.
    """
    n = positive("n_params", n_params)
    t = non_negative("n_trainable", n_trainable)
    depth = non_negative("grad_depth", grad_depth)
    if np.any(depth > 1):
        raise ValueError(f"grad_depth must be between 0 and 1 (got {grad_depth!r})")
    if np.any(t > n):
        raise ValueError("n_trainable must not exceed n_params")
    depth = np.where(t > 0, depth, 0.0)  # nothing trains: no backward pass at all
    return scalar_or_array(2.0 * n * (1.0 + depth) + 2.0 * t)
