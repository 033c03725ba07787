"""Notebook 06's checks: fitting L = E + A/N^α + B/D^β and the allocation it implies."""

from ...science import fitted, papers
from ..bank import choice, number


def _epoch_1e25() -> float:
    """Tokens per parameter at 1e25 FLOPs with Epoch AI's constants (Besiroglu et al. 2024)."""
    return fitted.tokens_per_param(papers.BESIROGLU_2024, 1e25)


def _epoch_working() -> str:
    fit = papers.BESIROGLU_2024
    a = fit.beta / (fit.alpha + fit.beta)
    g = (fit.alpha * fit.A / (fit.beta * fit.B)) ** (1 / (fit.alpha + fit.beta))
    n = g * (1e25 / 6) ** a
    d = 1e25 / (6 * n)
    return (f"G = (αA/(βB))^(1/(α+β)) = {g:.3f} and a = β/(α+β) = {a:.3f}; "
            f"N_opt = G(C/6)^a ≈ {n / 1e11:.1f}e11, D_opt = C/(6 N_opt) ≈ {d / 1e12:.1f}e12: "
            f"about {d / n:.0f} tokens per parameter, slowly falling as budgets grow (a > 0.5).")


def _printed_a() -> float:
    fit = papers.HOFFMANN_2022
    return fit.beta / (fit.alpha + fit.beta)


QUESTIONS = [
    choice(
        "06.drift",
        "Predict before you print the table: as the training budget grows from 10²⁴ to 10²⁷ "
        "FLOPs, what happens to the compute-optimal tokens per parameter, under the paper's "
        "printed constants and under Epoch AI's refit?",
        {"constant": "both stay where they are: a law's tokens per parameter is one number, "
                     "the same at every budget",
         "split": "the printed constants' ratio keeps rising with compute; the refit's falls "
                  "slowly, because their exponents fall on either side of a half",
         "both-rise": "both rise together with compute, because bigger budgets always buy "
                      "proportionally more data than parameters under any fit of Eq 2",
         "both-fall": "both fall with compute, since bigger models learn more from each token "
                      "and so need proportionally fewer tokens per parameter"},
        "split",
        {"constant": "Tempting, since '20 tokens per parameter' is quoted as one number. But "
                     "Eq 4 gives D_opt/N_opt ∝ C^(1 − 2a) with a = β/(α + β): the ratio is "
                     "constant only when a is exactly 0.5.",
         "split": "The printed constants have a = 0.28/0.62 < 0.5, so the ratio grows as "
                  "C^(1 − 2a); the refit has a = 0.513 > 0.5, so it shrinks, slowly. The table "
                  "below shows by how much.",
         "both-rise": "That holds only when a < 0.5, as for the printed constants. The refit's "
                      "a is above 0.5: its ratio falls a little with compute.",
         "both-fall": "A sensible intuition, and true of the refit (a > 0.5). The printed "
                      "constants have a < 0.5: their ratio rises."},
        predict_first=True, spoilers=("keeps rising", "≈153", "≈191")),
    choice(
        "06.huber",
        "Hoffmann et al. fit the log of the loss with a Huber loss (δ = 10⁻³), not with least "
        "squares. Why?",
        {"robust": "so that a few odd runs (a loss spike, a run stopped early) cannot drag "
                   "the whole fitted surface towards them",
         "faster": "because it is cheaper to minimise than squares, which matters when the "
                   "fit is restarted from 4,500 points of a grid",
         "logs": "because squared residuals of log loss would weight the small models' runs "
                 "far more heavily than the large models' runs"},
        "robust",
        {"robust": "Beyond δ the Huber loss grows linearly, so a run far off the surface pulls "
                   "far less than with squares (App. D.2). Leave a run out in the explorer and "
                   "watch how little the constants move.",
         "faster": "It is no cheaper, and less smooth: this package needs Newton steps to refit "
                   "it quickly. The grid is there because the objective has several basins.",
         "logs": "Working in logs already puts every run on the same relative footing (a 1% "
                 "miss counts the same at any size). The Huber loss is about outliers, not "
                 "about scale."}),
    number(
        "06.epoch-1e25",
        "With Epoch AI's published constants (E 1.8172, A 482.01, B 2085.43, α 0.3478, "
        "β 0.3658): tokens per parameter at the compute-optimal point for 10²⁵ FLOPs?",
        _epoch_1e25, working=_epoch_working, rel_tol=0.05),
    number(
        "06.printed-a",
        "With the paper's printed constants (α 0.34, β 0.28): the exponent a in N_opt ∝ C^a?",
        _printed_a, rel_tol=0.01, close_factor=1.1,
        working="a = β / (α + β) = 0.28 / (0.34 + 0.28) = 0.452: below one half, so each "
                "tenfold of compute buys 10^0.452 ≈ 2.8× the parameters and 10^0.548 ≈ 3.5× "
                "the tokens, and the tokens per parameter keep rising."),
]
