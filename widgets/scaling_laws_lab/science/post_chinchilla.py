"""Compute-optimal allocations published after Chinchilla, with their own units and roundings.

Llama 3 (Dubey et al. 2024, *The Llama 3 Herd of Models*, arXiv:2407.21783, §3.2.1): IsoFLOP
experiments from 6e18 to 1e22 FLOPs, a quadratic fit per budget, then

    N*(C) = A·C^α,   (α, A) = (0.53, 0.29),

where, unlike Chinchilla's notation, **N*(C) is the optimal number of training tokens**, not of
parameters. The paper extrapolates to 3.8e25 FLOPs: "a 402B parameter model on 16.55T tokens".
The constants as printed do not give that: 0.29·(3.8e25)^0.53 is 10.5T tokens. The gap
suggests the printed pair is rounded (a third-party reading of Fig 3's legend, α = 0.537,
A = 0.299, would give 16.3T; that legend was not checked here). We show both numbers and pick
neither silently. (Nor does
6·402e9·16.55e12 = 3.99e25 equal the 3.8e25 budget; 3.8e25 / (6·16.55e12) is 383B.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TokensLaw:
    """D_opt(C) = A·C^α training tokens; N_opt = C / (6·D_opt)."""

    name: str
    citation: str
    A: float
    alpha: float

    def tokens(self, flops):
        """Optimal training tokens at ``flops`` FLOPs (log space: 1e40 FLOPs does not overflow)."""
        c = np.asarray(flops, dtype=float)
        if not np.all(np.isfinite(c)) or np.any(c <= 0):
            raise ValueError(f"flops must be finite and > 0; got {flops!r}")
        out = np.exp(math.log(self.A) + self.alpha * np.log(c))
        return float(out) if out.ndim == 0 else out

    def params(self, flops):
        """N = C / (6·D_opt), parameters."""
        c = np.asarray(flops, dtype=float)
        out = np.exp(np.log(c) - math.log(6.0) - np.log(self.tokens(c)))
        return float(out) if out.ndim == 0 else out


LLAMA3_2024 = TokensLaw(
    name="Llama 3 (tokens, as printed)",
    citation=("Dubey et al. 2024, The Llama 3 Herd of Models, arXiv:2407.21783, §3.2.1: "
              "N*(C) = A C^α with (α, A) = (0.53, 0.29), N* the optimal number of training tokens"),
    A=0.29, alpha=0.53,
)
#: What the paper says its law gives at the flagship's budget (§3.2.1).
LLAMA3_EXTRAPOLATION = {"flops": 3.8e25, "params": 402e9, "tokens": 16.55e12}
