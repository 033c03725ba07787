"""Notebook 07's checks: a scaling law measured on networks trained in the kernel."""

from ... import lab
from ..bank import choice, number

#: The budget game's rule: the hero trains at ten times the largest screening run.
_HERO_FACTOR = 10
_SCREEN_N, _SCREEN_D, _HERO_N = 3_000, 1e6, 9_000


def _entropy() -> float:
    return lab.entropy_nats(64, 0.1)


def _hero_tokens() -> float:
    """Tokens of a hero of N = 9,000 at ten times a screening run of N = 3,000 on 10⁶ tokens."""
    return _HERO_FACTOR * 6 * _SCREEN_N * _SCREEN_D / (6 * _HERO_N)


QUESTIONS = [
    number(
        "07.entropy",
        "The source's best possible loss E, in nats per value token (M = 64, ε = 0.1)?",
        _entropy, unit="nats", rel_tol=0.01,
        working="q = 0.9 + 0.1/64 = 0.901563, r = 0.1/64 = 0.0015625; "
                "E = −q ln q − 63 r ln r = 0.0937 + 0.6358 = 0.7295 nats. A model that knew "
                "nothing would score ln 64 = 4.16."),
    choice(
        "07.flop-count",
        "Predict before you see the count: for this small network (12 inputs, 64 hidden units, "
        "64 values), the FLOPs the trainer really performs per token, against 6N, are…",
        {"below": "a few per cent below 6N: the backward pass has less to do than 6N assumes",
         "exact": "exactly 6N: forward 2N and backward 4N, whatever the network's shape",
         "above": "a few per cent above 6N: the softmax, the ReLU and Adam come on top of it",
         "double": "about twice 6N: in a network this small the overheads outweigh the matmuls"},
        "below",
        {"below": "The key code is fixed, not learned, so the backward pass skips the input's "
                  "gradient (2·n_in·H FLOPs that 6N counts), and a bias costs 2 FLOPs, not 6. "
                  "The softmax and Adam add a little back.",
         "exact": "6N is a count of the weight matmuls of a deep network; a real trainer differs "
                  "at the edges: the first layer's input gradient, the biases, the extras.",
         "above": "The extras are real but small (a few hundred FLOPs per token here); what the "
                  "backward pass does not do is larger.",
         "double": "Even here the weight matmuls are nearly all the work: the extras are about "
                   "3% of the total."},
        predict_first=True, spoilers=("0.955", "skips the input", "*below* 6N")),
    choice(
        "07.best-size",
        "Predict first: when the compute budget grows 100×, where does the best model size "
        "(the minimum of an IsoFLOP curve) go?",
        {"same": "it stays put: the best size is set by the source's 4,096 facts, not by the "
                 "budget",
         "several": "up several-fold, well short of 100×: parameters and data share the growth",
         "hundred": "up about 100×: the extra compute is best spent on parameters, not on data",
         "down": "down: with more compute it pays to train a smaller model on far more tokens"},
        "several",
        {"same": "At a fixed budget a bigger model sees fewer tokens; as the budget grows both "
                 "can grow. Watch the black squares in the IsoFLOP figure move right.",
         "several": "N_opt ∝ C^a with a near 0.5 shares the budget between N and D "
                    "(Chinchilla found 0.46–0.50). Your runs give a of about 0.4, so 100^0.4 ≈ "
                    "6×: read your a in the readout.",
         "hundred": "That was nearly Kaplan et al.'s answer (a = 0.73), and the reason Chinchilla "
                    "was news: data must grow too. Your runs side with Chinchilla.",
         "down": "Smaller models on more data pay off when inference is counted too (notebook "
                 "09); for the training loss alone, the best size grows with the budget."},
        predict_first=True, spoilers=("several-fold",)),
    choice(
        "07.ratio",
        "Your sweep's minima sit at about 20 to 55 tokens per parameter. Which change to the "
        "lab would move those ratios by far more than a rerun's noise?",
        {"source": "a steeper Zipf tail in the source (exponent 2.0), so fewer keys carry most "
                   "of the facts",
         "seed": "a new random seed, which redraws the facts, the data and the initial weights",
         "count": "budgets counted in the trainer's real FLOPs instead of 6ND, a few per cent "
                  "lower",
         "none": "none: at the compute optimum every model settles near Chinchilla's 20 tokens "
                 "per parameter"},
        "source",
        {"source": "The optimum follows from A, B, α and β (Eq 4), and the source sets them: how "
                   "fast rarer facts thin out decides what more data buys. With exponent 2.0 "
                   "the default sweep (random seed 0) put its minima at about 30 to 115 tokens "
                   "per parameter.",
         "seed": "A new seed redraws the noise around the same law: E moves by about 0.01 nats, "
                 "the law that sets the ratios stays.",
         "count": "The count is a few per cent below 6N for every run, so every budget shifts "
                  "by the same factor: the ratios move by a few per cent at most.",
         "none": "20 is what Hoffmann et al. measured for transformers on MassiveText; your own "
                 "runs already give 20 to 55, and notebook 02 shows 18 to 98 for different fits "
                 "of Chinchilla's runs."}),
    choice(
        "07.hero-miss",
        "A classmate's hero missed its predicted loss by 0.15 nats, though their fit matched "
        "every screening run to within 0.01 nats. The most likely reason?",
        {"corner": "their screening runs were too alike in N and D for the fit to tell E, A "
                   "and B apart",
         "noise": "bad luck: run-to-run noise in the hero and the screening runs added up",
         "flops": "the 6ND rule misprices models this small, so the hero trained on the wrong "
                  "number of tokens",
         "far": "the hero was ten times any screening run, and no fit extrapolates that far"},
        "corner",
        {"corner": "Five constants need runs that vary N at a fixed D and D at a fixed N, up to "
                   "budgets near the one you predict. Matching the runs proves little: six runs "
                   "bunched at N ≈ 1,000 fit well, put E at zero against the source's 0.73, "
                   "and missed the hero by 0.12 nats.",
         "noise": "Run-to-run noise here is about 0.01–0.02 nats (the sweep's fit misses its "
                  "runs by 1–1.7% of the loss, root mean square), several times smaller than "
                  "the miss.",
         "flops": "The counted FLOPs are within a few per cent of 6ND (the count above); that "
                  "cannot move a loss by 0.15 nats.",
         "far": "Tempting, but the same tenfold leap works: screening runs spread over three "
                "sizes at two token counts each predicted the hero to within 0.02 nats."}),
    number(
        "07.hero-tokens",
        "The game's hero trains at ten times your largest screening run. Your largest "
        "screening run had N = 3,000 on 10⁶ tokens and your hero has N = 9,000. On how many "
        "tokens does the hero train (C = 6ND)?",
        _hero_tokens, unit="tokens", rel_tol=0.05,
        working="The largest screening run costs 6 × 3,000 × 10⁶ = 1.8e10 FLOPs, so the hero "
                "gets 1.8e11; D = C / (6N) = 1.8e11 / 54,000 ≈ 3.3e6 tokens, about 370 per "
                "parameter."),
]
