"""Fine-tuning in the lab (notebook 08): pre-train on one source, fine-tune on a related one.

Numpy only, float32. Builds on :mod:`scaling_laws_lab.lab.trainer` (the fact source and the
one-hidden-layer network of notebook 07).

Two related distributions
-------------------------
Pre-training reads :class:`~scaling_laws_lab.lab.trainer.FactSource`: keys with Zipf
frequencies, each with a fact. The target (:class:`TargetSource`) has **the same facts** (the
same world) but cares about other keys: a key's target frequency is

    p_T(k) = ρ·p(k) + (1 − ρ)·p(π(k)),

a mixture of the pre-training frequency list and a shuffled copy of it (π a fixed permutation).
The knob ρ, the *proximity*, is the share of the target's tokens drawn as in pre-training: at
ρ = 1 the target is the pre-training source, at ρ = 0 its common keys are keys pre-training met
rarely. It plays the part Hernandez et al. (2021, §3 and Table 1) read from k and α: how much of
what pre-training taught the target needs. Shared facts, not conflicting ones: a pretrained model
is never confidently wrong on the target, only ignorant of the keys it did not learn.

Training on a little data
-------------------------
Fine-tuning data is a *fixed* dataset of D tokens (Hernandez et al. fine-tune on datasets of a
given size, with early stopping), read for up to ten epochs (:func:`steps_for`), with the exact
target loss checked after each epoch and the best kept: early stopping on an infinite
validation set. From-scratch baselines on the target use the same protocol, so that D means
the same thing on both sides of D_T.

Methods (:data:`METHODS`)
-------------------------
- ``scratch``: random weights, every weight trains (the from-scratch baseline);
- ``full``: pretrained weights, every weight trains (what Hernandez et al. did);
- ``biases``: pretrained weights, only the biases train (BitFit, Ben Zaken et al. 2021):
  H + M weights, about 1.3% of the network at the lab's sizes;
- ``lora``: pretrained weights frozen, a rank-r adapter on the output layer trains
  (Hu et al. 2021): r·(H + M) weights, the same count as ``biases`` at r = 1, but above the
  hidden layer, so the backward pass stops at the output layer;
- ``small``: a network from scratch whose whole size is the subset's count: the thread's
  "network 1000× smaller" (here about 75× smaller: in networks this small the smallest subset
  that can learn anything is about 1%).

FLOPs are counted as the trainer performs them, matmul by matmul (:func:`flop_parts`), and set
beside notebook 03's formula, :func:`scaling_laws_lab.science.laws.finetune_flops_per_token`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ..science import laws
from .trainer import (
    ADAM_FLOPS_PER_PARAM,
    Cancelled,
    FactSource,
    _frozen,
    adam_step,
    key_codes,
    mlp_params,
)

METHODS = ("scratch", "full", "biases", "lora", "small")
#: What each method trains.
TRAINS = {"scratch": ("w1", "b1", "w2", "b2"), "full": ("w1", "b1", "w2", "b2"),
          "biases": ("b1", "b2"), "lora": ("lora_a", "lora_b"),
          "small": ("w1", "b1", "w2", "b2")}
PRETRAINED = ("full", "biases", "lora")
MAX_EPOCHS = 10  #: a fixed dataset is read at most this many times
TOKEN_CAP = 2_000_000  #: ... and for no more than this many tokens, if one epoch is less
BATCH = 128
LORA_RANK = 1


@dataclass(frozen=True)
class TargetSource(FactSource):
    """The fine-tuning distribution: the same facts as :class:`FactSource` (same ``seed``), key
    frequencies ρ·p(k) + (1 − ρ)·p(π(k)).

    Attributes
    ----------
    proximity : float
        ρ, from 0 to 1: the share of target tokens drawn with the pre-training frequencies.
    shift_seed : int
        Fixes the permutation π.
    """

    proximity: float = 0.5
    shift_seed: int = 1

    def __post_init__(self):
        super().__post_init__()
        rho = self.proximity
        if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not 0.0 <= rho <= 1.0:
            raise ValueError(f"the proximity ρ must be a number from 0 to 1; got {rho!r}")

    @functools.cached_property
    def key_probs(self) -> np.ndarray:
        """p_T(k) = ρ·p(k) + (1 − ρ)·p(π(k)) (sums to 1)."""
        w = np.arange(1, self.n_keys + 1, dtype=np.float64) ** -self.zipf
        p = w / w.sum()
        perm = np.random.default_rng(self.shift_seed + 7919).permutation(self.n_keys)
        return _frozen(self.proximity * p + (1.0 - self.proximity) * p[perm])

    def pretraining_source(self) -> FactSource:
        """The source pre-training reads: same facts, the unshuffled frequencies."""
        return FactSource(self.n_keys, self.n_values, self.zipf, self.noise, self.seed)


# --------------------------------------------------------------------------- weights
@dataclass(frozen=True, eq=False)
class Weights:
    """A one-hidden-layer network's weights (float32, read-only). Equal only to itself (a
    cache key holds the object, not a copy of its arrays)."""

    w1: np.ndarray  #: n_in × H
    b1: np.ndarray  #: H
    w2: np.ndarray  #: H × M
    b2: np.ndarray  #: M

    @property
    def width(self) -> int:
        return int(self.b1.shape[0])

    @property
    def n_params(self) -> int:
        return int(self.w1.size + self.b1.size + self.w2.size + self.b2.size)

    def logits(self, codes: np.ndarray, lora=None) -> np.ndarray:
        """The output layer's logits for every key (K × M, float32)."""
        h = np.maximum(codes @ self.w1 + self.b1, 0.0)
        z = h @ self.w2 + self.b2
        if lora is not None:
            z += (h @ lora[0]) @ lora[1]
        return z

    def probs(self, codes: np.ndarray, lora=None) -> np.ndarray:
        """p(value | key) for every key (K × M, float64)."""
        z = self.logits(codes, lora).astype(np.float64)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)


def init_weights(n_in: int, width: int, n_values: int, rng: np.random.Generator) -> Weights:
    """Random weights as :func:`scaling_laws_lab.lab.trainer.train` draws them."""
    return Weights(
        (rng.standard_normal((n_in, width)) / np.sqrt(n_in)).astype(np.float32),
        np.zeros(width, np.float32),
        (rng.standard_normal((width, n_values)) / np.sqrt(width)).astype(np.float32),
        np.zeros(n_values, np.float32))


def n_trainable(method: str, width: int, n_in: int = 12, n_values: int = 64,
                rank: int = LORA_RANK) -> int:
    """Weights that train under ``method`` (the subset's count shown beside the total)."""
    if method in ("scratch", "full", "small"):
        return mlp_params(n_in, width, n_values)
    if method == "biases":
        return width + n_values
    if method == "lora":
        return rank * (width + n_values)
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


def small_width(n_small: int, n_in: int = 12, n_values: int = 64) -> int:
    """The width of a network whose N is closest to ``n_small`` (at least 1 hidden unit)."""
    return max(1, round((n_small - n_values) / (n_in + 1 + n_values)))


# --------------------------------------------------------------------------- FLOPs
def flop_parts(method: str, n_in: int, width: int, n_values: int, *, batch: int = BATCH,
               rank: int = LORA_RANK) -> dict:
    """FLOPs per token the trainer performs under ``method``, part by part.

    Counted matmul by matmul from what :func:`train_on` computes (2 FLOPs per multiply-add):

    - forward: x·W1 and h·W2 (2·(n_in·H + H·M)), the bias adds (H + M), and for LoRA the
      adapter h·A·B (2·r·(H + M)) and its add (M);
    - activation gradients: g_h = g_logits·W2ᵀ (2·H·M) when anything at or below the hidden
      layer trains; for LoRA, g_u = g_logits·Bᵀ inside the adapter (2·r·M); never the input's
      gradient (the key code is fixed);
    - weight gradients: 2 per trainable weight of a matrix (hᵀ·g, xᵀ·g_h, the adapter's), 1 per
      trainable bias (a sum over the batch);
    - other: ReLU (H forward, H for its mask when g_h is needed), softmax and loss (6·M), Adam
      (10 per trainable weight per step, spread over the batch's tokens).

    Returns a dict: ``parts`` (the four above), ``total``, and ``formula``: notebook 03's
    :func:`~scaling_laws_lab.science.laws.finetune_flops_per_token` for the same network,
    ``formula_parts`` (forward 2·N_fwd, activation gradients 2·N·depth, weight gradients
    2·N_trainable) and ``setup`` (its inputs).
    """
    h, m = int(width), int(n_values)
    trains = TRAINS[method]
    lora = method == "lora"
    hidden_grad = "w1" in trains or "b1" in trains
    forward = 2 * (n_in * h + h * m) + h + m + ((2 * rank * (h + m) + m) if lora else 0)
    act = (2 * h * m if hidden_grad else 0) + (2 * rank * m if lora else 0)
    wgrad = ((2 * h * m if "w2" in trains else 0) + (m if "b2" in trains else 0)
             + (2 * n_in * h if "w1" in trains else 0) + (h if "b1" in trains else 0)
             + (2 * rank * (h + m) if lora else 0))
    n_train = n_trainable(method, h, n_in, m, rank)
    other = (h + (h if hidden_grad else 0)) + 6 * m + ADAM_FLOPS_PER_PARAM * n_train / batch
    n = mlp_params(n_in, h, m)
    # Notebook 03's inputs: the forward pass runs N weights (N + adapter for LoRA); the
    # activation gradients cross the layers above the lowest trainable one: the output
    # layer's H·M weights when the hidden layer trains, nothing when only the top does.
    n_fwd = n + (n_train if lora else 0)
    depth = (h * m / n_fwd) if hidden_grad else 0.0
    formula = float(laws.finetune_flops_per_token(n_fwd, n_train, depth))
    parts = {"forward": forward, "activation gradients": act, "weight gradients": wgrad,
             "other (ReLU, softmax, Adam)": other}
    return {"parts": parts, "total": float(sum(parts.values())), "formula": formula,
            "formula_parts": {"forward": 2.0 * n_fwd, "activation gradients": 2.0 * n_fwd * depth,
                              "weight gradients": 2.0 * n_train},
            "setup": {"n_forward": n_fwd, "n_trainable": n_train, "grad_depth": depth}}


# --------------------------------------------------------------------------- training
def steps_for(n_tokens: int, batch: int = BATCH) -> tuple[int, int]:
    """(epochs, steps per epoch) for a fixed dataset of ``n_tokens``: ten epochs, fewer when
    that would pass :data:`TOKEN_CAP` tokens, never under one."""
    per_epoch = max(1, math.ceil(int(n_tokens) / batch))
    epochs = max(1, min(MAX_EPOCHS, TOKEN_CAP // max(1, int(n_tokens))))
    return epochs, per_epoch


def fine_tune_lr(method: str, width: int) -> float:
    """Peak learning rate per method (Adam, decayed linearly to zero over the epochs).

    From scratch: notebook 07's per-width rule (:func:`lab.default_lr`). Full fine-tuning:
    half of it: the weights start near a good point, and at the full rate the widest model's
    best epoch came after one or two of ten (tried at ρ = 0.5 and 0.8; early stopping then
    does all the work). Biases and the LoRA adapter: 0.02 (few weights, each must move far;
    not tuned further). Every run keeps its best epoch, so a rate a little too high costs
    little.
    """
    from .trainer import default_lr

    if method in ("scratch", "small"):
        return default_lr(width)
    if method == "full":
        return 0.5 * default_lr(width)
    return 0.02


@dataclass(frozen=True)
class TuneRun:
    """One fine-tuning (or from-scratch) run on a fixed dataset of the target."""

    method: str
    width: int  #: hidden units of the network trained
    n_params: int  #: N, every weight of that network (without an adapter)
    n_trainable: int
    n_data: int  #: D_F (or D), tokens in the fixed dataset
    epochs: int  #: epochs read
    best_epoch: int  #: the epoch early stopping kept (0: before any training)
    loss: float  #: exact target loss at the kept epoch, nats per value token
    loss_start: float  #: exact target loss before training
    tokens: int  #: tokens processed (all epochs)
    flops: float  #: FLOPs performed (all epochs)
    seed: int


#: Finished runs, by everything that decides their numbers.
_RUNS: dict[tuple, TuneRun] = {}


def _run_key(target, method, width, n_data, init, seed, lr, rank) -> tuple:
    base_lr = fine_tune_lr(method, width) if lr is None else float(lr)
    return (target, method, int(width), int(n_data), init, base_lr, int(seed), int(rank))


def cached_run(target: FactSource, method: str, width: int, n_data: int, *,
               init: Weights | None = None, seed: int = 0, lr: float | None = None,
               rank: int = LORA_RANK) -> TuneRun | None:
    """The run :func:`train_on` would return, if this kernel has already trained it."""
    return _RUNS.get(_run_key(target, method, width, n_data, init, seed, lr, rank))


def train_on(target: FactSource, method: str, width: int, n_data: int, *,
             init: Weights | None = None, seed: int = 0, lr: float | None = None,
             rank: int = LORA_RANK, progress=None) -> TuneRun:
    """Train under ``method`` on a fixed dataset of ``n_data`` target tokens; return the run.

    Parameters
    ----------
    target : FactSource
        The distribution of the fixed dataset and of the exact loss.
    method : str
        One of :data:`METHODS`. ``full``, ``biases`` and ``lora`` need ``init``.
    width : int
        Hidden units (for a pretrained method, ``init``'s width).
    n_data : int
        Tokens in the dataset (at least 1); read for :func:`steps_for` epochs in batches of
        :data:`BATCH`, reshuffled every epoch.
    init : Weights, optional
        The pretrained weights.
    seed : int
        Fixes the dataset, the initial weights (scratch), the adapter and the order.
    progress : callable, optional
        ``progress(steps_done, steps)``, at least once an epoch; may raise :class:`Cancelled`.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    width, n_data = int(width), int(n_data)
    if width < 1 or n_data < 1:
        raise ValueError(f"need a width ≥ 1 and at least one token; got {width}, {n_data}")
    if (method in PRETRAINED) != (init is not None):
        raise ValueError(f"method {method!r} {'needs' if method in PRETRAINED else 'takes no'} "
                         "pretrained weights")
    if init is not None and init.width != width:
        raise ValueError(f"the pretrained weights have width {init.width}, not {width}")
    key = _run_key(target, method, width, n_data, init, seed, lr, rank)
    if key in _RUNS:
        if progress is not None:
            progress(1, 1)
        return _RUNS[key]
    base_lr = key[5]
    codes = key_codes(target.n_keys)
    n_in, m = codes.shape[1], target.n_values
    rng = np.random.default_rng(seed)
    keys, values = target.sample(n_data, np.random.default_rng(seed + 2_000_003))
    start = init if init is not None else init_weights(n_in, width, m, rng)
    params = {"w1": start.w1.copy(), "b1": start.b1.copy(), "w2": start.w2.copy(),
              "b2": start.b2.copy()}
    if method == "lora":
        # Hu et al. 2021, §4.1: A random, B zero, so training starts from the pretrained model.
        params["lora_a"] = (rng.standard_normal((width, rank)) / np.sqrt(width)).astype(np.float32)
        params["lora_b"] = np.zeros((rank, m), np.float32)
    trains = TRAINS[method]
    # The trainable weights in one flat buffer (Adam is then a few array operations a step).
    sizes = [params[k].size for k in trains]
    theta = np.concatenate([params[k].ravel() for k in trains]).astype(np.float32)
    grad = np.zeros_like(theta)
    cuts = np.cumsum([0, *sizes])
    for k, a, b in zip(trains, cuts[:-1], cuts[1:], strict=True):
        params[k] = theta[a:b].reshape(params[k].shape)
    grads = {k: grad[a:b].reshape(params[k].shape)
             for k, a, b in zip(trains, cuts[:-1], cuts[1:], strict=True)}
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    la, lb = params.get("lora_a"), params.get("lora_b")
    hidden_grad = "w1" in trains or "b1" in trains
    m1, m2, tmp = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta)

    def loss_now():
        w = Weights(w1, b1, w2, b2)
        return target.loss_of_logits(w.logits(codes, (la, lb) if la is not None else None))

    epochs, per_epoch = steps_for(n_data)
    steps = epochs * per_epoch
    order_rng = np.random.default_rng(seed + 3_000_017)
    best, best_epoch = loss_now(), 0
    loss_start = best
    step = 0
    for epoch in range(1, epochs + 1):
        order = order_rng.permutation(n_data)
        for i in range(per_epoch):
            idx = order[(i * BATCH) % n_data:][:BATCH]
            if idx.size < min(BATCH, n_data):  # the tail of an epoch: wrap around
                idx = np.concatenate([idx, order[:min(BATCH, n_data) - idx.size]])
            x, y = codes[keys[idx]], values[idx]
            rows = np.arange(idx.size)
            hid = x @ w1
            hid += b1
            mask = hid > 0
            hid *= mask
            logits = hid @ w2
            logits += b2
            if la is not None:
                u = hid @ la
                logits += u @ lb
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits, out=logits)
            p /= p.sum(axis=1, keepdims=True)
            p[rows, y] -= 1.0
            p *= 1.0 / idx.size
            if "w2" in grads:
                np.matmul(hid.T, p, out=grads["w2"])
            if "b2" in grads:
                p.sum(axis=0, out=grads["b2"])
            if la is not None:
                np.matmul(u.T, p, out=grads["lora_b"])
                np.matmul(hid.T, p @ lb.T, out=grads["lora_a"])
            if hidden_grad:
                g_h = p @ w2.T
                g_h *= mask
                if "w1" in grads:
                    np.matmul(x.T, g_h, out=grads["w1"])
                if "b1" in grads:
                    g_h.sum(axis=0, out=grads["b1"])
            step += 1
            adam_step(theta, grad, m1, m2, tmp, step, base_lr * (1.0 - (step - 1) / steps))
            if progress is not None and i % 64 == 63:
                progress(step, steps)
        now = loss_now()
        if now < best:
            best, best_epoch = now, epoch
        if progress is not None:
            progress(step, steps)
    parts = flop_parts(method, n_in, width, m, batch=BATCH, rank=rank)
    tokens = steps * min(BATCH, n_data)
    run = TuneRun(method=method, width=width, n_params=mlp_params(n_in, width, m),
                  n_trainable=n_trainable(method, width, n_in, m, rank), n_data=n_data,
                  epochs=epochs, best_epoch=best_epoch, loss=float(best),
                  loss_start=float(loss_start), tokens=int(tokens),
                  flops=float(parts["total"] * tokens), seed=int(seed))
    _RUNS[key] = run
    return run


def pretrain(source: FactSource, width: int, n_tokens: int, seed: int = 0) -> Weights:
    """Pre-train on the endless stream of ``source``, as notebook 07's runs are trained
    (:func:`scaling_laws_lab.lab.trainer.train`), and return the weights."""
    from .trainer import train_weights

    _, arrays = train_weights(source, width, n_tokens, seed=seed)
    for a in arrays:
        a.flags.writeable = False
    return Weights(*arrays)


__all__ = ["Cancelled", "TargetSource", "Weights", "train_on", "pretrain", "flop_parts",
           "n_trainable", "small_width", "steps_for", "METHODS"]
