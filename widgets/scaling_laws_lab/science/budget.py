"""What a training run costs: C = 6·N·D, its per-token parts, and devices and days.

The computations behind notebook 00's calculator and notebook 01's compute explorer: each
takes the explorer's validated state (a dict of plain numbers and strings) and returns a
frozen dataclass of numbers and arrays, so it can be tested and used without any UI.
Formulas: :mod:`scaling_laws_lab.science.laws` (Kaplan et al. 2020, §2.1, Eqs 2.1-2.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import laws, papers
from .grids import decade_cover, log_grid

#: d_model / n_layer when N is set directly: GPT-3 175B's shape (Brown et al. 2020, Table 2.1).
ASPECT_RATIO = 128.0


@dataclass(frozen=True)
class SixND:
    """C = 6·N·D for one run, and the line C(D) at that N over a grid of D (tokens)."""

    n_params: float  #: N, parameters
    n_tokens: float  #: D, tokens
    flops: float  #: C = 6·N·D, FLOPs
    pf_days: float  #: C in PF-days
    tokens_per_param: float  #: D / N
    line_tokens: np.ndarray  #: D grid, tokens
    line_flops: np.ndarray  #: 6·N·D on that grid, FLOPs


#: Tokens the calculator's line spans at least (it widens to whole decades holding D).
TOKENS_RANGE = (1e6, 1e15)


def six_nd(state: dict) -> SixND:
    """The calculator's numbers: C = 6·N·D (Kaplan et al. 2020, §2.1) for ``state``.

    ``state`` has ``n_params`` and ``n_tokens``. The line C(D) at that N spans
    :data:`TOKENS_RANGE`, widened to the whole decades that hold D.
    """
    n, d = state["n_params"], state["n_tokens"]
    flops = laws.training_flops(n, d)
    grid = log_grid(*decade_cover([d], TOKENS_RANGE))
    return SixND(n, d, flops, laws.flops_to_pf_days(flops), d / n, grid,
                 np.asarray(laws.training_flops(n, grid)))


def model_shape(state: dict) -> dict:
    """N from the shape, or the shape from N, depending on ``state['mode']``.

    'architecture': N = 12·n_layer·d_model² (Kaplan Eq 2.1); 'direct': the shape of a
    model of N parameters with d_model = 128·n_layer (:func:`laws.shape_from_params`).
    """
    if state["mode"] == "architecture":
        return {"n_params": laws.non_embedding_params(state["n_layer"], state["d_model"])}
    n_layer, d_model = laws.shape_from_params(state["n_params"], ASPECT_RATIO)
    return {"n_layer": n_layer, "d_model": d_model}


@dataclass(frozen=True)
class Budget:
    """A training run's compute, where it goes per token, and what it takes on hardware."""

    flops_6nd: float  #: 6·N·D, FLOPs
    flops_total: float  #: (6N + attention) · D, FLOPs
    pf_days: float  #: 6·N·D in PF-days
    per_token: float  #: training FLOPs per token, attention included
    parts: np.ndarray  #: FLOPs per token: forward, activation grads, weight grads, attention
    attention_share: float  #: attention's share of the per-token FLOPs
    days: float  #: wall-clock days on the devices
    device_hours: float  #: accelerator-hours
    cost: float  #: dollars, at the state's price per device-hour
    tokens_per_param: float  #: D / N


def training_budget(state: dict) -> Budget:
    """The compute explorer's numbers for ``state`` (notebook 01).

    Per token: 2N forward, 2N activation gradients, 2N weight gradients (Kaplan §2.1) and
    attention over the context, 2·n_layer·n_ctx·d_model forward and twice that backward
    (Eq 2.2, d_attn = d_model). Time: C / (devices · peak · MFU) (Chowdhery et al. 2022,
    App. B); peak from :data:`papers.ACCELERATORS`.
    """
    n, d = state["n_params"], state["n_tokens"]
    acc = papers.ACCELERATORS[state["accelerator"]]
    per_token = laws.training_flops_per_token(n, state["n_layer"], state["n_ctx"],
                                              state["d_model"])
    attention = laws.attention_flops_per_token(state["n_layer"], state["n_ctx"], state["d_model"])
    flops_total = per_token * d
    mfu = state["mfu"] / 100.0
    hours = laws.device_hours(flops_total, acc.peak_flops, mfu)
    flops_6nd = laws.training_flops(n, d)
    return Budget(
        flops_6nd=flops_6nd, flops_total=flops_total, pf_days=laws.flops_to_pf_days(flops_6nd),
        per_token=per_token, parts=np.array([2.0 * n, 2.0 * n, 2.0 * n, attention]),
        attention_share=attention / per_token,
        days=laws.training_days(flops_total, acc.peak_flops, mfu, state["n_devices"]),
        device_hours=hours, cost=hours * state["price"], tokens_per_param=d / n,
    )


@dataclass(frozen=True)
class IsoFlopLines:
    """Lines of equal compute C = 6·N·D clipped to a box of the N–D plane, with label anchors."""

    x: np.ndarray  #: (lines, 2) parameters at each end
    y: np.ndarray  #: (lines, 2) tokens at each end
    label_x: np.ndarray  #: parameters at each label's anchor
    label_y: np.ndarray  #: tokens at each label's anchor
    texts: tuple[str, ...]  #: "1e24 FLOPs", ...


def attention_shares(d_model, n_ctx, n_layer: int = 12):
    """Attention's share of the training FLOPs per token, for each width and context (a grid).

    Share = attention / (6N + attention), with N = 12·n_layer·d_model² non-embedding parameters
    and attention 6·n_layer·n_ctx·d_model (Kaplan et al. 2020, Eqs 2.1–2.2): n_ctx /
    (12·d_model + n_ctx), so the depth cancels. Returns a (len(d_model), len(n_ctx)) array of
    fractions (notebook 01's table under its attention check).
    """
    widths = np.atleast_1d(np.asarray(d_model, float))[:, None]
    contexts = np.atleast_1d(np.asarray(n_ctx, float))[None, :]
    n = np.asarray(laws.non_embedding_params(n_layer, widths))
    total = np.asarray(laws.training_flops_per_token(n, n_layer, contexts, widths))
    return 1.0 - 6.0 * n / total


def iso_flop_lines(budgets, n_range, d_range, label_back: float = 10**0.6) -> IsoFlopLines:
    """Each budget's line D = C / (6N), clipped to N in ``n_range`` and D in ``d_range``.

    Budgets whose line misses the box are left out. Each label is anchored ``label_back``
    times left of the line's lower-right end (0.6 decade: room for the label, which extends
    right from there, inside the box), away from the published runs in the middle.
    """
    (x_lo, x_hi), (y_lo, y_hi) = n_range, d_range
    xs, ys, lx, ly, texts = [], [], [], [], []
    for c in budgets:
        n_start, n_end = max(x_lo, c / (6.0 * y_hi)), min(x_hi, c / (6.0 * y_lo))
        if n_start >= n_end:
            continue
        xs.append([n_start, n_end])
        # clip: c / (6·(c / (6·y))) can land one rounding step outside the box
        ys.append(np.clip([c / (6.0 * n_start), c / (6.0 * n_end)], y_lo, y_hi))
        at = max(n_end / label_back, n_start)
        lx.append(at)
        ly.append(float(np.clip(c / (6.0 * at), y_lo, y_hi)))
        texts.append(f"1e{int(round(np.log10(c)))}")
    return IsoFlopLines(np.array(xs).reshape(-1, 2), np.array(ys).reshape(-1, 2), np.array(lx),
                        np.array(ly), tuple(texts))


@dataclass(frozen=True)
class PublishedRun:
    """A published run with 6·N·D next to the compute its paper reports."""

    run: papers.ReportedRun
    six_nd: float  #: 6·N·D, FLOPs
    difference: float | None  #: 6ND / reported − 1, or None where no FLOPs are reported


def published_runs(runs=papers.FAMOUS_RUNS) -> tuple[PublishedRun, ...]:
    """Each run's 6·N·D (Kaplan §2.1) against its paper's reported compute."""
    out = []
    for run in runs:
        six = laws.training_flops(run.n_params, run.n_tokens)
        diff = six / run.reported_flops - 1.0 if run.reported_flops else None
        out.append(PublishedRun(run, six, diff))
    return tuple(out)
