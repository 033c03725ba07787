"""Notebook 02's checks: the compute-optimal split of a budget, law by law."""

from ...science import laws, papers
from ...science.allocation import allocation_table
from ...science.units import si
from ..bank import choice, number

#: Gopher (Rae et al. 2021): 280B parameters on its 5.76e23-FLOP budget (Hoffmann et al. 2022).
_GOPHER_FLOPS, _GOPHER_N = 5.76e23, 280e9


def _gopher_rows() -> dict:
    """Each law at Gopher's budget, with Gopher's own size as "your model"."""
    return {r.key: r for r in allocation_table(_GOPHER_FLOPS, _GOPHER_N)}


def _gopher_explanation(key: str) -> str:
    rows = _gopher_rows()
    epoch, kaplan, printed = rows["epoch"], rows["kaplan"], rows["chinchilla"]
    text = {
        "thirty": (f"That is Eq 4 with the paper's printed constants ({si(printed.n_opt)}, "
                   f"{printed.tokens_per_param:.0f} tokens per parameter). Epoch's refit showed "
                   "that fit describes Chinchilla's own runs poorly; the refit and approaches "
                   "1–2 put the optimum about twice as big."),
        "seventy": (f"Right: Epoch's refit puts the optimum at {si(epoch.n_opt)} on "
                    f"{si(epoch.d_opt)} tokens, {epoch.tokens_per_param:.0f} per parameter, and "
                    "approaches 1–2 agree. DeepMind then trained Chinchilla, 70B on 1.4T tokens, "
                    "on this budget, and it beat Gopher. Gopher would need "
                    f"{100 * epoch.overhead:+.0f}% compute to match it (the explorer's readout)."),
        "gopher": ("On this budget a 280B model sees D = C/6N ≈ 343B tokens, about 1.2 per "
                   "parameter. Sized by the 2020 practice, Gopher sits to the right of the "
                   "valley's bottom in the IsoFLOP view, on its flat part: loss "
                   f"{epoch.loss_yours:.3f} against {epoch.loss_opt:.3f} nats per token, about "
                   f"{100 * (epoch.loss_yours / epoch.loss_opt - 1):.0f}% worse for the same "
                   f"compute. Matching the bottom's loss takes {100 * epoch.overhead:.0f}% "
                   "more compute."),
        "bigger": (f"That is Kaplan's 2020 law ({si(kaplan.n_opt)}): put most compute into "
                   "parameters. Chinchilla's measurements on larger models, with training "
                   "schedules matched to each run, moved the optimum the other way."),
    }
    return text[key]


def _epoch_growth() -> float:
    _, a, _ = laws.chinchilla_allocation_constants(papers.BESIROGLU_2024)
    return 10 ** a


def _epoch_working() -> str:
    _, a, b = laws.chinchilla_allocation_constants(papers.BESIROGLU_2024)
    _, a_p, b_p = laws.chinchilla_allocation_constants(papers.HOFFMANN_2022)
    f = papers.BESIROGLU_2024
    return (f"a = β/(α+β) = {f.beta}/({f.alpha} + {f.beta}) = {a:.3f}, so 10^{a:.3f} ≈ "
            f"{10 ** a:.2f} for N and 10^{b:.3f} ≈ {10 ** b:.2f} for D: both grow about as √10 ≈ "
            "3.2, so 10× the parameters goes with about 10× the data. (Eq 4 with the printed "
            f"constants gives 10^{a_p:.4f} ≈ {10 ** a_p:.2f} for N and 10^{b_p:.4f} ≈ "
            f"{10 ** b_p:.1f} for D.)")


def _approach1_tokens() -> float:
    return laws.optimal_budget_for_params(1e12, papers.HOFFMANN_2022_APPROACH1)[1]


def _approach1_working() -> str:
    fit = papers.HOFFMANN_2022_APPROACH1
    c, d = laws.optimal_budget_for_params(1e12, fit)
    return (f"N = {fit.n_coeff:.4f} · C^{fit.a:.1f} gives C = (1e12 / {fit.n_coeff:.4f})^2 = "
            f"{c / 1e26:.2f}e26 FLOPs; D = C / (6N) ≈ {d / 1e13:.1f}e13 tokens, about "
            f"{d / 1e12:.0f} per parameter.")


QUESTIONS = [
    choice(
        "02.gopher-size",
        "Predict before you open the explorer: Gopher spent 5.76 × 10²³ FLOPs training 280B "
        "parameters. On the same budget, which model size would have reached the lowest loss?",
        {"thirty": "about 30B parameters",
         "seventy": "about 70B parameters",
         "gopher": "about 280B parameters, Gopher's own size",
         "bigger": "about 500B parameters"},
        "seventy",
        {key: _gopher_explanation(key) for key in ("thirty", "seventy", "gopher", "bigger")},
        predict_first=True, spoilers=("72.2B", "1.33T"),
    ),
    number(
        "02.kaplan-growth",
        "1. Under Kaplan's law (N_opt ∝ C^0.73), by what factor does N_opt grow when the budget "
        "grows 10×?",
        lambda: 10 ** papers.KAPLAN_2020.n_opt_exp,
        working="10^0.73 ≈ 5.4: most of each extra 10× of compute goes into parameters, and "
                "D = C/6N grows only 10 / 5.4 ≈ 1.9×.",
    ),
    number(
        "02.epoch-growth",
        "2. And under Epoch's refit (a = β/(α+β) with α = 0.3478, β = 0.3658), the law this "
        "notebook recommends?",
        _epoch_growth, working=_epoch_working,
    ),
    number(
        "02.approach1-tokens",
        "3. A 10¹²-parameter model: how many tokens is compute-optimal under approach 1 "
        "(a = 0.50, Table 3)?",
        _approach1_tokens, unit="tokens", working=_approach1_working,
    ),
    choice(
        "02.why-kaplan-bigger",
        "Predict first: Kaplan et al. counted parameters without the embedding table (the one "
        "that turns tokens into vectors), and most of their models were small. What does that "
        "do to the fitted exponent a of N_opt ∝ C^a?",
        {"share": "raises it: the table is a big share of a small model, a sliver of a large one",
         "shift": "nothing: leaving a part out of every model shifts the line, not its slope",
         "lower": "lowers it: the table widens with the model, so large ones lose the most",
         "cheap": "raises it: a lookup costs no FLOPs, so small models got more tokens per FLOP"},
        "share",
        {"share": "Right. Along the compute-optimal path the total size grows as Chinchilla's law "
                  "says, but the part Kaplan counted starts as a sliver of a small model and "
                  "becomes nearly all of a large one: it grows faster than the total, so its "
                  "fitted exponent is higher. Pearce & Song (2024) find that this, with the "
                  "small scale of Kaplan's runs, explains most of the gap; Hoffmann et al. (§2) "
                  "note that \"the majority of runs in Kaplan et al. (2020) are significantly "
                  "smaller—many being less than 100M parameters\". Porian et al. (2024) add "
                  "last-layer FLOPs, warm-up and per-size optimiser tuning. Notebook 09 lets "
                  "you drag the effect.",
         "shift": "Tempting, because on log–log axes leaving out a fixed fraction of every model "
                  "only moves the line down. But the fraction is not fixed: the table is a "
                  "large part of a small model and almost none of a large one, so the counted "
                  "part grows faster than the total and the slope changes.",
         "lower": "The table does widen with the model (vocabulary × width), but the rest grows "
                  "as layers × width², much faster. Kaplan used one byte-pair vocabulary, "
                  "50,257 tokens, for every size, so the uncounted share shrinks as models grow: "
                  "small models lose the most, and the exponent goes up, not down.",
         "cheap": "A lookup is indeed nearly free, but that is a statement about FLOPs per "
                  "token. The bias Pearce & Song find comes from how N itself is counted: the "
                  "exponent is the slope of log N against log C, and the uncounted share of N "
                  "changes with size."},
        predict_first=True,
        spoilers=("a large share of a small model", "grows faster than the whole"),
    ),
]
