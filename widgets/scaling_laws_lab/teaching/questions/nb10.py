"""Notebook 10's checks: the forum thread in 20 minutes (compute, data, allocation and steps).

Every wrong option is a position someone in the thread took: the LessWrong question *How do
scaling laws work for fine-tuning?* (tuning 0.1% of the weights as "training a NN that is 3
OOMs smaller", needing "3 OOMs fewer training steps"; "you still spend 6*N for each data
point"), and Charlie Steiner's answer ("plausible that the data dependence will act like it's
3 OOM smaller"; "the # of steps won't change much").
"""

from __future__ import annotations

from ...lab import transfer_study
from ...lab.transfer import n_trainable
from ...science import laws, papers
from ..bank import choice, number

#: The thread's human-brain-sized model (the question's 10^14 parameters).
BRAIN_PARAMS = 1e14
#: The lab's largest pre-trained network and the share of it its biases make up (1.4%, 72x fewer).
_LAB_WIDTH = transfer_study.WIDTHS[-1]
_LAB_N = transfer_study.n_params(_LAB_WIDTH)
_LAB_BIASES = n_trainable("biases", _LAB_WIDTH, n_in=transfer_study.N_IN)
#: Hernandez et al.'s text -> python beta: a 10x larger pre-trained model is worth 10^beta the D_T.
_TEN_X_D_T = 10 ** papers.HERNANDEZ_2021_TEXT.beta


def _brain_tokens() -> float:
    """Compute-optimal tokens for a 1e14-parameter model, Chinchilla approach 1 (Table 2, 3)."""
    return float(laws.optimal_budget_for_params(BRAIN_PARAMS, papers.HOFFMANN_2022_APPROACH1)[1])


def _brain_working() -> str:
    tokens = _brain_tokens()
    thread = 1e13
    return (f"Approach 1 puts N and D both ∝ C^0.50, calibrated on Hoffmann et al.'s Table 3: "
            f"find the budget at which N = 10¹⁴ is optimal, then D = C / 6N ≈ {tokens:.2g} "
            f"tokens, about {tokens / BRAIN_PARAMS:.0f} per parameter and "
            f"{tokens / thread:.0f}× the thread's 10¹³ "
            "(<code>laws.optimal_budget_for_params(1e14, papers.HOFFMANN_2022_APPROACH1)</code>).")


QUESTIONS = [
    choice(
        "10.token-cost",
        "Predict before you open the explorer: tuning only the biases (BitFit) trains 0.08% of "
        "GPT-2 small, about the thread's 0.1%. Per training token, compared with full "
        "fine-tuning, it costs…",
        {"sliver": "about 0.1% as much: like training a network of the biases' size",
         "two-thirds": "about two thirds as much: the forward pass and most of the backward "
                       "pass remain",
         "same": "all of it: every weight still runs forward and backward, so still 6N"},
        "two-thirds",
        {"sliver": "That is the question's '3 OOMs smaller network'. It counts only the weight "
                   "gradients, 2 FLOPs per trainable weight. The forward pass still runs all N "
                   "weights (2N), and to reach biases in the first block the gradients must "
                   "cross every frozen layer above it (another 2N).",
         "two-thirds": "Forward 2N + activation gradients 2N (down to the lowest bias) + weight "
                       "gradients 2 × 0.08% of N ≈ 4N, against 6N. In the explorer, the "
                       "biases' bar has lost only its top part.",
         "same": "The thread's other side ('you still spend 6*N for each data point') is close, "
                 "but the third 2N, each weight's own gradient, is computed only for the weights "
                 "that train: for 0.08% of them it all but vanishes."},
        predict_first=True, spoilers=("4N", "two thirds", "4N of 6N", "4.00 N", "4.002"),
    ),
    choice(
        "10.lab-data",
        f"Predict before you open the lab: the largest pre-trained network ({_LAB_N / 1e3:.0f}k "
        "weights) is fine-tuned on 316 to 10,000 target tokens, either all its weights or only "
        f"its biases ({100 * _LAB_BIASES / _LAB_N:.1f}% of them). Which reaches the lower loss?",
        {"subset": f"the bias tune: with about {_LAB_N / _LAB_BIASES:.0f}× fewer weights to fit, "
                   "a little data goes further",
         "full": "the full fine-tune, at every amount of data in the plan",
         "tie": "neither: both start from the same pre-trained weights, so they end up level"},
        "full",
        {"subset": "Charlie Steiner's plausible guess. Few trainable weights do not make a "
                   "model learn from less data: the weights that stay frozen cannot adapt to "
                   "the target, so the bias tune ends above the full one at every data size.",
         "full": f"At every fine-tuning set from 316 to 10,000 tokens, tuning all "
                 f"{_LAB_N / 1e3:.0f}k weights reaches a lower target loss than tuning the "
                 "biases (figure 1, largest size). What makes either tune data-efficient is the "
                 "pre-training they share: the small network trained from scratch, with as many "
                 "free weights as the biases, ends far above both.",
         "tie": "They share a start, but not what they can change: the biases can only steer "
                "the frozen weights, so the full tune pulls ahead as data grows, and it is "
                "already ahead at 316 tokens for this size."},
        predict_first=True, spoilers=("full fine-tuning wins", "beats the bias tune"),
    ),
    choice(
        "10.steps",
        "Predict: Kaplan et al. (2020) also fitted how many optimizer steps a compute-optimal "
        "run takes. Take two compute-optimal models, one 1000× smaller than the other. By "
        "Kaplan's laws, the small one trains for…",
        {"thousand": "about 1000× fewer steps: 1000× fewer parameters, 1000× fewer steps",
         "tokens": "about 13× fewer steps: as many times fewer as the tokens it reads",
         "few": "about 1.3× fewer steps: almost as many, each on a smaller batch"},
        "few",
        {"thousand": "The question's '3 OOMs fewer training steps'. No scaling law ties steps to "
                     "parameters one for one; a step is a batch of tokens, and the batch itself "
                     "shrinks with the budget.",
         "tokens": "Under Kaplan's allocation the small model does read about 13× fewer tokens, "
                   "but steps are tokens divided by the batch, and the critical batch (the "
                   "largest that still saves steps) shrinks with the budget too, as its 0.24 "
                   "power.",
         "few": "Kaplan's Table 6: a compute-optimal run's steps grow as the budget to the "
                "power 0.03. A 1000× smaller model is a budget 1000^(1/0.73) ≈ 13,000× smaller, "
                "and 13,000^0.03 ≈ 1.3. As Charlie Steiner "
                "put it: 'the # of steps won't change much (they're just cheaper)'."},
        predict_first=True, spoilers=("1.3×", "1.33×", "C_min^0.03", "power 0.03", "12,910", "9,720"),
    ),
    number(
        "10.brain-tokens",
        "1. The thread's example, a 10¹⁴-parameter model: how many training tokens does "
        "Chinchilla's approach 1 (N and D both ∝ C^0.50) want for it to be compute-optimal?",
        _brain_tokens, unit="tokens", working=_brain_working,
    ),
    choice(
        "10.which-law",
        "2. You will fine-tune a pre-trained 7B-parameter model on a task, every weight "
        "training. A 70B model pre-trained on the same text is on offer. On the same task "
        "data, which law tells you what the larger start is worth, and what does it say?",
        {"chinchilla": "Chinchilla's: 10× the parameters goes with 10× the data, so the 70B "
                       "start is worth about 10× the task data",
         "transfer": f"Hernandez et al.'s transfer law: D_T ∝ N^0.38, so the 70B start is "
                     f"worth about {_TEN_X_D_T:.1f}× the effective data",
         "same-data": "Hernandez et al.'s transfer law: the same task data D_F buys the same "
                      "effective data, so the two starts are worth the same",
         "scratch": "the from-scratch view: 10× the weights to fit from the same task "
                    "tokens, so the 70B start gets less out of each token"},
        "transfer",
        {"chinchilla": "Tempting, because it is the thread's rule and it is right for pre-training "
                       "from scratch. But it sizes a run's N and D for a budget; a fine-tune's N "
                       "is fixed by its base model, and pre-training already supplied most of "
                       "what the task needs.",
         "same-data": "Tempting if D_T is read as a property of the task data alone, since "
                      "D_F is the same for both. But the law's N^β factor is its point: the "
                      "whole pre-trained model's size multiplies what the same data is worth.",
         "scratch": "That treats the fine-tune as a network trained from scratch on the task "
                    "alone, the thread's reading. A pre-trained model is not: the larger one "
                    "brings more, and needs less task data for a given loss, not more.",
         "transfer": f"D_T = k·D_F^α·N^β with β = 0.38 and N the whole pre-trained model: "
                     f"10^0.38 ≈ {_TEN_X_D_T:.1f}, if the law holds that far past the models "
                     "Hernandez et al. fitted (they tuned every weight; for a parameter-"
                     "efficient tune, measure, as notebook 08 does)."},
    ),
]
