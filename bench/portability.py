"""``make bench`` (portability part): how much the lab's numbers move with the CPU.

numpy's OpenBLAS picks its matrix kernel by CPU at run time (AVX2 "Haswell", AVX-512
"SkylakeX", …) and numpy picks its own SIMD loops the same way. A different kernel sums in a
different order; thousands of Adam steps grow that rounding into visible digits. This step runs
the lab's reproducibility checks and headline outcomes once per configuration this machine can
run, each in a fresh process:

- every OpenBLAS kernel it supports (``OPENBLAS_CORETYPE=Haswell``, ``SkylakeX``, ``Zen``;
  a kernel the CPU lacks falls back, and duplicates are dropped);
- "an AVX2 machine": the Haswell kernel with numpy's AVX-512 loops switched off
  (``NPY_DISABLE_CPU_FEATURES``), the closest this machine comes to a CPU without AVX-512;
- and the other random seed under the default kernel, the scale the seeds themselves give.

It prints each number per configuration and its spread (max − min across CPUs), beside the
spread across random seeds, and saves bench/results/portability.json. The tests' tolerances
for "the shipped file is what the code makes" come from these spreads (their comments say so).
Nothing here sets ``OPENBLAS_CORETYPE`` for the tests or CI: only these child processes.

Usage: ``python -m bench.portability [--quick]`` (``--quick``: only the shipped-file checks).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys
import numpy as np
from scaling_laws_lab import lab
from scaling_laws_lab.lab import sweep, transfer, transfer_study as ts
seed, quick = int(sys.argv[1]), sys.argv[2] == "1"
cpu = np._core._multiarray_umath.__cpu_features__
out = {"seed": seed, "kernel": lab.blas_kernel(), "numpy_avx512": bool(cpu.get("AVX512F")),
       "numpy_simd": [k for k in ("X86_V3", "X86_V4") if cpu.get(k)]}
# The shipped files, remade (what the tests compare).
src = lab.FactSource(); codes = lab.key_codes(4096)
# Seed 1 pre-trains with the next random seed: the scale a different run (not a different CPU) gives.
made = transfer.pretrain(src, 96, ts.PRETRAIN_TOKENS, seed=ts.PRETRAIN_SEED + seed)
out["pretrained_96_loss"] = src.loss_of(made.probs(codes))
out["pretrained_96_shipped"] = src.loss_of(ts.pretrained(96).probs(codes))
rows = sorted(ts._scratch_rows(), key=lambda r: r["tokens"] * r["n_params"])[:3]
out["scratch_cheapest_diff"] = max(abs(transfer.train_on(ts.target(r["proximity"]), "scratch",
    int(r["width"]), int(r["n_data"]), seed=0).loss - r["loss"]) for r in rows)
ref = sorted(sweep.load_reference(), key=lambda r: r.n_tokens * r.n_params)[:3]
rsrc = sweep.reference_plans()[0].source
out["reference_cheapest_diff"] = max(abs(lab.train(rsrc, r.run.width, r.n_tokens,
    seed=r.run.seed).loss - r.loss) for r in ref)
if not quick:
    p = sweep.plan(**{**sweep.DEFAULT, "seed": seed})
    runs, _ = sweep.run_sweep(p)
    f = sweep.fit_sweep(runs, p.source)
    minima = sweep.isoflop_minima(runs)
    out.update({"sweep_E": f.fit.E, "sweep_alpha": f.fit.alpha, "sweep_beta": f.fit.beta,
                "sweep_rms_log": f.rms_log, "sweep_interior_minima": sum(m.interior for m in minima),
                "sweep_n_opt_exponent": sweep.optimum_exponent(minima).a,
                "sweep_losses": [r.run.loss for r in runs]})
    tp = ts.plan(**{**{k: v for k, v in ts.DEFAULT.items() if k != "size"}, "seed": seed})
    truns, _ = ts.run_study(tp)
    fit, note = ts.fit_transfer(ts.measure(truns, tp.proximity))
    out.update({"transfer_alpha": None if fit is None else fit.alpha,
                "transfer_beta": None if fit is None else fit.beta,
                "transfer_k": None if fit is None else fit.k,
                "transfer_losses": [r.run.loss for r in truns]})
print(json.dumps(out))
"""

#: Numbers shown per configuration: key, label, format.
ROWS = [
    ("pretrained_96_loss", "pre-trained width 96, loss (nats; shipped file: {shipped:.5f})", ".5f"),
    ("scratch_cheapest_diff", "3 cheapest from-scratch runs, |remade − shipped| (nats)", ".1e"),
    ("reference_cheapest_diff", "3 cheapest reference-sweep runs, |remade − shipped| (nats)", ".1e"),
    ("sweep_E", "07 default sweep: fitted E (nats)", ".4f"),
    ("sweep_alpha", "07 default sweep: fitted α", ".3f"),
    ("sweep_beta", "07 default sweep: fitted β", ".3f"),
    ("sweep_n_opt_exponent", "07 default sweep: N_opt ∝ C^a, a", ".3f"),
    ("sweep_interior_minima", "07 default sweep: interior IsoFLOP minima", "d"),
    ("transfer_alpha", "08 default study: fitted α", ".3f"),
    ("transfer_beta", "08 default study: fitted β", ".3f"),
]

_AVX512_OFF = "X86_V4 AVX512_ICL AVX512_SPR"


def configurations() -> list[tuple[str, dict, int]]:
    """(name, environment additions, random seed) for every configuration to run."""
    return [("default", {}, 0),
            ("SkylakeX (AVX-512)", {"OPENBLAS_CORETYPE": "SkylakeX"}, 0),
            ("Haswell (AVX2)", {"OPENBLAS_CORETYPE": "Haswell"}, 0),
            ("Zen", {"OPENBLAS_CORETYPE": "Zen"}, 0),
            ("AVX2 machine (Haswell, numpy without AVX-512)",
             {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": _AVX512_OFF}, 0),
            ("default, random seed 1", {}, 1)]


_PROBE = ("import numpy as np; from scaling_laws_lab import lab; "
          "c = np._core._multiarray_umath.__cpu_features__; "
          "print(lab.blas_kernel(), '+'.join(k for k in ('X86_V3', 'X86_V4') if c.get(k)))")


def _env(env_add: dict) -> dict:
    # Each configuration in a clean environment of its own: the caller's OPENBLAS_* settings
    # (some machines set them for correctness) are dropped so the child picks by itself.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NPY_DISABLE_CPU"))}
    env.update(env_add)
    return env


def probe(env_add: dict) -> tuple[str, str]:
    """(OpenBLAS kernel, numpy SIMD level) a configuration really runs, in a second."""
    out = subprocess.run([sys.executable, "-c", _PROBE], check=True, capture_output=True,
                         text=True, env=_env(env_add)).stdout.split()
    return out[0], out[1] if len(out) > 1 else ""


def run(env_add: dict, seed: int, quick: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(seed), "1" if quick else "0"],
                         check=True, capture_output=True, text=True, env=_env(env_add)).stdout
    return json.loads(out.strip().splitlines()[-1])


def _spread(values) -> float | None:
    values = [v for v in values if v is not None]
    return max(values) - min(values) if values else None


def _show(value, fmt: str) -> str:
    """A spread as the table shows it: in the number's own style, "–" where there is none."""
    if value is None:
        return "–"
    return format(value, fmt if fmt in (".1e", "d") else ".4f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the shipped-file checks")
    quick = parser.parse_args().quick
    results, seen = [], set()
    for name, env_add, seed in configurations():
        ident = (*probe(env_add), seed)
        if ident in seen:  # a kernel this CPU lacks falls back to one already measured
            print(f"  ({name}: the same kernels as an earlier configuration, {ident[0]}; skipped)",
                  flush=True)
            continue
        seen.add(ident)
        r = run(env_add, seed, quick)
        r["name"] = name
        results.append(r)
        print(f"  measured {name}: OpenBLAS {r['kernel']}, numpy SIMD {'+'.join(r['numpy_simd'])}",
              flush=True)
    cpus = [r for r in results if r["seed"] == 0]
    seeds = [r for r in results if r["name"].startswith("default")]
    print("\nPortability of the lab's numbers (one column per configuration):")
    print("| number | " + " | ".join(r["name"] for r in results) + " | spread across CPUs | "
          "spread across random seeds |")
    print("|---|" + "---|" * (len(results) + 2))
    summary = {}
    for key, label, fmt in ROWS:
        if key not in results[0]:
            continue
        label = label.format(shipped=results[0].get("pretrained_96_shipped", float("nan")))
        cells = ["–" if r.get(key) is None else format(r[key], fmt) for r in results]
        cpu_spread = _spread([r.get(key) for r in cpus])
        seed_spread = _spread([r.get(key) for r in seeds]) if "cheapest" not in key else None
        summary[key] = {"cpus": cpu_spread, "seeds": seed_spread}
        print(f"| {label} | " + " | ".join(cells)
              + f" | {_show(cpu_spread, fmt)} | {_show(seed_spread, fmt)} |")
    for key in ("sweep_losses", "transfer_losses"):
        if key in results[0]:
            per_run = [max(abs(a - b) for a, b in zip(r[key], cpus[0][key], strict=True))
                       for r in cpus[1:]]
            summary[key] = {"max_run_diff_across_cpus": max(per_run, default=0.0)}
            print(f"largest single-run loss difference across CPUs, {key.split('_')[0]}: "
                  f"{max(per_run, default=0.0):.1e} nats")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "portability.json").write_text(json.dumps({"configurations": results,
                                                      "spreads": summary}, indent=2))


if __name__ == "__main__":
    main()
