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
usually quoted.
"""

from __future__ import annotations

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
