"""What pre-training is worth, in characters: the numbers behind notebook 04's explorers.

:func:`transfer` computes the transfer explorer's state (Hernandez et al. 2021, Eqs 1.1-1.2,
Table 1); :func:`recipe` simulates the paper's recipe (§6.3) for measuring k, α and β and fits it;
:func:`worked_example` holds the numbers behind the 475×-against-1000× discussion.
Each returns a frozen dataclass; formulas: :mod:`scaling_laws_lab.science.laws`, fits:
:mod:`scaling_laws_lab.science.fitting`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import fitting, laws, papers
from .grids import decade_cover, log_grid

#: The pre-training distributions of Table 1, by key.
DISTRIBUTIONS = {"text": papers.HERNANDEZ_2021_TEXT, "mix": papers.HERNANDEZ_2021_MIX}
#: Fine-tuning characters the figures span at least (widened to whole decades holding D_F).
DF_RANGE = (1e3, 1e12)
#: Model sizes of the reference lines, parameters (the recipe simulates these sizes too).
SIZES = (1e6, 1e7, 1e8, 1e9)
#: What is illustrative, said wherever it is drawn.
ILLUSTRATIVE = ("illustrative: from-scratch loss = Kaplan 2020 Eq 1.5 (Table 2) with "
                "characters in place of tokens; not Hernandez et al.'s own fit")


def check_transfer_constants(k, alpha, beta) -> None:
    """Refuse constants that would make the law say something it cannot mean (ValueError)."""
    if not k > 0:
        raise ValueError(f"k must be > 0 (got {k}): it is the scale of the transferred data")
    if not alpha > 0:
        raise ValueError(f"α must be > 0 (got {alpha}): with α ≤ 0, more fine-tuning data "
                         "would transfer less")
    if alpha >= 1:
        raise ValueError(f"α must be < 1 (got {alpha}): with α ≥ 1 the transferred data would "
                         "grow at least as fast as the fine-tuning data, so pre-training would "
                         "matter more the more data you have, the opposite of the low-data "
                         "effect the law describes (Table 1: α = 0.18 and 0.096)")
    if beta < 0:
        raise ValueError(f"β must be ≥ 0 (got {beta}): a negative β would mean bigger models gain "
                         "less from pre-training, the opposite of Table 1 (β = 0.38)")


def current_fit(state: dict) -> papers.TransferFit:
    """Table 1's fit for ``state['pretrain']``, or the state's custom k, α, β."""
    if state["pretrain"] in DISTRIBUTIONS:
        return DISTRIBUTIONS[state["pretrain"]]
    return papers.TransferFit("custom", "custom constants", state["k"], state["alpha"],
                              state["beta"])


@dataclass(frozen=True)
class Transfer:
    """Notebook 04's transfer explorer state, computed (characters throughout)."""

    fit: papers.TransferFit
    d_t: float  #: D_T, transferred
    d_e: float  #: D_E = D_F + D_T, effective
    multiplier: float  #: D_E / D_F
    fraction: float  #: D_F / D_E
    size_for_data: float  #: 10× the model is worth this many × the fine-tuning data
    boundary: float  #: illustrative edge of the low-data regime, D_F
    more_data: float  #: × more fine-tuning data to reach the target effective data
    bigger_model: float  #: × bigger model to reach it
    grid: np.ndarray  #: D_F grid
    your_line: np.ndarray  #: D_T at your N over the grid
    size_lines: np.ndarray  #: (SIZES, grid) D_T at each reference size
    scratch_loss: np.ndarray  #: illustrative from-scratch loss over the grid, nats/token
    tuned_loss: np.ndarray  #: illustrative loss with D_F + D_T
    loss_scratch_here: float
    loss_tuned_here: float
    multipliers: np.ndarray  #: (Table 1 distributions, grid) D_E / D_F


def transfer(state: dict) -> Transfer:
    """The transfer explorer's numbers for ``state`` (Hernandez et al. 2021, Eqs 1.1-1.2).

    The loss curves and the low-data boundary are illustrative (:data:`ILLUSTRATIVE`):
    Kaplan's L(N, D) (Eq 1.5) stands in for the paper's unpublished from-scratch fits.
    """
    fit, n, d_f = current_fit(state), state["n_params"], state["d_finetune"]
    d_t = laws.transferred_data(d_f, n, fit)
    d_e = d_f + d_t
    target = state["target"] * d_e
    grid = log_grid(*decade_cover([d_f], DF_RANGE), 80)
    return Transfer(
        fit=fit, d_t=d_t, d_e=d_e, multiplier=laws.effective_data_multiplier(d_f, n, fit),
        fraction=laws.fraction_from_finetuning(d_f, n, fit),
        size_for_data=laws.data_worth_of_model_size(10.0, fit),
        boundary=0.1 * laws.scratch_data_for_99_percent(n),
        more_data=laws.finetune_data_for_effective_data(target, n, fit) / d_f,
        bigger_model=laws.params_for_effective_data(target, d_f, fit) / n,
        grid=grid, your_line=np.asarray(laws.transferred_data(grid, n, fit)),
        size_lines=np.array([laws.transferred_data(grid, s, fit) for s in SIZES]),
        scratch_loss=np.asarray(laws.kaplan_loss(n, grid)),
        tuned_loss=np.asarray(laws.kaplan_loss(n, grid + laws.transferred_data(grid, n, fit))),
        loss_scratch_here=laws.kaplan_loss(n, d_f), loss_tuned_here=laws.kaplan_loss(n, d_e),
        multipliers=np.array([laws.effective_data_multiplier(grid, n, f)
                              for f in DISTRIBUTIONS.values()]),
    )


@dataclass(frozen=True)
class Recipe:
    """The paper's recipe (§6.3), SIMULATED from a chosen law and fitted (characters throughout)."""

    truth: papers.TransferFit
    estimate: fitting.TransferEstimate
    d_finetune: np.ndarray  #: the simulated runs' fine-tuning data
    n_params: np.ndarray  #: their model sizes
    d_transferred: np.ndarray  #: their (noisy) D_T
    grid: np.ndarray  #: D_F grid for the lines
    true_lines: np.ndarray  #: (SIZES, grid) D_T under the true law
    fit_lines: np.ndarray  #: (SIZES, grid) D_T under the fitted law
    size_for_data_true: float  #: 10^(β/α), true
    size_for_data_fit: float  #: 10^(β/α), fitted


def recipe(state: dict) -> Recipe:
    """Simulate 1% and 10% fine-tuning runs at :data:`SIZES` from the state's law, then fit."""
    truth = papers.TransferFit("true", "simulated", state["true_k"], state["true_alpha"],
                               state["true_beta"])
    d_f, n, d_t = fitting.simulate_transfer_runs(truth, state["dataset"], SIZES,
                                                 noise=state["noise"], seed=int(state["seed"]))
    est = fitting.fit_transfer_law(d_f, n, d_t, level=0.9)
    grid = log_grid(*decade_cover([d_f], (1e5, 1e12)), 40)
    fitted = est.as_fit()
    return Recipe(
        truth=truth, estimate=est, d_finetune=d_f, n_params=n, d_transferred=d_t, grid=grid,
        true_lines=np.array([laws.transferred_data(grid, s, truth) for s in SIZES]),
        fit_lines=np.array([laws.transferred_data(grid, s, fitted) for s in SIZES]),
        size_for_data_true=laws.data_worth_of_model_size(10.0, truth),
        size_for_data_fit=laws.data_worth_of_model_size(10.0, fitted),
    )


#: The worked example the paper's Fig 1 labels (as a summary of the paper reports it): a model
#: of 40M parameters fine-tuned on 3e5 characters of Python, text pre-training.
EXAMPLE = {"n_params": 40e6, "d_finetune": 3e5}
#: What the summary reads off Fig 1 for that example: D_T "approximately 1000x bigger" than D_F.
FIGURE_RATIO = 1000.0


@dataclass(frozen=True)
class WorkedExample:
    """Fig 1's labelled example under the fitted law, and what could and could not explain the gap."""

    ratio: float  #: D_T / D_F under Table 1's printed constants
    multiplier: float  #: D_E / D_F = 1 + ratio
    rounding_range: tuple[float, float]  #: D_T / D_F over every k, α, β that round to Table 1's
    params_for_figure: float  #: N (non-embedding) at which the law gives FIGURE_RATIO, parameters


def worked_example(fit: papers.TransferFit = papers.HERNANDEZ_2021_TEXT) -> WorkedExample:
    """The law at :data:`EXAMPLE`, and two candidate explanations of its gap to Fig 1, tested.

    Rounding: k = 1.9e4 ± 0.05e4, α = 0.18 ± 0.005, β = 0.38 ± 0.005 (the printed digits), every
    corner tried; D_T is monotonic in each, so the corners bound it. Parameter counting: the N at
    which the law would reach the figure's ratio (a larger N than 40M, so counting embeddings in
    the label would widen the gap, not close it).
    """
    n, d_f = EXAMPLE["n_params"], EXAMPLE["d_finetune"]
    d_t = laws.transferred_data(d_f, n, fit)
    corners = [papers.TransferFit("corner", "rounding", fit.k + dk, fit.alpha + da, fit.beta + db)
               for dk in (-500.0, 500.0) for da in (-0.005, 0.005) for db in (-0.005, 0.005)]
    ratios = [laws.transferred_data(d_f, n, c) / d_f for c in corners]
    need = laws.params_for_effective_data((1 + FIGURE_RATIO) * d_f, d_f, fit)
    return WorkedExample(d_t / d_f, 1 + d_t / d_f, (min(ratios), max(ratios)), need)
