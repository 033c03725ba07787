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
        "1. The source's best possible loss E, in nats per value token (M = 64, ε = 0.1)?",
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
        predict_first=True, spoilers=("0.955",)),
    choice(
        "07.best-size",
        "Predict first: when the compute budget grows 100×, where does the best model size "
        "(the minimum of an IsoFLOP curve) go?",
        {"same": "nowhere: the best size is set by the data source, not by the budget",
         "several": "up several-fold (10× if a = 0.5): parameters and data share the growth",
         "hundred": "up about 100×: the extra compute is best spent on parameters alone",
         "down": "down: with more compute it pays to train a smaller model on far more data"},
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
        "A classmate's sweep finds 45 tokens per parameter at the optimum. Chinchilla says 20. "
        "Who is wrong?",
        {"classmate": "the classmate: 20 tokens per parameter is the compute-optimal ratio "
                      "for any model",
         "neither": "neither: the ratio belongs to the data and the architecture, not to the "
                    "method",
         "chinchilla": "Chinchilla: a small sweep with exact losses is more careful than a big "
                       "one"},
        "neither",
        {"classmate": "20 is what Hoffmann et al. measured for transformers on MassiveText; "
                      "Eq 4 with other constants gives another ratio (notebook 02 shows 18 to 98 "
                      "for different fits of the same runs).",
         "neither": "The optimum ratio follows from A, B, α and β, which belong to the data and "
                    "the model. Same method, different source: a different ratio.",
         "chinchilla": "Chinchilla's ratio is right for its setting; a sweep of toy models says "
                       "nothing against it, only that the ratio is not universal."}),
    choice(
        "07.hero-miss",
        "In the budget game your hero missed by 0.15 nats, and your fit said E = 0.01. "
        "The most likely reason?",
        {"corner": "the screening runs were small and alike, so the fit could not tell E, A "
                   "and B apart",
         "noise": "bad luck: one training run is noisy, and the hero happened to land badly",
         "flops": "the 6ND rule is wrong for models this small, so the hero got the wrong "
                  "budget"},
        "corner",
        {"corner": "Five constants need runs that vary N at a fixed D and D at a fixed N, up to "
                   "budgets near the one you predict. A floor of 0.01, far below the source's "
                   "0.73, says the fit did not pin E down.",
         "noise": "Run-to-run noise here is about 0.01–0.02 nats (the sweep's fit leaves an RMS "
                  "log residual of 0.01–0.017), several times smaller than the miss.",
         "flops": "The counted FLOPs are within a few per cent of 6ND (the count above); that "
                  "cannot move a loss by 0.15 nats."}),
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
