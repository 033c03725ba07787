# Solution: tokens per parameter at the optimum, from a fit's constants (Hoffmann et al. 2022,
# Eq 4): N_opt = G·(C/6)^a, D_opt = C/(6·N_opt), G = (αA/(βB))^(1/(α+β)), a = β/(α+β).
from scaling_laws_lab import fitting, papers

runs = fitting.demo_runs(papers.BESIROGLU_2024, n_runs=60, noise=0.01, seed=0)  # SYNTHETIC
fit = fitting.fit_chinchilla(runs.n_params, runs.n_tokens, runs.loss)


def tokens_per_param(fit, flops):
    g = (fit.alpha * fit.A / (fit.beta * fit.B)) ** (1 / (fit.alpha + fit.beta))
    a = fit.beta / (fit.alpha + fit.beta)
    n_opt = g * (flops / 6) ** a
    return flops / (6 * n_opt) / n_opt


for flops in (1e21, 1e24, 1e27):
    print(f"C = {flops:.0e} FLOPs: {tokens_per_param(fit, flops):.1f} tokens per parameter")
assert abs(tokens_per_param(fit, 1e24) / fit.tokens_per_param(1e24) - 1) < 1e-9
