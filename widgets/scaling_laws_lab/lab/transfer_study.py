"""Notebook 08's experiment: fine-tune 1–2% (the biases, or a rank-1 adapter) vs all of a
model you pre-trained, and measure D_T.

The protocol is Hernandez et al. 2021's (Eq 1.1 and its definition of D_T), done small with the lab's trainer
(:mod:`scaling_laws_lab.lab.transfer`):

1. pre-train networks of three sizes on the lab's fact source (shipped, :func:`pretrained`);
2. train the same sizes **from scratch** on the target, on fixed datasets of D tokens over
   3.5 decades (shipped, :func:`scratch_curve`): the curve that converts a loss into "data a
   same-size model needs from scratch";
3. fine-tune each pretrained size on D_F target tokens (live, :func:`run_study`), by every
   method of :data:`scaling_laws_lab.lab.transfer.METHODS`;
4. read off the **effective data transferred**, D_T = D_scratch(L_fine-tuned) − D_F
   (:func:`measure`), and fit D_T = k·D_F^α·N^β over the sizes and D_F in the low-data regime,
   with bootstrap intervals (:func:`scaling_laws_lab.science.fitting.bootstrap_transfer_law`).

Steps 1 and 2 take several minutes, so their results ship in the package
(``data/transfer_pretrained.npz``, ``data/transfer_scratch.csv``), made by
``make lab-transfer`` from fixed seeds; a test regenerates the cheapest of them and compares.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import pathlib
from dataclasses import dataclass

import numpy as np

from ..science import fitting
from .sweep import check_seed, positive_number
from .trainer import Cancelled, FactSource, key_codes, mlp_params
from .transfer import (
    BATCH,
    METHODS,
    PRETRAINED,
    TargetSource,
    TuneRun,
    Weights,
    cached_run,
    flop_parts,
    n_trainable,
    pretrain,
    small_width,
    steps_for,
    train_on,
)

WIDTHS = (96, 288, 864)  #: the pretrained sizes: N = 7,456, 22,240 and 66,592
PRETRAIN_TOKENS = 8_000_000  #: each size reads this many fresh pre-training tokens
PRETRAIN_SEED = 0
PROXIMITIES = (0.5, 0.8, 0.95)  #: ρ values whose from-scratch curves ship
#: From-scratch dataset sizes: three to a decade, 100 to 2.15 million tokens.
SCRATCH_D = tuple(int(round(10 ** (k / 3))) for k in range(6, 20))
SCRATCH_SEED = 0
#: The default live study: D_F from 10^2.5 to 10^4.5 tokens (316 to 31,623), two decades.
DEFAULT = {"proximity": 0.8, "d_min": 10**2.5, "d_max": 10**4.5, "seed": 0, "size": 864}
PER_DECADE = 2  #: fine-tuning sizes D_F per decade
LIVE = ("full", "biases", "lora", "small")  #: what the live study runs at every size and D_F
MAX_SECONDS = 600.0
#: The low-data regime, as notebook 04 states Hernandez et al.'s: D_F ≤ 10% of the data a
#: from-scratch model needs for 99% of its best performance (the paper's section was not
#: re-read for notebook 08; here "performance" is read as loss within 1% of the best).
LOW_DATA_SHARE = 0.1
COMMAND = "make lab-transfer  (python -m scaling_laws_lab.lab.transfer_study)"
_DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
PRETRAINED_FILE = _DATA / "transfer_pretrained.npz"
SCRATCH_FILE = _DATA / "transfer_scratch.csv"
N_IN = key_codes(FactSource().n_keys).shape[1]


def target(proximity: float) -> TargetSource:
    """The target at proximity ρ: the default source's facts, mixed frequencies."""
    return TargetSource(proximity=float(proximity))


def n_params(width: int) -> int:
    return mlp_params(N_IN, width, FactSource().n_values)


def subset_share(width: int) -> float:
    """The share of the weights that a bias-only tune (and a rank-1 LoRA, as many) trains.

    1.4% for the largest pretrained network (928 of 66,592), 2.1% for the smallest.
    """
    return n_trainable("biases", width) / n_params(width)


# --------------------------------------------------------------------------- shipped results
@functools.cache
def pretrained(width: int) -> Weights:
    """The shipped pre-trained weights of a size in :data:`WIDTHS` (read-only)."""
    if int(width) not in WIDTHS:
        raise ValueError(f"no pretrained model of width {width}; the lab has {WIDTHS}")
    with np.load(PRETRAINED_FILE) as z:
        arrays = [z[f"{name}_{int(width)}"].astype(np.float32) for name in ("w1", "b1", "w2", "b2")]
    for a in arrays:
        a.flags.writeable = False
    return Weights(*arrays)


@functools.cache
def _scratch_rows() -> tuple[dict, ...]:
    text = SCRATCH_FILE.read_text()
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple({k: float(v) for k, v in r.items()} for r in rows)


def scratch_curve(proximity: float, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(D, loss): the shipped from-scratch runs of one size on the target at ρ, by D."""
    rows = [r for r in _scratch_rows()
            if r["proximity"] == float(proximity) and r["width"] == int(width)]
    if not rows:
        raise ValueError(f"no from-scratch curve ships for ρ = {proximity}, width {width}; "
                         f"ρ must be one of {PROXIMITIES}")
    rows.sort(key=lambda r: r["n_data"])
    return (np.array([r["n_data"] for r in rows]), np.array([r["loss"] for r in rows]))


def write_reference() -> str:
    """Pre-train every size, train every from-scratch curve, and write both files."""
    import time

    from .. import __version__

    started = time.perf_counter()
    source = FactSource()
    arrays = {}
    for w in WIDTHS:
        weights = pretrain(source, w, PRETRAIN_TOKENS, seed=PRETRAIN_SEED)
        for name in ("w1", "b1", "w2", "b2"):
            arrays[f"{name}_{w}"] = getattr(weights, name)
    _DATA.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(PRETRAINED_FILE, **arrays)
    pretrained.cache_clear()
    out = io.StringIO()
    fields = ["proximity", "width", "n_params", "n_data", "epochs", "best_epoch", "loss",
              "tokens", "flops"]
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    for rho in PROXIMITIES:
        for w in WIDTHS:
            for d in SCRATCH_D:
                r = train_on(target(rho), "scratch", w, d, seed=SCRATCH_SEED)
                writer.writerow({"proximity": rho, "width": w, "n_params": r.n_params,
                                 "n_data": d, "epochs": r.epochs, "best_epoch": r.best_epoch,
                                 "loss": repr(r.loss), "tokens": r.tokens, "flops": repr(r.flops)})
    took = time.perf_counter() - started
    header = (f"# Scaling Laws Lab, notebook 08: from-scratch runs on the target, made by: {COMMAND}\n"
              f"# scaling_laws_lab {__version__}; widths {WIDTHS}, proximities {PROXIMITIES}, "
              f"seed {SCRATCH_SEED}; REAL runs of the lab's trainer (not drawn from a law); "
              f"with {PRETRAINED_FILE.name} (pre-training: {PRETRAIN_TOKENS:,} tokens, seed "
              f"{PRETRAIN_SEED}); {took:.0f} s to make\n")
    SCRATCH_FILE.write_text(header + out.getvalue())
    _scratch_rows.cache_clear()
    return f"{PRETRAINED_FILE}\n{SCRATCH_FILE}"


# --------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Job:
    method: str
    base_width: int  #: the pretrained size this job belongs to
    width: int  #: the width actually trained (the small network's for ``small``)
    n_data: int  #: D_F


@dataclass(frozen=True)
class StudyPlan:
    proximity: float
    d_f: tuple[int, ...]
    jobs: tuple[Job, ...]
    seed: int
    seconds: float  #: estimated on a 2-core laptop


def d_f_grid(d_min: float, d_max: float) -> tuple[int, ...]:
    """D_F values two to a decade from d_min up to d_max (whole tokens)."""
    count = int(math.floor(math.log10(d_max / d_min) * PER_DECADE + 1e-9)) + 1
    return tuple(dict.fromkeys(int(round(d_min * 10 ** (k / PER_DECADE))) for k in range(count)))


def job_seconds(job: Job) -> float:
    """Estimated seconds for one job on a 2-core laptop: a cost per step, per epoch (the exact
    loss over every key) and per FLOP, measured here: about 200 µs of Python per step, 3 ms
    plus the K-key forward pass at 2·10¹⁰ FLOP/s per epoch, 6·10¹⁰ FLOP/s in training (the
    default study: 32 s measured, about 30 s estimated)."""
    epochs, per_epoch = steps_for(job.n_data)
    tokens = epochs * per_epoch * min(BATCH, job.n_data)
    m = FactSource().n_values
    per_token = flop_parts(job.method, N_IN, job.width, m)["total"]
    per_eval = 3e-3 + FactSource().n_keys * 2 * (N_IN + m) * job.width / 2e10
    return epochs * per_epoch * 200e-6 + epochs * per_eval + tokens * per_token / 6e10


def plan(proximity=DEFAULT["proximity"], d_min=DEFAULT["d_min"], d_max=DEFAULT["d_max"],
         seed=DEFAULT["seed"], max_seconds: float = MAX_SECONDS) -> StudyPlan:
    """Every live method at every pretrained size and D_F; ValueError, before anything runs,
    for a proximity with no shipped curve, data amounts or a seed that make no sense, or a plan
    estimated to take more than ten minutes."""
    if isinstance(proximity, bool):
        raise ValueError(f"the proximity ρ must be a number; got {proximity!r}")
    try:
        rho = float(proximity)
    except (TypeError, ValueError):
        raise ValueError(f"the proximity ρ must be a number; got {proximity!r}") from None
    if rho not in PROXIMITIES:
        raise ValueError(f"the proximity ρ must be one of {', '.join(map(str, PROXIMITIES))} "
                         f"(the from-scratch curves ship for those); got {proximity!r}")
    d_min = positive_number("the smallest fine-tuning set (D_F)", d_min, 100, 1e6)
    d_max = positive_number("the largest fine-tuning set (D_F)", d_max, 100, 1e6)
    if d_max < d_min:
        raise ValueError(f"the largest fine-tuning set ({d_max:g}) is smaller than the "
                         f"smallest ({d_min:g})")
    check_seed(seed)
    grid = d_f_grid(d_min, d_max)
    jobs = []
    for w in WIDTHS:
        small = small_width(n_trainable("biases", w))
        for d in grid:
            for method in LIVE:
                jobs.append(Job(method, w, small if method == "small" else w, d))
    seconds = sum(job_seconds(j) for j in jobs)
    if seconds > max_seconds:
        raise ValueError(f"this study would take about {seconds / 60:.0f} minutes on a 2-core "
                         f"laptop (the limit is {max_seconds / 60:.0f}); lower the largest D_F")
    return StudyPlan(rho, grid, tuple(jobs), int(seed), seconds)


# --------------------------------------------------------------------------- running
@dataclass(frozen=True)
class StudyRun:
    job: Job
    run: TuneRun


def _train(p: StudyPlan, job: Job, progress=None, only_cached: bool = False):
    init = pretrained(job.base_width) if job.method in PRETRAINED else None
    args = (target(p.proximity), job.method, job.width, job.n_data)
    if only_cached:
        return cached_run(*args, init=init, seed=p.seed)
    return train_on(*args, init=init, seed=p.seed, progress=progress)


def finished(p: StudyPlan) -> list[StudyRun]:
    """The plan's jobs this kernel has already run (no training)."""
    out = []
    for job in p.jobs:
        run = _train(p, job, only_cached=True)
        if run is not None:
            out.append(StudyRun(job, run))
    return out


def run_study(p: StudyPlan, progress=None) -> tuple[list[StudyRun], bool]:
    """Run every job in order; return (finished runs, completed?).

    ``progress(i, n_jobs, steps_done, steps)`` is called at least once an epoch; it may raise
    :class:`Cancelled`, which stops the study and keeps the jobs already finished.
    """
    done = []
    for i, job in enumerate(p.jobs):
        tick = None if progress is None else (lambda a, b, i=i: progress(i, len(p.jobs), a, b))
        try:
            run = _train(p, job, tick)
        except Cancelled:
            return done, False
        done.append(StudyRun(job, run))
    if progress is not None:
        progress(len(p.jobs), len(p.jobs), 0, 0)
    return done, True


# --------------------------------------------------------------------------- measuring
def scratch_data_for(loss: float, d: np.ndarray, curve: np.ndarray) -> tuple[float, str]:
    """D_scratch: the data a from-scratch model needs to reach ``loss``, read off its curve.

    Interpolated linearly in log D on the curve's running minimum (a from-scratch model that
    got more data can always stop early, so more data never hurts). Returns (D, status):
    ``"measured"``; ``"beyond"`` when the loss is below the whole curve (D_scratch is more than
    the largest D: a lower bound); ``"none"`` when it is above the curve's first point.
    """
    env = np.minimum.accumulate(np.asarray(curve, float))
    d = np.asarray(d, float)
    if loss < env[-1]:
        return float(d[-1]), "beyond"
    if loss >= env[0]:
        return float(d[0]), "none"
    j = int(np.argmax(env <= loss))  # first point at or below the loss
    lo, hi = env[j - 1], env[j]
    t = 0.0 if lo == hi else (lo - loss) / (lo - hi)
    return float(np.exp(np.log(d[j - 1]) + t * (np.log(d[j]) - np.log(d[j - 1])))), "measured"


def d_99(d: np.ndarray, curve: np.ndarray) -> float:
    """Data a from-scratch model needs for 99% of its best performance: the first D whose loss
    is within 1% of the curve's minimum (Hernandez et al.'s low-data regime is D_F ≤ 10% of it)."""
    curve = np.asarray(curve, float)
    return float(np.asarray(d)[int(np.argmax(curve <= 1.01 * curve.min()))])


@dataclass(frozen=True)
class Transfer:
    """One fine-tuned run read against its size's from-scratch curve."""

    method: str
    base_width: int
    n_params: int  #: N of the pretrained network
    d_f: int
    loss: float
    scratch_loss: float  #: the from-scratch curve at D_F (interpolated)
    d_scratch: float  #: D_E: what a same-size model needs from scratch for the same loss
    d_t: float  #: D_T = D_E − D_F (negative: worse than from scratch)
    status: str  #: "measured", "beyond" (D_T a lower bound) or "none" (above the curve)
    low_data: bool  #: D_F ≤ 10% of D_99

    @property
    def multiplier(self) -> float:
        """D_E / D_F (Hernandez et al. 2021, Eq 1.2): how many times the data fine-tuning
        is worth, counted in from-scratch data."""
        return self.d_scratch / self.d_f

    @property
    def usable(self) -> bool:
        """Enters the fit: a measured, positive D_T in the low-data regime."""
        return self.status == "measured" and self.d_t > 0 and self.low_data


def measure(runs: list[StudyRun], proximity: float) -> list[Transfer]:
    """D_T for every finished fine-tuning run of a pretrained method."""
    out = []
    for sr in runs:
        if sr.job.method not in PRETRAINED:
            continue
        d, curve = scratch_curve(proximity, sr.job.base_width)
        d_s, status = scratch_data_for(sr.run.loss, d, curve)
        at = float(np.interp(np.log(sr.job.n_data), np.log(d), np.minimum.accumulate(curve)))
        out.append(Transfer(sr.job.method, sr.job.base_width, n_params(sr.job.base_width),
                            sr.job.n_data, sr.run.loss, at, d_s, d_s - sr.job.n_data, status,
                            sr.job.n_data <= LOW_DATA_SHARE * d_99(d, curve)))
    return out


def fit_transfer(transfers: list[Transfer], method: str = "full", n_boot: int = 400,
                 seed: int = 0):
    """D_T = k·D_F^α·N^β fitted to one method's usable points, with bootstrap intervals
    (None, with the reason, when fewer than four points or a single size remain)."""
    pts = [t for t in transfers if t.method == method and t.usable]
    if len(pts) < 4 or len({t.base_width for t in pts}) < 2 or len({t.d_f for t in pts}) < 2:
        return None, (f"{len(pts)} usable points over {len({t.base_width for t in pts})} sizes: "
                      "the fit needs four, over two sizes and two D_F")
    est = fitting.bootstrap_transfer_law([t.d_f for t in pts], [t.n_params for t in pts],
                                         [t.d_t for t in pts], n_boot=n_boot, seed=seed)
    return est, ""


# --------------------------------------------------------------------------- the view
@dataclass(frozen=True)
class StudyView:
    """Everything notebook 08's explorer draws, for one state."""

    plan: StudyPlan
    size: int  #: the pretrained width the first and third figures show
    runs: tuple[StudyRun, ...]
    curves: dict  #: width -> (D, loss) from scratch at this ρ
    zero_shot: dict  #: width -> the pretrained model's target loss before fine-tuning
    transfers: tuple[Transfer, ...]
    fit: fitting.TransferEstimate | None
    fit_note: str
    flops: dict  #: method -> flop_parts at ``size``
    entropy: float

    def losses(self, method: str, base_width: int) -> tuple[np.ndarray, np.ndarray]:
        """(D_F, loss) of one method's finished runs at one pretrained size."""
        rs = sorted((r for r in self.runs if r.job.method == method
                     and r.job.base_width == base_width), key=lambda r: r.job.n_data)
        return (np.array([r.job.n_data for r in rs], float), np.array([r.run.loss for r in rs]))


@functools.lru_cache(maxsize=8)
def zero_shot(proximity: float, width: int) -> float:
    """The pretrained model's exact loss on the target before any fine-tuning."""
    tgt = target(proximity)
    return tgt.loss_of(pretrained(width).probs(key_codes(tgt.n_keys)))


def study_view(state: dict) -> StudyView:
    """Notebook 08's explorer state -> its plan, the runs finished so far and what they show."""
    p = plan(state["proximity"], state["d_min"], state["d_max"], int(state["seed"]))
    size = int(state["size"])
    if size not in WIDTHS:
        raise ValueError(f"the size must be one of the pretrained widths {WIDTHS}; got {size}")
    runs = finished(p)
    transfers = measure(runs, p.proximity)
    fit, note = fit_transfer(transfers)
    small = small_width(n_trainable("biases", size))
    flops = {m: flop_parts(m, N_IN, small if m == "small" else size, FactSource().n_values)
             for m in METHODS}
    return StudyView(p, size, tuple(runs),
                     {w: scratch_curve(p.proximity, w) for w in WIDTHS},
                     {w: zero_shot(p.proximity, w) for w in WIDTHS}, tuple(transfers), fit, note,
                     flops, target(p.proximity).entropy)


def thread_answer(view: StudyView, d_f: int | None = None) -> dict:
    """The thread's question at one D_F (default: the plan's middle one), for the largest size:
    the losses of a 1.4%-subset tune, of a network that size from scratch, of full fine-tuning and
    of a same-size network from scratch."""
    d_f = d_f or view.plan.d_f[len(view.plan.d_f) // 2]
    w = WIDTHS[-1]
    got = {r.job.method: r.run for r in view.runs if r.job.base_width == w and r.job.n_data == d_f}
    d, curve = view.curves[w]
    return {"d_f": d_f, "width": w, "n_params": n_params(w),
            "n_subset": n_trainable("biases", w),
            "n_small": n_params(small_width(n_trainable("biases", w))),
            "losses": {m: got[m].loss for m in got},
            "scratch_same_size": float(np.interp(np.log(d_f), np.log(d),
                                                 np.minimum.accumulate(curve))),
            "zero_shot": view.zero_shot[w]}


def describe(view: StudyView) -> str:
    """A plain-text report: the fit beside Hernandez et al.'s, the multipliers, the thread."""
    lines = [f"{len(view.runs)} of {len(view.plan.jobs)} fine-tuning runs finished "
             f"(proximity ρ = {view.plan.proximity})."]
    if view.fit is not None:
        f = view.fit
        lines.append(f"D_T = k·D_F^α·N^β (full fine-tuning, {f.n_runs} points): k = {f.k:.3g}, "
                     f"α = {f.alpha:.2f} [{f.alpha_ci[0]:.2f}, {f.alpha_ci[1]:.2f}], "
                     f"β = {f.beta:.2f} [{f.beta_ci[0]:.2f}, {f.beta_ci[1]:.2f}] "
                     f"({f.level:.0%} bootstrap intervals)")
    else:
        lines.append(f"No fit yet: {view.fit_note}")
    for t in view.transfers:
        if t.method == "full":
            lines.append(f"N = {t.n_params:,}, D_F = {t.d_f:,}: loss {t.loss:.3f} (scratch "
                         f"{t.scratch_loss:.3f}), D_T = {t.d_t:,.0f}, D_E/D_F = "
                         f"{t.multiplier:.1f} ({t.status}{'' if t.low_data else ', high-data'})")
    return "\n".join(lines)


if __name__ == "__main__":
    # The kernel goes with the files: another CPU's kernel remakes them within the spread that
    # bench.portability measures, not to the last bit (tests compare within that spread).
    from .trainer import blas_kernel

    print(f"OpenBLAS kernel on this CPU: {blas_kernel()}")
    print(write_reference())
