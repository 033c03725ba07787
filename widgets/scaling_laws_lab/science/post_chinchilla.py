"""Compute-optimal allocations published after Chinchilla, with their own units and roundings.

Llama 3 (Dubey et al. 2024, *The Llama 3 Herd of Models*, arXiv:2407.21783, §3.2.1): IsoFLOP
experiments from 6e18 to 1e22 FLOPs, a quadratic fit per budget, then

    N*(C) = A·C^α,   (α, A) = (0.53, 0.29),

where, unlike Chinchilla's notation, **N*(C) is the optimal number of training tokens**, not of
parameters. The fit itself is :data:`scaling_laws_lab.science.papers.LLAMA3_2024` (one of the
allocations in notebook 02's explorer). The paper goes on: "Extrapolation of the resulting
scaling law to 3.8 × 10^25 FLOPs suggests training a 402B parameter model on 16.55T tokens",
and "we ultimately decided to train a flagship model with 405B parameters".

**The printed pair does not reproduce the paper's own 16.55T.** 0.29·(3.8e25)^0.53 is 10.5T
tokens, and rounding cannot close the gap: every pair that rounds to (0.53, 0.29) gives at most
0.295·(3.8e25)^0.535 ≈ 14.3T (:func:`llama3_rounding_range`). What could: truncation (with
A = 0.29, α ≈ 0.538 gives 16.55T, and 0.538 truncates to 0.53 but rounds to 0.54), or another
fit than the one printed. A third-party reading of Fig 3's legend, (α, A) = (0.537, 0.299),
would give ≈16.3T; it was not checked against the figure here, so it is labelled unverified
and never used as the law. The printed law also puts ≈605B parameters (C / 6D) at 3.8e25,
against the paper's 402B (and the 405B trained); and 6·402e9·16.55e12 = 3.99e25, not 3.8e25.
We show these numbers side by side and pick none silently.

DeepSeek LLM (Bi et al. 2024, arXiv:2401.02954) fits its allocation in non-embedding FLOPs per
token M instead of 6N. Its constants could not be read from the paper's text here, so that
allocation is left out (the notebook explains the idea without numbers).
"""

from __future__ import annotations

import math

from .papers import LLAMA3_2024, LLAMA3_EXTRAPOLATION, LLAMA3_TOKENS_A, LLAMA3_TOKENS_ALPHA

__all__ = ["LLAMA3_2024", "LLAMA3_EXTRAPOLATION", "LLAMA3_FIG3_UNVERIFIED", "llama3_params",
           "llama3_rounding_range", "llama3_tokens", "llama3_tokens_with",
           "llama3_alpha_reproducing"]

#: A third-party reading of the legend of the paper's Fig 3, (α, A) = (0.537, 0.299):
#: NOT checked against the figure here (unverified), shown only as a candidate explanation.
LLAMA3_FIG3_UNVERIFIED = {"alpha": 0.537, "A": 0.299, "verified": False}


def llama3_tokens_with(flops, alpha: float, a: float):
    """Tokens A·C^α at ``flops`` FLOPs for any pair (α, A) of Llama 3's law's form."""
    return a * math.exp(alpha * math.log(flops))


def llama3_tokens(flops):
    """Llama 3's optimal training tokens at ``flops`` FLOPs, 0.29·C^0.53 (§3.2.1, as printed)."""
    return LLAMA3_2024.d_opt(flops)


def llama3_params(flops):
    """The parameters the printed law implies at ``flops``: C / (6·0.29·C^0.53)."""
    return LLAMA3_2024.n_opt(flops)


def llama3_rounding_range(flops) -> tuple[float, float]:
    """(least, most) tokens at ``flops`` from any pair that rounds to the printed (0.53, 0.29):
    α in [0.525, 0.535), A in [0.285, 0.295); for C > 1 the corners bound it (the upper ones as
    limits)."""
    half = 0.005
    lo = llama3_tokens_with(flops, LLAMA3_TOKENS_ALPHA - half, LLAMA3_TOKENS_A - half)
    hi = llama3_tokens_with(flops, LLAMA3_TOKENS_ALPHA + half, LLAMA3_TOKENS_A + half)
    return lo, hi


def llama3_alpha_reproducing(tokens: float, flops: float, a: float = LLAMA3_TOKENS_A) -> float:
    """The α that, with coefficient ``a``, gives ``tokens`` at ``flops``: ln(D/A) / ln C."""
    return math.log(tokens / a) / math.log(flops)
