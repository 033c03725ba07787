"""Notebook 09's checks: sizing for inference, repeated data, and why Kaplan's exponent was 0.73.

Every number an option or an explanation quotes is computed here by the package, so a change of
constants moves the text with it.
"""

from ...science import data_constrained as dc
from ...science import disagreement as dis
from ...science import inference, papers
from ...science.units import si
from ..bank import choice, number

_LOSS = 2.0  # nats/token: the lifetime explorer's default target
_FLOOR = inference.floor_fraction(papers.HOFFMANN_2022)
_FLOOR_EPOCH = inference.floor_fraction(papers.BESIROGLU_2024)
_FLOOR_N = inference.smallest_params(_LOSS)
_OPT_N = inference.compute_optimal_params(_LOSS)
_DE_VRIES = inference.DE_VRIES_POINT
_R_STAR = dc.MUENNIGHOFF_2023.r_star_d
_AVG40, _LAST40 = dc.average_worth(40), dc.pass_worth(40)
_LAW = dis.FITS["chinchilla"].beta / (dis.FITS["chinchilla"].alpha + dis.FITS["chinchilla"].beta)


def _window(lo: float, hi: float) -> float:
    """The exponent the non-embedding fit finds over lo..hi (Chinchilla's printed law, V 32k)."""
    return dis.disagreement({"fit": "chinchilla", "n_min": lo, "n_max": hi,
                             "vocab": float(dis.VOCAB)}).fitted_non_embedding


def _share(non_embedding: float) -> float:
    """The embeddings' share of all parameters at a non-embedding size (V 32k, aspect 39.2)."""
    total = float(dis.total_params(non_embedding))
    return (total - non_embedding) / total


def _brain_model() -> float:
    """10¹³ unique tokens seen 100 times (R_D = 99): D′, tokens."""
    return dc.effective_data(1e13, 99.0)


def _brain_working() -> str:
    value = _brain_model()
    return (f"D′ = U(1 + R*(1 − e^(−R/R*))) with U = 10¹³, R = 99, R* = {_R_STAR:.2f}: the "
            f"exponential is e^(−{99 / _R_STAR:.1f}), almost 0, so D′ ≈ U·(1 + R*) = "
            f"{si(value)} tokens, a sixth of the 10¹⁵ seen. Data, not compute, is the limit.")


QUESTIONS = [
    choice(
        "09.lifetime-limit",
        f"Predict before you open the explorer: the target loss is {_LOSS} nats/token under "
        "Chinchilla's printed law. As the tokens the model will serve grow without bound, the "
        "model with the least lifetime compute…",
        {"shrinks": "keeps shrinking towards zero, trained on ever more tokens",
         "devries": f"settles near {_DE_VRIES['size_fraction']:.0%} of the compute-optimal size, "
                    "where its training compute has doubled",
         "floor": "settles near a tenth of the compute-optimal size, however much it serves",
         "same": "stays near the compute-optimal size: shrinking costs more training than it saves"},
        "floor",
        {"shrinks": "Tempting: the more it serves, the smaller it gets. But a model can only "
                    f"reach {_LOSS} if E + A/N^α < {_LOSS}: below {si(_FLOOR_N)} parameters "
                    "no amount of data gets there, so the optimum approaches that size and "
                    "stops.",
         "devries": f"That is de Vries's critical model size, ~{_DE_VRIES['size_fraction']:.0%}: "
                    "the knee of his curve, "
                    "where the extra training turns steep (about +100%). With enough tokens "
                    "to serve, +200% or +500% of training still pays, so the optimum passes "
                    "the knee.",
         "floor": f"Right: it approaches the size floor, {si(_FLOOR_N)} parameters here, "
                  f"{_FLOOR:.1%} of the compute-optimal {si(_OPT_N)} ((β/(α+β))^(1/α); "
                  f"{_FLOOR_EPOCH:.1%} with Epoch's refit). Below it no amount of data reaches "
                  "the loss, so the training a model needs grows without bound near it.",
         "same": "At the compute-optimal size the training curve is flat: shrinking a little "
                 "costs almost no extra training and saves 2N FLOPs on every token served, so "
                 "any inference at all moves the optimum below it."},
        predict_first=True, spoilers=("size floor", f"{_FLOOR:.1%}")),
    choice(
        "09.forty-epochs",
        "Predict before you open the explorer: you repeat 100B unique tokens for 40 epochs "
        "(4T tokens seen). On average, each token seen is worth about how much of a fresh one?",
        {"last": "about 0.08: by the 40th pass a repetition adds little",
         "average": "about 0.4: the early passes count almost in full",
         "nearly": "about 0.9: four epochs cost almost nothing, so forty cost little",
         "first": "about 0.025: only the first pass teaches anything new"},
        "average",
        {"last": f"That is the marginal worth: the 40th pass alone adds {_LAST40:.2f} of a fresh "
                 "pass. The average counts every pass, and the first few were nearly fresh: "
                 f"D′ / (40·U) = {_AVG40:.2f}.",
         "average": f"Right: D′ = U(1 + R*(1 − e^(−39/R*))) = {40 * _AVG40:.1f}·U, so on "
                    f"average a token seen is worth {_AVG40:.2f} of a fresh one, even though "
                    f"the 40th pass alone adds only {_LAST40:.2f}. Average and marginal worth "
                    "are different numbers.",
         "nearly": f"Four epochs are nearly free ({dc.average_worth(4):.0%} on average) because "
                   f"R_D = 3 is small against R*_D ≈ {_R_STAR:.1f}; at 40 epochs R_D = 39 is "
                   "2.5 R*_D, and the late passes add little.",
         "first": "A repeated token is worth less, not nothing: the second pass adds "
                  f"{dc.pass_worth(2):.2f} of a fresh one, and Muennighoff et al. find up to 4 "
                  "epochs change the loss negligibly (their abstract)."},
        predict_first=True, spoilers=(f"{_AVG40:.2f}", f"{_AVG40:.0%}")),
    number(
        "09.brain-repeated",
        "A 10¹⁴-parameter model trained on 10¹⁵ tokens that are 10¹³ unique tokens repeated "
        "(100 epochs): how many fresh tokens is that worth?",
        _brain_model, unit="tokens", rel_tol=0.03, close_factor=1.5, working=_brain_working),
    choice(
        "09.large-window",
        "Predict before you open the explorer: over Kaplan's sizes, counting without "
        f"embeddings turns Chinchilla's law (N* ∝ C^{_LAW:.2f} in total parameters) into a fit "
        "near Kaplan's 0.73. Fit the same way over models of 10¹⁰ to 10¹² non-embedding "
        "parameters instead. The exponent is about…",
        {"kaplan": "0.75 again: leaving out the embeddings biases every fit",
         "law": f"{_LAW:.2f}, the law's own: a large model's embeddings are a small share",
         "steeper": "close to 1: the bias grows as the models grow",
         "between": "about 0.6: the bias fades, but only over many decades"},
        "law",
        {"kaplan": "The bias comes from the embeddings' share of the parameters, and that "
                   "share shrinks with size: nearly all of a model at Kaplan's smallest size, about "
                   f"{_share(1e10):.0%} at 10¹⁰. Counted either way, big models give the same exponent.",
         "law": f"Right: from 10¹⁰ to 10¹² the fit finds {_window(1e10, 1e12):.2f}. The "
                "embeddings (vocabulary × d_model) grow as N^(1/3), so they fall from most of "
                "a small model to a few percent of a large one, and counting them or not stops "
                "mattering.",
         "steeper": "The local slope does rise to nearly 1, but around a few million "
                    "parameters, where the embeddings' share falls fastest; above that it "
                    "comes back down to the law's own exponent.",
         "between": "It fades faster than that: by 10¹⁰ non-embedding parameters the embeddings "
                    f"are about {_share(1e10):.0%} of the model, and the fit is within 0.01 of "
                    f"{_LAW:.2f}."},
        predict_first=True, spoilers=("the bias is gone",)),
    number(
        "09.window-to-1e12",
        "Use section 3's explorer (Chinchilla's printed law): keep 'Smallest model fitted' at "
        "768 and drag 'Largest model fitted' to 10¹² (or type 1e12 in its box). What exponent "
        "N* ∝ C^a does the readout give? Without the explorer, estimate it from the second "
        "figure's local exponent.",
        lambda: _window(768.0, 1e12), rel_tol=0.02, close_factor=1.2,
        working=("A straight line fitted over 768 to 10¹² on the non-embedding frontier. "
                 "It lies between Kaplan's 0.73 and the law's own "
                 f"{_LAW:.2f}: the small models still pull the line up.")),
    choice(
        "09.porian-counting",
        "Porian et al. recovered Chinchilla's law from Kaplan's set-up by correcting it one "
        "factor at a time. Which correction removes, on the compute side, the "
        "bias Pearce & Song remove by counting the embeddings in N?",
        {"flops": "counting the output layer's FLOPs (d_model × vocabulary per token) in C",
         "warmup": "measuring small models after a warm-up scaled to their short runs",
         "tuning": "measuring each size at its own tuned learning rate, batch size and β₂",
         "decay": "reading each size's loss at the end of its own learning-rate schedule"},
        "flops",
        {"flops": "Right: Kaplan's non-embedding compute leaves out the output layer "
                  "(d_model × vocabulary per token), which, like the embeddings, is a large "
                  "share of a small model's compute and a small share of a large one's. "
                  "Counting it removes in compute the bias Pearce & Song remove in parameters.",
         "warmup": "A real correction: a long warm-up eats much of a small model's short run "
                   "and makes small models look worse. But it changes how they train, not what "
                   "is counted, and it has nothing to do with the vocabulary.",
         "tuning": "Also needed: one set of hyperparameters for every size favours some sizes "
                   "over others. But it changes how models train, not what is counted.",
         "decay": "Tempting: Hoffmann et al. suspected Kaplan's schedule. But Porian et al. "
                  "found careful decay not essential, and a schedule changes training, not "
                  "what is counted."},
        spoilers=("same mechanism",)),
]
