"""Notebook 08's checks: the fine-tuning thread tested on networks trained in the kernel."""

from ...science import papers
from ..bank import choice, number


def _paper_three_times() -> float:
    """3^β with Hernandez et al.'s β (2021, Table 1, text → python): D_T ∝ N^β."""
    return 3 ** papers.HERNANDEZ_2021_TEXT.beta


QUESTIONS = [
    choice(
        "08.small-vs-tune",
        "Predict first: at D_F = 10⁴ fine-tuning tokens, compare two models that each train "
        "about 920 weights: the largest pre-trained network with only its 928 biases tuned, "
        "and a network of 911 weights trained from scratch on the same data. The tune's loss "
        "is lower, by…",
        {"hundredths": "a few hundredths of a nat: the same number of weights learn from the "
                       "same tokens, and the head start is soon used up",
         "tenth": "about a tenth of a nat: the head start helps, but 920 free weights can "
                  "only steer what the rest already know",
         "third": "about a third of a nat: the tune starts from everything pre-training "
                  "learned, the small network from nothing",
         "nat": "more than a nat: a network of 911 weights learns almost nothing from "
                "10⁴ tokens"},
        "third",
        {"hundredths": "The thread's reading: a tune is like a network that small. But the tuned "
                       "model's other 65,000 weights are not idle: they hold the facts "
                       "pre-training taught, and the biases only steer them. Read both lines "
                       "at D_F = 10⁴ in the first figure.",
         "tenth": "Tempting if a tune only nudges a model. The nudge is small, but the small "
                  "network's deficit is large: it holds only the commonest facts.",
         "third": "About 1.2 against 0.9 nats in the default run: the small network is even "
                  "worse than the pre-trained model with no fine-tuning at all (about 1.1). "
                  "Read both lines at D_F = 10⁴ in the first figure.",
         "nat": "The small network does learn: from over 2 nats at a few hundred tokens to "
                "about 1.2 at 10⁴, about a third of a nat above the tune."},
        predict_first=True, spoilers=("a third of a nat",)),
    choice(
        "08.cost",
        "Predict before you see the count: the biases-only tune and the rank-1 LoRA adapter "
        "both train 928 weights of the largest network. Per token, which costs more FLOPs?",
        {"same": "neither: FLOPs follow the number of weights that train, and both train 928",
         "biases": "the biases: the gradient must travel back through the output layer to "
                   "reach them",
         "lora": "LoRA: its adapter adds matrix products to every forward and backward pass"},
        "biases",
        {"same": "The weight gradients do follow the count (2 per trainable weight), but they "
                 "are the smallest part. The activation gradients depend on where the lowest "
                 "trainable weight sits.",
         "biases": "Reaching the hidden layer costs 2·H·M more FLOPs per token (H = 864 "
                   "hidden units, M = 64 values: the output layer's weights, crossed backwards); "
                   "the adapter sits on top and needs no "
                   "activation gradient below the output layer.",
         "lora": "It does add 2·r·(H + M) forward, about 1% of the forward pass at r = 1; the "
                 "biases' backward pass through the output layer costs far more."},
        predict_first=True, spoilers=("245,960", "137,480", "must cross the output layer")),
    choice(
        "08.negative",
        "At the largest D_F, the smallest network's D_T is below zero: fine-tuned, it does worse "
        "than the same network trained from scratch on the same data. The most likely reason?",
        {"lr": "the fine-tune's learning rate is too high for a pre-trained network, so its "
               "first steps wreck what pre-training taught",
         "full": "the small network is full of pre-training's facts, and must give up room "
                 "used for pre-training's common keys to learn the target's other keys",
         "overfit": "the fine-tune overfits its dataset, while the network trained from scratch "
                    "does not",
         "noise": "the target asks about rare keys whose values pre-training saw mostly as "
                  "noise, so the head start points the wrong way"},
        "full",
        {"lr": "Each run keeps its best epoch, including the untrained start (epoch 0), so a "
               "rate that wrecked the network could not do worse than zero-shot; and the same "
               "rate serves the larger sizes, whose D_T stays positive. Hernandez et al. saw the "
               "same effect (§3.1) and called it ossification.",
         "full": "A 7.5k-weight network holds only a few hundred facts; after pre-training they "
                 "are the pre-training source's common keys, and the shuffled part of the "
                 "target needs others. Hernandez et al. call this ossification (§3.1).",
         "overfit": "Both train on the same fixed dataset for up to ten epochs and keep their "
                    "best epoch by the exact target loss: neither can overfit more than the "
                    "other.",
         "noise": "Noise replaces a value 10% of the time for every key alike, so even a rare "
                  "key's commonest value is its fact; the target's entropy equals the "
                  "source's."}),
    number(
        "08.paper-three-times",
        "Hernandez et al. (text → python) found D_T ∝ N^0.38. At the same D_F, how many times "
        "more effective data does a model with 3× the parameters get from pre-training?",
        _paper_three_times, unit="×", rel_tol=0.03, close_factor=1.2,
        working="D_T ∝ N^β, so 3× the parameters gives 3^β times D_T: 3^0.38 ≈ 1.52. Your lab's "
                "β (in the readout) is far larger: compute 3^β with it, and see the second "
                "figure's lines spread apart."),
]
