"""Scaling with repeated data (Muennighoff et al. 2023): effective data and effective parameters.

Muennighoff, Rush, Barak, Le Scao, Piktus, Tazi, Pyysalo, Wolf and Raffel (2023), *Scaling
Data-Constrained Language Models*, arXiv:2305.16264. With U_D unique tokens seen R_D extra
times (epochs − 1), the data term of a Chinchilla-form law counts the *effective* data

    D′ = U_D + U_D · R*_D · (1 − exp(−R_D / R*_D))

(repeated tokens are worth less and less; D′ never exceeds U_D·(1 + R*_D)), and the parameter
term counts effective parameters the same way, with U_N the compute-optimal size for U_D and
R_N = N/U_N − 1 the excess:

    N′ = U_N + U_N · R*_N · (1 − exp(−R_N / R*_N)),
    L = E + A / N′^α + B / D′^β.

Constants: the authors' fit on C4, as published in their repository's README ("Parametric Fit",
huggingface/datablations, commit 0c76502267929830725f1de47a1b7b02bec78af4), which also prints two
worked losses (the models of the paper's Fig 1, right) that the tests reproduce. They were read
there, not from the paper's PDF (not checked against it yet); rounded, they are the 15.4 and 5.3
usually quoted. The README also works one allocation: 8.67B parameters on 178B tokens with 25B
unique are better spent as "227B tokens, 9.1 epochs, 6.8B parameters" (:func:`best_split` finds
the same). The paper's "400 training runs" (abstract) include its code-augmentation, filtering
and deduplication experiments, not only repeated-data runs.

**Two different worths of a repeated token.** Keep them apart:

* the *marginal* worth of one more pass, :func:`pass_worth`: the k-th pass adds
  R*_D·(e^(−(k−2)/R*_D) − e^(−(k−1)/R*_D)) of a fresh pass (the rate e^(−R_D/R*_D) falls to 1/e
  at R_D = R*_D): the 16th pass adds ≈0.39 of a fresh one, the 40th ≈0.08;
* the *average* worth of every token seen, :func:`average_worth`, D′ / (U_D·epochs): ≈0.93 over
  4 epochs, ≈0.66 over 16, ≈0.38 over 40 (a bit more than a third), because the early passes
  were nearly fresh.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DataConstrainedFit:
    """L = E + A/N′^α + B/D′^β with the decay constants R*_N and R*_D (loss in nats/token)."""

    name: str
    citation: str
    E: float
    A: float
    B: float
    alpha: float
    beta: float
    r_star_d: float  #: R*_D: how many repetitions a token's value takes to decay by 1/e
    r_star_n: float  #: R*_N: the same for parameters beyond the compute-optimal size

    @property
    def G(self) -> float:
        """(αA / (βB))^(1/(α+β)), as in Hoffmann et al. 2022, Eq 4."""
        return (self.alpha * self.A / (self.beta * self.B)) ** (1 / (self.alpha + self.beta))


_LOG = (6.255414, 7.3049974, 0.6254804)  # a = ln A, b = ln B, e = ln E, as the README gives them
MUENNIGHOFF_2023 = DataConstrainedFit(
    name="Muennighoff et al. 2023 (C4)",
    citation=("Muennighoff et al. 2023, arXiv:2305.16264, Eq 5–6; constants from the authors' "
              "repository huggingface/datablations, README 'Parametric Fit' (commit 0c76502)"),
    A=math.exp(_LOG[0]), B=math.exp(_LOG[1]), E=math.exp(_LOG[2]),
    alpha=0.3526596, beta=0.3526596, r_star_d=15.387756, r_star_n=5.309743,
)


def _positive(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be finite and > 0; got {value!r}")
    return arr


def effective_data(unique_tokens, repetitions, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """D′ = U_D + U_D·R*_D·(1 − e^(−R_D/R*_D)), tokens (Eq 5). ``repetitions`` R_D = epochs − 1."""
    u = _positive("unique_tokens", unique_tokens)
    r = np.asarray(repetitions, dtype=float)
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError(f"repetitions must be finite and ≥ 0; got {repetitions!r}")
    out = u * (1 + fit.r_star_d * -np.expm1(-r / fit.r_star_d))
    return float(out) if out.ndim == 0 else out


def pass_worth(epoch, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """The marginal worth of the ``epoch``-th pass over the data, as a fraction of a fresh pass:
    (D′(epoch) − D′(epoch − 1)) / U_D = R*_D·(e^(−(k−2)/R*_D) − e^(−(k−1)/R*_D)); 1 for the
    first pass. Vectorised; ``epoch`` ≥ 1 (whole passes)."""
    k = np.asarray(epoch, dtype=float)
    if not np.all(np.isfinite(k)) or np.any(k < 1):
        raise ValueError(f"epoch must be finite and ≥ 1; got {epoch!r}")
    prev = np.maximum(k - 2.0, 0.0)
    out = np.where(k < 2, 1.0, fit.r_star_d * (np.exp(-prev / fit.r_star_d)
                                               - np.exp(-(k - 1.0) / fit.r_star_d)))
    return float(out) if out.ndim == 0 else out


def average_worth(epochs, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """The average worth of every token seen over ``epochs`` passes, as a fraction of a fresh
    token: D′ / (U_D·epochs), the same for any U_D. Vectorised; ``epochs`` ≥ 1."""
    e = np.asarray(epochs, dtype=float)
    if not np.all(np.isfinite(e)) or np.any(e < 1):
        raise ValueError(f"epochs must be finite and ≥ 1; got {epochs!r}")
    out = effective_data(1.0, e - 1.0, fit) / e
    return float(out) if np.ndim(out) == 0 else out


def optimal_params_for_data(n_tokens, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """U_N: the compute-optimal N for D tokens, (D·G)^(β/α)·G (the authors' D_to_N)."""
    d = _positive("n_tokens", n_tokens)
    return np.exp(fit.beta / fit.alpha * (np.log(d) + math.log(fit.G)) + math.log(fit.G))


def loss(n_params, n_tokens, unique_tokens, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """L(N, D, U_D), nats/token: D tokens in all, U_D of them unique (Eq 6 with Eq 5).

    Vectorised; ``unique_tokens`` may not exceed ``n_tokens``.
    """
    n = _positive("n_params", n_params)
    d = _positive("n_tokens", n_tokens)
    u = _positive("unique_tokens", unique_tokens)
    if np.any(u > d * (1 + 1e-12)):
        raise ValueError("there cannot be more unique tokens than tokens")
    r_d = np.maximum(d / u - 1, 0.0)
    u_n = np.minimum(n, optimal_params_for_data(u, fit))
    r_n = np.maximum(n / u_n - 1, 0.0)
    n_eff = u_n * (1 + fit.r_star_n * -np.expm1(-r_n / fit.r_star_n))
    d_eff = u * (1 + fit.r_star_d * -np.expm1(-r_d / fit.r_star_d))
    out = fit.E + fit.A / n_eff**fit.alpha + fit.B / d_eff**fit.beta
    return float(out) if out.ndim == 0 else out


def loss_floor(unique_tokens, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """The least loss any budget reaches with ``unique_tokens`` U_D, nats/token: Eq 6 with
    D′ at its ceiling U_D·(1 + R*_D) and N′ at U_N·(1 + R*_N), U_N the compute-optimal N for
    U_D. Near it neither more repeats nor more parameters help, so every split of a budget
    ties and "the best N" means nothing."""
    u = _positive("unique_tokens", unique_tokens)
    n_max = optimal_params_for_data(u, fit) * (1 + fit.r_star_n)
    out = fit.E + fit.A / n_max**fit.alpha + fit.B / (u * (1 + fit.r_star_d))**fit.beta
    return float(out) if np.ndim(out) == 0 else out


#: Tokens per parameter searched for the best split of a budget (D/N from 1e-2 to 1e5).
_RATIOS = np.logspace(-2, 5, 561)
#: Budgets the allocation figure spans at least, FLOPs.
FLOPS_RANGE = (1e18, 1e28)
#: Epochs the "effective data" figure spans at least.
EPOCHS_RANGE = (1.0, 100.0)


def best_split(flops, unique_tokens=None, fit: DataConstrainedFit = MUENNIGHOFF_2023):
    """(N, D): the split of ``flops`` = 6·N·D with the lowest loss, FLOPs in, vectorised.

    With ``unique_tokens`` U_D the data are repeated as needed (Eq 5–6); with None every
    token is fresh (U_D = D). A search over D/N on a grid 1/80 of a decade apart, so N and D
    are within 3% of the optimum.
    """
    c = _positive("flops", flops)
    c2 = np.atleast_1d(c)[:, None]
    n = np.sqrt(c2 / (6.0 * _RATIOS))
    d = n * _RATIOS
    u = d if unique_tokens is None else np.minimum(_positive("unique_tokens", unique_tokens), d)
    best = np.argmin(loss(n, d, u, fit), axis=1)
    rows = np.arange(best.size)
    n_best, d_best = n[rows, best], d[rows, best]
    if np.ndim(c) == 0:
        return float(n_best[0]), float(d_best[0])
    return n_best, d_best


@functools.lru_cache(maxsize=64)
def _allocation_lines(unique_tokens: float, lo: float, hi: float):
    """The best split over budgets lo..hi FLOPs, with and without the data limit. Cached: an
    epochs or budget step leaves them as they were (the arrays are read-only)."""
    c_grid = np.logspace(math.log10(lo), math.log10(hi), 60)
    lines = (c_grid, *best_split(c_grid, unique_tokens), *best_split(c_grid, None))
    for arr in lines:
        arr.flags.writeable = False
    return lines


@dataclass(frozen=True)
class DataLimits:
    """Notebook 09's data-limits explorer, computed."""

    unique_tokens: float  #: U_D, tokens available
    epochs: float  #: passes over them
    flops: float  #: C, FLOPs
    epochs_grid: np.ndarray
    effective: np.ndarray  #: D′ at each number of epochs, tokens (Eq 5)
    fresh: np.ndarray  #: U_D·epochs: what the same tokens would be worth if all were fresh
    ceiling: float  #: U_D·(1 + R*_D): D′ never exceeds it, tokens
    loss_repeated: np.ndarray  #: at budget C, the model C/(6·U_D·epochs) on repeated data
    loss_fresh: np.ndarray  #: the same model and token count, every token fresh
    best_epochs: float  #: the number of epochs with the lowest loss at budget C
    chosen_loss: float  #: at the chosen epochs, repeated data, nats/token
    chosen_fresh_loss: float  #: the same with fresh data
    value_per_token: float  #: AVERAGE worth of a token seen, D′ / D at the chosen epochs
    last_pass_worth: float  #: MARGINAL worth of the last pass at the chosen epochs (1 = fresh)
    effective_tokens: float  #: D′ at the chosen epochs, tokens
    n_params: float  #: the model the budget buys at the chosen epochs, C / (6·U_D·epochs)
    best_loss: float  #: the loss at the best number of epochs, nats/token
    c_grid: np.ndarray  #: budgets, FLOPs
    n_limited: np.ndarray  #: best N when only U_D unique tokens exist
    d_limited: np.ndarray  #: its tokens (repeated)
    n_free: np.ndarray  #: best N with unlimited fresh data
    d_free: np.ndarray


def _last_pass(epochs: float, fit: DataConstrainedFit) -> float:
    """The marginal worth of the last (possibly partial) pass at ``epochs``: the rate
    e^(−R/R*_D) averaged over its last whole pass, D′(R) − D′(R − 1) per U_D (1 below 2)."""
    if epochs < 2:
        return 1.0
    r = epochs - 1.0
    return fit.r_star_d * (math.exp(-(r - 1.0) / fit.r_star_d) - math.exp(-r / fit.r_star_d))


def data_limits(state: dict) -> DataLimits:
    """Notebook 09's data-limits explorer for ``state`` (``unique_tokens``, ``epochs``, ``flops``)."""
    fit = MUENNIGHOFF_2023
    u, epochs, c = float(state["unique_tokens"]), float(state["epochs"]), float(state["flops"])
    hi = max(EPOCHS_RANGE[1], 10.0 ** math.ceil(math.log10(epochs)))
    e = np.unique(np.concatenate([np.logspace(0, math.log10(hi), 120), [epochs]]))
    d = u * e
    n = c / (6.0 * d)
    rep, fresh = loss(n, d, u, fit), loss(n, d, d, fit)
    lo_c = min(FLOPS_RANGE[0], 10.0 ** math.floor(math.log10(c)))
    hi_c = max(FLOPS_RANGE[1], 10.0 ** math.ceil(math.log10(c)))
    c_grid, n_lim, d_lim, n_free, d_free = _allocation_lines(u, lo_c, hi_c)
    at, best = int(np.searchsorted(e, epochs)), int(np.argmin(rep))
    d_eff = float(effective_data(u, epochs - 1.0, fit))
    return DataLimits(
        unique_tokens=u, epochs=epochs, flops=c, epochs_grid=e,
        effective=effective_data(u, e - 1.0, fit), fresh=d, ceiling=u * (1 + fit.r_star_d),
        loss_repeated=rep, loss_fresh=fresh, best_epochs=float(e[best]),
        chosen_loss=float(rep[at]), chosen_fresh_loss=float(fresh[at]),
        value_per_token=d_eff / (u * epochs), effective_tokens=d_eff,
        last_pass_worth=_last_pass(epochs, fit),
        n_params=float(n[at]), best_loss=float(rep[best]),
        c_grid=c_grid, n_limited=n_lim, d_limited=d_lim, n_free=n_free, d_free=d_free,
    )
