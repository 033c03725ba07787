"""The lab's data source and trainer: real small models trained in the kernel (notebook 07).

Numpy only, float32, vectorised. This module is the foundation of notebook 07 (issue "Measure
it yourself"); the sweep, the explorer and the notebook build on it.

The source: Zipf-distributed facts
----------------------------------
Why this process. A scaling law needs structure at many scales, so that a bigger model or more
data keeps finding something new to learn, and an entropy rate known exactly, so that the
learner can check the fitted constant E against the truth. Hutter (2021, "Learning curve
theory") shows that learning facts whose frequencies follow Zipf's law gives a power-law
learning curve; Michaud et al. (2023, "The quantization model of neural scaling") extend the
picture to "quanta" of skill with power-law frequencies. The simplest process with both
properties is a stream of (key, value) pairs:

- the key k ∈ {0, …, K−1} is drawn with probability p_k ∝ (k + 1)^(−a) (Zipf, exponent a > 1);
- the value is the key's fact v(k) ∈ {0, …, M−1} with probability 1 − ε, and otherwise a value
  drawn uniformly from all M (so it can still equal v(k)).

The model reads a key and predicts its value, and is scored on the value token only. Its
best possible loss is the conditional entropy of the value given the key, the same for every
key (:func:`entropy_nats`):

    E = −q·ln q − (M − 1)·r·ln r,   q = 1 − ε + ε/M,   r = ε/M   (nats per value token).

A key the model has not learned costs about ln M instead. Rare keys are learned last: with D
tokens a key is seen D·p_k times, and a model of N parameters can hold a limited number of
facts, so the unlearned probability mass, and with it the excess loss, falls as a power of D
and of N (Hutter 2021, Thm 1: exponent (a − 1)/a in data for a Zipf tail).

Keys, facts and noise come from one seed; the stream is endless and fresh (one epoch, as in
pre-training): training never sees a token twice by construction, only the same fact again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


def entropy_nats(n_values: int, noise: float) -> float:
    """E: the entropy of a value given its key, nats per value token (the irreducible loss).

    Parameters
    ----------
    n_values : int
        M, the number of possible values.
    noise : float
        ε, the probability that a value is drawn uniformly instead of being the key's fact.
    """
    m, eps = int(n_values), float(noise)
    if m < 2:
        raise ValueError(f"need at least 2 values; got {n_values!r}")
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"noise must be between 0 and 1; got {noise!r}")
    q, r = 1.0 - eps + eps / m, eps / m
    out = -q * np.log(q) if q > 0 else 0.0
    if r > 0:
        out -= (m - 1) * r * np.log(r)
    return float(out)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False  # cached on the source: nobody may change it in place
    return a


@dataclass(frozen=True)
class FactSource:
    """The (key, value) stream: K Zipf-distributed keys, M values, noise ε, one seed.

    Attributes
    ----------
    n_keys : int
        K, the number of facts.
    n_values : int
        M, the size of the value vocabulary.
    zipf : float
        a, the Zipf exponent of the key frequencies (> 1).
    noise : float
        ε, the probability of a uniformly random value.
    seed : int
        Fixes the facts (which value each key has); the stream's own draws take their own seed.
    """

    n_keys: int = 4096
    n_values: int = 64
    zipf: float = 1.4
    noise: float = 0.1
    seed: int = 0

    def __post_init__(self):
        if int(self.n_keys) < 2 or int(self.n_values) < 2:
            raise ValueError("need at least 2 keys and 2 values")
        if not self.zipf > 1.0:
            raise ValueError(f"the Zipf exponent must be above 1; got {self.zipf!r}")
        entropy_nats(self.n_values, self.noise)  # validates the noise

    # Computed once per source, not once per batch (cached_property writes the instance's
    # __dict__ directly, which a frozen dataclass allows).
    @functools.cached_property
    def key_probs(self) -> np.ndarray:
        """p_k, the key frequencies (sum to 1)."""
        w = np.arange(1, self.n_keys + 1, dtype=np.float64) ** -self.zipf
        return _frozen(w / w.sum())

    @functools.cached_property
    def _key_cdf(self) -> np.ndarray:
        cdf = np.cumsum(self.key_probs)
        return _frozen(cdf / cdf[-1])

    @functools.cached_property
    def facts(self) -> np.ndarray:
        """v(k): each key's value."""
        return _frozen(np.random.default_rng(self.seed).integers(0, self.n_values, self.n_keys))

    @property
    def entropy(self) -> float:
        """E, nats per value token: what a perfect model's loss converges to."""
        return entropy_nats(self.n_values, self.noise)

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``n`` fresh (key, value) pairs drawn with ``rng``."""
        # What rng.choice(K, p=p) does, with the cumulative sum kept: same draws, less work.
        keys = self._key_cdf.searchsorted(rng.random(int(n)), side="right")
        values = self.facts[keys]
        noisy = rng.random(int(n)) < self.noise
        values = np.where(noisy, rng.integers(0, self.n_values, int(n)), values)
        return keys, values

    def loss_of(self, probs: np.ndarray) -> float:
        """Exact expected loss (nats per value token) of a model giving ``probs`` (K × M).

        Averages over the key distribution and the noise exactly, with no sampling: what the
        lab reports as a run's final loss.
        """
        p = np.clip(np.asarray(probs, dtype=np.float64), 1e-30, None)
        m, eps = self.n_values, self.noise
        target = np.full(p.shape, eps / m)
        target[np.arange(self.n_keys), self.facts] += 1.0 - eps
        return float(self.key_probs @ -(target * np.log(p)).sum(axis=1))


# --------------------------------------------------------------------------- the model
def key_codes(n_keys: int) -> np.ndarray:
    """Each key as a fixed ±1 binary code (K × ceil(log2 K)), float32: the model's input.

    No embedding table: a table would give every key its own trainable row, and capacity
    would no longer grow with the width. With a fixed code, the network's weights must hold
    the facts, so what it can learn grows with N.
    """
    bits = max(1, int(np.ceil(np.log2(n_keys))))
    k = np.arange(n_keys)[:, None]
    return (((k >> np.arange(bits)) & 1) * 2.0 - 1.0).astype(np.float32)


def mlp_params(n_in: int, width: int, n_out: int) -> int:
    """N: every weight and bias of the one-hidden-layer network (there are no embeddings)."""
    return n_in * width + width + width * n_out + n_out


@dataclass(frozen=True)
class Run:
    """One training run: its size, its data, what it cost and where it ended."""

    width: int  #: hidden units
    n_params: int  #: N, every weight and bias
    n_tokens: int  #: D, value tokens trained on (each a fresh draw)
    flops: float  #: FLOPs the trainer performed (matmuls, activations, softmax, Adam)
    flops_6nd: float  #: 6·N·D, for comparison
    loss: float  #: exact expected loss on the source after training, nats per value token
    seed: int


def train(source: FactSource, width: int, n_tokens: int, *, batch: int = 256,
          lr: float | None = None, seed: int = 0) -> Run:
    """Train a one-hidden-layer ReLU network on ``n_tokens`` fresh pairs with Adam; return the run.

    The learning rate defaults to 0.02·(64/width)^0.5 with a linear decay to zero over the run
    (a schedule matched to the run's length, as Hoffmann et al. 2022 found best; Porian et
    al. 2024 show untuned small models bend the exponents).

    FLOPs are counted as performed: per token, forward 2·(n_in·H + H·M) for the two matmuls
    plus H (ReLU) and 5·M (softmax); backward 4·(n_in·H + H·M) plus H and M; Adam about 10
    per parameter per step.
    """
    width, n_tokens, batch = int(width), int(n_tokens), int(batch)
    if width < 1 or n_tokens < batch or batch < 1:
        raise ValueError("width must be ≥ 1 and n_tokens at least one batch")
    rng = np.random.default_rng(seed)
    codes = key_codes(source.n_keys)
    n_in, m = codes.shape[1], source.n_values
    w1 = (rng.standard_normal((n_in, width)) / np.sqrt(n_in)).astype(np.float32)
    b1 = np.zeros(width, np.float32)
    w2 = (rng.standard_normal((width, m)) / np.sqrt(width)).astype(np.float32)
    b2 = np.zeros(m, np.float32)
    params = [w1, b1, w2, b2]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    base_lr = 0.02 * (64 / width) ** 0.5 if lr is None else float(lr)
    steps = n_tokens // batch
    data_rng = np.random.default_rng(seed + 1_000_003)
    for step in range(steps):
        keys, values = source.sample(batch, data_rng)
        x = codes[keys]
        h_pre = x @ w1 + b1
        h = np.maximum(h_pre, 0.0)
        logits = h @ w2 + b2
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(batch), values] -= 1.0  # dL/dlogits, summed over the batch
        g_logits = p / batch
        grads = [None, None, h.T @ g_logits, g_logits.sum(axis=0)]
        g_h = (g_logits @ w2.T) * (h_pre > 0)
        grads[0], grads[1] = x.T @ g_h, g_h.sum(axis=0)
        rate = base_lr * (1.0 - step / steps)
        t = step + 1
        for param, grad, (m1, m2) in zip(params, grads, moments, strict=True):
            m1 *= 0.9
            m1 += 0.1 * grad
            m2 *= 0.999
            m2 += 0.001 * grad * grad
            param -= rate * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-8)
    n_params = mlp_params(n_in, width, m)
    per_token = 6 * (n_in * width + width * m) + 2 * width + 6 * m
    flops = float(per_token * steps * batch + 10 * n_params * steps)
    h = np.maximum(codes @ w1 + b1, 0.0)
    logits = (h @ w2 + b2).astype(np.float64)
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    return Run(width=width, n_params=n_params, n_tokens=steps * batch, flops=flops,
               flops_6nd=6.0 * n_params * steps * batch, loss=source.loss_of(probs), seed=seed)
