# Solution: tokens per parameter at the optimum, D_opt / N_opt, for three budgets and three laws.
from scaling_laws_lab import laws, papers

for fit in (papers.HOFFMANN_2022, papers.BESIROGLU_2024, papers.KAPLAN_2020):
    ratios = []
    for c in (1e21, 1e24, 1e27):
        n_opt, d_opt = laws.compute_optimal(c, fit)
        ratios.append(d_opt / n_opt)
    print(f"{fit.short:>14}: " + ", ".join(f"{r:.3g}" for r in ratios)
          + " tokens per parameter at 1e21, 1e24, 1e27 FLOPs")
    n_opt, d_opt = laws.compute_optimal(1e24, fit)
    assert abs(6 * n_opt * d_opt / 1e24 - 1) < 1e-6  # each optimum spends the budget
