"""Notebook 05's checks: pure power laws against laws with a floor."""

import math

from ...science import asymptotes, laws, papers
from ...science.units import si
from ..bank import choice, number

#: The explorer's default fit window (tests pin that it is AsymptoteExplorer's default state).
DEFAULT_WINDOW = {"window_lo": 18.0, "window_hi": 22.0, "noise": 0.01, "seed": 0}
_W = asymptotes.window_fits(DEFAULT_WINDOW)
#: Prediction − truth (nats) at 100× and 10⁴× past the window: pure power law, then + constant.
WINDOW_ERRORS = _W.predictions - _W.truth_at
_PURE_100, _PURE_1E4 = (f"{v:+.2f}".replace("-", "−") for v in WINDOW_ERRORS[0])
_CONST_WORST = float(abs(WINDOW_ERRORS[1]).max())
#: Where the post's Kaplan curve reaches Chinchilla's floor, log10 FLOPs (closed form).
KAPLAN_AT_FLOOR = math.log10(26.387 / 1.69) / 0.05
_CHINCHILLA = papers.CHINCHILLA_70B
_ABOVE_E = (laws.chinchilla_loss(_CHINCHILLA.n_params, _CHINCHILLA.n_tokens)
            - papers.HOFFMANN_2022.E)


def _kaplan_1e25() -> float:
    """The post's Kaplan curve at 1e25 FLOPs, nats/token."""
    return float(laws.post_kaplan_curve(25.0))


def _chinchilla_1e25() -> float:
    """The post's Chinchilla curve at 1e25 FLOPs, nats/token."""
    return float(laws.post_chinchilla_curve(25.0))


def _kaplan_working() -> str:
    return f"26.387 / 10^(0.05 × 25) = 26.387 / {10 ** 1.25:.2f} = {_kaplan_1e25():.3f}."


def _chinchilla_working() -> str:
    first, second = 514.5 / 10 ** (0.156 * 25), 560.2 / 10 ** (0.1512 * 25)
    return (f"1.69 + 514.5 / 10^(0.156 × 25) + 560.2 / 10^(0.1512 × 25) = 1.69 + {first:.3f} + "
            f"{second:.3f} = {_chinchilla_1e25():.3f}. The gap to the Kaplan curve is already "
            f"{_chinchilla_1e25() - _kaplan_1e25():.2f} nats.")


QUESTIONS = [
    choice(
        "05.floor-stops",
        "Predict: if a model's loss levels off at a floor L_∞ (1.69 nats/token in Chinchilla's "
        "fit), does the model stop getting better at the tasks we use it for as it grows?",
        {"stops": "yes: at the floor there is nothing left to learn",
         "kl": "not necessarily: the little loss left above the floor can still decide many "
               "tasks",
         "slow": "yes, in practice: near the floor each 10× of compute buys hundredths of a nat, "
                 "too little to change what the model can do",
         "lower": "not necessarily: a bigger model lowers the floor itself, so there is always "
                  "room below"},
        "kl",
        {"stops": "The floor is the entropy of the text itself; the model approaches it without "
                  "reaching it (Chinchilla, 70B parameters on 1.4T tokens, sits "
                  f"{_ABOVE_E:.2f} nats above E by its own law), and Henighan et al. found "
                  "downstream error still falling while the generative loss levelled off.",
         "kl": "Henighan et al. (2020, §1, Eq 1.2) read L_∞ as the entropy of the true data and the "
               "reducible loss as the KL divergence from the model to it; their image models, "
               "fine-tuned as classifiers, kept improving as the generative loss levelled off.",
         "slow": "Tempting: near the floor the loss does fall ever more slowly. But the loss is an "
                 "average over every token, and the reducible part above the floor is the model's "
                 "remaining distance from the true distribution (a KL divergence, Henighan et al. "
                 "2020, Eq 1.2): what it still gets wrong can matter far more than its share of the "
                 "average. Henighan et al.'s image models, fine-tuned as classifiers, kept improving "
                 "while the generative loss levelled off.",
         "lower": "Tempting: a bigger model does lower the loss. But the floor is the entropy "
                  "of the text, a property of the data, not of the model: cross-entropy = "
                  "entropy + KL divergence, so no model of any size goes below it. The right "
                  "reason lies above the floor: Henighan et al.'s image models, fine-tuned as "
                  "classifiers, kept improving while the generative loss levelled off."},
        predict_first=True,
        spoilers=("even as the generative loss levels off", "need not be diminishing",
                  "kept improving as"),
    ),
    choice(
        "05.kaplan-floor",
        "Predict before you open the explorer: the post's Kaplan curve, 26.387 / 10^(0.05c), "
        "falls without limit. At about what compute does it reach 1.69 nats/token, "
        "Chinchilla's floor?",
        {"early": "around 10²¹ FLOPs, where the two curves still nearly agree",
         "chinchilla": "around 10²⁴ FLOPs, about what Chinchilla itself was trained with",
         "far": "around 10²⁷ FLOPs, beyond any model trained so far",
         "never": "never: a power law only approaches a value, it does not reach it"},
        "chinchilla",
        {"early": f"At 10²¹ FLOPs the Kaplan curve is near {laws.post_kaplan_curve(21):.2f} "
                  "nats. Solve 26.387 / 10^(0.05c) = 1.69 for c.",
         "chinchilla": f"Right: 10^(0.05c) = 26.387 / 1.69, so c = {KAPLAN_AT_FLOOR:.2f} and "
                       f"C ≈ {si(10 ** KAPLAN_AT_FLOOR, 2)} FLOPs, close to Chinchilla's "
                       f"{si(_CHINCHILLA.reported_flops, 2)}. Past it the pure power law promises a loss "
                       "below the text's entropy, which no model can reach; Kaplan et al. saw "
                       "this coming (§6.3, Eq 6.8: their laws must break down near 10⁴ PF-days).",
         "far": "Too far: a power law with exponent 0.05 falls slowly, but 26.387 / 10^(0.05c) = "
                f"1.69 already at c ≈ {KAPLAN_AT_FLOOR:.1f}.",
         "never": "That holds for a law with a constant (it approaches E). A pure power law goes "
                  "to zero, so it crosses every positive loss, 1.69 included, at "
                  f"c ≈ {KAPLAN_AT_FLOOR:.1f}."},
        predict_first=True,
        spoilers=(si(10 ** KAPLAN_AT_FLOOR, 2), f"c = {KAPLAN_AT_FLOOR:.2f}"),
    ),
    choice(
        "05.window",
        "Predict before you open the explorer: 24 simulated runs between 10¹⁸ and 10²² FLOPs, "
        "drawn from Chinchilla's law. A pure power law fits them well. 10⁴× past the window, "
        "how far below the truth is its prediction?",
        {"tiny": "under 0.02 nats: it fits the data, so it extrapolates about as well",
         "small": "about 0.1 nats",
         "half": "about half a nat",
         "two": "about 2 nats: it has fallen nearly to zero"},
        "half",
        {"tiny": "Inside the window the fit is fine; the error comes from the shape. The pure law "
                 f"keeps falling while the truth levels off: {_PURE_1E4} nats at 10⁴× with the "
                 "default random seed.",
         "small": "Tempting if the error stays about as small as the fit's scatter. It grows "
                  f"with distance: already {_PURE_100} nats at 100× past the window, "
                  f"{_PURE_1E4} at 10⁴×.",
         "half": f"Right: {_PURE_1E4} nats at 10⁴× ({_PURE_100} at 100×), while the power law + "
                 f"constant stays within {_CONST_WORST:.2f}. Raise the noise or move the window "
                 "and watch the table.",
         "two": f"The pure law is {_PURE_1E4} nats off at 10⁴×, far from zero: a fitted "
                "exponent near 0.05 falls slowly."},
        predict_first=True, spoilers=(_PURE_1E4, _PURE_1E4.replace("−", "-")),
    ),
    number(
        "05.kaplan-1e25",
        "1. What loss does the post's Kaplan curve predict at 1e25 FLOPs (nats/token)?",
        _kaplan_1e25, rel_tol=0.01, close_factor=1.1, working=_kaplan_working,
    ),
    number(
        "05.chinchilla-1e25",
        "2. And the post's Chinchilla curve at 1e25 FLOPs?",
        _chinchilla_1e25, rel_tol=0.005, close_factor=1.05, working=_chinchilla_working,
    ),
]
