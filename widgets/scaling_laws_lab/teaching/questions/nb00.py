"""Notebook 00's checks: what N, D and C are, and what C = 6·N·D says."""

from ...science import laws
from ...science.units import si
from ..bank import choice, number

#: Llama 2 7B (Touvron et al. 2023, Table 1): 7B parameters, 2T tokens.
_LLAMA2_7B = (7e9, 2e12)
#: The round numbers the FLOP/s check states in its text: one accelerator at ~1e15 FLOP/s
#: (an H100's dense 16-bit peak is 989 TFLOP/s) and a 1e24-FLOP run.
_DEVICE_FLOPS, _RUN_FLOPS = 1e15, 1e24
_SECONDS_PER_YEAR = 365.25 * 86_400


def _llama2_flops() -> float:
    return float(laws.training_flops(*_LLAMA2_7B))


def _llama2_pf_days() -> float:
    return float(laws.flops_to_pf_days(_llama2_flops()))


def _one_device_years() -> float:
    return _RUN_FLOPS / _DEVICE_FLOPS / _SECONDS_PER_YEAR


QUESTIONS = [
    choice(
        "00.drag-n",
        "Predict before the calculator appears: its blue line is C = 6·N·D against D, for one "
        "model size N, on log–log axes. If you drag N to 10× its value, the line…",
        {"up": "moves up by 10× and keeps its slope",
         "steeper": "gets steeper: each extra token costs more in a bigger model",
         "more": "moves up by more than 10×: a bigger model also needs more data",
         "down": "moves down: a bigger model learns more from each token"},
        "up",
        {"up": "C = 6·N·D is proportional to N at every D, so the whole line shifts up by 10× "
               "(one decade on a log axis); its slope, how C grows with D, stays 1.",
         "steeper": "Each token does cost 10× more, but it does so for every D alike: the "
                    "line moves up in one piece. On log–log axes a constant factor is a shift, "
                    "never a change of slope.",
         "more": "That mixes two questions. How much data a bigger model <i>should</i> get is "
                 "notebook 02's; the line shows what any D costs, and at a fixed D the cost "
                 "rises exactly 10×.",
         "down": "A bigger model does learn more per token (its loss falls faster), but the "
                 "compute counts arithmetic, not learning: every token runs through 10× more "
                 "weights."},
        predict_first=True, spoilers=("keeps its slope", "without tilting"),
    ),
    choice(
        "00.flops-meaning",
        "Two runs each report 3 × 10²³ FLOPs: one on 1,000 GPUs for 10 days, the other on 100 "
        "GPUs of the same kind for 100 days. Compare their training compute.",
        {"work": "the same: both did the same total arithmetic",
         "gpus": "the first is 10× larger: it used 10× the GPUs",
         "days": "the second is 10× larger: it ran 10× as long",
         "model": "it cannot be compared without the two model sizes"},
        "work",
        {"work": "Right: FLOPs (plural of FLOP) count operations, 6·N·D of them for a whole run, "
                 "however they were spread out. 1,000 GPUs × 10 days = 100 GPUs × 100 days: the "
                 "same GPU-days, the same work. Divide FLOPs by a speed in FLOP/s to get a time.",
         "gpus": "That reads FLOPs as a speed (FLOP/s, with the '/s'). More GPUs make the run "
                 "faster, not larger: 10× the GPUs for a tenth of the days is the same work.",
         "days": "Running longer on fewer GPUs does not add work: 100 GPUs × 100 days equals "
                 "1,000 GPUs × 10 days. Both reported the same count of operations.",
         "model": "The model size is already inside the number: 3 × 10²³ FLOPs is 6·N·D for "
                  "that run's N and D, whatever they were."},
    ),
    choice(
        "00.same-compute",
        "Predict, then see: you double N and halve D. What happens to the training compute C?",
        {"double": "it doubles: a model twice as big costs twice as much",
         "half": "it halves: compute follows the data, and there is half as much",
         "same": "it stays the same",
         "depends": "it depends on the split: 6·N·D holds only at the best N and D"},
        "same",
        {"double": "The bigger model does cost 2× per token, but it reads half as many tokens.",
         "half": "Half the tokens, yes, but each one now costs twice as much (6·N per token).",
         "same": "C = 6·N·D: 2N × D/2 = N·D. The calculator below shows it: 140B parameters on "
                 "0.7T tokens cost what Chinchilla's 70B on 1.4T did.",
         "depends": "6·N·D counts the arithmetic of any run, well or badly split. Which split "
                    "gives the lowest loss for a C is a separate question (notebook 02)."},
        predict_first=True, spoilers=("2N × D/2", "the two changes cancel"),
    ),
    number(
        "00.llama2-flops",
        "1. Llama 2 7B: 7B parameters trained on 2T tokens. Training FLOPs by 6·N·D?",
        _llama2_flops, unit="FLOPs",
        working=lambda: f"6 × 7 × 10⁹ × 2 × 10¹² = {si(_llama2_flops())} FLOPs.",
    ),
    number(
        "00.llama2-pf-days",
        "2. How many PF-days is that? (1 PF-day = 8.64e19 FLOPs)",
        _llama2_pf_days, unit="PF-days",
        working=lambda: (f"{si(_llama2_flops())} / 8.64 × 10¹⁹ ≈ {_llama2_pf_days():,.0f} "
                         "PF-days: about a quarter of GPT-3's."),
    ),
    number(
        "00.one-device-years",
        "3. One accelerator doing 1e15 FLOP/s (an H100 at its peak, roughly) works on a run of "
        "1e24 FLOPs. How many years does it take?",
        _one_device_years, unit="years",
        working=lambda: ("Work ÷ speed = time: 10²⁴ / 10¹⁵ = 10⁹ s, and a year is "
                         f"{_SECONDS_PER_YEAR:,.0f} s, so ≈ {_one_device_years():.1f} years. That is "
                         "why runs use thousands of accelerators (notebook 01 does the sum with real "
                         "utilisation)."),
    ),
]
