"""Why Kaplan and Chinchilla disagreed: counting non-embedding parameters at small scale.

Pearce and Song (2024), *Reconciling Kaplan and Chinchilla Scaling Laws*, arXiv:2406.12907,
take a Chinchilla-form law in TOTAL parameters N_T (Hoffmann et al. 2022, Eq 2),

    L = E + A / N_T^α + B / D^β,

and ask what Kaplan et al. (2020) would have measured counting only NON-EMBEDDING parameters
N_\\E and compute C_\\E = 6·N_\\E·D, over Kaplan's sizes (768 to 1.5B non-embedding
parameters). With the embeddings of a model of fixed aspect ratio,

    N_T = N_\\E + V·d_model,   N_\\E = 12·n_layer·d_model²,   d_model / n_layer = 39.2,

so N_T = N_\\E + γ·N_\\E^(1/3) with γ = (39.2 / 12)^(1/3)·V (V = 32,000: γ ≈ 47,500; the
authors fit 47,491 to Chinchilla's model configurations). Minimising L along D = C_\\E / (6·N_\\E)
(d/dN_\\E = 0) gives the frontier in closed form,

    C_\\E = 6·N_\\E·D,   D = (β·B / (α·A) · N_T^(α+1) / (N_\\E·dN_T/dN_\\E))^(1/β),

whose local slope d log N*_\\E / d log C_\\E starts at β/(α/3 + β) for the tiniest models (where
the embeddings dominate), rises to nearly 1 around two million non-embedding parameters, and
falls to β/(α + β), Chinchilla's exponent, for large ones. A straight line
fitted over Kaplan's small sizes lands near Kaplan's 0.73. Counted in total parameters and
total compute, the same law gives β/(α + β) at every scale.

**Whose number is whose.** Pearce & Song report 0.74 with Chinchilla's constants and 0.78 with
Epoch's: their script fits a line to the frontier of 20 simulated models over non-embedding
budgets 10^12.95–10^20.7 FLOPs, with the unrounded Chinchilla exponents (0.3392, 0.2849, E
1.6934). :func:`authors_script_exponent` re-runs that procedure and finds 0.739 and 0.781. The
explorer instead fits a window of sizes (768 to 1.5B non-embedding parameters) on the closed-form
frontier with the printed constants: 0.754 and 0.794 (:func:`disagreement`). Both are close to
Kaplan's 0.73; the notebook names each number's source. (The paper's own text beyond its
abstract could not be read here: the 0.74 and 0.78 are the audit's reading of it, and the
script's output agrees.)

Constants: the aspect ratio 39.2, V = 32,000 and Kaplan's range 768–1.5B are those of the
authors' analysis script (github.com/TeaPearce/Reconciling_Kaplan_Chinchilla_Scaling_Laws,
script_analysis_kaplan_chinchilla.py); the loss fits are :mod:`papers`' (Chinchilla as printed,
Epoch's refit). Porian et al. (2024, arXiv:2406.19146) give a second, experimental account
(last-layer FLOPs, warm-up, per-size optimiser tuning); it enters the notebook as text, since
its per-step exponents are read off figures that could not be checked here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import fitting, laws, papers
from .grids import log_grid

#: d_model / n_layer of the models simulated (Pearce & Song's script: "aspect_ratio = 39.2").
ASPECT_RATIO = 39.2
#: Vocabulary size (the script's ``vocab_size = 32e3``).
VOCAB = 32_000
#: Kaplan's range of sizes, non-embedding parameters ("768 to 1.5 billion", Kaplan et al. 2020,
#: §1; the script's ``np.logspace(2.9, 9.2)``).
KAPLAN_SIZES = (768.0, 1.5e9)
#: Chinchilla's range of sizes, total parameters ("from 70 million to over 16 billion",
#: Hoffmann et al. 2022, §3).
CHINCHILLA_SIZES = (70e6, 16e9)
#: Kaplan's exponent (Eq 6.1) and the fits offered, by key.
KAPLAN_EXPONENT = papers.KAPLAN_2020.n_opt_exp
FITS = {fit.key: fit for fit in (papers.HOFFMANN_2022, papers.BESIROGLU_2024)}
#: The non-embedding sizes the frontier is drawn over, parameters.
SIZE_RANGE = (1e2, 1e13)


def gamma(vocab: float = VOCAB, aspect_ratio: float = ASPECT_RATIO) -> float:
    """γ in N_T = N_\\E + γ·N_\\E^(1/3): V·d_model with d_model = (aspect·N_\\E / 12)^(1/3)."""
    return (aspect_ratio / 12.0) ** (1.0 / 3.0) * vocab


def total_params(non_embedding, vocab: float = VOCAB):
    """N_T = N_\\E + γ·N_\\E^(1/3), parameters (embeddings of a model of fixed aspect ratio)."""
    n = np.asarray(non_embedding, dtype=float)
    return n + gamma(vocab) * np.cbrt(n)


def non_embedding_frontier(non_embedding, fit=papers.HOFFMANN_2022, vocab: float = VOCAB):
    """(C_\\E, D): the non-embedding compute, FLOPs, at which N_\\E is optimal, and its tokens.

    Closed form of d L / d N_\\E = 0 along D = C_\\E / (6·N_\\E) (Pearce & Song 2024, §3).
    """
    n = np.asarray(non_embedding, dtype=float)
    g = gamma(vocab)
    n_t = n + g * np.cbrt(n)
    n_dnt = n + g / 3.0 * np.cbrt(n)  # N_\E · dN_T/dN_\E
    log_d = (math.log(fit.beta * fit.B / (fit.alpha * fit.A)) + (fit.alpha + 1) * np.log(n_t)
             - np.log(n_dnt)) / fit.beta
    d = np.exp(log_d)
    return 6.0 * n * d, d


#: Pearce & Song's reported exponents (as quoted by the audit, issue 28; re-derived by
#: :func:`authors_script_exponent`), by the law simulated.
REPORTED_EXPONENTS = {"chinchilla": 0.74, "epoch": 0.78}


def authors_script_exponent(fit=papers.HOFFMANN_2022_EXACT, vocab: float = VOCAB) -> float:
    """Pearce & Song's own procedure (their script_analysis_kaplan_chinchilla.py), re-run.

    Twenty models from 10^2.9 to 10^9.2 non-embedding parameters, a grid of 1,000 token counts
    from 10^6 to 10^25, and for each of 100 budgets C_\\E from 10^12.95 to 10^20.7 FLOPs the model
    whose run nearest that budget has the least loss; then a straight line (``np.polyfit``)
    through log N*_\\E against log C_\\E. The script's "Chinchilla" law is the unrounded one (α
    0.3392, β 0.2849, E 1.6934; A 406.4, B 410.7), i.e. :data:`papers.HOFFMANN_2022_EXACT`.
    Its γ is the fitted 47,491 (ours, from the aspect ratio, is within 0.03%).
    """
    n_ne = np.logspace(2.9, 9.2, 20)
    d_model = (n_ne / (12.0 / ASPECT_RATIO)) ** (1.0 / 3.0)
    n_t = n_ne + vocab * d_model
    d = np.logspace(6, 25, 1000)
    loss = (fit.A / n_t[None, :] ** fit.alpha + fit.B / d[:, None] ** fit.beta + fit.E)
    budgets = np.logspace(12.95, 20.7, 100)
    c_run = 6.0 * n_ne[None, :] * d[:, None]  # (tokens, models)
    best = []
    for c in budgets:
        nearest = np.argmin(np.abs(c_run - c), axis=0)  # each model's run nearest the budget
        losses = loss[nearest, np.arange(n_ne.size)]
        best.append(n_ne[np.argmin(losses)])
    return float(np.polyfit(np.log(budgets), np.log(best), 1)[0])


def fitted_line(c, n, lo: float, hi: float):
    """The straight line on log–log axes through (C, N) for the points with lo ≤ N ≤ hi:
    :func:`scaling_laws_lab.science.fitting.fit_power_law` (N = a·C^(−b), so the exponent is −b)."""
    keep = (n >= lo * (1 - 1e-12)) & (n <= hi * (1 + 1e-12))
    if keep.sum() < 2:
        raise ValueError("the fit window holds fewer than two models")
    return fitting.fit_power_law(c[keep], n[keep])


def fitted_exponent(c, n, lo: float, hi: float) -> float:
    """Slope of :func:`fitted_line`: N* ∝ C^slope over the window."""
    return -fitted_line(c, n, lo, hi).b


@dataclass(frozen=True)
class Disagreement:
    """Notebook 09's disagreement explorer, computed."""

    fit_name: str
    n_ne: np.ndarray  #: non-embedding sizes, parameters
    n_total: np.ndarray  #: the same models' total sizes
    c_ne: np.ndarray  #: non-embedding compute at which each is optimal, FLOPs
    c_total: np.ndarray  #: total compute at which each TOTAL size is optimal (Eq 4), FLOPs
    kaplan_n: np.ndarray  #: Kaplan's N_opt at c_ne (Eq 6.1, C_min = C/2), parameters
    local_exponent: np.ndarray  #: d log N*_\E / d log C_\E along the frontier
    embedding_share: np.ndarray  #: (N_T − N_\E) / N_T
    window: tuple[float, float]  #: the sizes fitted, non-embedding parameters
    window_flops: tuple[float, float]  #: the same window in C_\E, FLOPs
    fitted_non_embedding: float  #: exponent fitted in N_\E, C_\E over the window
    fitted_total: float  #: exponent fitted in N_T, C_T (total counting, same models)
    chinchilla_exponent: float  #: β / (α + β)
    small_scale_limit: float  #: β / (α/3 + β)
    fit_line: np.ndarray  #: the straight line fitted in non-embedding counting, over c_ne


def disagreement(state: dict) -> Disagreement:
    """Notebook 09's disagreement explorer for ``state`` (``fit``, ``n_min``, ``n_max``, ``vocab``)."""
    fit = FITS[state["fit"]]
    lo, hi, vocab = float(state["n_min"]), float(state["n_max"]), float(state["vocab"])
    # The drawn range, plus 50 sizes inside the window wherever it lies (a window typed out at
    # 1e30–1e40 still holds enough models for a fit).
    n = np.unique(np.concatenate([log_grid(*SIZE_RANGE, 400), log_grid(lo, hi, 50)]))
    c_ne, _ = non_embedding_frontier(n, fit, vocab)
    n_t = total_params(n, vocab)
    c_t, _ = laws.optimal_budget_for_params(n_t, fit)
    local = np.gradient(np.log(n), np.log(c_ne))
    line = fitted_line(c_ne, n, lo, hi)
    # The same models counted in total: select them by their non-embedding size.
    a_t = -fitted_line(c_t, n_t, total_params(lo, vocab), total_params(hi, vocab)).b
    window_c = tuple(float(v) for v in non_embedding_frontier(np.array([lo, hi]), fit, vocab)[0])
    return Disagreement(
        fit_name=fit.name, n_ne=n, n_total=n_t, c_ne=c_ne, c_total=np.asarray(c_t),
        kaplan_n=np.asarray(laws.compute_optimal(c_ne, papers.KAPLAN_2020)[0]),
        local_exponent=local, embedding_share=(n_t - n) / n_t, window=(lo, hi),
        window_flops=window_c, fitted_non_embedding=-line.b, fitted_total=float(a_t),
        chinchilla_exponent=fit.beta / (fit.alpha + fit.beta),
        small_scale_limit=fit.beta / (fit.alpha / 3.0 + fit.beta),
        fit_line=line.predict(c_ne),
    )
