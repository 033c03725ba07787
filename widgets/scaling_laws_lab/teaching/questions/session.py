"""Class session 1's own checks (ids ``s1.…``): the exit ticket.

The session notebook (``notebooks/class_session_1.ipynb``) re-asks checks of notebooks 00–05 by
their ids, so the class view pools them with the full notebooks; only what it asks that no
numbered notebook does lives here. The exit ticket applies the fine-tuning block's rule to a case
no page shows (a 70B model, 10⁹ tokens), so its answer cannot be read off the screen.
"""

from ...science import laws
from ...science.units import si
from ..bank import number

#: The exit ticket's case: a 70B-parameter model, LoRA adapters training 0.05% of the weights
#: (adapters in every block, the first included), 10⁹ fine-tuning tokens.
EXIT_N = 70e9
EXIT_TRAINABLE_SHARE = 0.0005
EXIT_TOKENS = 1e9


def _exit_flops() -> float:
    """FLOPs of the exit ticket's LoRA fine-tune: (2N + 2N + 2·N_trainable)·D.

    The adapters reach down to the first block, so the activation gradients cross the whole
    network (``grad_depth`` 1), as for LoRA in :func:`scaling_laws_lab.transformer.finetune_setup`.
    """
    per_token = laws.finetune_flops_per_token(EXIT_N, EXIT_TRAINABLE_SHARE * EXIT_N, 1.0)
    return float(per_token) * EXIT_TOKENS


def _exit_working() -> str:
    full = laws.training_flops(EXIT_N, EXIT_TOKENS)
    thread = full * EXIT_TRAINABLE_SHARE
    return ("Per token: the forward pass runs every weight, 2N; the lowest adapters sit in the "
            "first block, so the activation gradients cross the whole network, another 2N; the "
            "weight gradients cost 2 per trainable weight, 2 × 0.0005N. That is about 4N = "
            f"{si(4 * EXIT_N)} FLOPs per token, × 10⁹ tokens = <b>{si(_exit_flops())} FLOPs</b>. "
            f"Full fine-tuning would cost 6·N·D = {si(full)} (1.5× more); the forum question's "
            f"'0.05% of the work' gives {si(thread)}, about 1,000× too little.")


QUESTIONS = [
    number("s1.lora-70b",
           "Exit ticket. A team fine-tunes a 70B-parameter model with LoRA: small adapters added "
           "to the attention weights of every block, the first one included, 0.05% of the "
           "weights in all. They fine-tune on 10⁹ tokens. About how many FLOPs does the "
           "fine-tune cost? Work it out on paper from the fine-tuning block, then type it "
           "(e.g. 5e19).",
           _exit_flops, unit="FLOPs", working=_exit_working, rel_tol=0.1, close_factor=1.3,
           predict_first=True,  # its working (the answer) opens only after a first answer
           spoilers=("2.8e20", "2.8 × 10²⁰", "280e18")),
]


#: Session 1's Summary (Markdown). It states the answers of the session's checks and the exit
#: ticket's rule (about 4N per token), so the session shows it under the exit ticket, once a
#: first answer is typed, not as a cell a learner could open early. Per notebook; a session
#: without a summary here keeps its own.
SUMMARY_1 = """**Summary** (read together at the wrap-up)

- Training costs C ≈ 6·N·D FLOPs: 2N per token forward, 4N backward. Attention adds the share
  n_ctx / (12·d_model + n_ctx): small for wide models at short contexts, most of the work at
  long contexts.
- On a fixed budget the best model is about four times smaller than Gopher and sees about
  20 tokens per parameter: 18 at Gopher's budget by Epoch AI's 2024 refit of Chinchilla's own
  runs, the fit to believe, with Chinchilla's approaches 1 and 2 close by. Kaplan's 2020 law
  put most of a budget into parameters (its exponent a ≈ 0.73 against about 0.5), partly
  because it left the embedding table out of small models' counts.
- Fine-tuning a sliver of the weights costs about 4N per token, not a sliver of 6N: gradients
  must reach the lowest weight that trains. Only training the top shortens the backward pass.
- Pre-training is worth D_T = k·D_F^α·N^β characters: 10× the model gives about 2.4× more, and
  it matters most when fine-tuning data is scarce.
- The loss has a floor, the text's entropy. A pure power law crosses it near 10²⁴ FLOPs, so it
  cannot be extrapolated; the last hundredths of a nat above the floor can still buy ability.
"""

#: A session notebook's name (stem) -> its Summary, for the harness that counts its words.
SUMMARIES = {"class_session_1": SUMMARY_1}
