"""Sizing a model for its whole life: training plus inference (Sardana et al. 2024; de Vries 2023).

A model that will serve many tokens should be smaller than the compute-optimal one and trained on
more data: it reaches the same loss for more training compute, but every inference token costs
2N FLOPs. Sardana, Portes, Doubov and Frankle (2024), *Beyond Chinchilla-Optimal: Accounting for
Inference in Language Model Scaling Laws*, arXiv:2401.00448, minimise

    6·N·D_train + 2·N·D_inference   subject to   L(N, D_train) = ℓ

under a Chinchilla-form law (Hoffmann et al. 2022, Eq 2). De Vries (2023), *Go smol or go home*,
plots the other side of the same trade: the training-compute overhead of a model smaller than
the compute-optimal one at equal loss, which grows without bound as N approaches the size that
can never reach ℓ (E + A/N^α = ℓ).

Everything here uses the law's own formulas in :mod:`scaling_laws_lab.science.laws`
(:func:`~scaling_laws_lab.science.laws.tokens_to_reach_loss`); no new constant enters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from . import laws, papers


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
    def tokens_per_param(self) -> float:
        return self.train_tokens / self.n_params


def smallest_params(loss: float, fit=papers.HOFFMANN_2022) -> float:
    """The size below which ``loss`` is out of reach with any data: E + A/N^α = loss."""
    if not loss > fit.E:
        raise ValueError(f"a loss of {loss} is at or below the law's floor E = {fit.E}")
    return math.exp((math.log(fit.A) - math.log(loss - fit.E)) / fit.alpha)


def lifetime_flops(n_params, loss: float, inference_tokens: float, fit=papers.HOFFMANN_2022):
    """6·N·D_train(N) + 2·N·D_inference, FLOPs, with D_train the data N needs to reach ``loss``
    (``inf`` for a model too small ever to reach it)."""
    n = np.asarray(n_params, dtype=float)
    train = np.asarray(laws.compute_to_reach_loss(loss, n, fit), dtype=float)
    return train + 2.0 * n * float(inference_tokens)


def lifetime_optimum(loss: float, inference_tokens: float,
                     fit=papers.HOFFMANN_2022) -> LifetimeOptimum:
    """The N minimising :func:`lifetime_flops` (a one-dimensional search in log N)."""
    if not math.isfinite(inference_tokens) or inference_tokens < 0:
        raise ValueError(f"inference tokens must be a finite number ≥ 0; got {inference_tokens!r}")
    n_min = smallest_params(loss, fit)
    lo, hi = math.log(n_min) + 1e-9, math.log(n_min) + 40.0

    def objective(log_n):
        return math.log(float(lifetime_flops(math.exp(log_n), loss, inference_tokens, fit)))

    best = minimize_scalar(objective, bounds=(lo, hi), method="bounded",
                           options={"xatol": 1e-10})
    n = math.exp(best.x)
    d = float(laws.tokens_to_reach_loss(loss, n, fit))
    if inference_tokens == 0:
        chin_n, chin_d = n, d
    else:
        chin = lifetime_optimum(loss, 0.0, fit)
        chin_n, chin_d = chin.n_params, chin.train_tokens
    return LifetimeOptimum(loss, float(inference_tokens), n, d, 6 * n * d,
                           2 * n * float(inference_tokens), chin_n, chin_d)


def training_overhead(size_fraction, loss: float, fit=papers.HOFFMANN_2022):
    """De Vries's curve: extra training compute, as a fraction, for a model of
    ``size_fraction`` × the compute-optimal N at equal loss (0 at 1; ``inf`` below the
    critical size, :func:`smallest_params`)."""
    best = lifetime_optimum(loss, 0.0, fit)
    s = np.asarray(size_fraction, dtype=float)
    flops = np.asarray(laws.compute_to_reach_loss(loss, s * best.n_params, fit), dtype=float)
    return flops / best.train_flops - 1.0
