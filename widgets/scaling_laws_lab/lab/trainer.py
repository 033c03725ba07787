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

- the key k ∈ {0, …, K−1} is drawn with probability p_k ∝ (k + 1)^(−a) (Zipf, exponent a > 1;
  the default a = 1.6, K = 4,096, M = 64, ε = 0.1);
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

Why a = 1.6. With a = 1.4 the loss falls further over the live sweep, but so slowly near E
that the fitted E landed 0.02–0.07 nats low (seeds 0 and 1); with 1.8 the IsoFLOP curves
are nearly flat; 1.6 gave E within 0.015 nats and five clear IsoFLOP minima on both seeds
(measured on the default sweep of notebook 07, ``sweep.DEFAULT``).

Keys, facts and noise come from one seed; the stream is endless and fresh (one epoch, as in
pre-training): training never sees a token twice by construction, only the same fact again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


def blas_kernel() -> str:
    """The matrix kernel numpy's OpenBLAS chose on this CPU ("Haswell", "SkylakeX", …).

    OpenBLAS picks it at run time by CPU (AVX2 or AVX-512); a different kernel sums in a
    different order, and thousands of Adam steps grow that rounding into a few thousandths of a
    nat (``python -m bench.portability`` measures how much). The lab's files and headline numbers
    therefore name the kernel that made them. "unknown" where numpy uses another BLAS.
    """
    import ctypes
    import pathlib

    libs = pathlib.Path(np.__file__).parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*")) if libs.is_dir() else []:
        lib = ctypes.CDLL(str(path))  # already loaded by numpy: this returns the same library
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                     "openblas_get_corename64_", "openblas_get_corename"):
            get = getattr(lib, name, None)
            if get is not None:
                get.restype = ctypes.c_char_p
                return get().decode()
    return "unknown"


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
    zipf: float = 1.6
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

    def loss_of_logits(self, logits: np.ndarray) -> float:
        """:meth:`loss_of` for a model given by its logits (K × M), in log space.

        −Σ_v t(v|k)·log p(v|k) with log p = z − logsumexp(z) and the target t = ε/M everywhere
        plus 1 − ε on the fact: one exponential pass, no division (the lab evaluates every
        fine-tuning epoch this way).
        """
        z = np.asarray(logits, dtype=np.float64)
        top = z.max(axis=1)
        lse = top + np.log(np.exp(z - top[:, None]).sum(axis=1))
        m, eps = self.n_values, self.noise
        fact = z[np.arange(self.n_keys), self.facts]
        per_key = lse - (1.0 - eps) * fact - (eps / m) * z.sum(axis=1)
        return float(self.key_probs @ per_key)


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


class Cancelled(Exception):
    """Raised by a progress callback to stop a run (or a sweep) between two steps."""


#: Finished runs, by everything that decides their numbers: re-running one is instant.
_RUNS: dict[tuple, Run] = {}
_RUNS_MAX = 20_000


def default_lr(width: int) -> float:
    """The learning-rate rule: 0.04 up to 100 hidden units, then 0.04·(100/width)^0.5 (Adam).

    Tuned with :func:`tune_lr` (seed 1, Zipf 1.4), peak rates {0.005, 0.01, 0.02, 0.04, 0.08,
    0.16}, final loss after 3e5, 1e6 and 3e6 tokens; the best rate was
    width 6: 0.02–0.08 (flat), 11 and 21: 0.04–0.08, 67: 0.04, 215: 0.02–0.04, 383: 0.02.
    Wider layers want a smaller rate (the usual 1/√width for Adam), the narrow ones a
    constant one. ``make lab-lr`` prints the table again.
    """
    return 0.04 * min(1.0, (100 / int(width)) ** 0.5)


ADAM_FLOPS_PER_PARAM = 10  #: per step: two moment updates, the bias corrections, the step


def adam_step(theta, grad, m1, m2, tmp, t: int, rate: float) -> None:
    """One Adam step in place (Kingma & Ba 2015, Algorithm 1: β₁ 0.9, β₂ 0.999, ε 1e-8), step
    number ``t`` from 1: θ −= rate·m̂/(√v̂ + ε), the bias corrections folded into two scalars.
    ``tmp`` is scratch space of θ's shape. Shared by every trainer of the lab."""
    m1 *= 0.9
    m1 += 0.1 * grad
    m2 *= 0.999
    np.multiply(grad, grad, out=tmp)
    tmp *= 0.001
    m2 += tmp
    np.sqrt(m2, out=tmp)
    tmp *= 1.0 / np.sqrt(1 - 0.999**t)
    tmp += 1e-8
    np.divide(m1, tmp, out=tmp)
    tmp *= rate / (1 - 0.9**t)
    theta -= tmp


def flop_breakdown(n_in: int, width: int, n_values: int, batch: int = 256) -> dict:
    """FLOPs per token the trainer performs, part by part, and 6N beside them.

    With H hidden units, M values and an input code of n_in bits:

    - weight matmuls, forward: 2·(n_in·H + H·M) (a multiply and an add per weight);
    - weight matmuls, backward: 2·n_in·H + 4·H·M (the gradients of both weight matrices, and
      of the hidden layer; not of the input, which is a fixed code, not a learned embedding:
      this is where the count falls below 6N);
    - biases: 2·(H + M) (an add forward, a sum backward: 2 per bias where 6N counts 6);
    - ReLU: 2·H (forward and its mask backward);
    - softmax and loss: 6·M (max, subtract, exp, sum, divide forward; one pass backward);
    - Adam: 10·N per step, spread over the batch's tokens.
    """
    h, m, n = int(width), int(n_values), mlp_params(n_in, width, n_values)
    parts = {
        "weight matmuls, forward": 2 * (n_in * h + h * m),
        "weight matmuls, backward": 2 * n_in * h + 4 * h * m,
        "biases": 2 * (h + m),
        "ReLU": 2 * h,
        "softmax and loss": 6 * m,
        "Adam": ADAM_FLOPS_PER_PARAM * n / batch,
    }
    return {"parts": parts, "total": sum(parts.values()), "six_n": 6 * n}


def flops_per_token(n_in: int, width: int, n_values: int) -> int:
    """FLOPs the trainer performs per token, forward and backward (Adam is per step):
    :func:`flop_breakdown` without Adam."""
    parts = flop_breakdown(n_in, width, n_values)["parts"]
    return int(sum(v for k, v in parts.items() if k != "Adam"))


def _run_key(source, width, n_tokens, batch, lr, seed) -> tuple:
    return (source, int(width), int(n_tokens) // int(batch), int(batch), float(lr), int(seed))


def cached_run(source: FactSource, width: int, n_tokens: int, *, batch: int = 256,
               lr: float | None = None, seed: int = 0) -> Run | None:
    """The run :func:`train` would return, if it has already been trained in this kernel."""
    base_lr = default_lr(width) if lr is None else float(lr)
    return _RUNS.get(_run_key(source, width, n_tokens, batch, base_lr, seed))


def remember(source: FactSource, run: Run, *, batch: int = 256, lr: float | None = None) -> None:
    """Put a run made earlier by :func:`train` (e.g. the shipped reference sweep) in the cache,
    under the settings that made it, so that asking for it again is instant."""
    base_lr = default_lr(run.width) if lr is None else float(lr)
    _RUNS[_run_key(source, run.width, run.n_tokens, batch, base_lr, run.seed)] = run


def train_weights(source: FactSource, width: int, n_tokens: int, *, batch: int = 256,
                  lr: float | None = None, seed: int = 0, progress=None):
    """:func:`train`, returning ``(run, (W1, b1, W2, b2))``: the weights too (notebook 08
    pre-trains with it). Never read from the cache: the weights are not kept there."""
    return train(source, width, n_tokens, batch=batch, lr=lr, seed=seed, progress=progress,
                 _weights=True)


def train(source: FactSource, width: int, n_tokens: int, *, batch: int = 256,
          lr: float | None = None, seed: int = 0, progress=None, _weights: bool = False) -> Run:
    """Train a one-hidden-layer ReLU network on ``n_tokens`` fresh pairs with Adam; return the run.

    Parameters
    ----------
    source : FactSource
        Where the tokens come from.
    width : int
        H, the hidden units (N = :func:`mlp_params`).
    n_tokens : int
        D, value tokens to train on, rounded down to whole batches.
    batch : int
        Tokens per step (256).
    lr : float, optional
        Peak learning rate; default :func:`default_lr` (tuned per width), decayed linearly
        to zero over the run. Why tune per width: Porian et al. 2024 show that small models
        trained with one untuned learning rate bend the fitted exponents. The decay matches
        the schedule to the run's length, as Hoffmann et al. 2022 found best.
    seed : int
        Fixes the initial weights and the stream of tokens: same seed, same numbers.
    progress : callable, optional
        ``progress(tokens_done, n_tokens)`` about every 64 steps; it may raise
        :class:`Cancelled` to stop the run.

    FLOPs are counted as performed (:func:`flop_breakdown`) and returned next to 6·N·D.
    """
    width, n_tokens, batch = int(width), int(n_tokens), int(batch)
    if width < 1 or batch < 1 or n_tokens < batch:
        raise ValueError(f"width must be ≥ 1 and the tokens at least one batch of {batch}; "
                         f"got width {width}, {n_tokens} tokens")
    base_lr = default_lr(width) if lr is None else float(lr)
    key = _run_key(source, width, n_tokens, batch, base_lr, seed)
    if key in _RUNS and not _weights:
        if progress is not None:
            progress(n_tokens, n_tokens)
        return _RUNS[key]
    rng = np.random.default_rng(seed)
    codes = key_codes(source.n_keys)
    n_in, m = codes.shape[1], source.n_values
    n_params = mlp_params(n_in, width, m)
    # One flat buffer for the weights, one for their gradients: Adam is then ten array
    # operations a step instead of forty (the small models are bound by Python overhead).
    theta = np.zeros(n_params, np.float32)
    grad = np.zeros(n_params, np.float32)
    shapes = [(n_in, width), (width,), (width, m), (m,)]
    cuts = np.cumsum([0] + [int(np.prod(s)) for s in shapes])
    w1, b1, w2, b2 = (theta[a:b].reshape(s) for a, b, s in zip(cuts, cuts[1:], shapes, strict=False))
    gw1, gb1, gw2, gb2 = (grad[a:b].reshape(s) for a, b, s in zip(cuts, cuts[1:], shapes, strict=False))
    w1[...] = rng.standard_normal((n_in, width)) / np.sqrt(n_in)
    w2[...] = rng.standard_normal((width, m)) / np.sqrt(width)
    m1, m2, tmp = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta)
    steps = n_tokens // batch
    data_rng = np.random.default_rng(seed + 1_000_003)
    rows = np.arange(batch)
    chunk = 64  # steps of data drawn at once
    for start in range(0, steps, chunk):
        n_chunk = min(chunk, steps - start)
        keys_all, values_all = source.sample(n_chunk * batch, data_rng)
        x_all = codes[keys_all]
        for i in range(n_chunk):
            step = start + i
            x = x_all[i * batch:(i + 1) * batch]
            values = values_all[i * batch:(i + 1) * batch]
            h = x @ w1
            h += b1
            mask = h > 0
            h *= mask
            logits = h @ w2
            logits += b2
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits, out=logits)
            p /= p.sum(axis=1, keepdims=True)
            p[rows, values] -= 1.0  # dL/dlogits, summed over the batch
            p *= 1.0 / batch
            np.matmul(h.T, p, out=gw2)
            p.sum(axis=0, out=gb2)
            g_h = p @ w2.T
            g_h *= mask
            np.matmul(x.T, g_h, out=gw1)
            g_h.sum(axis=0, out=gb1)
            adam_step(theta, grad, m1, m2, tmp, step + 1, base_lr * (1.0 - step / steps))
        if progress is not None:
            progress((start + n_chunk) * batch, steps * batch)
    flops = float(flops_per_token(n_in, width, m) * steps * batch
                  + ADAM_FLOPS_PER_PARAM * n_params * steps)
    h = np.maximum(codes @ w1 + b1, 0.0)
    logits = (h @ w2 + b2).astype(np.float64)
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    run = Run(width=width, n_params=n_params, n_tokens=steps * batch, flops=flops,
              flops_6nd=6.0 * n_params * steps * batch, loss=source.loss_of(probs), seed=int(seed))
    if len(_RUNS) >= _RUNS_MAX:
        _RUNS.pop(next(iter(_RUNS)))
    _RUNS[key] = run
    if _weights:
        return run, tuple(a.copy() for a in (w1, b1, w2, b2))
    return run


def tune_lr(source: FactSource | None = None, widths=(6, 21, 67, 215, 383),
            tokens=(300_000, 1_000_000), rates=(0.005, 0.01, 0.02, 0.04, 0.08, 0.16),
            seed: int = 1) -> dict:
    """The table behind :func:`default_lr`: {(width, tokens): [final loss per rate]}."""
    source = source or FactSource()
    return {(w, d): [train(source, w, d, lr=r, seed=seed).loss for r in rates]
            for w in widths for d in tokens}
