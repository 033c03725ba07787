"""The published scaling-law formulas, vectorised and computed in log space: four chapters.

- :mod:`.compute`: what training costs (C = 6·N·D and its parts, shapes, devices and days,
  PF-days, the cost of a fine-tuning token);
- :mod:`.allocation`: how loss falls with N and D and how a budget is best split (Kaplan et
  al. 2020, Hoffmann et al. 2022: loss laws, C_min, the compute-optimal N and D);
- :mod:`.transfer`: what pre-training is worth to a fine-tune (Hernandez et al. 2021), and
  the thread's "1000× smaller network" checked against it;
- :mod:`.asymptotes`: a power law plus a constant (Henighan et al. 2020) and the two curves
  of the asymptotes post.

This index gathers every chapter's names, so ``laws.chinchilla_loss`` and
``from scaling_laws_lab import laws`` work wherever the chapter does not matter. The chapters
are what the papers say; the modules beside this package (``science/allocation.py``,
``science/transfer.py``, ``science/asymptotes.py``, ...) are what each explorer computes from
them.

Pure numpy (scipy for one root): no widget or plotting import. Every function accepts scalars
or arrays and returns a ``float`` for scalar input, an ``ndarray`` otherwise. Products and
powers are formed as sums of logarithms, so arguments anywhere from 1e-10 to 1e40 give finite
results. A bad argument (negative, zero where meaningless, NaN, infinite, not a number) raises
``ValueError`` naming the argument (:mod:`scaling_laws_lab.science.arguments`).

Units are in every name or docstring: parameters (N), tokens (D), characters (D_F, D_T in the
transfer law), FLOPs (C), PF-days, nats/token (loss). The fits the formulas take, with their
constants and citations, are in :mod:`scaling_laws_lab.science.papers`; the dependency runs
one way, laws → papers.
"""

from __future__ import annotations

from . import allocation, asymptotes, compute, transfer
from .allocation import (
    allocation_power_law,
    chinchilla_allocation_constants,
    chinchilla_loss,
    chinchilla_loss_compute,
    compute_optimal,
    compute_to_reach_loss,
    kaplan_c_min,
    kaplan_compute_efficient_training,
    kaplan_loss,
    kaplan_loss_compute,
    kaplan_loss_data,
    kaplan_loss_params,
    kaplan_min_data,
    kaplan_table6_tokens,
    kaplan_total_compute,
    optimal_budget_for_params,
    params_to_reach_loss,
    smaller_model_ratios,
    tokens_to_reach_loss,
)
from .asymptotes import henighan_loss, post_chinchilla_curve, post_kaplan_curve
from .compute import (
    attention_flops_per_token,
    device_hours,
    finetune_flops_per_token,
    flops_to_pf_days,
    forward_flops_per_token,
    implied_mfu,
    non_embedding_params,
    pf_days_to_flops,
    shape_from_params,
    training_days,
    training_flops,
    training_flops_per_token,
)
from .transfer import (
    data_worth_of_model_size,
    effective_data_multiplier,
    finetune_data_for_effective_data,
    fraction_from_finetuning,
    params_for_effective_data,
    scratch_data_for_99_percent,
    smaller_network_comparison,
    transferred_data,
)

#: The chapters, in reading order.
CHAPTERS = (compute, allocation, transfer, asymptotes)

#: Every chapter's names, in chapter order (a test checks it against the chapters).
__all__ = [
    "training_flops", "forward_flops_per_token", "non_embedding_params",
    "attention_flops_per_token", "training_flops_per_token", "shape_from_params", "training_days",
    "device_hours", "implied_mfu", "flops_to_pf_days", "pf_days_to_flops",
    "finetune_flops_per_token", "kaplan_loss_params", "kaplan_loss_data", "kaplan_loss",
    "kaplan_loss_compute", "kaplan_c_min", "kaplan_total_compute",
    "kaplan_compute_efficient_training", "kaplan_min_data", "kaplan_table6_tokens",
    "chinchilla_loss", "chinchilla_allocation_constants", "allocation_power_law",
    "compute_optimal", "optimal_budget_for_params", "tokens_to_reach_loss", "params_to_reach_loss",
    "compute_to_reach_loss", "chinchilla_loss_compute", "smaller_model_ratios", "transferred_data",
    "effective_data_multiplier", "fraction_from_finetuning", "data_worth_of_model_size",
    "params_for_effective_data", "finetune_data_for_effective_data", "scratch_data_for_99_percent",
    "smaller_network_comparison", "henighan_loss", "post_kaplan_curve", "post_chinchilla_curve",
]
