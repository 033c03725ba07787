"""Llama 3's allocation: tokens, not parameters, and a rounding that does not reproduce its
own extrapolation (both shown, neither picked)."""

import math

import pytest
from scaling_laws_lab.science import laws, papers
from scaling_laws_lab.science import post_chinchilla as pc


def test_llama3s_printed_constants_and_its_own_extrapolation_disagree():
    said = pc.LLAMA3_EXTRAPOLATION
    tokens = pc.llama3_tokens(said["flops"])
    # As printed, (0.53, 0.29) gives 10.5T tokens at 3.8e25 FLOPs; the paper says 16.55T.
    assert round(tokens / 1e12, 1) == 10.5
    assert tokens / said["tokens"] == pytest.approx(0.632, abs=0.001)
    # And its 402B on 16.55T spends 3.99e25, not 3.8e25: C / 6D is 383B.
    assert 6 * said["params"] * said["tokens"] == pytest.approx(3.99e25, rel=1e-3)
    assert said["flops"] / (6 * said["tokens"]) == pytest.approx(383e9, rel=1e-3)


def test_the_law_counts_tokens_and_spends_the_budget():
    law = pc.LLAMA3_2024
    for c in (1e21, 3.8e25, 1e40):
        n, d = law.allocation(c)
        assert 6 * n * d == pytest.approx(c, rel=1e-12)
        # The printed law is the TOKEN count: D = 0.29 C^0.53 exactly.
        assert d == pytest.approx(0.29 * math.exp(0.53 * math.log(c)), rel=1e-12)
    # Tokens grow faster than parameters (α = 0.53 > 0.5): tokens per parameter rise.
    assert law.d_opt(1e26) / law.n_opt(1e26) > law.d_opt(1e22) / law.n_opt(1e22)
    assert law in papers.ALLOCATION_FITS and not law.has_loss_surface
    with pytest.raises(ValueError):
        laws.compute_optimal(-1, law)


def test_no_rounding_of_the_printed_pair_reaches_the_papers_16_55t():
    # Llama 3 §3.2.1 prints (α, A) = (0.53, 0.29) and "402B parameter model on 16.55T tokens"
    # at 3.8e25 FLOPs. Every pair that rounds to the printed one gives 7.7T to 14.3T: rounding
    # cannot explain 16.55T.
    said = pc.LLAMA3_EXTRAPOLATION
    lo, hi = pc.llama3_rounding_range(said["flops"])
    assert round(lo / 1e12, 1) == 7.7 and round(hi / 1e12, 1) == 14.3
    assert hi < said["tokens"]
    # Truncation could: with A = 0.29, α ≈ 0.538 gives 16.55T (it truncates to 0.53, rounds to 0.54).
    alpha = pc.llama3_alpha_reproducing(said["tokens"], said["flops"])
    assert round(alpha, 3) == 0.538 and math.floor(alpha * 100) / 100 == 0.53
    # A third-party reading of Fig 3's legend (unverified) would give about 16.3T.
    fig3 = pc.LLAMA3_FIG3_UNVERIFIED
    assert not fig3["verified"]
    assert round(pc.llama3_tokens_with(said["flops"], fig3["alpha"], fig3["A"]) / 1e12, 1) == 16.3


def test_the_printed_law_puts_605b_parameters_where_the_paper_says_402b():
    said = pc.LLAMA3_EXTRAPOLATION
    assert round(pc.llama3_params(said["flops"]) / 1e9) == 605
    assert said["params"] == 402e9 and papers.LLAMA31_405B.n_params == 405e9  # 405B trained
    assert round(6 * said["params"] * said["tokens"] / 1e25, 2) == 3.99


def test_notebook_09_quotes_the_llama3_numbers_as_computed():
    from .notebook_text import quotes

    said = pc.LLAMA3_EXTRAPOLATION
    c = said["flops"]
    assert f"{pc.llama3_tokens(c) / 1e12:.1f}T" == "10.5T"
    assert f"{pc.llama3_rounding_range(c)[1] / 1e12:.1f}T" == "14.3T"
    assert f"{pc.llama3_alpha_reproducing(said['tokens'], c):.3f}" == "0.538"
    fig3 = pc.LLAMA3_FIG3_UNVERIFIED
    assert f"{pc.llama3_tokens_with(c, fig3['alpha'], fig3['A']) / 1e12:.1f}T" == "16.3T"
    assert f"{pc.llama3_params(c) / 1e9:.0f}B" == "605B"
    quotes("09", "it gives 10.5T tokens at 3.8 × 10²⁵ FLOPs", "gives at most 14.3T",
           "α = 0.538 gives 16.55T", "(0.537, 0.299), would give 16.3T",
           "we could not check it against the figure, so it is unverified",
           "The printed law puts 605B parameters (C / 6D) at 3.8 × 10²⁵ FLOPs, against the "
           "paper's 402B and the 405B trained",
           "6 × 402B × 16.55T = 3.99 × 10²⁵ FLOPs, not 3.8 × 10²⁵")
