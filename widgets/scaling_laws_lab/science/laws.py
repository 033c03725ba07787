"""The scaling-law formulas, vectorised and computed in log space.

Pure numpy: no widget or plotting import, so the science can be used (and
tested) on its own. Every function accepts scalars or arrays and returns a
``float`` for scalar input, an ``ndarray`` otherwise. Products and powers are
formed as sums of logarithms, so arguments anywhere from 1e-10 to 1e40 give
finite results. A bad argument (negative, zero where meaningless, NaN,
infinite, not a number) raises ``ValueError`` naming the argument.

Units are in every name or docstring: parameters (N), tokens (D), characters
(D_F, D_T in the transfer law), FLOPs (C), PF-days, nats/token (loss).
"""

from __future__ import annotations

import numpy as np

from . import papers
from .papers import (
    KAPLAN_BATCH_OVER_CRITICAL,
    PF_DAY_FLOPS,
    ChinchillaFit,
    KaplanFit,
    TransferFit,
)

_LOG6 = np.log(6.0)

__all__ = [
    "training_flops",
    "forward_flops_per_token",
    "non_embedding_params",
    "training_flops_per_token",
    "attention_flops_per_token",
    "shape_from_params",
    "training_days",
    "device_hours",
    "implied_mfu",
    "flops_to_pf_days",
    "pf_days_to_flops",
    "kaplan_loss_params",
    "kaplan_loss_data",
    "kaplan_loss",
    "kaplan_loss_compute",
    "kaplan_min_data",
    "kaplan_c_min",
    "kaplan_total_compute",
    "kaplan_table6_tokens",
    "kaplan_compute_efficient_training",
    "chinchilla_loss",
    "chinchilla_loss_compute",
    "chinchilla_allocation_constants",
    "allocation_power_law",
    "compute_optimal",
    "optimal_budget_for_params",
    "compute_to_reach_loss",
    "tokens_to_reach_loss",
    "params_to_reach_loss",
    "transferred_data",
    "effective_data_multiplier",
    "fraction_from_finetuning",
    "data_worth_of_model_size",
    "params_for_effective_data",
    "finetune_data_for_effective_data",
    "scratch_data_for_99_percent",
    "finetune_flops_per_token",
    "smaller_network_comparison",
    "smaller_model_ratios",
    "henighan_loss",
    "seed_kaplan_curve",
    "seed_chinchilla_curve",
]


# --------------------------------------------------------------------------- checks
def _array(name: str, value) -> np.ndarray:
    """``value`` as a float array, or ValueError naming ``name``."""
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return arr


def _positive(name: str, value) -> np.ndarray:
    arr = _array(name, value)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 (got {value!r})")
    return arr


def _non_negative(name: str, value) -> np.ndarray:
    arr = _array(name, value)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (got {value!r})")
    return arr


def _out(arr):
    """Scalar in, float out; array in, array out."""
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _fit(fit, kind, name="fit"):
    if not isinstance(fit, kind):
        raise ValueError(f"{name} must be a {kind.__name__} from scaling_laws_lab.papers, not {fit!r}")
    return fit


# --------------------------------------------------------------------------- compute
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
    log_n = np.log(_positive("n_params", n_params))
    log_d = np.log(_positive("n_tokens", n_tokens))
    return _out(np.exp(_LOG6 + log_n + log_d))


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
    n = _positive("n_params", n_params)
    attn = np.asarray(attention_flops_per_token(n_layer, n_ctx, d_attn, attention_coeff=2.0))
    # 2N + attention: a sum, done as logaddexp so neither term can overflow.
    with np.errstate(divide="ignore"):
        return _out(np.exp(np.logaddexp(np.log(2.0) + np.log(n), np.log(attn))))


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
    n_layer = _positive("n_layer", n_layer)
    d_model = _positive("d_model", d_model)
    d_attn = d_model if d_attn is None else _positive("d_attn", d_attn)
    d_ff = 4.0 * d_model if d_ff is None else _positive("d_ff", d_ff)
    log_n = np.log(2.0) + np.log(d_model) + np.log(n_layer) + np.log(2.0 * d_attn + d_ff)
    return _out(np.exp(log_n))


def attention_flops_per_token(n_layer, n_ctx, d_attn, attention_coeff=6.0):
    """Training FLOPs per token spent on attention over the context: coeff·n_layer·n_ctx·d_attn.

    Kaplan et al. 2020, Eq 2.2 and Table 1: 2·n_layer·n_ctx·d_attn forward (QK^T and the
    weighted sum of values), twice that backward, so ``attention_coeff`` = 6 for training.
    PaLM (Chowdhery et al. 2022, App. B) counts both attention matmuls in full: 12.
    """
    coeff = _non_negative("attention_coeff", attention_coeff)
    return _out(coeff * _non_negative("n_layer", n_layer) * _non_negative("n_ctx", n_ctx)
                * _non_negative("d_attn", d_attn))


def training_flops_per_token(n_params, n_layer=0, n_ctx=0, d_attn=0, attention_coeff=6.0):
    """Training FLOPs per token, 6N + attention_coeff·n_layer·n_ctx·d_attn.

    Kaplan et al. 2020, Eq 2.2 and Table 1, times 3 for forward + backward:
    the weights cost 2N forward, 2N for activation gradients and 2N for
    weight gradients; attention over the context costs 2·n_layer·n_ctx·d_attn
    forward and twice that backward (:func:`attention_flops_per_token`). Pass
    ``attention_coeff=12`` to reproduce PaLM's 2.56e24 FLOPs.
    """
    n = _positive("n_params", n_params)
    attn = np.asarray(attention_flops_per_token(n_layer, n_ctx, d_attn, attention_coeff))
    with np.errstate(divide="ignore"):
        return _out(np.exp(np.logaddexp(_LOG6 + np.log(n), np.log(attn))))


def shape_from_params(n_params, aspect_ratio=128.0):
    """(n_layer, d_model) of a model with N = 12·n_layer·d_model² and d_model = aspect·n_layer.

    Inverts :func:`non_embedding_params` for a fixed shape. The default
    aspect ratio 128 is GPT-3 175B's (d_model 12288, 96 layers; Brown et al.
    2020, Table 2.1); Kaplan et al. 2020 (§3.1, Fig 5) find loss nearly
    independent of shape over a wide range, so any sensible ratio would do.
    Results are real numbers, not rounded to whole layers.
    """
    log_n = np.log(_positive("n_params", n_params))
    aspect = _positive("aspect_ratio", aspect_ratio)
    log_layers = (log_n - np.log(12.0) - 2.0 * np.log(aspect)) / 3.0
    return _out(np.exp(log_layers)), _out(np.exp(log_layers + np.log(aspect)))


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
    mfu = _positive("mfu", mfu)
    if np.any(mfu > 1):
        raise ValueError(f"mfu is a fraction of peak and cannot exceed 1 (got {mfu!r})")
    log_rate = (np.log(_positive("peak_flops", peak_flops)) + np.log(mfu)
                + np.log(_positive("n_devices", n_devices)))
    return _out(np.exp(np.log(_positive("flops", flops)) - log_rate - np.log(86_400.0)))


def device_hours(flops, peak_flops, mfu):
    """Accelerator-hours to spend ``flops``: C / (peak FLOP/s · MFU) / 3600 (see :func:`training_days`)."""
    return _out(np.asarray(training_days(flops, peak_flops, mfu)) * 24.0)


def implied_mfu(flops, hours, peak_flops):
    """Utilisation implied by a run's reported accelerator-hours: C / (hours · 3600 · peak).

    For runs that report GPU-hours but not FLOPs (LLaMA, Llama 2, Llama 3),
    with C taken as 6·N·D. Reported hours often include restarts and
    evaluation, so this is a lower bound on the MFU achieved while training.
    """
    log_c = np.log(_positive("flops", flops))
    log_capacity = np.log(_positive("hours", hours)) + np.log(3600.0) + np.log(
        _positive("peak_flops", peak_flops))
    return _out(np.exp(log_c - log_capacity))


def flops_to_pf_days(flops):
    """FLOPs → PF-days: 1 PF-day = 1e15 FLOP/s · 86 400 s = 8.64e19 FLOPs (Kaplan §1.3)."""
    return _out(np.exp(np.log(_positive("flops", flops)) - np.log(PF_DAY_FLOPS)))


def pf_days_to_flops(pf_days):
    """PF-days → FLOPs: 1 PF-day = 8.64e19 FLOPs (Kaplan et al. 2020, §1.3)."""
    return _out(np.exp(np.log(_positive("pf_days", pf_days)) + np.log(PF_DAY_FLOPS)))


# --------------------------------------------------------------------------- Kaplan 2020
def kaplan_loss_params(n_params, fit: KaplanFit = papers.KAPLAN_2020):
    """L(N) = (N_c / N)^α_N, nats/token: Kaplan et al. 2020, Eq 1.1 (Table 5).

    For models trained to convergence on enough data; N non-embedding
    parameters; α_N = 0.076, N_c = 8.8e13.
    """
    fit = _fit(fit, KaplanFit)
    log_n = np.log(_positive("n_params", n_params))
    return _out(np.exp(fit.alpha_n * (np.log(fit.n_c) - log_n)))


def kaplan_loss_data(n_tokens, fit: KaplanFit = papers.KAPLAN_2020):
    """L(D) = (D_c / D)^α_D, nats/token: Kaplan et al. 2020, Eq 1.2 (Table 5).

    Large models trained with early stopping on D tokens; α_D = 0.095,
    D_c = 5.4e13 tokens.
    """
    fit = _fit(fit, KaplanFit)
    log_d = np.log(_positive("n_tokens", n_tokens))
    return _out(np.exp(fit.alpha_d * (np.log(fit.d_c) - log_d)))


def kaplan_loss(n_params, n_tokens, fit: KaplanFit = papers.KAPLAN_2020):
    """L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D, nats/token.

    Kaplan et al. 2020, Eq 1.5 (= Eq 4.1) with the Table 2 refit:
    α_N = 0.076, α_D = 0.103, N_c = 6.4e13 parameters, D_c = 1.8e13 tokens.
    """
    fit = _fit(fit, KaplanFit)
    log_n = np.log(_positive("n_params", n_params))
    log_d = np.log(_positive("n_tokens", n_tokens))
    ratio = fit.nd_alpha_n / fit.nd_alpha_d
    inner = np.logaddexp(ratio * (np.log(fit.nd_n_c) - log_n), np.log(fit.nd_d_c) - log_d)
    return _out(np.exp(fit.nd_alpha_d * inner))


def kaplan_loss_compute(c_min_flops, fit: KaplanFit = papers.KAPLAN_2020):
    """L(C_min) = (C_c / C_min)^α_C, nats/token, with C_min given in FLOPs.

    Kaplan et al. 2020, Eq 1.3 (Table 5): α_C^min = 0.050,
    C_c^min = 3.1e8 PF-days = 2.68e28 FLOPs. The argument is C_min, the
    compute at batch sizes far below the critical one (Eq 5.5), not what a run
    spends: a run at the critical batch size spends C = 2·C_min, so for total
    FLOPs pass ``kaplan_c_min(C)``, which raises the loss by 2^0.05 = 3.5%.
    """
    fit = _fit(fit, KaplanFit)
    log_c = np.log(_positive("c_min_flops", c_min_flops))
    log_cc = np.log(fit.c_c_min_pf_days) + np.log(PF_DAY_FLOPS)
    return _out(np.exp(fit.alpha_c_min * (log_cc - log_c)))


def kaplan_c_min(flops, batch_over_critical=KAPLAN_BATCH_OVER_CRITICAL):
    """Kaplan's C_min for a run that spends ``flops``: C_min = C / (1 + B/B_crit), FLOPs.

    Kaplan et al. 2020, Eq 5.5. C_min is the compute the same loss would need at
    a batch size far below the critical one. Training at B = B_crit (the default,
    ``batch_over_critical`` = 1) takes 2·S_min steps and 2·E_min examples (§5.1),
    so C = 2·C_min. Every use of Kaplan's Table 6 with total compute goes through
    here. Hoffmann et al. 2022 (App. D.4) print only Kaplan's 4.68B at 1e21 FLOPs; that they
    read C this way (Kaplan §6.3: "C = 2C_min") is an inference, which reproduces it.

    Parameters
    ----------
    flops : float or array
        C, the training compute actually spent, FLOPs.
    batch_over_critical : float or array
        B / B_crit, the run's batch size over the critical batch size (> 0).

    Returns
    -------
    float or ndarray
        C_min in FLOPs (divide by 8.64e19 for PF-days).
    """
    log_c = np.log(_positive("flops", flops))
    ratio = _positive("batch_over_critical", batch_over_critical)
    return _out(np.exp(log_c - np.log1p(ratio)))


def kaplan_total_compute(c_min_flops, batch_over_critical=KAPLAN_BATCH_OVER_CRITICAL):
    """Inverse of :func:`kaplan_c_min`: the FLOPs a run spends, C = C_min · (1 + B/B_crit)."""
    log_c = np.log(_positive("c_min_flops", c_min_flops))
    ratio = _positive("batch_over_critical", batch_over_critical)
    return _out(np.exp(log_c + np.log1p(ratio)))


def _log_pf_days_min(flops, batch_over_critical):
    """log of C_min in PF-days, for Kaplan's Table 6 power laws."""
    return np.log(kaplan_c_min(flops, batch_over_critical)) - np.log(PF_DAY_FLOPS)


def kaplan_compute_efficient_training(flops, fit: KaplanFit = papers.KAPLAN_2020,
                                      batch_over_critical=KAPLAN_BATCH_OVER_CRITICAL):
    """Kaplan's compute-efficient run for a budget of ``flops``: size, batch, steps and tokens.

    Kaplan et al. 2020, Table 6 (C_min in PF-days): N_opt = 1.3e9·C_min^0.73
    parameters, B_crit = 2.0e6·C_min^0.24 tokens per step, S_min = 5.4e3·C_min^0.03
    steps (a lower bound; Eq 6.2), with C_min from :func:`kaplan_c_min`. At the
    critical batch the run takes 2·S_min steps of B_crit tokens (§5.1), so it
    processes 2·B_crit·S_min tokens. Seed 000's point, "the # of steps won't change
    much, they're just cheaper", is the 0.03: a 1000× smaller compute-optimal model
    needs 1000^(0.03/0.73) ≈ 1.3× fewer serial steps but 1000^(0.27/0.73) ≈ 13×
    fewer tokens.

    Returns
    -------
    dict
        ``c_min`` (FLOPs), ``n_params``, ``batch_tokens`` (B_crit, tokens per step),
        ``steps`` (2·S_min at B = B_crit), ``tokens`` (2·B_crit·S_min, processed),
        and ``tokens_table6`` (Kaplan's separately fitted D_opt = 2e10·C_min^0.27).
    """
    fit = _fit(fit, KaplanFit)
    log_pf = _log_pf_days_min(flops, batch_over_critical)
    n = np.exp(np.log(fit.n_opt_coeff) + fit.n_opt_exp * log_pf)
    b = np.exp(np.log(fit.b_crit_coeff) + fit.b_crit_exp * log_pf)
    s_min = np.exp(np.log(fit.s_min_coeff) + fit.s_min_exp * log_pf)
    return {"c_min": _out(np.exp(log_pf) * PF_DAY_FLOPS), "n_params": _out(n),
            "batch_tokens": _out(b), "steps": _out(2.0 * s_min),
            "tokens": _out(2.0 * b * s_min),
            "tokens_table6": _out(np.exp(np.log(fit.d_opt_coeff) + fit.d_opt_exp * log_pf))}


def kaplan_min_data(n_params, fit: KaplanFit = papers.KAPLAN_2020):
    """Tokens needed to avoid overfitting, D ≳ 5e3 · N^0.74 (Kaplan et al. 2020, Eq 4.4).

    Parameters
    ----------
    n_params : float or array
        N, non-embedding parameters.

    Returns
    -------
    float or ndarray
        D in tokens.
    """
    fit = _fit(fit, KaplanFit)
    log_n = np.log(_positive("n_params", n_params))
    return _out(np.exp(np.log(fit.overfit_coeff) + fit.overfit_exp * log_n))


def kaplan_table6_tokens(flops, fit: KaplanFit = papers.KAPLAN_2020,
                         batch_over_critical=KAPLAN_BATCH_OVER_CRITICAL):
    """Kaplan's own D_opt = 2e10 · C_min^0.27 tokens (Table 6), for a run spending ``flops``.

    C_min = C / (1 + B/B_crit) (:func:`kaplan_c_min`; C = 2·C_min at the critical
    batch). Kaplan fitted N_opt and D_opt separately, so 6·N_opt·D_opt is close
    to, not exactly, the compute spent: 0.90·C at the critical batch size (the
    fits' rounding). Fed total FLOPs as if they were C_min, the same product looks
    like 1.8·C: that apparent disagreement is the C vs C_min mix-up, not Kaplan's.
    :func:`compute_optimal` instead spends exactly C = 6ND.
    """
    fit = _fit(fit, KaplanFit)
    log_pf = _log_pf_days_min(flops, batch_over_critical)
    return _out(np.exp(np.log(fit.d_opt_coeff) + fit.d_opt_exp * log_pf))


# --------------------------------------------------------------------------- Chinchilla
def chinchilla_loss(n_params, n_tokens, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """L(N, D) = E + A/N^α + B/D^β, nats/token: Hoffmann et al. 2022, Eq 2.

    Parameters
    ----------
    n_params : float or array
        N, parameters.
    n_tokens : float or array
        D, training tokens.
    fit : ChinchillaFit
        ``papers.HOFFMANN_2022`` (printed: E 1.69, A 406.4, B 410.7, α 0.34,
        β 0.28), ``papers.HOFFMANN_2022_EXACT`` (unrounded) or
        ``papers.BESIROGLU_2024`` (Epoch AI refit).
    """
    fit = _fit(fit, ChinchillaFit)
    log_n = np.log(_positive("n_params", n_params))
    log_d = np.log(_positive("n_tokens", n_tokens))
    terms = np.logaddexp(np.log(fit.A) - fit.alpha * log_n, np.log(fit.B) - fit.beta * log_d)
    return _out(fit.E + np.exp(terms))


def chinchilla_allocation_constants(fit: ChinchillaFit = papers.HOFFMANN_2022):
    """(G, a, b) of Hoffmann et al. 2022, Eq 4.

    G = (αA / (βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β); then
    N_opt = G·(C/6)^a parameters and D_opt = G⁻¹·(C/6)^b tokens.
    """
    fit = _fit(fit, ChinchillaFit)
    s = fit.alpha + fit.beta
    g = float(np.exp((np.log(fit.alpha * fit.A) - np.log(fit.beta * fit.B)) / s))
    return g, fit.beta / s, fit.alpha / s


def allocation_power_law(fit):
    """(log coefficient, exponent) of a fit's compute-optimal size, N_opt = coeff · C^a, C in FLOPs.

    Every published allocation is a power law in the budget; each fit names its rule
    (``fit.allocation_rule``) and the rule's formula lives here, once:

    - ``"eq4"`` (``ChinchillaFit``): Hoffmann et al. 2022, Eq 4, the minimiser of Eq 2
      under C = 6ND: N_opt = G·(C/6)^a, G = (αA/(βB))^(1/(α+β)), a = β/(α+β).
    - ``"power_law"`` (``AllocationFit``, approaches 1 and 2): N_opt = n_coeff·C^a with
      Table 2's exponent and a coefficient calibrated on Table 3 / Table A3.
    - ``"kaplan_c_min"`` (``KaplanFit``): Kaplan et al. 2020, Eq 6.1, Table 6,
      N_opt = 1.3e9 · C_min^0.73 with C_min in PF-days and C_min = C/2 for a run at the
      critical batch size (:func:`kaplan_c_min`, Eq 5.5, §5.1). At 1e21 FLOPs this gives
      4.68B, the value Hoffmann et al. 2022 (App. D.4) quote for Kaplan.
    """
    rule = getattr(fit, "allocation_rule", None)
    if rule == "eq4":
        g, a, _ = chinchilla_allocation_constants(fit)
        return float(np.log(g) - a * _LOG6), a
    if rule == "power_law":
        return float(np.log(fit.n_coeff)), fit.a
    if rule == "kaplan_c_min":
        # log C_min(PF-days) = log C + log of C_min(PF-days) for C = 1 FLOP (kaplan_c_min)
        shift = np.log(flops_to_pf_days(kaplan_c_min(1.0)))
        return float(np.log(fit.n_opt_coeff) + fit.n_opt_exp * shift), fit.n_opt_exp
    raise ValueError(f"fit must be a fit from scaling_laws_lab.papers, not {fit!r}")


def compute_optimal(flops, fit=papers.HOFFMANN_2022):
    """Compute-optimal (N_opt, D_opt) for a budget of ``flops``, spending exactly C = 6·N·D.

    N_opt follows the fit's own rule (:func:`allocation_power_law`: Eq 4 for a
    Chinchilla-form loss, Table 2/3/A3 power laws for approaches 1 and 2, Kaplan's
    Table 6 in C_min = C/2), and D_opt = C / (6·N_opt). Kaplan's own D_opt fit is
    :func:`kaplan_table6_tokens`.

    Parameters
    ----------
    flops : float or array
        C, training compute in FLOPs.
    fit : ChinchillaFit, AllocationFit or KaplanFit

    Returns
    -------
    (n_params, n_tokens)
        Parameters and tokens, floats or arrays.
    """
    log_c = np.log(_positive("flops", flops))
    log_coeff, a = allocation_power_law(fit)
    log_n = log_coeff + a * log_c
    log_d = log_c - _LOG6 - log_n  # spend exactly C = 6·N·D
    return _out(np.exp(log_n)), _out(np.exp(log_d))


def optimal_budget_for_params(n_params, fit=papers.HOFFMANN_2022):
    """Inverse of :func:`compute_optimal`: the budget C (FLOPs) for which N is optimal, and its D.

    Answers "if I build a model of N parameters, how much data does law X say
    it should see?" (seed 001's question for N = 1e14).

    Returns
    -------
    (flops, n_tokens)
        C in FLOPs and D_opt in tokens, with C = 6·N·D.
    """
    log_n = np.log(_positive("n_params", n_params))
    log_coeff, a = allocation_power_law(fit)
    log_c = (log_n - log_coeff) / a
    log_d = log_c - _LOG6 - log_n
    return _out(np.exp(log_c)), _out(np.exp(log_d))


def tokens_to_reach_loss(loss, n_params, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """Tokens D at which a model of N parameters reaches ``loss``: Eq 2 solved for D.

    E + A/N^α + B/D^β = loss gives D = (B / (loss − E − A/N^α))^(1/β) (Hoffmann et al.
    2022, Eq 2). Returns ``inf`` where N is too small ever to reach ``loss``
    (E + A/N^α ≥ loss). Also the iso-loss contours of the N–D plane.
    """
    fit = _fit(fit, ChinchillaFit)
    target = _positive("loss", loss)
    log_n = np.log(_positive("n_params", n_params))
    headroom = target - fit.E - np.exp(np.log(fit.A) - fit.alpha * log_n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_d = (np.log(fit.B) - np.log(np.where(headroom > 0, headroom, np.nan))) / fit.beta
        tokens = np.exp(log_d)
    return _out(np.where(headroom > 0, tokens, np.inf))


def params_to_reach_loss(loss, n_tokens, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """Parameters N at which D tokens reach ``loss``: Eq 2 solved for N (``inf``: never)."""
    fit = _fit(fit, ChinchillaFit)
    mirrored = ChinchillaFit(fit.name, fit.citation, fit.E, fit.B, fit.A, fit.beta, fit.alpha)
    return tokens_to_reach_loss(loss, n_tokens, mirrored)


def compute_to_reach_loss(loss, n_params, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """FLOPs a model of N parameters needs to reach ``loss`` (nats/token) under Eq 2.

    C = 6·N·D with D from :func:`tokens_to_reach_loss` (Hoffmann et al. 2022, Eq 2).
    Comparing it with the optimal model's budget gives the "compute overhead" of a
    smaller or larger model. Returns ``inf`` where N is too small ever to reach ``loss``.
    """
    tokens = np.asarray(tokens_to_reach_loss(loss, n_params, fit))
    n = np.asarray(_positive("n_params", n_params), dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        flops = np.exp(_LOG6 + np.log(n) + np.log(tokens))
    return _out(np.where(np.isfinite(tokens), flops, np.inf))


def chinchilla_loss_compute(flops, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """Loss at the compute-optimal point, L(N_opt(C), D_opt(C)), nats/token.

    Eq 2 evaluated on the Eq 4 allocation of Hoffmann et al. 2022: the curve
    that the seed thread's L(c) approximates (see :func:`seed_chinchilla_curve`).
    """
    fit = _fit(fit, ChinchillaFit)
    n, d = compute_optimal(flops, fit)
    return chinchilla_loss(n, d, fit)


# --------------------------------------------------------------------------- transfer
def transferred_data(d_finetune, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """Effective data transferred by pre-training, D_T = k · D_F^α · N^β, in characters.

    Hernandez et al. 2021, "Scaling Laws for Transfer", arXiv:2102.01293,
    Eq 1.1 and Table 1 (text → python: k 1.9e4, α 0.18, β 0.38). Valid in the
    low-data regime only.

    Parameters
    ----------
    d_finetune : float or array
        D_F, fine-tuning characters.
    n_params : float or array
        N, non-embedding parameters.
    """
    fit = _fit(fit, TransferFit)
    log_df = np.log(_positive("d_finetune", d_finetune))
    log_n = np.log(_positive("n_params", n_params))
    return _out(np.exp(np.log(fit.k) + fit.alpha * log_df + fit.beta * log_n))


def effective_data_multiplier(d_finetune, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """D_E / D_F = 1 + k·N^β / D_F^(1−α), dimensionless.

    Hernandez et al. 2021, Eq 1.2 (effective data D_E = D_F + D_T). The paper
    writes the multiplier as ≈ k·N^β / D_F^(1−α), dropping the 1, which is
    accurate when D_T ≫ D_F; this function returns the exact ratio.
    """
    fit = _fit(fit, TransferFit)
    log_df = np.log(_positive("d_finetune", d_finetune))
    log_n = np.log(_positive("n_params", n_params))
    log_ratio = np.log(fit.k) + fit.beta * log_n - (1.0 - fit.alpha) * log_df
    return _out(np.exp(np.logaddexp(0.0, log_ratio)))


def fraction_from_finetuning(d_finetune, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """D_F / D_E: the share of the effective data that is fine-tuning data (Hernandez et al. 2021, §1)."""
    return _out(1.0 / np.asarray(effective_data_multiplier(d_finetune, n_params, fit)))


def data_worth_of_model_size(size_factor, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """How many times more fine-tuning data a ``size_factor``× bigger model is worth: x^(β/α).

    D_T = k·D_F^α·N^β (Hernandez et al. 2021, Eq 1.1) is a product of powers, so N → x·N
    gives the same D_T as D_F → x^(β/α)·D_F: for text → python (β/α = 2.1) a 10× bigger model
    is worth 129× more fine-tuning data (seeds 002, 004: "10x model ≈ 100x data").
    """
    fit = _fit(fit, TransferFit)
    x = _positive("size_factor", size_factor)
    return _out(np.exp(np.log(x) * fit.beta / fit.alpha))


def params_for_effective_data(target, d_finetune, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """Parameters N at which D_F characters of fine-tuning give ``target`` effective characters.

    Solves D_F + k·D_F^α·N^β = target for N (Hernandez et al. 2021, Eqs 1.1-1.2): the
    "train a bigger model" answer. Returns ``inf`` where target ≤ D_F: the fine-tuning
    data alone already reaches it, and no finite N is the answer.
    """
    fit = _fit(fit, TransferFit)
    target = _positive("target", target)
    d_f = _positive("d_finetune", d_finetune)
    gap = target - d_f
    with np.errstate(divide="ignore", invalid="ignore"):
        log_n = (np.log(np.where(gap > 0, gap, np.nan)) - np.log(fit.k)
                 - fit.alpha * np.log(d_f)) / fit.beta
    return _out(np.where(gap > 0, np.exp(log_n), np.inf))


def finetune_data_for_effective_data(target, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """Fine-tuning characters D_F at which a model of N parameters has ``target`` effective data.

    Solves D_F + k·D_F^α·N^β = target for D_F (the "collect more data" answer). The left
    side grows monotonically in D_F (α > 0), so a bracketed root in log space is unique.
    """
    from scipy.optimize import brentq  # only this function needs scipy

    fit = _fit(fit, TransferFit)
    target = _positive("target", target)
    n = _positive("n_params", n_params)

    def solve(t, nn):
        f = lambda log_d: np.logaddexp(log_d, np.log(fit.k) + fit.alpha * log_d  # noqa: E731
                                       + fit.beta * np.log(nn)) - np.log(t)
        return float(np.exp(brentq(f, -60.0, np.log(t) + 1.0, xtol=1e-12)))

    return _out(np.vectorize(solve, otypes=[float])(target, n))


def scratch_data_for_99_percent(n_params, fit: KaplanFit = papers.KAPLAN_2020):
    """Data at which a model of N parameters gets within 1% of its infinite-data loss.

    From Kaplan et al. 2020, Eq 1.5 (Table 2 constants): L(N, D) = 1.01·L(N, ∞) gives
    D_99 = D_c / ((1.01^(1/α_D) − 1)·(N_c/N)^(α_N/α_D)), in tokens of WebText2.
    Hernandez et al. 2021 place the transfer law's validity at D_F ≲ 10% of the data
    needed for 99% of infinite-data performance; the notebooks use this formula as an
    *illustrative* stand-in for that boundary (their from-scratch fits are not published
    as constants), with characters in place of tokens.
    """
    fit = _fit(fit, KaplanFit)
    log_n = np.log(_positive("n_params", n_params))
    ratio = fit.nd_alpha_n / fit.nd_alpha_d
    log_d = (np.log(fit.nd_d_c) - np.log(1.01 ** (1.0 / fit.nd_alpha_d) - 1.0)
             - ratio * (np.log(fit.nd_n_c) - log_n))
    return _out(np.exp(log_d))


# --------------------------------------------------------------------------- fine-tuning FLOPs
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
    n = _positive("n_params", n_params)
    t = _non_negative("n_trainable", n_trainable)
    depth = _non_negative("grad_depth", grad_depth)
    if np.any(depth > 1):
        raise ValueError(f"grad_depth must be between 0 and 1 (got {grad_depth!r})")
    if np.any(t > n):
        raise ValueError("n_trainable must not exceed n_params")
    depth = np.where(t > 0, depth, 0.0)  # nothing trains: no backward pass at all
    return _out(2.0 * n * (1.0 + depth) + 2.0 * t)


def smaller_network_comparison(n_params, n_small, d_finetune,
                               fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """The thread's "1000× smaller network", checked against the papers.

    The thread is the LessWrong question *How do scaling laws work for fine-tuning?* and
    Charlie Steiner's answer to it.

    - Data (Hernandez et al. 2021, Eq 1.1): pre-training is worth D_T = k·D_F^α·N^β
      characters, with N the *whole* pretrained model's non-embedding size (the
      paper fine-tunes every weight). A network really of ``n_small`` parameters
      would receive (N / n_small)^β times less: 1000^0.38 ≈ 14× less for text →
      python. Fine-tuning needs little data because of pre-training, not because
      few weights train.
    - Tokens (Hoffmann et al. 2022, approach 1, a = b = 0.50): compute-optimal models
      of the two sizes differ in tokens by the size ratio itself, 1000× for 1000×
      (:func:`smaller_model_ratios`).
    - Steps (Kaplan et al. 2020, Table 6, Eq 6.2): compute-optimal models of the
      two sizes, trained at the critical batch, differ in serial steps by
      (N / n_small)^(0.03/0.73) ≈ 1.3× and, under Kaplan's own allocation, in tokens
      by (N / n_small)^(0.27/0.73) ≈ 13× for a 1000× size ratio, not 1000×.
    Neither allocation describes a fine-tune: both say how to spend compute training
    from scratch.

    Parameters
    ----------
    n_params : float
        N, the pretrained model's non-embedding parameters.
    n_small : float
        The smaller network's parameters (e.g. the trainable count), 0 < n_small ≤ N.
    d_finetune : float
        D_F, fine-tuning characters (the transfer law's unit).

    Returns
    -------
    dict
        ``d_t`` and ``d_t_small`` (characters), ``transfer_ratio``;
        ``chinchilla_tokens_ratio`` (approach 1), ``kaplan_steps_ratio`` and
        ``kaplan_tokens_ratio`` (bigger over smaller compute-optimal model).
    """
    n = float(_positive("n_params", n_params))
    small = float(_positive("n_small", n_small))
    if small > n:
        raise ValueError("n_small must not exceed n_params")
    d_t, d_t_small = transferred_data(d_finetune, n, fit), transferred_data(d_finetune, small, fit)
    runs = [kaplan_compute_efficient_training(optimal_budget_for_params(x, papers.KAPLAN_2020)[0])
            for x in (n, small)]
    return {"d_t": d_t, "d_t_small": d_t_small, "transfer_ratio": d_t / d_t_small,
            "chinchilla_tokens_ratio": smaller_model_ratios(n / small)["tokens"],
            "kaplan_steps_ratio": runs[0]["steps"] / runs[1]["steps"],
            "kaplan_tokens_ratio": runs[0]["tokens_table6"] / runs[1]["tokens_table6"]}


def smaller_model_ratios(size_ratio, fit=papers.HOFFMANN_2022_APPROACH1):
    """How many times fewer tokens, and steps, a compute-optimal model ``size_ratio``× smaller takes.

    Every allocation here is a power law N_opt ∝ C^a (:func:`allocation_power_law`) with
    D_opt = C / (6·N_opt) tokens (:func:`compute_optimal`), so D_opt ∝ N_opt^((1−a)/a): a
    model r times smaller sees r^((1−a)/a) times fewer tokens. Chinchilla's approach 1
    (Hoffmann et al. 2022, Table 2: a = 0.50) gives exactly r, 1000× for r = 1000; Kaplan
    et al. 2020 (Table 6: a = 0.73) give r^(0.27/0.73) ≈ 13×.

    Steps need a batch-size law as well, and only Kaplan's fit carries one here: the critical
    batch B_crit = 2.0e6·C_min^0.24 tokens and the serial steps S_min = 5.4e3·C_min^0.03
    (Table 6, Eq 6.2; a run at the critical batch takes 2·S_min steps, §5.1), so a model r
    times smaller takes r^(0.03/0.73) ≈ 1.3× fewer steps for r = 1000. A step is a batch of
    tokens, and the batch grows with the budget: steps fall far less than tokens. For a fit
    without a batch law ``steps`` is None.

    Parameters
    ----------
    size_ratio : float or array
        r = N_big / N_small, the two compute-optimal models' parameter ratio (≥ 1 for "smaller").
    fit : AllocationFit, ChinchillaFit or KaplanFit
        The allocation (``papers.ALLOCATION_FITS``); default Chinchilla approach 1.

    Returns
    -------
    dict
        ``tokens``: D_opt(big) / D_opt(small); ``steps``: serial steps big / small, or None.
    """
    log_r = np.log(_positive("size_ratio", size_ratio))
    a = allocation_power_law(fit)[1]
    out = {"tokens": _out(np.exp(log_r * (1.0 - a) / a)), "steps": None}
    if isinstance(fit, KaplanFit):
        out["steps"] = _out(np.exp(log_r * fit.s_min_exp / fit.n_opt_exp))
    return out


# --------------------------------------------------------------------------- Henighan 2020
def henighan_loss(x, l_inf, x0, alpha):
    """L(x) = L_∞ + (x0/x)^α: a power law plus a constant (Henighan et al. 2020, Eq 1.1).

    Henighan et al., "Scaling Laws for Autoregressive Generative Modeling" (arXiv:2010.14701)
    read L_∞ as the entropy of the data (irreducible) and the power-law term as the
    reducible loss, the KL divergence between data and model. ``x`` is the scaled quantity
    (compute, FLOPs, here); returns (total, reducible), nats.
    """
    x = _positive("x", x)
    l_inf = _non_negative("l_inf", l_inf)
    reducible = np.exp(_positive("alpha", alpha) * (np.log(_positive("x0", x0)) - np.log(x)))
    return _out(l_inf + reducible), _out(reducible)


# --------------------------------------------------------------------------- the seed curves
def seed_kaplan_curve(c):
    """Seed 003's Kaplan curve, L(c) = 26.387 / 10^(0.05·c), c = log10(FLOPs).

    This is Kaplan et al. 2020, Eq 1.3 rewritten: C_c = 3.1e8 PF-days
    = 2.6784e28 FLOPs and (2.6784e28)^0.05 = 26.387. It reads c as C_min; for
    FLOPs spent at the critical batch size (C = 2·C_min) the loss is 2^0.05 = 3.5%
    higher (:func:`kaplan_c_min`).
    """
    c = _array("c", c)
    return _out(26.387 * np.power(10.0, -0.05 * c))


def seed_chinchilla_curve(c):
    """Seed 003's Chinchilla curve, L(c) = 1.69 + 514.5/10^(0.156c) + 560.2/10^(0.1512c).

    c = log10(FLOPs). The seed does not say how it was built; our reconstruction
    (inferred from its four numbers, not stated in the seed) is the printed
    constants of Hoffmann et al. 2022 with a rounded approach-3 allocation
    N_opt ≈ 0.5·C^0.46, D_opt ≈ 0.33·C^0.54: 406.4/0.5^0.34 = 514.5, 410.7/0.33^0.28 = 560.2,
    0.34·0.46 = 0.1564 ≈ 0.156, 0.28·0.54 = 0.1512. Eq 4 itself gives
    1.69 + 483.8/10^(0.1535c) + 587.5/10^(0.1535c)
    (:func:`chinchilla_loss_compute`).
    """
    c = _array("c", c)
    return _out(1.69 + 514.5 * np.power(10.0, -0.156 * c) + 560.2 * np.power(10.0, -0.1512 * c))
