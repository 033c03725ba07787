"""Notebook 10, the forum path: every number its text quotes, computed by the package."""

from scaling_laws_lab import laws, papers, transformer

from .notebook_text import quotes


def test_compute_a_bias_tune_of_gpt2_small_costs_two_thirds():
    # BitFit trains the biases of every block: 0.08% of GPT-2 small, yet about 4N of 6N per token.
    s = transformer.finetune_setup(papers.GPT2_SMALL, "biases")
    assert f"{s['n_trainable'] / s['n_total']:.2%}" == "0.08%"
    assert round(s["n_total"] / 1e6) == 124
    per_n = transformer.flops_per_token(s) / s["n_forward"]
    assert 4.0 <= per_n < 4.01
    quotes("10", "trains 0.08% of GPT-2 small (124M weights, 12 blocks)",
           "about 4N of full fine-tuning's 6N, two thirds, not 0.1%")


def test_data_hernandez_constants_and_the_1000x_smaller_network():
    # Hernandez et al. 2021, Table 1 (text -> python); a network 1000x smaller gets 1000^β less.
    h = papers.HERNANDEZ_2021_TEXT
    assert (h.k, h.alpha, h.beta) == (1.9e4, 0.18, 0.38)
    less = laws.transferred_data(3e5, 175e9) / laws.transferred_data(3e5, 175e6)
    assert round(less) == 14
    quotes("10", "k = 1.9 × 10⁴, α = 0.18, β = 0.38 (Table 1)", "1000^0.38 ≈ 14× *less* help")


def test_allocation_and_steps():
    # Chinchilla approach 1 (Table 2, a = b = 0.50): 10x compute -> ~3x N and ~3x D, 10x N <-> 10x D.
    a1 = papers.HOFFMANN_2022_APPROACH1
    assert round(10 ** a1.a) == 3 and round(10 ** a1.b) == 3
    k = papers.KAPLAN_2020
    assert round(10 ** (k.d_opt_exp / k.n_opt_exp), 1) == 2.3
    quotes("10", "10× the compute buys about 3× the parameters and 3× the tokens",
           "N ∝ C^0.73: 10× N with only 2.3× D")
    # Two compute-optimal models 1000x apart: Chinchilla 1000x the tokens; Kaplan 1.3x the steps
    # and 13x the tokens, the budget ~13,000x (Table 6, C = 2·C_min at the critical batch).
    d_big = laws.optimal_budget_for_params(1e11, a1)[1]
    d_small = laws.optimal_budget_for_params(1e8, a1)[1]
    assert round(d_big / d_small) == 1000
    c_big, c_small = (laws.optimal_budget_for_params(n, k)[0] for n in (1e11, 1e8))
    assert round(c_big / c_small, -3) == 13_000
    big, small = (laws.kaplan_compute_efficient_training(c) for c in (c_big, c_small))
    assert round(big["steps"] / small["steps"], 1) == 1.3
    assert round(big["tokens_table6"] / small["tokens_table6"]) == 13
    quotes("10", "a budget about 13,000× smaller",
           "13,000^0.03 ≈ 1.3× fewer steps, while its tokens fall 13×")


def test_compute_the_small_net_and_fpt_bars():
    # The thread's 'small net' (6 FLOPs per trainable weight) is under a thousandth of full
    # fine-tuning; FPT's forward N is smaller because its 10-class layer replaces the 38.6M head.
    s, full = (transformer.finetune_setup(papers.GPT2_SMALL, m) for m in ("biases", "full"))
    assert 6 * s["n_trainable"] / transformer.flops_per_token(full) < 1e-3
    shape = papers.GPT2_SMALL
    assert transformer.FPT_OUTPUT_CLASSES == 10
    assert f"{shape.vocab * shape.d_model / 1e6:.1f}M" == "38.6M"
    fpt = transformer.finetune_setup(shape, "fpt")
    assert fpt["n_forward"] < full["n_forward"]
    quotes("10", "the readout's last number) would cost under a thousandth of full fine-tuning",
           "its 10-class output layer replaces GPT-2's 38.6M-weight head")


def test_data_the_lab_bias_share_and_the_transfer_check():
    # The lab's largest network (66,592 weights): its biases are 1.4% of it, ~72x fewer
    # (the check says so); Hernandez's beta: a 10x larger start is worth 10^0.38 = 2.4x.
    from scaling_laws_lab.lab import transfer_study
    from scaling_laws_lab.lab.transfer import n_trainable
    from scaling_laws_lab.teaching import bank

    w = transfer_study.WIDTHS[-1]
    n, b = transfer_study.n_params(w), n_trainable("biases", w, n_in=transfer_study.N_IN)
    assert f"{100 * b / n:.1f}%" == "1.4%" and round(n / b) == 72
    assert n_trainable("lora", w, n_in=transfer_study.N_IN) == b  # rank-1 LoRA: as many
    quotes("10", "only the biases (1.4% of the largest network's)", "freezing all but 1.4%")
    lab = bank.get("10.lab-data")
    assert "(1.4% of them)" in lab.text and "about 72× fewer" in lab.options["subset"]
    assert f"{10 ** papers.HERNANDEZ_2021_TEXT.beta:.1f}" == "2.4"
    assert "2.4×" in bank.get("10.which-law").options["transfer"]


def test_allocation_the_line_to_believe_is_epochs():
    # Epoch's refit stays near 20 tokens per parameter over the explorer's middle decades; the
    # printed Eq 4 constants ask for more, and more as C grows (notebook 02's verdict).
    ratios = {c: [d / n for n, d in (laws.compute_optimal(c, f) for f in
                                     (papers.BESIROGLU_2024, papers.HOFFMANN_2022))]
              for c in (1e20, 1e22, 1e24, 1e26)}
    assert all(15 < epoch < 25 for epoch, _ in ratios.values())
    printed = [eq4 for _, eq4 in ratios.values()]
    assert printed == sorted(printed) and all(eq4 > epoch for epoch, eq4 in ratios.values())
    quotes("10", "believe the **Epoch** line", "those constants fit the data poorly (02 explains)")
