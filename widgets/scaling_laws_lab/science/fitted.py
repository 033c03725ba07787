"""A Chinchilla-form law fitted to runs: the numbers behind notebook 06's explorer.

:func:`fitted` takes the explorer's state (synthetic demo runs from a known law, or a CSV;
runs left out; noise and seed) and returns a frozen :class:`Fitted`: the runs, the fit by
the published method (:func:`fitting.fit_chinchilla`), its predictions, the iso-loss
contours of the N–D plane (Eq 2 solved for D, :func:`laws.tokens_to_reach_loss`), the
compute-optimal frontier (Eq 4) and the table of constants beside the published fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import fitting, laws, papers
from .grids import decade_cover

#: The demo's true laws, by key.
DEMO_LAWS = {"epoch": papers.BESIROGLU_2024, "chinchilla_exact": papers.HOFFMANN_2022_EXACT,
             "chinchilla": papers.HOFFMANN_2022}
#: Chinchilla's own compute, 6 × 70e9 × 1.4e12 FLOPs: where tokens per parameter are read.
REPORT_FLOPS = laws.training_flops(70e9, 1.4e12)
#: A small CSV a learner can paste: eight runs on the Epoch AI law (Besiroglu et al. 2024).
EXAMPLE_CSV = "params,tokens,loss\n" + "".join(
    f"{n:.4g},{d:.4g},{laws.chinchilla_loss(n, d, papers.BESIROGLU_2024):.5f}\n"
    for n, d in [(7e7, 5e9), (1.5e8, 1e10), (4e8, 8e9), (1e9, 2e10), (2.5e9, 5e10),
                 (6e9, 1.2e11), (1.2e10, 1e11), (1.6e10, 3e11)])
#: The settings that change the runs a lot: after a change of any of them the explorer fits
#: from the full grid of starts; after other steps (noise, runs left out) it warm-starts.
NEW_RUNS_KEYS = ("source", "csv", "demo_law", "n_runs", "seed")


def runs_for(state: dict) -> fitting.Runs:
    """The runs a state describes (synthetic demo, Chinchilla's own runs, or the parsed CSV),
    before exclusions."""
    if state["source"] == "pasted":
        return fitting.read_runs_csv(state["csv"])
    if state["source"] == "chinchilla":
        return chinchilla().runs
    return fitting.demo_runs(DEMO_LAWS[state["demo_law"]], int(state["n_runs"]), state["noise"],
                             int(state["seed"]))


def chinchilla():
    """Chinchilla's 245 runs (:func:`datasets.load_chinchilla_runs`); offline, a ValueError with
    the loader's one-line reason, so the explorer shows it and keeps the last data."""
    from . import datasets

    try:
        return datasets.load_chinchilla_runs()
    except datasets.DataUnavailable as err:
        raise ValueError(str(err).rstrip(".")) from None


def check_runs(state: dict) -> None:
    """Refuse a bad CSV (row and column named), unknown left-out runs, or under 6 runs."""
    runs = runs_for(state)
    bad = [i for i in state["excluded"] if i >= runs.loss.size]
    if bad:
        raise ValueError(f"run {bad[0]} does not exist: there are {runs.loss.size} runs "
                         f"(numbered 0 to {runs.loss.size - 1})")
    if runs.loss.size - len(state["excluded"]) < 6:
        raise ValueError("at least 6 runs must stay in the fit (five constants)")


@dataclass(frozen=True)
class Contours:
    """Iso-loss lines of the fitted law across a box of the N–D plane."""

    x: list  #: per level, parameters
    y: list  #: per level, tokens
    levels: tuple[float, ...]  #: the loss of each line, nats/token


def iso_loss_contours(fit: fitting.ChinchillaEstimate, levels, n_range, d_range) -> Contours:
    """For each loss level, the curve D(N) with L(N, D) = level (Eq 2 solved for D), in the box.

    Each line runs from where it enters the box (D = top) to where it leaves it (D = bottom);
    levels whose line misses the box are left out.
    """
    law = fit.as_fit()
    (x_lo, x_hi), (y_lo, y_hi) = n_range, d_range
    xs, ys, kept = [], [], []
    for level in levels:
        n_start = max(x_lo, float(laws.params_to_reach_loss(level, y_hi, law)))
        n_end = min(x_hi, float(laws.params_to_reach_loss(level, y_lo, law)))
        if not n_start < n_end:
            continue
        nn = np.geomspace(n_start, n_end, 60)
        dd = np.clip(laws.tokens_to_reach_loss(level, nn, law), y_lo, y_hi)
        xs.append(nn)
        ys.append(dd)
        kept.append(float(level))
    return Contours(xs, ys, tuple(kept))


@dataclass(frozen=True)
class Fitted:
    """Notebook 06's explorer state, computed."""

    runs: fitting.Runs
    keep: np.ndarray  #: which runs are in the fit
    fit: fitting.ChinchillaEstimate
    predicted: np.ndarray  #: the fit's loss at every run, nats/token
    rms_log_error: float  #: RMS of log(predicted) − log(observed) over the runs in the fit
    n_range: tuple[float, float]  #: the N–D plane's box, parameters
    d_range: tuple[float, float]  #: tokens
    contours: Contours
    frontier_n: np.ndarray  #: compute-optimal N inside the box (Eq 4 with the fit)
    frontier_d: np.ndarray  #: and D
    tokens_per_param: float  #: at :data:`REPORT_FLOPS`
    table: tuple  #: (name, E, A, B, α, β, tokens per parameter) for the fit and DEMO_LAWS


def fitted(state: dict, warm_start=None) -> Fitted:
    """Fit the state's runs by the published method and compute everything the explorer shows.

    ``warm_start`` (a previous :class:`fitting.ChinchillaEstimate` on nearly the same runs)
    refines from the previous optimum alone instead of scoring the 4,500 grid starts and
    refining the best 8: a step of the explorer stays fast. The tests check that the
    objective it reaches matches the full grid's on the same runs. Without it, the result
    depends on the state alone.
    """
    runs = runs_for(state)
    keep = np.ones(runs.loss.size, bool)
    keep[state["excluded"]] = False
    n, d, loss = runs.n_params, runs.n_tokens, runs.loss
    extra = {} if warm_start is None else {"refine": 0,
                                           "starts": fitting.theta_of(warm_start)[None, :]}
    fit = fitting.fit_chinchilla(n[keep], d[keep], loss[keep], **extra)
    predicted = fit.predict(n, d)
    rms = float(np.sqrt(np.mean((np.log(predicted[keep]) - np.log(loss[keep])) ** 2)))
    n_range = decade_cover(n, (n.min(), n.max()))
    d_range = decade_cover(d, (d.min(), d.max()))
    contours = iso_loss_contours(fit, np.quantile(loss, [0.1, 0.3, 0.5, 0.7, 0.9]), n_range,
                                 d_range)
    n_opt, d_opt = laws.compute_optimal(np.logspace(10, 40, 300), fit.as_fit())
    inside = ((n_opt >= n_range[0]) & (n_opt <= n_range[1])
              & (d_opt >= d_range[0]) & (d_opt <= d_range[1]))
    laws_shown = [("your fit", fit.as_fit())] + [(p.name, p) for p in DEMO_LAWS.values()]
    table = tuple((name, f.E, f.A, f.B, f.alpha, f.beta,
                   f.d_opt(REPORT_FLOPS) / f.n_opt(REPORT_FLOPS)) for name, f in laws_shown)
    return Fitted(runs, keep, fit, predicted, rms, n_range, d_range, contours, n_opt[inside],
                  d_opt[inside], fit.tokens_per_param(REPORT_FLOPS), table)


#: The budgets at which notebook 06 compares the published fits' allocations, FLOPs:
#: Chinchilla's own compute, then 1e24, 1e26 and 1e27.
DRIFT_FLOPS = (REPORT_FLOPS, 1e24, 1e26, 1e27)


def tokens_per_param(fit, flops: float) -> float:
    """D_opt / N_opt of a published fit at a budget of ``flops`` (Eq 4 of Hoffmann et al. 2022).

    Parameters
    ----------
    fit : papers.ChinchillaFit
        The constants E, A, B, α, β.
    flops : float
        Training compute C = 6ND, FLOPs.

    Returns
    -------
    float
        Tokens per parameter at the compute-optimal point.
    """
    n, d = laws.compute_optimal(flops, fit)
    return float(d / n)


def allocation_drift(budgets=DRIFT_FLOPS) -> dict[str, list[float]]:
    """Tokens per parameter at each budget for the printed, the unrounded and Epoch's constants.

    Eq 4 gives D_opt/N_opt ∝ C^(1 − 2a) with a = β/(α + β): a ratio that rises with compute
    when a < 0.5 (the printed constants, a = 0.452; unrounded, 0.457) and falls slowly when
    a > 0.5 (Epoch AI's refit, 0.513).
    """
    return {fit.name: [tokens_per_param(fit, c) for c in budgets]
            for fit in (papers.HOFFMANN_2022, papers.HOFFMANN_2022_EXACT, papers.BESIROGLU_2024)}


def drift_table(budgets=DRIFT_FLOPS) -> str:
    """:func:`allocation_drift` as a plain-text table (notebook 06 prints it after a check)."""
    from .units import si

    head = f"{'tokens per parameter at C =':<34}" + "".join(f"{si(c):>9}" for c in budgets)
    rows = [f"{name:<34}" + "".join(f"{r:>9.0f}" for r in ratios)
            for name, ratios in allocation_drift(budgets).items()]
    return "\n".join([head, *rows])
