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
