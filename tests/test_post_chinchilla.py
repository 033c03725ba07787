"""Llama 3's allocation: tokens, not parameters, and a rounding that does not reproduce its
own extrapolation (both shown, neither picked)."""

import pytest
from scaling_laws_lab.science import post_chinchilla as pc


def test_llama3s_printed_constants_and_its_own_extrapolation_disagree():
    law, said = pc.LLAMA3_2024, pc.LLAMA3_EXTRAPOLATION
    tokens = law.tokens(said["flops"])
    # As printed, (0.53, 0.29) gives 10.5T tokens at 3.8e25 FLOPs; the paper says 16.55T.
    assert round(tokens / 1e12, 1) == 10.5
    assert tokens / said["tokens"] == pytest.approx(0.632, abs=0.001)
    # And its 402B on 16.55T spends 3.99e25, not 3.8e25: C / 6D is 383B.
    assert 6 * said["params"] * said["tokens"] == pytest.approx(3.99e25, rel=1e-3)
    assert said["flops"] / (6 * said["tokens"]) == pytest.approx(383e9, rel=1e-3)


def test_the_law_counts_tokens_and_spends_the_budget():
    law = pc.LLAMA3_2024
    for c in (1e21, 3.8e25, 1e40):
        assert 6 * law.params(c) * law.tokens(c) == pytest.approx(c, rel=1e-12)
    # Tokens grow faster than parameters (α = 0.53 > 0.5): tokens per parameter rise.
    assert law.tokens(1e26) / law.params(1e26) > law.tokens(1e22) / law.params(1e22)
    with pytest.raises(ValueError):
        law.tokens(-1)
