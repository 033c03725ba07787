"""Transfer: what pre-training is worth to a fine-tune (Hernandez et al. 2021).

The effective data transferred, D_T = k·D_F^α·N^β (arXiv:2102.01293, Eq 1.1), the
multipliers and inverses built on it, the boundary of its low-data regime, and the thread's
"1000× smaller network" checked against it and against the allocation laws. D_F, D_T in
characters.
"""

from __future__ import annotations

import numpy as np

from .. import papers
from ..arguments import fit_of, positive, scalar_or_array
from ..papers import KaplanFit, TransferFit
from .allocation import kaplan_compute_efficient_training, optimal_budget_for_params, smaller_model_ratios

__all__ = ["transferred_data", "effective_data_multiplier", "fraction_from_finetuning",
           "data_worth_of_model_size", "params_for_effective_data",
           "finetune_data_for_effective_data", "scratch_data_for_99_percent",
           "smaller_network_comparison"]


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
    fit = fit_of(fit, TransferFit)
    log_df = np.log(positive("d_finetune", d_finetune))
    log_n = np.log(positive("n_params", n_params))
    return scalar_or_array(np.exp(np.log(fit.k) + fit.alpha * log_df + fit.beta * log_n))


def effective_data_multiplier(d_finetune, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """D_E / D_F = 1 + k·N^β / D_F^(1−α), dimensionless.

    Hernandez et al. 2021, Eq 1.2 (effective data D_E = D_F + D_T). The paper
    writes the multiplier as ≈ k·N^β / D_F^(1−α), dropping the 1, which is
    accurate when D_T ≫ D_F; this function returns the exact ratio.
    """
    fit = fit_of(fit, TransferFit)
    log_df = np.log(positive("d_finetune", d_finetune))
    log_n = np.log(positive("n_params", n_params))
    log_ratio = np.log(fit.k) + fit.beta * log_n - (1.0 - fit.alpha) * log_df
    return scalar_or_array(np.exp(np.logaddexp(0.0, log_ratio)))


def fraction_from_finetuning(d_finetune, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """D_F / D_E: the share of the effective data that is fine-tuning data (Hernandez et al. 2021, §1)."""
    return scalar_or_array(1.0 / np.asarray(effective_data_multiplier(d_finetune, n_params, fit)))


def data_worth_of_model_size(size_factor, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """How many times more fine-tuning data a ``size_factor``× bigger model is worth: x^(β/α).

    D_T = k·D_F^α·N^β (Hernandez et al. 2021, Eq 1.1) is a product of powers, so N → x·N
    gives the same D_T as D_F → x^(β/α)·D_F: for text → python (β/α = 2.1) a 10× bigger model
    is worth 129× more fine-tuning data (seeds 002, 004: "10x model ≈ 100x data").
    """
    fit = fit_of(fit, TransferFit)
    x = positive("size_factor", size_factor)
    return scalar_or_array(np.exp(np.log(x) * fit.beta / fit.alpha))


def params_for_effective_data(target, d_finetune, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """Parameters N at which D_F characters of fine-tuning give ``target`` effective characters.

    Solves D_F + k·D_F^α·N^β = target for N (Hernandez et al. 2021, Eqs 1.1-1.2): the
    "train a bigger model" answer. Returns ``inf`` where target ≤ D_F: the fine-tuning
    data alone already reaches it, and no finite N is the answer.
    """
    fit = fit_of(fit, TransferFit)
    target = positive("target", target)
    d_f = positive("d_finetune", d_finetune)
    gap = target - d_f
    with np.errstate(divide="ignore", invalid="ignore"):
        log_n = (np.log(np.where(gap > 0, gap, np.nan)) - np.log(fit.k)
                 - fit.alpha * np.log(d_f)) / fit.beta
    return scalar_or_array(np.where(gap > 0, np.exp(log_n), np.inf))


def finetune_data_for_effective_data(target, n_params, fit: TransferFit = papers.HERNANDEZ_2021_TEXT):
    """Fine-tuning characters D_F at which a model of N parameters has ``target`` effective data.

    Solves D_F + k·D_F^α·N^β = target for D_F (the "collect more data" answer). The left
    side grows monotonically in D_F (α > 0), so a bracketed root in log space is unique.
    """
    from scipy.optimize import brentq  # only this function needs scipy

    fit = fit_of(fit, TransferFit)
    target = positive("target", target)
    n = positive("n_params", n_params)

    def solve(t, nn):
        f = lambda log_d: np.logaddexp(log_d, np.log(fit.k) + fit.alpha * log_d  # noqa: E731
                                       + fit.beta * np.log(nn)) - np.log(t)
        return float(np.exp(brentq(f, -60.0, np.log(t) + 1.0, xtol=1e-12)))

    return scalar_or_array(np.vectorize(solve, otypes=[float])(target, n))


def scratch_data_for_99_percent(n_params, fit: KaplanFit = papers.KAPLAN_2020):
    """Data at which a model of N parameters gets within 1% of its infinite-data loss.

    From Kaplan et al. 2020, Eq 1.5 (Table 2 constants): L(N, D) = 1.01·L(N, ∞) gives
    D_99 = D_c / ((1.01^(1/α_D) − 1)·(N_c/N)^(α_N/α_D)), in tokens of WebText2.
    Hernandez et al. 2021 place the transfer law's validity at D_F ≲ 10% of the data
    needed for 99% of infinite-data performance; the notebooks use this formula as an
    *illustrative* stand-in for that boundary (their from-scratch fits are not published
    as constants), with characters in place of tokens.
    """
    fit = fit_of(fit, KaplanFit)
    log_n = np.log(positive("n_params", n_params))
    ratio = fit.nd_alpha_n / fit.nd_alpha_d
    log_d = (np.log(fit.nd_d_c) - np.log(1.01 ** (1.0 / fit.nd_alpha_d) - 1.0)
             - ratio * (np.log(fit.nd_n_c) - log_n))
    return scalar_or_array(np.exp(log_d))


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
    n = float(positive("n_params", n_params))
    small = float(positive("n_small", n_small))
    if small > n:
        raise ValueError("n_small must not exceed n_params")
    d_t, d_t_small = transferred_data(d_finetune, n, fit), transferred_data(d_finetune, small, fit)
    runs = [kaplan_compute_efficient_training(optimal_budget_for_params(x, papers.KAPLAN_2020)[0])
            for x in (n, small)]
    return {"d_t": d_t, "d_t_small": d_t_small, "transfer_ratio": d_t / d_t_small,
            "chinchilla_tokens_ratio": smaller_model_ratios(n / small)["tokens"],
            "kaplan_steps_ratio": runs[0]["steps"] / runs[1]["steps"],
            "kaplan_tokens_ratio": runs[0]["tokens_table6"] / runs[1]["tokens_table6"]}
