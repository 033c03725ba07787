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
