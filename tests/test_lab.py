"""The lab's source and trainer (notebook 07's foundation): entropy, fresh data, FLOP counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scaling_laws_lab import lab


@given(st.integers(2, 500), st.floats(0.0, 1.0))
def test_entropy_matches_the_value_distribution(m, eps):
    # E is the entropy of the distribution a value has given its key: fact with 1 − ε + ε/M,
    # each other value ε/M. Compare with a direct sum over that distribution.
    q = np.full(m, eps / m)
    q[0] += 1 - eps
    q = q[q > 0]
    assert lab.entropy_nats(m, eps) == pytest.approx(float(-(q * np.log(q)).sum()), abs=1e-12)
    assert 0.0 <= lab.entropy_nats(m, eps) <= np.log(m) + 1e-12


def test_sampled_values_have_the_stated_entropy():
    # Numerically: the empirical conditional entropy of a long sample approaches E, and the
    # perfect model (the true conditional distribution) scores exactly E.
    source = lab.FactSource(n_keys=16, n_values=8, noise=0.3, seed=3)
    keys, values = source.sample(400_000, np.random.default_rng(0))
    counts = np.zeros((16, 8))
    np.add.at(counts, (keys, values), 1)
    cond = counts / counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        h_k = -np.nansum(cond * np.log(cond), axis=1)
    empirical = float((counts.sum(axis=1) / counts.sum()) @ h_k)
    assert empirical == pytest.approx(source.entropy, abs=0.01)
    perfect = np.full((16, 8), 0.3 / 8)
    perfect[np.arange(16), source.facts] += 0.7
    assert source.loss_of(perfect) == pytest.approx(source.entropy, rel=1e-12)
    assert source.loss_of(np.full((16, 8), 1 / 8)) == pytest.approx(np.log(8), rel=1e-12)


def test_keys_follow_zipf_and_bad_settings_are_refused():
    source = lab.FactSource(n_keys=100, zipf=1.5)
    p = source.key_probs
    assert p.sum() == pytest.approx(1.0) and p[0] / p[9] == pytest.approx(10**1.5)
    for bad in ({"zipf": 1.0}, {"n_keys": 1}, {"noise": 1.5}, {"n_values": 1}):
        with pytest.raises(ValueError):
            lab.FactSource(**bad)


def test_training_learns_and_counts_its_flops():
    source = lab.FactSource(n_keys=256, n_values=16, noise=0.1, seed=1)
    small = lab.train(source, width=8, n_tokens=20_000, seed=0)
    big = lab.train(source, width=64, n_tokens=80_000, seed=0)
    untrained_loss = np.log(16)
    assert source.entropy < big.loss < small.loss < untrained_loss
    # The counted FLOPs are the breakdown's parts, token by token: below 6ND by the input
    # gradient the trainer never computes (2·n_in·H) and the biases (2 FLOPs each, not 6),
    # above it by the ReLU, the softmax and Adam.
    for run in (small, big):
        parts = lab.flop_breakdown(8, run.width, 16)
        assert run.flops == pytest.approx(parts["total"] * run.n_tokens, rel=1e-12)
        assert run.flops_6nd == parts["six_n"] * run.n_tokens
        assert 0.85 <= run.flops / run.flops_6nd < 1.05
        assert run.n_params == lab.mlp_params(8, run.width, 16)
    # Same seed, same numbers.
    assert lab.train(source, width=8, n_tokens=20_000, seed=0) == small


def test_excess_loss_falls_as_a_power_of_data_near_hutters_exponent():
    # The point of the source: with a Zipf(a) tail of facts the excess loss L − E falls as a
    # power of D. Hutter (2021) gives (a − 1)/a = 0.29 for a = 1.4 for an ideal learner; a real
    # network learns each fact less efficiently, so its local exponents sit a little above.
    # Measured here: 0.39 and 0.33 over 2e4 → 8e4 → 3.2e5 tokens (wide model, data-limited).
    source = lab.FactSource(n_keys=4096, n_values=64, zipf=1.4, noise=0.1, seed=0)
    tokens = np.array([2e4, 8e4, 3.2e5])
    excess = np.array([lab.train(source, 256, int(d), seed=0).loss for d in tokens]) - source.entropy
    slopes = -np.diff(np.log(excess)) / np.diff(np.log(tokens))
    hutter = (source.zipf - 1) / source.zipf
    assert np.all(excess > 0)
    assert np.all((slopes > hutter - 0.1) & (slopes < hutter + 0.25)), slopes
