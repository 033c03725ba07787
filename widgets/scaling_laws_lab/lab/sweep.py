"""Sweeps of lab runs (notebook 07): the plan, the runs, and what a learner reads off them.

A sweep is Chinchilla's approach 2 done small (Hoffmann et al. 2022, §3.2): for each of a few
compute budgets C, train models of several sizes N on D = C / (6N) tokens, so that each budget
gives an IsoFLOP curve, loss against N at fixed compute, whose minimum is that budget's
compute-optimal size. The same runs, fitted by approach 3 (Eq 2 with the published Huber
objective, :func:`scaling_laws_lab.science.fitting.fit_chinchilla`), give E, A, B, α and β.

Sizes are spaced four to a decade of N and budgets two to a decade of C, so D = C/(6N) also
falls on a grid (four to a decade): runs that share a D (within the rounding of widths, a few
per cent) make the "loss against N at fixed D" curves of the first figure from the same runs.

Everything here is numpy; the explorer (``explorers/lab.py``) only draws it.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..science import fitting
from .trainer import Cancelled, FactSource, Run, flops_per_token, key_codes, mlp_params, train

SIZES_PER_DECADE = 4
BUDGETS_PER_DECADE = 2
BATCH = 256
MIN_STEPS = 10  #: a run shorter than this is no run: skipped (too few steps to learn anything)
MAX_TOKENS = 12_000_000  #: longer runs are skipped: each would take more than ~5 s
MAX_SECONDS = 600.0  #: a plan estimated to take longer is refused before anything runs
MAX_RUNS = 200

#: The default live sweep: 38 runs, N from 526 to 29,555, C from 1e9 to 1e11 (6ND FLOPs).
DEFAULT = {"n_min": 526.0, "n_max": 30_000.0, "c_min": 1e9, "c_max": 1e11, "seed": 0}
#: A smaller sweep for a slow machine or a class on Binder (and the CI test): 17 runs.
QUICK = {"n_min": 526.0, "n_max": 10_000.0, "c_min": 1e9, "c_max": 1e10, "seed": 0}


@dataclass(frozen=True)
class PlannedRun:
    width: int
    n_params: int  #: N
    n_tokens: int  #: D, whole batches
    budget: float  #: the nominal budget C = 6·N·D this run belongs to, FLOPs


@dataclass(frozen=True)
class Plan:
    """What a sweep will run, and what it leaves out and why."""

    runs: tuple[PlannedRun, ...]
    budgets: tuple[float, ...]
    widths: tuple[int, ...]
    skipped: tuple[str, ...]
    seconds: float  #: estimated on this machine (:func:`seconds_per_run`)
    source: FactSource = field(default_factory=FactSource)
    seed: int = 0


def positive_number(name: str, value, low: float, high: float) -> float:
    """``value`` as a float, or ValueError naming ``name``: not a number, not finite and > 0, or
    outside [low, high] (the lab's plans check every size, budget and amount with it)."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number; got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    if not low <= v <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}; got {v:g}")
    return v


def check_seed(seed) -> int:
    """A seed as numpy's generators take it (a whole number from 0 to 2³² − 1), or ValueError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer, float)) \
            or not float(seed).is_integer() or not 0 <= seed < 2**32:
        raise ValueError(f"the seed must be a whole number from 0 to 4294967295; got {seed!r}")
    return int(seed)


def widths_for(n_min: float, n_max: float, n_values: int = 64, n_keys: int = 4096) -> tuple:
    """Hidden widths whose N = mlp_params(...) lie four to a decade from n_min to n_max."""
    n_in = key_codes(n_keys).shape[1]
    per_unit = n_in + 1 + n_values
    count = int(math.floor(math.log10(n_max / n_min) * SIZES_PER_DECADE + 1e-9)) + 1
    targets = n_min * 10 ** (np.arange(count) / SIZES_PER_DECADE)
    widths = np.maximum(1, np.round((targets - n_values) / per_unit)).astype(int)
    return tuple(dict.fromkeys(int(w) for w in widths))  # unique, in order


def budgets_for(c_min: float, c_max: float) -> tuple:
    """Budgets (6ND FLOPs) two to a decade from c_min up to c_max."""
    count = int(math.floor(math.log10(c_max / c_min) * BUDGETS_PER_DECADE + 1e-9)) + 1
    return tuple(float(c) for c in c_min * 10 ** (np.arange(count) / BUDGETS_PER_DECADE))


def seconds_per_run(width: int, n_tokens: int, n_values: int = 64, n_in: int = 12) -> float:
    """Estimated seconds for one run: a cost per step plus a cost per FLOP.

    Measured on the development machine (2 cores): about 60 µs of Python per step and
    6·10¹⁰ FLOP/s in the matmuls (the default sweep: 30 s measured, 29 s estimated). A
    slower machine takes longer; the estimate is for refusing plans that would take many
    minutes, not a promise.
    """
    steps = n_tokens / BATCH
    return steps * 60e-6 + n_tokens * flops_per_token(n_in, width, n_values) / 6e10


def plan(n_min=DEFAULT["n_min"], n_max=DEFAULT["n_max"], c_min=DEFAULT["c_min"],
         c_max=DEFAULT["c_max"], seed=0, source: FactSource | None = None,
         max_seconds: float = MAX_SECONDS) -> Plan:
    """The IsoFLOP plan: every size at every budget, D = C/(6N), less what is out of range.

    Raises ValueError, before anything runs, for sizes or budgets that make no sense, a plan
    with no runs, or one estimated to take more than ten minutes.
    """
    source = source or FactSource()
    n_min = positive_number("the smallest model (N)", n_min, 100, 1e6)
    n_max = positive_number("the largest model (N)", n_max, 100, 1e6)
    c_min = positive_number("the smallest budget (C)", c_min, 1e6, 1e14)
    c_max = positive_number("the largest budget (C)", c_max, 1e6, 1e14)
    check_seed(seed)
    if n_max < n_min:
        raise ValueError(f"the largest model ({n_max:g}) is smaller than the smallest ({n_min:g})")
    if c_max < c_min:
        raise ValueError(f"the largest budget ({c_max:.3g}) is below the smallest ({c_min:.3g})")
    widths = widths_for(n_min, n_max, source.n_values, source.n_keys)
    budgets = budgets_for(c_min, c_max)
    n_in = key_codes(source.n_keys).shape[1]
    runs, skipped = [], []
    for c in budgets:
        for w in widths:
            n = mlp_params(n_in, w, source.n_values)
            d = int(c / (6 * n)) // BATCH * BATCH
            if d < MIN_STEPS * BATCH:
                skipped.append(f"N = {n:,} at C = {c:.2g}: {d:,} tokens is under {MIN_STEPS} steps")
            elif d > MAX_TOKENS:
                skipped.append(f"N = {n:,} at C = {c:.2g}: {d:,} tokens is over {MAX_TOKENS:,}")
            else:
                runs.append(PlannedRun(w, n, d, c))
    if not runs:
        raise ValueError("no run fits: every size needs under 10 steps or over 12M tokens at "
                         "these budgets; raise the budgets or lower the sizes")
    if len(runs) > MAX_RUNS:
        raise ValueError(f"{len(runs)} runs is more than {MAX_RUNS}; narrow the ranges")
    seconds = sum(seconds_per_run(r.width, r.n_tokens, source.n_values, n_in) for r in runs)
    if seconds > max_seconds:
        raise ValueError(f"this sweep would take about {seconds / 60:.0f} minutes on a 2-core laptop (the "
                         f"limit is {max_seconds / 60:.0f}); lower the largest budget")
    return Plan(tuple(runs), budgets, widths, tuple(skipped), seconds, source, int(seed))


@dataclass(frozen=True)
class LabRun:
    """A finished run with the budget it was planned for."""

    run: Run
    budget: float

    @property
    def n_params(self):
        return self.run.n_params

    @property
    def n_tokens(self):
        return self.run.n_tokens

    @property
    def loss(self):
        return self.run.loss


def run_sweep(the_plan: Plan, progress=None) -> tuple[list[LabRun], bool]:
    """Train every planned run in order; return (finished runs, completed?).

    ``progress(i, n_runs, tokens_done, n_tokens)`` is called at least every 64 steps; it may
    raise :class:`~scaling_laws_lab.lab.trainer.Cancelled`, which stops the sweep and keeps the
    runs already finished (returned with completed=False).
    """
    done = []
    total = len(the_plan.runs)
    for i, pr in enumerate(the_plan.runs):
        tick = None if progress is None else (
            lambda a, b, i=i: progress(i, total, a, b))
        try:
            run = train(the_plan.source, pr.width, pr.n_tokens, batch=BATCH, seed=the_plan.seed,
                        progress=tick)
        except Cancelled:
            return done, False
        done.append(LabRun(run, pr.budget))
    if progress is not None:
        progress(total, total, 0, 0)
    return done, True


# --------------------------------------------------------------------------- reading runs
@dataclass(frozen=True)
class IsoFlopMinimum:
    budget: float  #: C, FLOPs
    n_opt: float  #: the vertex of a parabola in log N through the lowest three points
    loss_min: float
    interior: bool  #: the lowest run is neither the smallest nor the largest size


def isoflop_minima(runs) -> list[IsoFlopMinimum]:
    """Each budget's minimum (Hoffmann et al. 2022, §3.2, approach 2).

    The paper fits a parabola to each IsoFLOP curve; here a parabola in log N through the
    lowest run and its two neighbours, taken only when the lowest run is interior (a minimum at
    an end of the curve is not a minimum: the budget needed larger or smaller sizes).
    """
    out = []
    for c in sorted({r.budget for r in runs}):
        rs = sorted((r for r in runs if r.budget == c), key=lambda r: r.n_params)
        if len(rs) < 3:
            continue
        losses = np.array([r.loss for r in rs])
        k = int(np.argmin(losses))
        interior = 0 < k < len(rs) - 1
        if interior:
            x = np.log([rs[k - 1].n_params, rs[k].n_params, rs[k + 1].n_params])
            y = losses[k - 1:k + 2]
            a, b, c0 = np.polyfit(x, y, 2)
            xv = -b / (2 * a) if a > 0 else x[1]
            n_opt, loss_min = float(np.exp(xv)), float(np.polyval([a, b, c0], xv))
        else:
            n_opt, loss_min = float(rs[k].n_params), float(losses[k])
        out.append(IsoFlopMinimum(c, n_opt, loss_min, interior))
    return out


@dataclass(frozen=True)
class OptimumFit:
    """N_opt ∝ C^a from the IsoFLOP minima (approach 2): a, and D/N at each minimum."""

    a: float
    n_at: float  #: N_opt at C = 1e10
    tokens_per_param: tuple[float, ...]


def optimum_exponent(minima) -> OptimumFit | None:
    """Least squares of log N_opt on log C over the interior minima (None if under 2)."""
    inner = [m for m in minima if m.interior]
    if len(inner) < 2:
        return None
    lc = np.log([m.budget for m in inner])
    ln = np.log([m.n_opt for m in inner])
    a, b = np.polyfit(lc, ln, 1)
    tpp = tuple(float(m.budget / (6 * m.n_opt) / m.n_opt) for m in inner)
    return OptimumFit(float(a), float(np.exp(a * np.log(1e10) + b)), tpp)


@dataclass(frozen=True)
class SweepFit:
    """The Chinchilla-form fit of a sweep's runs, and how well it fits them."""

    fit: fitting.ChinchillaEstimate
    rms_log: float  #: RMS of log(observed) − log(fitted)
    true_entropy: float  #: the source's E, nats

    @property
    def usable(self) -> bool:
        """False when the optimum ran off to infinity (A or B = inf: the runs cannot tell the
        N term from the D term, e.g. every run on one budget), so it predicts nothing."""
        f = self.fit
        return all(math.isfinite(x) and x > 0 for x in (f.A, f.B, f.alpha, f.beta)) \
            and math.isfinite(f.E)


def fit_sweep(runs, source: FactSource) -> SweepFit:
    """Fit L = E + A/N^α + B/D^β to the runs (the collection's fitter, published objective)."""
    n = np.array([r.n_params for r in runs], float)
    d = np.array([r.n_tokens for r in runs], float)
    loss = np.array([r.loss for r in runs], float)
    est = _fit(tuple(n), tuple(d), tuple(loss))
    with np.errstate(all="ignore"):
        pred = est.E + est.A / n**est.alpha + est.B / d**est.beta  # Eq 2, without as_fit's checks
        rms = float(np.sqrt(np.mean((np.log(loss) - np.log(pred)) ** 2)))
    return SweepFit(est, rms, source.entropy)


@functools.lru_cache(maxsize=64)
def _fit(n, d, loss) -> fitting.ChinchillaEstimate:
    # The same runs give the same fit: an explorer redrawn without new runs does not refit.
    return fitting.fit_chinchilla(np.array(n), np.array(d), np.array(loss))


def fixed_d_groups(runs, min_points: int = 3) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """Runs that share a D (within the rounding of widths): [(D, N's, losses)], D ascending.

    With four sizes and two budgets per decade, D = C/(6N) falls on a grid of four per decade;
    runs are grouped by the nearest grid point (in log D, a quarter decade apart).
    """
    if not runs:
        return []
    logd = np.array([np.log10(r.n_tokens) for r in runs])
    base = logd.min()
    slot = np.round((logd - base) * SIZES_PER_DECADE).astype(int)
    out = []
    for s in np.unique(slot):
        idx = np.flatnonzero(slot == s)
        if idx.size < min_points:
            continue
        order = idx[np.argsort([runs[i].n_params for i in idx])]
        out.append((float(10 ** np.mean(logd[order])),
                    np.array([runs[i].n_params for i in order], float),
                    np.array([runs[i].loss for i in order], float)))
    return out


CSV_HEADER = ("n_params", "n_tokens", "loss", "budget_6nd", "flops_counted", "flops_6nd",
              "width", "seed")


def runs_to_csv(runs, comment: str = "") -> str:
    """The runs as CSV (notebook 06's reader takes n_params, n_tokens, loss; the rest is
    provenance). ``comment`` lines go first, each starting with '#'."""
    buf = io.StringIO()
    for line in comment.splitlines():
        buf.write(f"# {line}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for r in runs:
        w.writerow([r.n_params, r.n_tokens, repr(r.loss), repr(r.budget), repr(r.run.flops),
                    repr(r.run.flops_6nd), r.run.width, r.run.seed])
    return buf.getvalue()


def runs_from_csv(text: str) -> list[LabRun]:
    """Read :func:`runs_to_csv`'s output back (comment lines skipped)."""
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out = []
    for row in csv.DictReader(lines):
        run = Run(width=int(row["width"]), n_params=int(row["n_params"]),
                  n_tokens=int(row["n_tokens"]), flops=float(row["flops_counted"]),
                  flops_6nd=float(row["flops_6nd"]), loss=float(row["loss"]),
                  seed=int(row["seed"]))
        out.append(LabRun(run, float(row["budget_6nd"])))
    return out


def timed_sweep(the_plan: Plan) -> tuple[list[LabRun], float]:
    """Run a plan and return (runs, wall seconds): for ``make bench`` and the reference file."""
    t0 = time.perf_counter()
    runs, _ = run_sweep(the_plan)
    return runs, time.perf_counter() - t0


# --------------------------------------------------------------------------- the explorer's view
MIN_RUNS_TO_FIT = 8  #: five constants need a few more runs than that to mean anything


@dataclass(frozen=True)
class LabView:
    """Everything notebook 07's explorer shows for a plan: the plan, the runs finished so far
    in this kernel (cached), and what they say. Fields are None until there are runs enough."""

    plan: Plan
    runs: tuple  #: LabRun, finished (in plan order)
    minima: tuple  #: IsoFlopMinimum per budget with ≥ 3 runs
    optimum: OptimumFit | None
    fit: SweepFit | None
    groups: tuple  #: fixed_d_groups(runs)

    @property
    def pending(self) -> int:
        return len(self.plan.runs) - len(self.runs)


def finished_runs(the_plan: Plan) -> list[LabRun]:
    """The planned runs already trained in this kernel (same source, size, tokens, seed)."""
    from .trainer import cached_run

    out = []
    for pr in the_plan.runs:
        run = cached_run(the_plan.source, pr.width, pr.n_tokens, batch=BATCH, seed=the_plan.seed)
        if run is not None:
            out.append(LabRun(run, pr.budget))
    return out


def lab_view(state: dict) -> LabView:
    """The plan for ``state`` (n_min, n_max, c_min, c_max, seed) and what its finished runs
    show: IsoFLOP minima (approach 2), N_opt ∝ C^a, and the Eq 2 fit (approach 3)."""
    the_plan = plan(state["n_min"], state["n_max"], state["c_min"], state["c_max"],
                    int(state["seed"]))
    runs = finished_runs(the_plan)
    minima = isoflop_minima(runs)
    fit = fit_sweep(runs, the_plan.source) if len(runs) >= MIN_RUNS_TO_FIT else None
    fit = fit if fit is not None and fit.usable else None
    return LabView(the_plan, tuple(runs), tuple(minima), optimum_exponent(minima), fit,
                   tuple(fixed_d_groups(runs)))


# --------------------------------------------------------------------------- the reference sweep
#: Larger than the live sweep: N up to 60,000 and budgets up to 3e11 FLOPs, two seeds.
REFERENCE = {"n_min": 526.0, "n_max": 60_000.0, "c_min": 1e9, "c_max": 3e11}
REFERENCE_SEEDS = (0, 1)
REFERENCE_FILE = "lab_reference.csv"
REFERENCE_COMMAND = "make lab-reference  (python -m scaling_laws_lab.lab.sweep)"


def reference_plans() -> list[Plan]:
    return [plan(**REFERENCE, seed=s, max_seconds=3600) for s in REFERENCE_SEEDS]


def reference_path():
    import pathlib

    return pathlib.Path(__file__).resolve().parent.parent / "data" / REFERENCE_FILE


def load_reference() -> list[LabRun]:
    """The shipped reference sweep: produced by this module from fixed seeds, never by hand."""
    return runs_from_csv(reference_path().read_text())


def preload_reference() -> int:
    """Put the shipped reference runs in this kernel's cache (a slow machine, a class on
    Binder): every plan they cover then shows as finished. Returns how many runs."""
    from .trainer import remember

    runs = load_reference()
    source = reference_plans()[0].source
    for r in runs:
        remember(source, r.run, batch=BATCH)
    return len(runs)


def write_reference(path=None) -> str:
    """Run the reference plans and write them with the command that made them."""
    from .. import __version__

    runs, seconds = [], 0.0
    for p in reference_plans():
        got, took = timed_sweep(p)
        runs += got
        seconds += took
    src = reference_plans()[0].source
    comment = (f"Scaling Laws Lab reference sweep (notebook 07), made by: {REFERENCE_COMMAND}\n"
               f"scaling_laws_lab {__version__}; plan {REFERENCE}, seeds {REFERENCE_SEEDS}; "
               f"source K={src.n_keys} M={src.n_values} zipf={src.zipf} noise={src.noise} "
               f"seed={src.seed}\nREAL runs of the lab's trainer (not drawn from a law); "
               f"{len(runs)} runs, {seconds:.0f} s to make")
    text = runs_to_csv(runs, comment)
    target = path or reference_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return str(target)


def describe(view: LabView) -> str:
    """A plain-text report of a view: the fit beside the truth, the IsoFLOP minima, and the
    trainer's FLOPs beside 6ND (what notebook 07 prints under the explorer)."""
    lines = [f"{len(view.runs)} of {len(view.plan.runs)} planned runs finished."]
    if view.fit is not None:
        f = view.fit.fit
        lines.append(f"Fit (Eq 2): E = {f.E:.3f} nats (true entropy {view.fit.true_entropy:.3f},"
                     f" off by {f.E - view.fit.true_entropy:+.3f}), A = {f.A:.3g}, "
                     f"B = {f.B:.3g}, alpha = {f.alpha:.3f}, beta = {f.beta:.3f}; "
                     f"RMS log residual {view.fit.rms_log:.3f}")
    for m in view.minima:
        where = "interior" if m.interior else "at an end of the curve: not a minimum"
        lines.append(f"C = {m.budget:.2g} FLOPs: N_opt ≈ {m.n_opt:,.0f}, loss {m.loss_min:.3f}"
                     f", D/N ≈ {m.budget / (6 * m.n_opt) / m.n_opt:.0f} ({where})")
    if view.optimum is not None:
        lines.append(f"Approach 2: N_opt ∝ C^{view.optimum.a:.2f} (Chinchilla, Table 2: 0.49)")
    if view.runs:
        ratios = [r.run.flops / r.run.flops_6nd for r in view.runs]
        lines.append(f"Counted FLOPs / 6ND: {min(ratios):.3f} to {max(ratios):.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    # The kernel goes with the file: another CPU's kernel remakes it within the spread that
    # bench.portability measures, not to the last bit (tests compare within that spread).
    from .trainer import blas_kernel

    print(f"OpenBLAS kernel on this CPU: {blas_kernel()}")
    print(write_reference())
