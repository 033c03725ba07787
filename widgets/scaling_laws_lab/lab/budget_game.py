"""The budget game (notebook 07's capstone): spend a FLOP budget on screening runs, fit, predict
the loss of a "hero" run at ten times the largest screening run, then run it.

This is how a lab sizes a big training run: Hoffmann et al. 2022 chose Chinchilla's size for
Gopher's budget from laws fitted to smaller runs (§4); OpenAI 2023 (GPT-4 report, §3.1)
predicted GPT-4's final loss with L(C) = aC^b + c fitted to models trained with at most
1/10,000 of its compute. Here every run is a real run of the
lab's trainer (:func:`scaling_laws_lab.lab.trainer.train`), cached, so a game state is a pure
function of its settings.

Budgets are counted as the paper counts them, C = 6·N·D; the trainer's own count of what
it performed is reported beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..science import laws
from .sweep import BATCH, MIN_STEPS, SweepFit, fit_sweep, seconds_per_run
from .trainer import FactSource, Run, key_codes, mlp_params, train

HERO_FACTOR = 10.0  #: the hero run's budget: ten times the largest screening run's
MAX_SCREENS = 40
MIN_RUNS_TO_FIT = 6  #: five constants
MAX_HERO_SECONDS = 300.0
SOURCE = FactSource()


def width_for(n_params: float, source: FactSource = SOURCE) -> int:
    """The hidden width whose N is nearest ``n_params`` (N moves in steps of 77 parameters)."""
    n_in = key_codes(source.n_keys).shape[1]
    per_unit = n_in + 1 + source.n_values
    return max(1, int(round((float(n_params) - source.n_values) / per_unit)))


def n_for(width: int, source: FactSource = SOURCE) -> int:
    return mlp_params(key_codes(source.n_keys).shape[1], width, source.n_values)


def tokens_for(n_tokens: float) -> int:
    """Whole batches (the trainer's unit)."""
    return int(float(n_tokens)) // BATCH * BATCH


def cost(n_params: float, n_tokens: float) -> float:
    """C = 6·N·D, FLOPs, as the budget counts it."""
    return 6.0 * float(n_params) * float(n_tokens)


@dataclass(frozen=True)
class Screen:
    n_params: int
    n_tokens: int
    run: Run

    @property
    def flops(self) -> float:
        return cost(self.n_params, self.n_tokens)

    @property
    def loss(self) -> float:
        return self.run.loss


@dataclass(frozen=True)
class GameView:
    """What the game shows for a state (budget, screening runs, hero size, prediction)."""

    budget: float  #: total screening budget, FLOPs (6ND)
    spent: float
    screens: tuple  #: Screen, in the order run
    fit: SweepFit | None  #: None under MIN_RUNS_TO_FIT screening runs
    hero_budget: float | None  #: HERO_FACTOR × the largest screening run's 6ND
    hero_n: int  #: the hero's N (nearest width to the one asked for)
    hero_d: int | None  #: hero_budget / 6N, whole batches
    fit_optimum: tuple | None  #: (N_opt, D_opt) of the fit at the hero budget (Eq 4)
    fit_prediction: float | None  #: the fit's loss at (hero_n, hero_d)
    prediction: float | None  #: the learner's committed prediction (None: not yet)
    hero: Run | None  #: the hero run, once committed
    error: float | None  #: hero loss − prediction, nats
    next_cost: float = 0.0  #: 6ND of the screening run the controls now describe, FLOPs
    frontier_c: tuple = ()  #: budgets, FLOPs, from half the smallest run to twice the hero's
    frontier_loss: tuple = ()  #: the fit's loss at each budget's compute-optimal N (Eq 2, Eq 4)

    @property
    def left(self) -> float:
        return self.budget - self.spent


def check_screens(screens, budget: float) -> list[tuple[int, int]]:
    """Validate the screening runs: [[N, D], ...] within the budget. Returns (width, tokens)."""
    if isinstance(screens, (str, bytes)) or not isinstance(screens, (list, tuple)):
        raise ValueError(f"screening runs must be a list of [N, D] pairs; got {screens!r}")
    if len(screens) > MAX_SCREENS:
        raise ValueError(f"{len(screens)} screening runs; at most {MAX_SCREENS}")
    out, spent = [], 0.0
    for i, pair in enumerate(screens, start=1):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"screening run {i} must be [N, D]; got {pair!r}")
        n, d = pair
        for what, v in (("N", n), ("D", d)):
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(v) or v <= 0:
                raise ValueError(f"screening run {i}: {what} must be a number > 0; got {v!r}")
        width, tokens = width_for(n), tokens_for(d)
        if tokens < MIN_STEPS * BATCH:
            raise ValueError(f"screening run {i}: {d:g} tokens is under {MIN_STEPS} steps of "
                             f"{BATCH}; train on at least {MIN_STEPS * BATCH:,}")
        if not 100 <= n_for(width) <= 200_000:
            raise ValueError(f"screening run {i}: N must be between 100 and 200,000 here")
        spent += cost(n_for(width), tokens)
        if spent > budget * (1 + 1e-9):
            raise ValueError(f"screening run {i} would overspend: it costs "
                             f"{cost(n_for(width), tokens):.3g} FLOPs and "
                             f"{max(budget - spent + cost(n_for(width), tokens), 0):.3g} are left")
        out.append((width, tokens))
    return out


def game_view(state: dict) -> GameView:
    """Train (or fetch from the cache) the screening runs, fit them, and, if committed, the hero.

    ``state``: budget (FLOPs), screens ([[N, D], ...]), next_n and next_d (the next screening
    run), hero_n (params), prediction (nats; 0 means none yet), hero ("no"/"yes"), seed.
    """
    budget, seed = float(state["budget"]), int(state["seed"])
    pairs = check_screens(state["screens"], budget)
    screens = tuple(Screen(n_for(w), t, train(SOURCE, w, t, batch=BATCH, seed=seed))
                    for w, t in pairs)
    spent = sum(s.flops for s in screens)
    fit = fit_sweep(screens, SOURCE) if len(screens) >= MIN_RUNS_TO_FIT else None
    hero_budget = HERO_FACTOR * max(s.flops for s in screens) if screens else None
    hero_n = n_for(width_for(state["hero_n"]))
    hero_d = tokens_for(hero_budget / (6 * hero_n)) if hero_budget else None
    fit_optimum = fit_prediction = None
    if fit is not None and hero_budget and fit.usable:
        n_opt, d_opt = laws.compute_optimal(hero_budget, fit.fit.as_fit())
        fit_optimum = (float(n_opt), float(d_opt))
        if hero_d:
            fit_prediction = float(fit.fit.predict(hero_n, hero_d))
    prediction = float(state["prediction"]) or None
    hero = error = None
    if state["hero"] == "yes":
        hero = train(SOURCE, width_for(hero_n), hero_d, batch=BATCH, seed=seed)
        error = hero.loss - prediction
    next_cost = cost(n_for(width_for(state["next_n"])), tokens_for(state["next_d"]))
    frontier_c = frontier_loss = ()
    if fit_optimum is not None:
        c = np.geomspace(min(s.flops for s in screens) / 2, hero_budget * 2, 40)
        n_opt, d_opt = laws.compute_optimal(c, fit.fit.as_fit())
        frontier_c, frontier_loss = tuple(c), tuple(np.asarray(fit.fit.predict(n_opt, d_opt)))
    return GameView(budget, spent, screens, fit, hero_budget, hero_n, hero_d, fit_optimum,
                    fit_prediction, prediction, hero, error, next_cost, frontier_c,
                    frontier_loss)


def check_state(state: dict) -> None:
    """Cross-field rules, before anything trains: a hero needs screening runs, a prediction and
    a size it can afford in reasonable time."""
    check_screens(state["screens"], float(state["budget"]))
    if state["hero"] != "yes":
        return
    if not state["screens"]:
        raise ValueError("run some screening runs first: the hero's budget is ten times the "
                         "largest of them")
    if not float(state["prediction"]) > 0:
        raise ValueError("commit to a prediction first: type the loss you expect the hero to reach")
    widths = [width_for(n) for n, _ in state["screens"]]
    budget = HERO_FACTOR * max(cost(n_for(w), tokens_for(d))
                               for w, (_, d) in zip(widths, state["screens"], strict=True))
    hero_n = n_for(width_for(state["hero_n"]))
    hero_d = tokens_for(budget / (6 * hero_n))
    if hero_d < MIN_STEPS * BATCH:
        raise ValueError(f"a hero of N = {hero_n:,} gets only {hero_d:,} tokens at "
                         f"{budget:.3g} FLOPs: choose a smaller N")
    seconds = seconds_per_run(width_for(hero_n), hero_d)
    if seconds > MAX_HERO_SECONDS:
        raise ValueError(f"a hero of N = {hero_n:,} on {hero_d:,} tokens would take about "
                         f"{seconds / 60:.0f} minutes on a 2-core laptop: choose a larger N (fewer tokens)")
