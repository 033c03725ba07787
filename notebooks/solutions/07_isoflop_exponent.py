# Solution: Chinchilla's approach 2 by hand (Hoffmann et al. 2022, §3.2): the best run at each
# budget, then a straight line through log N_opt against log C. Its slope is a in N_opt ∝ C^a.
import numpy as np
from scaling_laws_lab import sweep

# The sweep you ran above, if any; run on its own (or before the sweep), an 18-run quick sweep.
runs = list(globals()["explorer"].view.runs) if "explorer" in globals() else []
if len({r.budget for r in runs}) < 2:
    runs, _ = sweep.run_sweep(sweep.plan(**sweep.QUICK))  # 18 REAL runs: seconds (cached if run)
    print("No sweep above: a quick sweep of 18 runs instead.")


def isoflop_exponent(runs):
    budgets = sorted({r.budget for r in runs})
    best = [min((r for r in runs if r.budget == c), key=lambda r: r.loss) for c in budgets]
    a, _ = np.polyfit(np.log(budgets), np.log([r.n_params for r in best]), 1)
    return a, best


a, best = isoflop_exponent(runs)
for r in best:
    print(f"C = {r.budget:.2g} FLOPs: best N = {r.n_params:,}, loss {r.loss:.3f}, "
          f"{r.n_tokens / r.n_params:.0f} tokens per parameter")
print(f"N_opt ∝ C^{a:.2f}  (Chinchilla's approach 2: C^0.49)")
# The best run is a coarse estimate of the minimum (sizes are a quarter decade apart); the
# package's parabola through the lowest three runs should agree within that resolution.
assert 0.2 < a < 0.8
o = sweep.optimum_exponent(sweep.isoflop_minima(runs))  # None if no curve has an inner minimum
assert o is None or abs(a - o.a) < 0.25
