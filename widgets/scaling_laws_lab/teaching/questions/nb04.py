"""Notebook 04's checks: what pre-training is worth, in characters (Hernandez et al. 2021)."""

from ...science import laws, papers
from ...science.units import si
from ..bank import choice, number

TEXT = papers.HERNANDEZ_2021_TEXT


def _dt_1b() -> float:
    """D_T for a 1B-parameter model fine-tuned on 1e6 characters (text pre-training)."""
    return laws.transferred_data(1e6, 1e9, TEXT)


def _multiplier_1b() -> float:
    """D_E / D_F for the same fine-tune."""
    return laws.effective_data_multiplier(1e6, 1e9, TEXT)


def _dt_working() -> str:
    return (f"1.9e4 × (1e6)^0.18 × (1e9)^0.38 = 1.9e4 × {1e6 ** TEXT.alpha:.1f} × "
            f"{1e9 ** TEXT.beta:,.0f} ≈ {si(_dt_1b())} characters.")


def _multiplier_working() -> str:
    return f"1 + D_T / D_F = 1 + {si(_dt_1b())} / 1M ≈ {_multiplier_1b():.0f}."


QUESTIONS = [
    choice(
        "04.ten-x-model",
        "Predict before you open the explorer: a 40M-parameter model fine-tuned on 3 × 10⁵ "
        "characters of Python gets D_T ≈ 475× D_F. Keep D_F, make the model 10× bigger. "
        "D_T grows…",
        # The options carry no reasons: each is a number the law's exponents make, and the
        # learner has to pick the exponent that goes with N (a reader test eliminated by them).
        {"ten": "about 10×", "hundred": "about 100×", "two-four": "about 2.4×",
         "one-five": "about 1.5×"},
        "two-four",
        {"ten": "Tempting if D_T were proportional to the model's size, but β = 0.38, not 1: "
                "10^0.38 ≈ 2.4×. "
                "In the explorer, drag N up a decade and read D_T.",
         "hundred": "Tempting: a third-party summary of the paper says a 10× bigger model is "
                    "worth about 100× the data. That sentence is about a trade: 10× the model "
                    "gives the same D_T as about 100× (129× by Table 1) the fine-tuning data, "
                    "because D_F enters only as D_F^0.18. D_T itself grows 10^0.38 ≈ 2.4×.",
         "two-four": "Right: D_T ∝ N^β with β = 0.38, so 10^0.38 ≈ 2.4×. In the explorer, drag N up "
                     "a decade and watch the readout's D_T.",
         "one-five": "That is 10^0.18, with α, the exponent on the fine-tuning data D_F; the "
                     "exponent on N is "
                     "β = 0.38, so 10^0.38 ≈ 2.4×."},
        predict_first=True, spoilers=("10^0.38 ≈ 2.4×",),
    ),
    choice(
        "04.more-data",
        "Predict before you look: at 40M parameters, you collect 100× more fine-tuning data "
        "(3 × 10⁵ → 3 × 10⁷ characters). The multiplier D_E / D_F, now about 476…",
        {"same": "stays about 476: the law multiplies whatever data you bring",
         "up": "grows about 2.3×: D_T grows as D_F^0.18, and the multiplier follows D_T",
         "down-small": "falls about 2.3×: the 0.18 exponent works against more data",
         "down-big": "falls about 40×: D_T grows 2.3× while D_F grows 100×"},
        "down-big",
        {"same": "A fixed multiplier would need α = 1. With α = 0.18 the multiplier is "
                 "1 + k·N^β / D_F^0.82: it falls as D_F grows.",
         "up": "D_T does grow 100^0.18 ≈ 2.3×, but the multiplier divides it by D_F, which grew "
               "100×: it falls, about 40× (476 → 12).",
         "down-small": "The direction is right, the size is not: D_T grows 2.3× while D_F grows "
                       "100×, so D_T / D_F falls 100^0.82 ≈ 44×, and D_E / D_F 476 → 12.",
         "down-big": "Right: 476 → 12, about 40×. Pre-training matters most when fine-tuning data "
                     "is scarce. Drag D_F and watch the third figure."},
        predict_first=True, spoilers=("476 → 12", "100^0.82", "to about 12"),
    ),
    choice(
        "04.alpha-one",
        "Suppose pre-training were so extensive that α reached 1 (N fixed). What does 10× more "
        "fine-tuning data then do to the effective data D_E?",
        # Four outcomes of the same form, none carrying its derivation (a reader picked the
        # one option that did).
        {"add": "D_E grows by just the characters you added, one for one",
         "ten": "D_E grows 10×, in step with D_F",
         "beta": "D_E grows 10^β ≈ 2.4×, as if the model had grown",
         "none": "D_E stays put: pre-training is used up"},
        "ten",
        {"add": "Tempting reading of 'increases the effective data by the same amount', but each "
                "character of D_F brings k·N^β characters of D_T with it: D_E grows in proportion, "
                "(1 + k·N^β) characters per character added.",
         "ten": "Right: with α = 1, D_T = k·N^β·D_F, so D_E = (1 + k·N^β)·D_F. Effective data "
                "grows in proportion to D_F: 10× in, 10× out, and the multiplier stops falling.",
         "beta": "β is the exponent on N; with N fixed it does not enter. With α = 1, "
                 "D_E = (1 + k·N^β)·D_F grows 10× when D_F does.",
         "none": "At α = 1 the multiplier 1 + k·N^β no longer falls with D_F: pre-training keeps "
                 "multiplying every character, so 10× the data gives 10× the effective data."},
        predict_first=True, spoilers=("10× in, 10× out",),
    ),
    choice(
        "04.why-little-data",
        "Hernandez et al. pre-train on text, then fine-tune on Python. Why does fine-tuning "
        "need so little Python?",
        # Four mechanisms a reader really proposes, each in the page's words and of the same
        # length (a reader found the right one the only one in the page's vocabulary).
        {"few": "fine-tuning moves only a few weights, so a few characters fit them",
         "pretrain": "pre-training stands in for D_T characters of Python never seen",
         "smaller": "a fine-tune acts like a far smaller network, which needs less data",
         "fixed": "pre-training multiplies any amount of Python by the same ~475×"},
        "pretrain",
        {"few": "Tempting: that is how a fine-tune feels. But Hernandez et al. fine-tune every "
                "weight; the saving comes from what pre-training transferred (notebook 03 meets "
                "this view in the LessWrong question *How do scaling laws work for "
                "fine-tuning?*).",
         "pretrain": "Right: D_T = k·D_F^α·N^β is the from-scratch data the pre-trained model is "
                     "worth; it grows with N, the whole model's size.",
         "smaller": "Tempting: the LessWrong question *How do scaling laws work for "
                    "fine-tuning?* asks whether a fine-tune is like a network 1000× smaller. By "
                    "the law a smaller network gets less from pre-training (D_T ∝ N^0.38), not "
                    "more, so it would need more data.",
         "fixed": "Pre-training does stand in for data, but not at a fixed rate: D_T grows only "
                  "as D_F^0.18, so the multiplier, 476 at 3 × 10⁵ characters, falls as D_F grows, "
                  "and past the low-data regime transfer fades and can even hurt (ossification, "
                  "§3.1)."},
    ),
    number(
        "04.dt-1b",
        "1. A 1B-parameter model (text pre-training) fine-tuned on 1e6 characters of Python: "
        "D_T in characters?",
        _dt_1b, unit="characters", working=_dt_working,
    ),
    number(
        "04.multiplier-1b",
        "2. Same model and data: the multiplier D_E / D_F?",
        _multiplier_1b, working=_multiplier_working,
    ),
]
