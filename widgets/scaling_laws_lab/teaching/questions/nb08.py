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
        "and a network of 911 weights trained from scratch on the same data. Their losses…",
        {"match": "are about the same: the same number of weights learn from the same tokens",
         "hundredths": "favour the tune, but only by a few hundredths of a nat",
         "third": "favour the tune, by about a third of a nat",
         "small": "favour the small network: fewer weights, so less overfitting"},
        "third",
        {"match": "The thread's reading. But the tuned model's other 65,000 weights are not idle: "
                  "they hold the facts pre-training taught, and the biases only steer them.",
         "hundredths": "Tempting if a tune only nudges a model. But the small network starts "
                       "from nothing and holds few facts; the tune starts from everything "
                       "pre-training learned. Read both lines at D_F = 10⁴ in the first figure.",
         "third": "About 1.2 against 0.9 nats in the default run: the small network is even "
                  "worse than the pre-trained model with no fine-tuning at all (about 1.1). "
                  "Read both lines at D_F = 10⁴ in the first figure.",
         "small": "It overfits less, but it also knows nothing to begin with, and 900 weights "
                  "hold only the commonest facts."},
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
         "biases": "Reaching the hidden layer costs 2·H·M more FLOPs per token (the output "
                   "layer's weights, crossed backwards); the adapter sits on top and needs no "
                   "activation gradient below the output layer.",
         "lora": "It does add 2·r·(H + M) forward, about 1% of the forward pass at r = 1; the "
                 "biases' backward pass through the output layer costs far more."},
        predict_first=True, spoilers=("245,960", "137,480")),
    choice(
        "08.negative",
        "At the largest D_F, the smallest network's D_T is below zero: fine-tuned, it does worse "
        "than the same network trained from scratch on the same data. The most likely reason?",
        {"bug": "a measurement error: pre-training can only help, so D_T cannot really be "
                "negative",
         "full": "the small network is full of pre-training's facts, and must overwrite them "
                 "to learn the target's",
         "overfit": "the fine-tune overfits its dataset, while the network trained from scratch "
                    "does not",
         "noise": "the target's values are noisier than pre-training's, so the head start "
                  "points the wrong way"},
        "full",
        {"bug": "Hernandez et al. saw the same (§3.1: from-scratch small models beat fine-tuned "
                "ones past about 10⁸ characters) and called it ossification: pre-training is a "
                "starting point, not a free gift.",
         "full": "A 7.5k-weight network holds only a few hundred facts; after pre-training they "
                 "are the pre-training source's, and the shuffled part of the target needs "
                 "others. Hernandez et al. call this ossification (§3.1).",
         "overfit": "Both train on the same fixed dataset for up to ten epochs and keep their "
                    "best epoch by the exact target loss: neither can overfit more than the "
                    "other.",
         "noise": "Both sources have the same 10% noise and the same facts; the target's "
                  "entropy equals the source's."}),
    number(
        "08.paper-three-times",
        "Hernandez et al. (text → python) found D_T ∝ N^0.38. At the same D_F, how many times "
        "more effective data does a model with 3× the parameters get from pre-training?",
        _paper_three_times, unit="×", rel_tol=0.03, close_factor=1.2,
        working="D_T ∝ N^β, so 3× the parameters gives 3^β times D_T: 3^0.38 ≈ 1.52. Your lab's "
                "β (in the readout) is far larger: compute 3^β with it, and see the second "
                "figure's lines spread apart."),
]
