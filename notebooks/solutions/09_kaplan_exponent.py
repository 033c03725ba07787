# Solution: the explorer's exponent by hand, in Pearce & Song's set-up. The law is Chinchilla's,
# in TOTAL parameters; the study counts only non-embedding parameters N_\E and compute
# C_\E = 6·N_\E·D. (Pearce & Song's own script fits over a range of budgets instead of a window
# of sizes and reports 0.74: disagreement.authors_script_exponent re-runs it.)
import numpy as np
from scaling_laws_lab.science import disagreement, papers

fit = papers.HOFFMANN_2022
for lo, hi in ((768, 1.5e9), (1e10, 1e12)):
    n = np.logspace(np.log10(lo), np.log10(hi), 200)  # non-embedding parameters
    c, d = disagreement.non_embedding_frontier(n, fit)  # FLOPs at which each n is optimal
    a = np.polyfit(np.log(c), np.log(n), 1)[0]
    print(f"{lo:.3g} to {hi:.3g} non-embedding parameters: N* ∝ C^{a:.2f}")
    # The package's explorer finds the same (its grid differs, so allow 0.01).
    same = disagreement.disagreement({"fit": "chinchilla", "n_min": float(lo), "n_max": float(hi),
                                      "vocab": 32000.0})
    assert abs(a - same.fitted_non_embedding) < 0.01, (a, same.fitted_non_embedding)
print(f"the law's own exponent, β/(α+β) = {fit.beta / (fit.alpha + fit.beta):.2f}")
