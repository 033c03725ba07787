"""Sizing a model for its whole life: training plus inference (Sardana et al. 2024; de Vries 2023).

A model that will serve many tokens should be smaller than the compute-optimal one and trained on
more data: it reaches the same loss for more training compute, but every inference token costs
2N FLOPs. Sardana, Portes, Doubov and Frankle (2024), *Beyond Chinchilla-Optimal: Accounting for
Inference in Language Model Scaling Laws*, arXiv:2401.00448, minimise

    6·N·D_train + 2·N·D_inference   subject to   L(N, D_train) = ℓ

under a Chinchilla-form law (Hoffmann et al. 2022, Eq 2). De Vries (2023), *Go smol or go home*,
plots the other side of the same trade: the training-compute overhead of a model smaller than
the compute-optimal one at equal loss. He calls the point where that curve turns steep, "around
30% of the Chinchilla optimal model" at "a 100% compute overhead", the *critical model size*
(he describes it as "essentially the minimum LLM capacity required to attain a specific loss
level", beyond which shrinking "becomes near-impossible": steep, not impossible). The curve
itself grows without bound only further down, at the **size floor** E + A/N^α = ℓ: the size
below which no amount of data reaches ℓ. As a fraction of the compute-optimal size it is
(β/(α+β))^(1/α) at any loss (:func:`floor_fraction`): 9.7% with Chinchilla's printed
constants, 14.6% with Epoch's refit. We keep the two names apart: de Vries's knee is the
critical model size, the asymptote is the size floor.

Everything here uses the law's own formulas in :mod:`scaling_laws_lab.science.laws`
(:func:`~scaling_laws_lab.science.laws.tokens_to_reach_loss`); no new constant enters.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import laws, papers
from .grids import decade_cover, log_grid


@dataclass(frozen=True)
class LifetimeOptimum:
    """The model that reaches ``loss`` for the least training + inference compute."""

    loss: float  #: target, nats/token
    inference_tokens: float  #: tokens served over the model's life
    n_params: float  #: N, parameters
    train_tokens: float  #: D_train
    train_flops: float  #: 6·N·D_train
    inference_flops: float  #: 2·N·D_inference
    chinchilla_n: float  #: the compute-optimal N for this loss (no inference)
    chinchilla_train_tokens: float

    @property
    def total_flops(self) -> float:
        return self.train_flops + self.inference_flops

    @property
    def chinchilla_total_flops(self) -> float:
        """The compute-optimal model's training plus the same inference, FLOPs."""
        return (6 * self.chinchilla_n * self.chinchilla_train_tokens
                + 2 * self.chinchilla_n * self.inference_tokens)

    @property
    def tokens_per_param(self) -> float:
        return self.train_tokens / self.n_params


def smallest_params(loss: float, fit=papers.HOFFMANN_2022) -> float:
    """The size floor, parameters: below it ``loss`` is out of reach with any data,
    E + A/N^α = loss (not de Vries's "critical model size", the ~30% knee above it)."""
    if not loss > fit.E:
        raise ValueError(f"a loss of {loss} is at or below the law's floor E = {fit.E}")
    return math.exp((math.log(fit.A) - math.log(loss - fit.E)) / fit.alpha)


def floor_fraction(fit=papers.HOFFMANN_2022) -> float:
    """The size floor as a fraction of the compute-optimal size, (β/(α+β))^(1/α), at any loss:
    :func:`smallest_params` over :func:`compute_optimal_params` (9.7% printed, 14.6% Epoch)."""
    return (fit.beta / (fit.alpha + fit.beta)) ** (1.0 / fit.alpha)


def compute_optimal_params(loss: float, fit=papers.HOFFMANN_2022) -> float:
    """The compute-optimal N for a target loss: where :func:`justifying_inference` is 0,
    α·A·N^(−α) = β·(ℓ − E − A·N^(−α)), so N = (A·(α + β) / (β·(ℓ − E)))^(1/α)."""
    if not loss > fit.E:
        raise ValueError(f"a loss of {loss} is at or below the law's floor E = {fit.E}")
    return math.exp((math.log(fit.A * (fit.alpha + fit.beta))
                     - math.log(fit.beta * (loss - fit.E))) / fit.alpha)


def lifetime_flops(n_params, loss: float, inference_tokens: float, fit=papers.HOFFMANN_2022):
    """6·N·D_train(N) + 2·N·D_inference, FLOPs, with D_train the data N needs to reach ``loss``
    (``inf`` for a model too small ever to reach it)."""
    n = np.asarray(n_params, dtype=float)
    train = np.asarray(laws.compute_to_reach_loss(loss, n, fit), dtype=float)
    return train + 2.0 * n * float(inference_tokens)


def lifetime_optimum(loss: float, inference_tokens: float,
                     fit=papers.HOFFMANN_2022) -> LifetimeOptimum:
    """The N minimising :func:`lifetime_flops`: :func:`compute_optimal_params` with no inference,
    else :func:`lifetime_sizes` (the zero of the derivative, found by bisection)."""
    if not math.isfinite(inference_tokens) or inference_tokens < 0:
        raise ValueError(f"inference tokens must be a finite number ≥ 0; got {inference_tokens!r}")
    chin_n = compute_optimal_params(loss, fit)
    chin_d = float(laws.tokens_to_reach_loss(loss, chin_n, fit))
    if inference_tokens == 0:
        n, d = chin_n, chin_d
    else:
        n_star, d_star = lifetime_sizes(loss, [inference_tokens], fit)
        n, d = float(n_star[0]), float(d_star[0])
    return LifetimeOptimum(loss, float(inference_tokens), n, d, 6 * n * d,
                           2 * n * float(inference_tokens), chin_n, chin_d)


def training_overhead(size_fraction, loss: float, fit=papers.HOFFMANN_2022):
    """De Vries's curve: extra training compute, as a fraction, for a model of
    ``size_fraction`` × the compute-optimal N at equal loss (0 at 1; ``inf`` below the
    size floor, :func:`smallest_params`)."""
    best = lifetime_optimum(loss, 0.0, fit)
    s = np.asarray(size_fraction, dtype=float)
    flops = np.asarray(laws.compute_to_reach_loss(loss, s * best.n_params, fit), dtype=float)
    return flops / best.train_flops - 1.0


def justifying_inference(n_params, loss: float, fit=papers.HOFFMANN_2022):
    """Lifetime inference tokens for which N is the least-compute model reaching ``loss``.

    Setting d/dN of 6·N·D(N) + 2·N·I to zero along the iso-loss curve, with
    D(N) = (B / r)^(1/β) and r = ℓ − E − A·N^(−α) (Eq 2 solved for D), gives
    I = 3·D·(α·A·N^(−α) / (β·r) − 1). It falls from ∞ at the size floor to 0 at the
    compute-optimal size (0 above it too: a bigger model never saves lifetime compute).
    Vectorised in ``n_params``; ``nan`` below the size floor.
    """
    n = np.asarray(n_params, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a_term = fit.A * np.exp(-fit.alpha * np.log(n))
        r = loss - fit.E - a_term
        d = np.exp((math.log(fit.B) - np.log(r)) / fit.beta)
        tokens = 3.0 * d * (fit.alpha * a_term / (fit.beta * r) - 1.0)
    out = np.where(r > 0, np.maximum(tokens, 0.0), np.nan)
    return float(out) if out.ndim == 0 else out


def inference_that_justifies(n_params, n_tokens, fit=papers.HOFFMANN_2022) -> tuple[float, float]:
    """(loss, tokens): a trained model's loss under ``fit`` and the lifetime inference tokens
    that make its size the least-compute one for that loss (:func:`justifying_inference`)."""
    loss = float(laws.chinchilla_loss(float(n_params), float(n_tokens), fit))
    return loss, float(justifying_inference(float(n_params), loss, fit))


def lifetime_sizes(loss: float, inference_tokens, fit=papers.HOFFMANN_2022):
    """(N*, D*): the lifetime-optimal size and its training tokens for each inference demand,
    vectorised: :func:`justifying_inference` falls monotonically from ∞ at the size floor to
    0 at the compute-optimal one, so a bisection in log N (60 halvings) inverts it."""
    demand = np.atleast_1d(np.asarray(inference_tokens, dtype=float))
    lo = np.full(demand.shape, math.log(smallest_params(loss, fit)))
    hi = np.full(demand.shape, math.log(compute_optimal_params(loss, fit)))
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        too_small = justifying_inference(np.exp(mid), loss, fit) > demand
        lo, hi = np.where(too_small, mid, lo), np.where(too_small, hi, mid)
    n_star = np.exp(0.5 * (lo + hi))
    d_star = np.asarray(laws.tokens_to_reach_loss(loss, n_star, fit), dtype=float)
    return n_star, d_star


#: The fits the lifetime explorer offers, by key (Chinchilla-form, with a loss surface).
FITS = {fit.key: fit for fit in papers.LOSS_FITS}
#: Runs placed on de Vries's curve: Chinchilla (compute-optimal by design) and Llama 3's two
#: smaller models, trained on ~15T tokens each (model card).
RUNS = (papers.CHINCHILLA_70B, papers.LLAMA3_70B, papers.LLAMA3_8B)
#: De Vries (2023), *Go smol or go home* (harmdevries.com/post/model-size-vs-compute-overhead):
#: "the critical model size is around 30% of the Chinchilla optimal model and leads to a 100%
#: compute overhead" (the post's opening section). His critical model size is this knee, not
#: the size floor (:func:`floor_fraction`), which lies lower.
DE_VRIES_POINT = {"size_fraction": 0.3, "overhead": 1.0}
#: The inference-token axis of the "as inference grows" figure, tokens.
INFERENCE_RANGE = (1e9, 1e16)


@dataclass(frozen=True)
class RunOnCurve:
    """A published run on de Vries's curve."""

    name: str
    n_params: float
    n_tokens: float
    loss: float  #: under the chosen fit, nats/token
    size_fraction: float  #: N / the compute-optimal N for the same loss
    overhead: float  #: training compute / the compute-optimal model's, minus 1
    justifying_inference: float  #: tokens served for which this size is lifetime-optimal


@dataclass(frozen=True)
class Lifetime:
    """Notebook 09's first explorer, computed: one target loss, one inference demand."""

    fit_name: str
    optimum: LifetimeOptimum
    floor_params: float  #: the size floor: smaller models never reach the loss, parameters
    n_grid: np.ndarray  #: model sizes, parameters
    train_flops: np.ndarray  #: 6·N·D_train(N), FLOPs (inf below the size floor)
    inference_flops: np.ndarray  #: 2·N·I, FLOPs
    inf_grid: np.ndarray  #: inference demands, tokens
    n_star: np.ndarray  #: the lifetime-optimal N for each demand, parameters
    d_star: np.ndarray  #: its training tokens
    fractions: np.ndarray  #: model size / compute-optimal size
    overheads: np.ndarray  #: de Vries's curve: extra training compute, fraction
    floor_fraction: float  #: the size floor / the compute-optimal size
    de_vries_overhead: float  #: the overhead at 30% of the optimal size under this fit
    runs: tuple[RunOnCurve, ...]


@functools.lru_cache(maxsize=128)
def _at_loss(loss: float, fit_key: str, inf_lo: float, inf_hi: float):
    """What does not depend on the tokens served: cached, so an inference step recomputes only
    the first figure (the arrays are read-only)."""
    fit = FITS[fit_key]
    floor = smallest_params(loss, fit)
    chin_n = compute_optimal_params(loss, fit)
    n_grid = log_grid(floor * 1.05, chin_n * 10.0, 120)
    train = np.asarray(laws.compute_to_reach_loss(loss, n_grid, fit), dtype=float)
    inf_grid = log_grid(inf_lo, inf_hi, 40)
    n_star, d_star = lifetime_sizes(loss, inf_grid, fit)
    fractions = log_grid(floor / chin_n * 1.01, 2.0, 120)
    overheads = np.asarray(training_overhead(fractions, loss, fit), dtype=float)
    runs = []
    for run in RUNS:
        run_loss, justify = inference_that_justifies(run.n_params, run.n_tokens, fit)
        own = lifetime_optimum(run_loss, 0.0, fit)
        runs.append(RunOnCurve(run.short, run.n_params, run.n_tokens, run_loss,
                               run.n_params / own.n_params,
                               6 * run.n_params * run.n_tokens / own.train_flops - 1.0, justify))
    for arr in (n_grid, train, inf_grid, n_star, d_star, fractions, overheads):
        arr.flags.writeable = False
    return floor, chin_n, n_grid, train, inf_grid, n_star, d_star, fractions, overheads, \
        tuple(runs)


def lifetime(state: dict) -> Lifetime:
    """Notebook 09's lifetime explorer for ``state`` (``loss``, ``inference_tokens``, ``fit``)."""
    fit = FITS[state["fit"]]
    loss, inference = float(state["loss"]), float(state["inference_tokens"])
    best = lifetime_optimum(loss, inference, fit)
    (floor, chin_n, n_grid, train, inf_grid, n_star, d_star, fractions, overheads,
     runs) = _at_loss(loss, state["fit"], *decade_cover([inference], INFERENCE_RANGE))
    return Lifetime(
        fit_name=fit.name, optimum=best, floor_params=floor, n_grid=n_grid,
        train_flops=train, inference_flops=2.0 * n_grid * inference, inf_grid=inf_grid,
        n_star=n_star, d_star=d_star, fractions=fractions,
        overheads=overheads, floor_fraction=floor / chin_n,
        de_vries_overhead=float(training_overhead(DE_VRIES_POINT["size_fraction"], loss, fit)),
        runs=runs,
    )
