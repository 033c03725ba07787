"""Pure power laws against laws with a constant term: the numbers behind notebook 05's explorer.

Three computations, one per figure, each from the explorer's state to a frozen dataclass:
:func:`law_curves` (the curves of the LessWrong post *A Quick Note on AI Scaling Asymptotes*
and Eq 4 against compute, where they cross),
:func:`henighan_curves` (Henighan et al. 2020's form) and :func:`window_fits` (SIMULATED runs
fitted in a window and extrapolated). :func:`asymptotes` gathers all three. Formulas:
:mod:`scaling_laws_lab.science.laws`; fits: :mod:`scaling_laws_lab.science.fitting`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import fitting, laws, papers

#: key -> (label, loss as a function of c = log10 FLOPs, irreducible term E, nats/token). The
#: "seed_" keys (kept: share links name them) are the curves of the post *A Quick Note on AI
#: Scaling Asymptotes*, which it rescaled by hand: only their shapes compare.
CURVES = {
    "seed_kaplan": ("post: Kaplan, 26.387 / 10^(0.05c)", laws.post_kaplan_curve, 0.0),
    "seed_chinchilla": ("post: Chinchilla, 1.69 + 514.5/10^(0.156c) + 560.2/10^(0.1512c)",
                        laws.post_chinchilla_curve, 1.69),
    "eq4_printed": ("Eq 4, printed constants",
                    lambda c: laws.chinchilla_loss_compute(10.0**c, papers.HOFFMANN_2022),
                    papers.HOFFMANN_2022.E),
    "eq4_exact": ("Eq 4, unrounded constants",
                  lambda c: laws.chinchilla_loss_compute(10.0**c, papers.HOFFMANN_2022_EXACT),
                  papers.HOFFMANN_2022_EXACT.E),
    "epoch": ("Eq 4, Epoch AI refit",
              lambda c: laws.chinchilla_loss_compute(10.0**c, papers.BESIROGLU_2024),
              papers.BESIROGLU_2024.E),
}
#: Henighan et al. 2020, Table 1 (read second-hand, see notebook 05): the exponent of the
#: reducible loss in model size, L − L_∞ ∝ N^(−exponent), differs between modalities...
HENIGHAN_N_EXPONENTS = {"language": 0.070, "image 8×8": 0.24}
#: ...while the optimal model size grows with compute as N_opt ∝ C^~0.7 in every domain (the
#: abstract: "exponents that are nearly universal across all data domains").
HENIGHAN_N_OPT_EXPONENT = 0.7
#: Kaplan et al. 2020, Eq 6.8: the laws must break down near C* ~ 1e4 PF-days, L* ~ 1.7 nats.
KAPLAN_WARNING = (1e4 * papers.PF_DAY_FLOPS, 1.7)
#: How far past the fitted window the extrapolations go.
EXTRAPOLATE = (1e2, 1e4)
#: The settings each figure depends on (the explorer redraws a figure only when they change).
HENIGHAN_KEYS = ("alpha_h", "x0", "l_inf")
WINDOW_KEYS = ("window_lo", "window_hi", "noise", "seed")


def check_ranges(state: dict) -> None:
    """Refuse an inverted compute range or a fit window under half a decade (ValueError)."""
    if state["c_lo"] >= state["c_hi"]:
        raise ValueError(f"the compute range is inverted: from c = {state['c_lo']:g} to "
                         f"c = {state['c_hi']:g}; 'from' must be below 'to'")
    if state["window_hi"] - state["window_lo"] < 0.5:
        raise ValueError("the fit window must span at least half a decade of compute, "
                         f"with 'from' below 'to' (got {state['window_lo']:g} to "
                         f"{state['window_hi']:g})")


def curve_gap_crossings(key_a: str, key_b: str, gap: float = 0.0, lo: float = 10.0,
                        hi: float = 50.0) -> list[float]:
    """Every c (log10 FLOPs) in [lo, hi] where curve a − curve b = ``gap`` nats.

    Sign changes on a fine grid (one vectorised call, not 801), each refined with
    Brent's method.
    """
    from scipy.optimize import brentq  # only this function needs scipy

    f = lambda c: CURVES[key_a][1](c) - CURVES[key_b][1](c) - gap  # noqa: E731
    grid = np.linspace(lo, hi, 801)
    values = np.asarray(f(grid), dtype=float)
    roots = []
    for i in np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0)[0]:
        root = (float(grid[i]) if values[i] == 0
                else brentq(lambda c: float(f(c)), grid[i], grid[i + 1], xtol=1e-12))
        if not roots or abs(root - roots[-1]) > 1e-6:
            roots.append(float(root))
    return roots


@dataclass(frozen=True)
class LawCurves:
    """Figure 1: the chosen curves against compute."""

    keys: tuple[str, ...]
    flops: np.ndarray  #: C grid, FLOPs
    rows: np.ndarray  #: (keys, grid) loss, total or reducible (L − E), nats/token
    cross_flops: np.ndarray  #: where the post's Kaplan curve crosses another, FLOPs
    cross_loss: np.ndarray  #: the loss there
    warning_inside: bool  #: whether Kaplan's Eq 6.8 point is inside the plotted range
    at_1e27: dict  #: key -> loss at 1e27 FLOPs


def law_curves(state: dict) -> LawCurves:
    """The curves of ``state['curves']`` over c_lo..c_hi, and where Kaplan's crosses the others."""
    keys, reducible = tuple(state["curves"]), state["view"] == "reducible"
    c = np.linspace(state["c_lo"], state["c_hi"], 200)
    rows = np.array([CURVES[k][1](c) - (CURVES[k][2] if reducible else 0.0) for k in keys])
    cross_x, cross_y = [], []
    if "seed_kaplan" in keys:
        for k in keys:
            if k != "seed_kaplan":
                for at in curve_gap_crossings("seed_kaplan", k, 0.0, state["c_lo"], state["c_hi"]):
                    cross_x.append(10.0**at)
                    cross_y.append(float(CURVES["seed_kaplan"][1](at)))
    inside = not reducible and state["c_lo"] <= np.log10(KAPLAN_WARNING[0]) <= state["c_hi"]
    return LawCurves(keys, 10.0**c, rows.reshape(len(keys), c.size), np.array(cross_x),
                     np.array(cross_y), bool(inside),
                     {k: float(CURVES[k][1](27.0)) for k in keys})


@dataclass(frozen=True)
class Henighan:
    """Figure 2: Henighan et al.'s form over 1e15-1e35 FLOPs (illustrative constants)."""

    x: np.ndarray  #: FLOPs
    total: np.ndarray  #: L_∞ + (x0/x)^α, nats
    reducible: np.ndarray  #: (x0/x)^α, nats
    l_inf: float


def henighan_curves(state: dict) -> Henighan:
    """:func:`laws.henighan_loss` with the state's L_∞, x0 and α."""
    x = np.logspace(15, 35, 120)
    total, reducible = laws.henighan_loss(x, state["l_inf"], state["x0"], state["alpha_h"])
    return Henighan(x, np.asarray(total), np.asarray(reducible), state["l_inf"])


def simulate_window(state: dict) -> tuple[np.ndarray, np.ndarray]:
    """SIMULATED noisy losses from Eq 4 (unrounded) over the chosen window of compute."""
    rng = np.random.default_rng(int(state["seed"]))
    c = np.linspace(state["window_lo"], state["window_hi"], 24)
    loss = CURVES["eq4_exact"][1](c) + state["noise"] * rng.standard_normal(c.size)
    return 10.0**c, np.maximum(loss, 1e-3)


@dataclass(frozen=True)
class WindowFits:
    """Figure 3: SIMULATED runs in a window, two fits, and their extrapolations."""

    x: np.ndarray  #: the runs' compute, FLOPs
    y: np.ndarray  #: their loss, nats/token
    pure: fitting.PowerLawFit  #: pure power law
    const: fitting.PowerLawFit  #: power law + constant
    grid: np.ndarray  #: from the window to 10^4× past it, FLOPs
    truth: np.ndarray  #: the true law on the grid
    fit_rows: np.ndarray  #: (2, grid) the two fits on the grid
    at: np.ndarray  #: the two extrapolation points, FLOPs
    predictions: np.ndarray  #: (2 fits, 2 points)
    truth_at: np.ndarray  #: the true law at those points


def window_fits(state: dict) -> WindowFits:
    """Fit both forms to :func:`simulate_window`'s runs and extrapolate :data:`EXTRAPOLATE` past."""
    x, y = simulate_window(state)
    pure, const = fitting.fit_power_law(x, y), fitting.fit_power_law_with_constant(x, y)
    grid = np.logspace(np.log10(x[0]), np.log10(x[-1] * EXTRAPOLATE[1]), 150)
    at = x[-1] * np.array(EXTRAPOLATE)
    truth = CURVES["eq4_exact"][1]
    return WindowFits(x, y, pure, const, grid, truth(np.log10(grid)),
                      np.array([pure.predict(grid), const.predict(grid)]), at,
                      np.array([pure.predict(at), const.predict(at)]), truth(np.log10(at)))


@dataclass(frozen=True)
class Asymptotes:
    """All three figures' numbers for one state."""

    laws: LawCurves
    henighan: Henighan
    window: WindowFits


def asymptotes(state: dict) -> Asymptotes:
    """Notebook 05's explorer, computed for ``state``."""
    return Asymptotes(law_curves(state), henighan_curves(state), window_fits(state))
