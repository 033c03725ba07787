"""``make bench`` (transfer part): notebook 08's default live study against the issue's targets.

In a fresh process (an empty cache; the peak memory is the study's own): the wall time of the
60 fine-tunes and the longest gap between two progress updates, the peak resident memory, and
the outcome (the D_T fit's α and β with their bootstrap intervals, counted FLOPs per token
against notebook 03's formula). The time is also a ratio to one fixed run measured in the same
process (notebook 07's width-64 run on 10⁶ tokens), since these machines are noisy. Targets
(#19): ≤ 60 s with a progress bar, α and β intervals excluding 0, FLOPs within 2% of the formula.

Usage: ``python -m bench.transfer [--seed 0]``. Results also go to bench/results/transfer-seed<N>.json.
"""

from __future__ import annotations

from .lab import report, run_child, seed_from_args

_CHILD = r"""
import json, resource, sys, time
from scaling_laws_lab import lab
from scaling_laws_lab.lab import transfer, transfer_study as ts
seed = int(sys.argv[1])
t0 = time.perf_counter(); lab.train(lab.FactSource(), 64, 1_000_000, seed=99)
unit = time.perf_counter() - t0
p = ts.plan(**{**{k: v for k, v in ts.DEFAULT.items() if k != "size"}, "seed": seed})
last = [time.perf_counter()]; gaps = []
def tick(i, n, a, b):
    now = time.perf_counter(); gaps.append(now - last[0]); last[0] = now
t0 = time.perf_counter(); runs, _ = ts.run_study(p, tick); seconds = time.perf_counter() - t0
transfers = ts.measure(runs, p.proximity)
fit, note = ts.fit_transfer(transfers)
by_method = {}
for r in runs:
    f = transfer.flop_parts(r.job.method, ts.N_IN, r.job.width, 64)
    by_method.setdefault(r.job.method, []).append((r.run.flops / r.run.tokens) / f["formula"])
print(json.dumps({"seed": seed, "runs": len(runs), "seconds": seconds, "estimated": p.seconds,
  "reference_run_s": unit, "study_in_reference_runs": seconds / unit,
  "max_progress_gap_s": max(gaps), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
  "fit": None if fit is None else {"k": fit.k, "alpha": fit.alpha, "beta": fit.beta,
         "alpha_ci": fit.alpha_ci, "beta_ci": fit.beta_ci, "points": fit.n_runs},
  "note": note, "counted_over_formula": {m: [min(v), max(v)] for m, v in by_method.items()}}))
"""


def main() -> None:
    r = run_child(_CHILD, seed_from_args(__doc__))
    fit = r["fit"]
    checks = [
        ("wall time ≤ 60 s", r["seconds"] <= 60, f"{r['seconds']:.1f} s "
         f"(= {r['study_in_reference_runs']:.0f} × a {r['reference_run_s']:.2f} s reference run; "
         f"estimated {r['estimated']:.0f} s)"),
        ("progress at least once a second", r["max_progress_gap_s"] <= 1.0,
         f"longest gap {r['max_progress_gap_s']:.2f} s"),
        ("α and β intervals exclude 0", bool(fit) and fit["alpha_ci"][0] > 0 and fit["beta_ci"][0] > 0,
         "no fit: " + r["note"] if not fit else
         f"α {fit['alpha']:.2f} [{fit['alpha_ci'][0]:.2f}, {fit['alpha_ci'][1]:.2f}], "
         f"β {fit['beta']:.2f} [{fit['beta_ci'][0]:.2f}, {fit['beta_ci'][1]:.2f}], "
         f"{fit['points']} points"),
    ]
    report(f"Transfer study (notebook 08), seed {r['seed']}, {r['runs']} runs, "
           f"peak RSS {r['peak_rss_mb']:.0f} MB:", checks, r, "transfer",
           [f"{m:>7}: counted FLOPs per token / notebook 03's formula {lo:.3f}–{hi:.3f}"
            for m, (lo, hi) in r["counted_over_formula"].items()])


if __name__ == "__main__":
    main()
