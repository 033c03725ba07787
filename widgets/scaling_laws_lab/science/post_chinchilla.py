"""Compute-optimal allocations published after Chinchilla, with their own units and roundings.

Llama 3 (Dubey et al. 2024, *The Llama 3 Herd of Models*, arXiv:2407.21783, §3.2.1): IsoFLOP
experiments from 6e18 to 1e22 FLOPs, a quadratic fit per budget, then

    N*(C) = A·C^α,   (α, A) = (0.53, 0.29),

where, unlike Chinchilla's notation, **N*(C) is the optimal number of training tokens**, not of
parameters. The fit itself is :data:`scaling_laws_lab.science.papers.LLAMA3_2024` (one of the
allocations in notebook 02's explorer). The paper extrapolates to 3.8e25 FLOPs: "a 402B
parameter model on 16.55T tokens". The constants as printed do not give that:
0.29·(3.8e25)^0.53 is 10.5T tokens. The gap suggests the printed pair is rounded (a
third-party reading of Fig 3's legend, α = 0.537, A = 0.299, would give 16.3T; that legend was
not checked here, so it is not offered). We show both numbers and pick neither silently. (Nor
does 6·402e9·16.55e12 = 3.99e25 equal the 3.8e25 budget; 3.8e25 / (6·16.55e12) is 383B.)

DeepSeek LLM (Bi et al. 2024, arXiv:2401.02954) fits its allocation in non-embedding FLOPs per
token M instead of 6N. Its constants could not be read from the paper's text here, so that
allocation is left out (the notebook explains the idea without numbers).
"""

from __future__ import annotations

from .papers import LLAMA3_2024, LLAMA3_EXTRAPOLATION

__all__ = ["LLAMA3_2024", "LLAMA3_EXTRAPOLATION", "llama3_tokens"]


def llama3_tokens(flops):
    """Llama 3's optimal training tokens at ``flops`` FLOPs, 0.29·C^0.53 (§3.2.1)."""
    return LLAMA3_2024.d_opt(flops)
