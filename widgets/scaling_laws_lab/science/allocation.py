"""How to split a compute budget, law by law: the numbers behind notebook 02's explorer.

:func:`allocation` takes the explorer's state (a budget, "your" model size, the laws
chosen by key) and returns a frozen :class:`Allocation`: each law's N_opt, D_opt and
losses, the allocation lines over a range of budgets, and the IsoFLOP curves at the
budget. The formulas are :mod:`scaling_laws_lab.science.laws`'; the fits and their
citations :data:`scaling_laws_lab.science.papers.ALLOCATION_FITS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import laws, papers
from .grids import decade_cover, log_grid

#: Every published allocation, by key (menu and legend order).
FITS = {fit.key: fit for fit in papers.ALLOCATION_FITS}
#: Budgets the allocation lines span at least, FLOPs (widened to whole decades holding C).
FLOPS_RANGE = (1e18, 1e30)
#: The IsoFLOP view runs from N_opt / 30 to 30 · N_opt (and your N), in whole decades.
ISO_SPAN = 30.0
#: The law notebook 02 says to believe: Epoch AI's refit of Chinchilla's loss surface
#: (Besiroglu et al. 2024), which agrees with Chinchilla's approaches 1-2 and with how
#: Chinchilla itself was trained (~20 tokens per parameter).
VERDICT = "epoch"
#: The laws that agree on ~20 tokens per parameter: Chinchilla's approaches 1 and 2 (Hoffmann
#: et al. 2022, Tables 3 and A3), Epoch's refit, and Llama 3's token law (Dubey et al. 2024).
AGREEING = ("approach1", "approach2", "epoch", "llama3")
#: Eq 4 of Hoffmann et al. 2022 with the fitted constants, printed or unrounded: the fit that
#: Besiroglu et al. (2024) show describes Chinchilla's own data poorly.
EQ4 = ("chinchilla", "chinchilla_exact")
#: Kaplan et al. 2020, Eq 6.7: D(C_min) = 2·C_min / (6·N(C_min)) ≈ (4e10 tokens)·C_min^0.26,
#: C_min in PF-days, "if we train at the critical batch size (i.e. C = 2C_min)" (§6.3).
KAPLAN_EQ_6_7_COEFF = 4e10


@dataclass(frozen=True)
class AllocationRow:
    """One law at one budget."""

    key: str
    law: str  #: the fit's label
    n_opt: float  #: parameters
    d_opt: float  #: tokens, C / (6·N_opt)
    tokens_per_param: float
    loss_opt: float | None  #: nats/token at the optimum (laws with a loss surface only)
    loss_yours: float | None  #: nats/token for your N on the same budget
    overhead: float | None  #: extra compute your N needs to reach loss_opt, fraction (inf: never)


@dataclass(frozen=True)
class Allocation:
    """Notebook 02's explorer state, computed."""

    flops: float  #: C, FLOPs
    pf_days: float  #: C in PF-days
    c_min_pf_days: float  #: Kaplan's C_min = C/2 at the critical batch size, PF-days (Eq 5.5)
    n_yours: float  #: your model size, parameters
    d_yours: float  #: tokens your model sees on this budget, C / (6N)
    kaplan_min_data: float  #: Kaplan Eq 4.4's overfitting bound for your N, tokens
    rows: tuple[AllocationRow, ...]
    c_grid: np.ndarray  #: budgets for the allocation lines, FLOPs
    n_lines: np.ndarray  #: (laws, budgets) N_opt, parameters
    d_lines: np.ndarray  #: (laws, budgets) D_opt, tokens
    iso_n: np.ndarray  #: model sizes of the IsoFLOP view, parameters
    iso_keys: tuple[str, ...]  #: the laws with a loss surface, in order
    iso_loss: np.ndarray  #: (iso_keys, iso_n) loss at D = C/(6N), nats/token


def allocation_table(flops: float, n_params: float, keys=tuple(FITS)) -> tuple[AllocationRow, ...]:
    """Per law: N_opt, D_opt, tokens/param, loss at the optimum, and your model's penalty.

    ``n_params`` is "your model size", trained on D = C/(6N) tokens. The penalty and
    the compute overhead (the extra FLOPs your size needs to reach the optimum's loss,
    :func:`laws.compute_to_reach_loss`) exist only for laws with a loss surface.
    """
    rows = []
    for key in keys:
        fit = FITS[key]
        n_opt, d_opt = fit.allocation(flops)
        loss_opt = loss_yours = overhead = None
        if fit.has_loss_surface:
            loss_opt = fit.loss(n_opt, d_opt)
            loss_yours = fit.loss(n_params, flops / (6 * n_params))
            overhead = laws.compute_to_reach_loss(loss_opt, n_params, fit) / flops - 1.0
        rows.append(AllocationRow(key, fit.name, n_opt, d_opt, d_opt / n_opt, loss_opt,
                                  loss_yours, overhead))
    return tuple(rows)


def isoflop_sizes(n_opts, n_yours: float, num: int = 160) -> np.ndarray:
    """Model sizes for the IsoFLOP view: whole decades from min/30 to max·30 of the optima and N."""
    lo = min(min(n_opts), n_yours) / ISO_SPAN
    hi = max(max(n_opts), n_yours) * ISO_SPAN
    return log_grid(*decade_cover([lo, hi], (lo, hi)), num)


def forum_tokens(n_params: float = 1e14) -> dict[str, tuple[float, float]]:
    """Each law's answer to the forum's question: (C, D) at which ``n_params`` is optimal.

    The LessWrong question *How do scaling laws work for fine-tuning?* reads Cotra's framework
    as "a 10^14 parameter model [needs] 10^13 training steps/data points". Each law is
    inverted (:func:`laws.optimal_budget_for_params`): the budget C, FLOPs, at which N is
    compute-optimal, and the tokens D = C / (6N) it then trains on.
    """
    return {key: fit.budget_for(n_params) for key, fit in FITS.items()}


def token_range(keys, n_params: float = 1e14) -> tuple[float, float]:
    """(lowest, highest) compute-optimal tokens for ``n_params`` among the laws ``keys``."""
    answers = forum_tokens(n_params)
    tokens = [answers[k][1] for k in keys]
    return min(tokens), max(tokens)


def table_a3_implied_eq4() -> tuple[float, float]:
    """(G, a) of the line N = G·(C/6)^a through Table A3's approach-3 column, least squares in logs.

    Hoffmann et al. 2022, App. D.3, Table A3 (the 175B row's misprinted FLOPs corrected,
    :data:`papers.TABLE_A3_MISPRINT`). The column gives a ≈ 0.459 and G ≈ 1.22: close to,
    but not exactly, Eq 4 with the unrounded constants (a = 0.4565, G = 1.30), so it checks the
    constants only to within a few per cent.
    """
    rows = papers.HOFFMANN_2022_TABLE_A3_APPROACH3
    log_c = np.log([c / 6.0 for _, c, _ in rows])
    log_n = np.log([n for n, _, _ in rows])
    a, log_g = np.polyfit(log_c, log_n, 1)
    return float(np.exp(log_g)), float(a)


def eq4_unrounded() -> tuple[float, float]:
    """(G, a) of Eq 4 with the unrounded constants (Hoffmann et al. 2022's TeX source), the
    values :func:`table_a3_implied_eq4` is compared with (G ≈ 1.30, a ≈ 0.4565)."""
    g, a, _ = laws.chinchilla_allocation_constants(papers.HOFFMANN_2022_EXACT)
    return g, a


def kaplan_eq_6_7_gap() -> dict[str, float]:
    """Kaplan's printed Eq 6.7 coefficient against the one Eq 6.1 implies, tokens at 1 PF-day.

    Eq 6.7 defines D(C_min) = 2·C_min / (6·N(C_min)); with Eq 6.1's N = 1.3e9·C_min^0.73
    (C_min in PF-days) that is 2 × 8.64e19 / (6 × 1.3e9) ≈ 2.2e10 tokens × C_min^0.27, while
    the paper prints 4e10 × C_min^0.26: a 1.8× gap inside Kaplan et al. 2020 (§6.3).
    """
    k = papers.KAPLAN_2020
    implied = 2.0 * laws.pf_days_to_flops(1.0) / (6.0 * k.n_opt_coeff)
    return {"printed": KAPLAN_EQ_6_7_COEFF, "implied": implied,
            "ratio": KAPLAN_EQ_6_7_COEFF / implied}


def allocation(state: dict) -> Allocation:
    """Notebook 02's explorer, computed for ``state`` (``flops``, ``n_params``, ``laws``)."""
    flops, n_yours, keys = state["flops"], state["n_params"], tuple(state["laws"])
    rows = allocation_table(flops, n_yours, keys)
    c_grid = log_grid(*decade_cover([flops], FLOPS_RANGE), 60)
    lines = [FITS[k].allocation(c_grid) for k in keys]
    iso_keys = tuple(k for k in keys if FITS[k].has_loss_surface)
    iso_n = isoflop_sizes([r.n_opt for r in rows], n_yours)
    iso_loss = np.array([FITS[k].loss(iso_n, flops / (6 * iso_n)) for k in iso_keys])
    return Allocation(
        flops=flops, pf_days=laws.flops_to_pf_days(flops),
        c_min_pf_days=laws.flops_to_pf_days(laws.kaplan_c_min(flops)), n_yours=n_yours,
        d_yours=flops / (6 * n_yours), kaplan_min_data=laws.kaplan_min_data(n_yours),
        rows=rows, c_grid=c_grid, n_lines=np.array([n for n, _ in lines]),
        d_lines=np.array([d for _, d in lines]), iso_n=iso_n, iso_keys=iso_keys,
        iso_loss=iso_loss.reshape(len(iso_keys), iso_n.size),
    )
