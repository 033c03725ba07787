"""Asymptotes: a power law plus a constant, and the curves of the asymptotes post.

Henighan et al. 2020's L = L_∞ + (x0/x)^α, and the two curves of the LessWrong post *A Quick
Note on AI Scaling Asymptotes* (Kaplan's and Chinchilla's loss against log10 FLOPs), with
where each comes from.
"""

from __future__ import annotations

import numpy as np

from ..arguments import finite, non_negative, positive, scalar_or_array

__all__ = ["henighan_loss", "post_kaplan_curve", "post_chinchilla_curve"]


def henighan_loss(x, l_inf, x0, alpha):
    """L(x) = L_∞ + (x0/x)^α: a power law plus a constant (Henighan et al. 2020, Eq 1.1).

    Henighan et al., "Scaling Laws for Autoregressive Generative Modeling" (arXiv:2010.14701)
    read L_∞ as the entropy of the data (irreducible) and the power-law term as the
    reducible loss, the KL divergence between data and model. ``x`` is the scaled quantity
    (compute, FLOPs, here); returns (total, reducible), nats.
    """
    x = positive("x", x)
    l_inf = non_negative("l_inf", l_inf)
    reducible = np.exp(positive("alpha", alpha) * (np.log(positive("x0", x0)) - np.log(x)))
    return scalar_or_array(l_inf + reducible), scalar_or_array(reducible)


def post_kaplan_curve(c):
    """The Kaplan curve of the post *A Quick Note on AI Scaling Asymptotes*.

    L(c) = 26.387 / 10^(0.05·c), c = log10(FLOPs).

    This is Kaplan et al. 2020, Eq 1.3 rewritten: C_c = 3.1e8 PF-days
    = 2.6784e28 FLOPs and (2.6784e28)^0.05 = 26.387. It reads c as C_min; for
    FLOPs spent at the critical batch size (C = 2·C_min) the loss is 2^0.05 = 3.5%
    higher (:func:`kaplan_c_min`).
    """
    c = finite("c", c)
    return scalar_or_array(26.387 * np.power(10.0, -0.05 * c))


def post_chinchilla_curve(c):
    """The Chinchilla curve of the post *A Quick Note on AI Scaling Asymptotes*.

    L(c) = 1.69 + 514.5/10^(0.156c) + 560.2/10^(0.1512c).

    c = log10(FLOPs). The post does not say how it was built; our reconstruction
    (inferred from its four numbers, not stated in the post) is the printed
    constants of Hoffmann et al. 2022 with a rounded approach-3 allocation
    N_opt ≈ 0.5·C^0.46, D_opt ≈ 0.33·C^0.54: 406.4/0.5^0.34 = 514.5, 410.7/0.33^0.28 = 560.2,
    0.34·0.46 = 0.1564 ≈ 0.156, 0.28·0.54 = 0.1512. Eq 4 itself gives
    1.69 + 483.8/10^(0.1535c) + 587.5/10^(0.1535c)
    (:func:`chinchilla_loss_compute`).
    """
    c = finite("c", c)
    return scalar_or_array(1.69 + 514.5 * np.power(10.0, -0.156 * c) + 560.2 * np.power(10.0, -0.1512 * c))
