"""Allocation: the loss laws of Kaplan et al. 2020 and Hoffmann et al. 2022, and their optimum.

How loss falls with parameters N and tokens D, and how a budget C = 6·N·D is best split
between them. Kaplan's laws (Eqs 1.1-1.5, 4.4, 5.5; Tables 2, 5, 6) in C_min, the compute
at a batch far below the critical one; Chinchilla's L(N, D) = E + A/N^α + B/D^β (Eq 2) and
its minimiser (Eq 4). Each fit holds its own allocation rule
(:meth:`~scaling_laws_lab.science.papers.ChinchillaFit.allocation_power_law` and its
siblings), as astropy's cosmology classes hold their own distances; the functions here
take a fit and ask it.
"""

from __future__ import annotations

import numpy as np

from .. import papers
from ..arguments import fit_of, positive, scalar_or_array
from ..papers import KAPLAN_BATCH_OVER_CRITICAL, PF_DAY_FLOPS, ChinchillaFit, KaplanFit

_LOG6 = np.log(6.0)

__all__ = ["kaplan_loss_params", "kaplan_loss_data", "kaplan_loss", "kaplan_loss_compute", "kaplan_c_min",
           "kaplan_total_compute", "kaplan_compute_efficient_training", "kaplan_min_data",
           "kaplan_table6_tokens", "chinchilla_loss", "chinchilla_allocation_constants",
           "allocation_power_law", "compute_optimal", "optimal_budget_for_params",
           "tokens_to_reach_loss", "params_to_reach_loss", "compute_to_reach_loss",
           "chinchilla_loss_compute", "smaller_model_ratios"]


def kaplan_loss_params(n_params, fit: KaplanFit = papers.KAPLAN_2020):
    """L(N) = (N_c / N)^α_N, nats/token: Kaplan et al. 2020, Eq 1.1 (Table 5).

    For models trained to convergence on enough data; N non-embedding
    parameters; α_N = 0.076, N_c = 8.8e13.
    """
    fit = fit_of(fit, KaplanFit)
    log_n = np.log(positive("n_params", n_params))
    return scalar_or_array(np.exp(fit.alpha_n * (np.log(fit.n_c) - log_n)))


def kaplan_loss_data(n_tokens, fit: KaplanFit = papers.KAPLAN_2020):
    """L(D) = (D_c / D)^α_D, nats/token: Kaplan et al. 2020, Eq 1.2 (Table 5).

    Large models trained with early stopping on D tokens; α_D = 0.095,
    D_c = 5.4e13 tokens.
    """
    fit = fit_of(fit, KaplanFit)
    log_d = np.log(positive("n_tokens", n_tokens))
    return scalar_or_array(np.exp(fit.alpha_d * (np.log(fit.d_c) - log_d)))


def kaplan_loss(n_params, n_tokens, fit: KaplanFit = papers.KAPLAN_2020):
    """L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D, nats/token.

    Kaplan et al. 2020, Eq 1.5 (= Eq 4.1) with the Table 2 refit:
    α_N = 0.076, α_D = 0.103, N_c = 6.4e13 parameters, D_c = 1.8e13 tokens.
    """
    fit = fit_of(fit, KaplanFit)
    log_n = np.log(positive("n_params", n_params))
    log_d = np.log(positive("n_tokens", n_tokens))
    ratio = fit.nd_alpha_n / fit.nd_alpha_d
    inner = np.logaddexp(ratio * (np.log(fit.nd_n_c) - log_n), np.log(fit.nd_d_c) - log_d)
    return scalar_or_array(np.exp(fit.nd_alpha_d * inner))


def kaplan_loss_compute(c_min_flops, fit: KaplanFit = papers.KAPLAN_2020):
    """L(C_min) = (C_c / C_min)^α_C, nats/token, with C_min given in FLOPs.

    Kaplan et al. 2020, Eq 1.3 (Table 5): α_C^min = 0.050,
    C_c^min = 3.1e8 PF-days = 2.68e28 FLOPs. The argument is C_min, the
    compute at batch sizes far below the critical one (Eq 5.5), not what a run
    spends: a run at the critical batch size spends C = 2·C_min, so for total
    FLOPs pass ``kaplan_c_min(C)``, which raises the loss by 2^0.05 = 3.5%.
    """
    fit = fit_of(fit, KaplanFit)
    log_c = np.log(positive("c_min_flops", c_min_flops))
    log_cc = np.log(fit.c_c_min_pf_days) + np.log(PF_DAY_FLOPS)
    return scalar_or_array(np.exp(fit.alpha_c_min * (log_cc - log_c)))


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
    log_c = np.log(positive("flops", flops))
    ratio = positive("batch_over_critical", batch_over_critical)
    return scalar_or_array(np.exp(log_c - np.log1p(ratio)))


def kaplan_total_compute(c_min_flops, batch_over_critical=KAPLAN_BATCH_OVER_CRITICAL):
    """Inverse of :func:`kaplan_c_min`: the FLOPs a run spends, C = C_min · (1 + B/B_crit)."""
    log_c = np.log(positive("c_min_flops", c_min_flops))
    ratio = positive("batch_over_critical", batch_over_critical)
    return scalar_or_array(np.exp(log_c + np.log1p(ratio)))


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
    processes 2·B_crit·S_min tokens. Charlie Steiner's point in the forum thread, "the # of steps won't change
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
    fit = fit_of(fit, KaplanFit)
    log_pf = _log_pf_days_min(flops, batch_over_critical)
    n = np.exp(np.log(fit.n_opt_coeff) + fit.n_opt_exp * log_pf)
    b = np.exp(np.log(fit.b_crit_coeff) + fit.b_crit_exp * log_pf)
    s_min = np.exp(np.log(fit.s_min_coeff) + fit.s_min_exp * log_pf)
    return {"c_min": scalar_or_array(np.exp(log_pf) * PF_DAY_FLOPS), "n_params": scalar_or_array(n),
            "batch_tokens": scalar_or_array(b), "steps": scalar_or_array(2.0 * s_min),
            "tokens": scalar_or_array(2.0 * b * s_min),
            "tokens_table6": scalar_or_array(np.exp(np.log(fit.d_opt_coeff) + fit.d_opt_exp * log_pf))}


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
    fit = fit_of(fit, KaplanFit)
    log_n = np.log(positive("n_params", n_params))
    return scalar_or_array(np.exp(np.log(fit.overfit_coeff) + fit.overfit_exp * log_n))


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
    fit = fit_of(fit, KaplanFit)
    log_pf = _log_pf_days_min(flops, batch_over_critical)
    return scalar_or_array(np.exp(np.log(fit.d_opt_coeff) + fit.d_opt_exp * log_pf))


def chinchilla_loss(n_params, n_tokens, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """L(N, D) = E + A/N^α + B/D^β, nats/token: Hoffmann et al. 2022, Eq 2.

    The formula is the fit's own (:meth:`ChinchillaFit.loss`); this is its functional form.

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
    return fit_of(fit, ChinchillaFit).loss(n_params, n_tokens)


def chinchilla_allocation_constants(fit: ChinchillaFit = papers.HOFFMANN_2022):
    """(G, a, b) of Hoffmann et al. 2022, Eq 4 (:meth:`ChinchillaFit.allocation_constants`).

    G = (αA / (βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β); then
    N_opt = G·(C/6)^a parameters and D_opt = G⁻¹·(C/6)^b tokens.
    """
    return fit_of(fit, ChinchillaFit).allocation_constants()


def _allocating(fit):
    """``fit`` if it carries an allocation rule (every fit in ``papers.ALLOCATION_FITS``)."""
    if not callable(getattr(fit, "allocation_power_law", None)):
        raise ValueError(f"fit must be a fit from scaling_laws_lab.papers, not {fit!r}")
    return fit


def allocation_power_law(fit):
    """(log coefficient, exponent) of a fit's compute-optimal size, N_opt = coeff · C^a, C in FLOPs.

    Every published allocation is a power law in the budget, and each fit class holds its
    own rule (``fit.allocation_power_law()``; ``fit.allocation_rule`` names it):

    - ``"eq4"`` (``ChinchillaFit``): Hoffmann et al. 2022, Eq 4, the minimiser of Eq 2
      under C = 6ND: N_opt = G·(C/6)^a, G = (αA/(βB))^(1/(α+β)), a = β/(α+β).
    - ``"power_law"`` (``AllocationFit``, approaches 1 and 2, Llama 3): N_opt = n_coeff·C^a
      with Table 2's exponent and a coefficient calibrated on Table 3 / Table A3.
    - ``"kaplan_c_min"`` (``KaplanFit``): Kaplan et al. 2020, Eq 6.1, Table 6,
      N_opt = 1.3e9 · C_min^0.73 with C_min in PF-days and C_min = C/2 for a run at the
      critical batch size (:func:`kaplan_c_min`, Eq 5.5, §5.1). At 1e21 FLOPs this gives
      4.68B, the value Hoffmann et al. 2022 (App. D.4) quote for Kaplan.
    """
    return _allocating(fit).allocation_power_law()


def compute_optimal(flops, fit=papers.HOFFMANN_2022):
    """Compute-optimal (N_opt, D_opt) for a budget of ``flops``, spending exactly C = 6·N·D.

    N_opt follows the fit's own rule (:func:`allocation_power_law`: Eq 4 for a
    Chinchilla-form loss, Table 2/3/A3 power laws for approaches 1 and 2, Kaplan's
    Table 6 in C_min = C/2), and D_opt = C / (6·N_opt): ``fit.allocation(flops)``.
    Kaplan's own D_opt fit is :func:`kaplan_table6_tokens`.

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
    return _allocating(fit).allocation(flops)


def optimal_budget_for_params(n_params, fit=papers.HOFFMANN_2022):
    """Inverse of :func:`compute_optimal`: the budget C (FLOPs) for which N is optimal, and its D.

    Answers "if I build a model of N parameters, how much data does law X say
    it should see?" (the forum question's N = 1e14): ``fit.budget_for(n_params)``.

    Returns
    -------
    (flops, n_tokens)
        C in FLOPs and D_opt in tokens, with C = 6·N·D.
    """
    return _allocating(fit).budget_for(n_params)


def tokens_to_reach_loss(loss, n_params, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """Tokens D at which a model of N parameters reaches ``loss``: Eq 2 solved for D.

    E + A/N^α + B/D^β = loss gives D = (B / (loss − E − A/N^α))^(1/β) (Hoffmann et al.
    2022, Eq 2). Returns ``inf`` where N is too small ever to reach ``loss``
    (E + A/N^α ≥ loss). Also the iso-loss contours of the N–D plane.
    """
    fit = fit_of(fit, ChinchillaFit)
    target = positive("loss", loss)
    log_n = np.log(positive("n_params", n_params))
    headroom = target - fit.E - np.exp(np.log(fit.A) - fit.alpha * log_n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_d = (np.log(fit.B) - np.log(np.where(headroom > 0, headroom, np.nan))) / fit.beta
        tokens = np.exp(log_d)
    return scalar_or_array(np.where(headroom > 0, tokens, np.inf))


def params_to_reach_loss(loss, n_tokens, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """Parameters N at which D tokens reach ``loss``: Eq 2 solved for N (``inf``: never)."""
    fit = fit_of(fit, ChinchillaFit)
    mirrored = ChinchillaFit(fit.name, fit.citation, fit.E, fit.B, fit.A, fit.beta, fit.alpha)
    return tokens_to_reach_loss(loss, n_tokens, mirrored)


def compute_to_reach_loss(loss, n_params, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """FLOPs a model of N parameters needs to reach ``loss`` (nats/token) under Eq 2.

    C = 6·N·D with D from :func:`tokens_to_reach_loss` (Hoffmann et al. 2022, Eq 2).
    Comparing it with the optimal model's budget gives the "compute overhead" of a
    smaller or larger model. Returns ``inf`` where N is too small ever to reach ``loss``.
    """
    tokens = np.asarray(tokens_to_reach_loss(loss, n_params, fit))
    n = np.asarray(positive("n_params", n_params), dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        flops = np.exp(_LOG6 + np.log(n) + np.log(tokens))
    return scalar_or_array(np.where(np.isfinite(tokens), flops, np.inf))


def chinchilla_loss_compute(flops, fit: ChinchillaFit = papers.HOFFMANN_2022):
    """Loss at the compute-optimal point, L(N_opt(C), D_opt(C)), nats/token.

    Eq 2 evaluated on the Eq 4 allocation of Hoffmann et al. 2022: the curve
    that the asymptotes post's L(c) approximates (see :func:`post_chinchilla_curve`).
    """
    fit = fit_of(fit, ChinchillaFit)
    n, d = compute_optimal(flops, fit)
    return chinchilla_loss(n, d, fit)


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
    log_r = np.log(positive("size_ratio", size_ratio))
    a = allocation_power_law(fit)[1]
    out = {"tokens": scalar_or_array(np.exp(log_r * (1.0 - a) / a)), "steps": None}
    if isinstance(fit, KaplanFit):
        out["steps"] = scalar_or_array(np.exp(log_r * fit.s_min_exp / fit.n_opt_exp))
    return out
