"""``make bench`` (lab part): notebook 07's default live sweep against the issue's targets.

In a fresh process (so the kernel's cache is empty and the peak memory is the sweep's own):
the default plan's wall time and the longest gap between two progress updates (the bars),
the peak resident memory, and the outcome (fitted E against the source's entropy, RMS log
residual, IsoFLOP curves with an interior minimum, counted FLOPs against 6ND). The time is also
given as a ratio to one fixed run measured in the same process (width 64 on 10⁶ tokens), since
these machines are noisy. Targets (#18): ≤ 60 s, a progress update at least once a second,
≤ 500 MB, E within 0.03 nats, RMS ≤ 0.02, ≥ 3 interior minima.

Usage: ``python -m bench.lab [--seed 0]``. Results also go to bench/results/lab-seed<N>.json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
from scaling_laws_lab import lab
from scaling_laws_lab.lab import sweep
seed = int(sys.argv[1])
t0 = time.perf_counter(); lab.train(lab.FactSource(), 64, 1_000_000, seed=99)
unit = time.perf_counter() - t0
p = sweep.plan(**{**sweep.DEFAULT, "seed": seed})
last = [time.perf_counter()]; gaps = []
def tick(i, n, a, b):
    now = time.perf_counter(); gaps.append(now - last[0]); last[0] = now
t0 = time.perf_counter(); runs, _ = sweep.run_sweep(p, tick); seconds = time.perf_counter() - t0
f = sweep.fit_sweep(runs, p.source)
minima = sweep.isoflop_minima(runs)
ratios = [r.run.flops / r.run.flops_6nd for r in runs]
print(json.dumps({"seed": seed, "runs": len(runs), "seconds": seconds, "estimated": p.seconds,
  "reference_run_s": unit, "sweep_in_reference_runs": seconds / unit,
  "max_progress_gap_s": max(gaps), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
  "E_fit": f.fit.E, "E_true": f.true_entropy, "rms_log": f.rms_log,
  "interior_minima": sum(m.interior for m in minima), "budgets": len(p.budgets),
  "flops_over_6nd": [min(ratios), max(ratios)]}))
"""


def seed_from_args(doc: str) -> int:
    """The ``--seed`` of a lab benchmark's command line."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args().seed


def run_child(code: str, seed: int) -> dict:
    """Run a measurement in a fresh Python (an empty cache, its own peak memory); its last
    printed line is a JSON object."""
    out = subprocess.run([sys.executable, "-c", code, str(seed)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(title: str, checks, r: dict, name: str, extra=()) -> None:
    """Print the checks (ok or MISS, with the measured detail) and save ``r`` as
    bench/results/<name>-seed<N>.json."""
    print(title)
    for what, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'MISS'} {what}: {detail}")
    for line in extra:
        print(f"  {line}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{name}-seed{r['seed']}.json").write_text(json.dumps(r, indent=2))


def main() -> None:
    r = run_child(_CHILD, seed_from_args(__doc__))
    checks = [
        ("wall time ≤ 60 s", r["seconds"] <= 60, f"{r['seconds']:.1f} s "
         f"(= {r['sweep_in_reference_runs']:.0f} × a {r['reference_run_s']:.2f} s reference run; "
         f"estimated {r['estimated']:.0f} s)"),
        ("progress at least once a second", r["max_progress_gap_s"] <= 1.0,
         f"longest gap {r['max_progress_gap_s']:.2f} s"),
        ("memory ≤ 500 MB", r["peak_rss_mb"] <= 500, f"peak RSS {r['peak_rss_mb']:.0f} MB"),
        ("E within 0.03 nats", abs(r["E_fit"] - r["E_true"]) <= 0.03,
         f"E {r['E_fit']:.3f} vs {r['E_true']:.3f}"),
        ("RMS log residual ≤ 0.02", r["rms_log"] <= 0.02, f"{r['rms_log']:.4f}"),
        ("≥ 3 interior IsoFLOP minima", r["interior_minima"] >= 3,
         f"{r['interior_minima']} of {r['budgets']}"),
    ]
    lo, hi = r["flops_over_6nd"]
    report(f"Lab sweep (notebook 07), seed {r['seed']}, {r['runs']} runs:", checks, r, "lab",
           [f"counted FLOPs / 6ND: {lo:.3f}–{hi:.3f}"])


if __name__ == "__main__":
    main()
