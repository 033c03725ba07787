"""Notebook 07's capstone: the budget game. Screen, fit, predict the hero run, run it.

Every number comes from :func:`scaling_laws_lab.lab.budget_game.game_view`; the buttons only
change the state (add a screening run, commit the hero), so a share link reopens a game.
"""

from __future__ import annotations

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    LinearControl,
    LogControl,
    PairListControl,
    end_label_mark,
    end_labels,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    seed_control,
    set_limits,
    update,
)
from ..lab import budget_game
from ..science import grids
from ..science.units import si

#: Six screening runs that fit the default budget (29.1e9 of 3e10 FLOPs): the examples' game.
_SIX = [[900, 3e5], [1700, 3e5], [3000, 2e5], [1700, 8e5], [5200, 2e5], [900, 1.2e6]]


def _describe(pairs) -> str:
    if not pairs:
        return "none yet: choose N and D, then <b>Run it</b>"
    items = ", ".join(f"{si(n)}×{si(d)}" for n, d in pairs)
    return f"{len(pairs)} (N×D): {items}"


class BudgetGame(Explorer):
    """Spend a FLOP budget on screening runs, fit, predict the hero run at 10× the largest."""

    app = "apps/07_budget_game.ipynb"
    examples = (
        {"screens": _SIX[:2]},
        {"screens": _SIX},
        {"screens": _SIX, "hero_n": 12_000.0, "prediction": 0.85, "hero": "yes"},
    )
    extremes = ({"budget": 1e8, "screens": [[100, 2560.0]]},
                {"budget": 1e11, "screens": [[100, 2560.0], [1.9e5, 2560.0]], "hero_n": 2e5})

    def __init__(self):
        super().__init__()
        controls = [
            LogControl("next_n", "Next run's N", "params", 2000, (300, 1e5), (100, 2e5),
                       step=0.05),
            LogControl("next_d", "Next run's D", "tokens", 3e5, (2560, 3e7), (2560, 1e9),
                       step=0.05),
            PairListControl("screens", "Screening runs", [], describe=_describe),
            LogControl("hero_n", "Hero's N", "params", 10_000, (300, 2e5), (100, 2e5),
                       step=0.05),
            LinearControl("prediction", "Your prediction", "nats", 0.0, (0, 2),
                          (0, 20), step=0.005),
            LogControl("budget", "Screening budget", "FLOPs", 3e10, (1e9, 1e11), (1e8, 1e11),
                       step=0.25),
            seed_control(),
            ChoiceControl("hero", "Hero run", {"no": "not run yet", "yes": "run (locked)"}, "no"),
        ]
        self.x, self.y = log_scale(1e8, 1e12), linear_scale(0.6, 2.0)
        sc = {"x": self.x, "y": self.y}
        tip = bq.Tooltip(fields=["x", "y"], formats=[".3~e", ".4f"], labels=["C, FLOPs", "loss"])
        self.screen_marks = bq.Scatter(scales=sc, colors=[PALETTE[0]], default_size=40,
                                       labels=["screening runs"], display_legend=True,
                                       tooltip=tip)
        self.frontier = bq.Lines(scales=sc, colors=[PALETTE[0]], line_style="dashed",
                                 labels=["fit: lowest loss at each C (Eq 2 at Eq 4's N)"],
                                 display_legend=True)
        self.entropy = bq.Lines(scales=sc, colors=["#000000"], line_style="dotted",
                                labels=["true entropy of the source"], display_legend=True)
        self.hero_rule = bq.Lines(scales=sc, colors=["#777777"], line_style="dash_dotted",
                                  labels=["hero budget: 10 × your largest run"],
                                  display_legend=True)
        self.fit_point = bq.Scatter(scales=sc, colors=[PALETTE[0]], marker="cross",
                                    default_size=90, labels=["the fit's loss for your hero N"],
                                    display_legend=True, tooltip=tip)
        self.yours = bq.Scatter(scales=sc, colors=[PALETTE[1]], marker="diamond",
                                default_size=120, labels=["your prediction"],
                                display_legend=True, tooltip=tip)
        self.hero_mark = bq.Scatter(scales=sc, colors=["#000000"], marker="square",
                                    default_size=80, labels=["hero run, measured"],
                                    display_legend=True, tooltip=tip)
        self.next_rule = bq.Lines(scales=sc, colors=[PALETTE[1]], line_style="dashed",
                                  stroke_width=1, labels=["your next run's C"],
                                  display_legend=True)
        self.names = end_label_mark(sc)
        fig = make_figure("The budget game: screening runs, your prediction, the hero",
                          self.x, self.y, "C = 6ND, FLOPs", "loss, nats/token",
                          [self.entropy, self.hero_rule, self.next_rule, self.frontier,
                           self.screen_marks,
                           self.fit_point, self.yours, self.hero_mark, self.names],
                          end_labels=True)
        fig.axes[1].tick_format = ".2f"
        self.meter = ipw.FloatProgress(min=0, max=1, value=0, description="budget spent",
                                       layout=looks.layout(width="24em"),
                                       style=looks.style(ipw.FloatProgress,
                                                         description_width="7em"))
        self.meter_text = looks.html()
        self.run_button = ipw.Button(description="Run it (a screening run)", icon="play",
                                     button_style="primary")
        self.undo_button = ipw.Button(description="Undo last", icon="undo")
        self.hero_button = ipw.Button(description="Commit and run the hero", icon="rocket",
                                      button_style="warning")
        self.new_button = ipw.Button(description="New game", icon="refresh")
        self.run_button.on_click(lambda _: self._act(self.add_screen))
        self.undo_button.on_click(lambda _: self._act(self.undo))
        self.hero_button.on_click(lambda _: self._act(lambda: self.set_state(hero="yes")))
        self.new_button.on_click(lambda _: self._act(self.new_game))
        actions = [ipw.HBox([self.run_button, self.undo_button]), self.meter, self.meter_text,
                   "screens", "hero_n", "prediction"]
        hero_box = [ipw.HBox([self.hero_button, self.new_button])]
        self._setup("The budget game: predict a run ten times bigger", controls, [fig],
                    readouts=looks.html(), primary=("next_n", "next_d", "screens", "hero_n",
                                                    "prediction"),
                    actions=actions + hero_box, formula_html=_FORMULAS)

    # ------------------------------------------------------------------ model
    compute = staticmethod(budget_game.game_view)

    def check(self, state):
        old = self.state
        if old["hero"] == "yes" and state["hero"] == "yes":
            changed = [k for k in ("screens", "hero_n", "prediction", "budget", "seed")
                       if state[k] != old[k]]
            if changed:
                raise ValueError("the hero has run and your prediction is locked: press New "
                                 "game to play again")
        budget_game.check_state(state)

    # ------------------------------------------------------------------ actions
    def add_screen(self) -> None:
        """Add a screening run of the chosen N and D (refused if it would overspend)."""
        s = self.state
        self.set_state(screens=[*s["screens"], [s["next_n"], s["next_d"]]])

    def undo(self) -> None:
        s = self.state
        if s["hero"] == "yes":
            raise ValueError("the hero has run: press New game to play again")
        self.set_state(screens=s["screens"][:-1])

    def new_game(self) -> None:
        self.set_state(screens=[], prediction=0.0, hero="no")

    def _act(self, action) -> None:
        try:
            action()
        except ValueError as err:
            self.message.error(f"{err}.")
        else:
            self.message.clear()

    # ------------------------------------------------------------------ view
    def render(self, v: budget_game.GameView, state):
        self.view = v
        c = np.array([s.flops for s in v.screens], float)
        loss = np.array([s.loss for s in v.screens], float)
        update(self.screen_marks, x=c, y=loss)
        hero_c = v.hero_budget
        xs = list(c) + ([hero_c] if hero_c else []) + [v.next_cost] + list(v.frontier_c)
        lo_c, hi_c = grids.decade_cover(np.array(xs, float), (1e8, 1e12))
        set_limits(self.x, lo_c, hi_c)
        update(self.figure.axes[0], tick_values=grids.decade_ticks(lo_c, hi_c))
        ys = list(loss) + [budget_game.SOURCE.entropy]
        if v.frontier_c:
            update(self.frontier, x=np.array(v.frontier_c), y=np.array(v.frontier_loss))
            ys += list(v.frontier_loss)
        else:
            update(self.frontier, x=np.zeros(0), y=np.zeros(0))
        points = {"fit": v.fit_prediction, "yours": v.prediction,
                  "hero": v.hero.loss if v.hero else None}
        ys += [p for p in points.values() if p]
        lo = min(ys) - 0.03
        hi = max(ys) + 0.05 * (max(ys) - min(ys)) + 0.03 if len(ys) > 1 else 2.0
        set_limits(self.y, lo, hi)
        update(self.entropy, x=np.array([lo_c, hi_c]), y=np.full(2, budget_game.SOURCE.entropy))
        for mark, key in ((self.fit_point, "fit"), (self.yours, "yours"),
                          (self.hero_mark, "hero")):
            has = bool(points[key]) and hero_c is not None
            update(mark, x=np.array([hero_c] if has else [], float),
                   y=np.array([points[key]] if has else [], float))
        update(self.hero_rule, x=np.array([hero_c, hero_c] if hero_c else [], float),
               y=np.array([lo, hi] if hero_c else [], float))
        update(self.next_rule, x=np.array([v.next_cost] * 2), y=np.array([lo, hi]))
        end_labels(self.names, [np.array([lo_c, hi_c])], [np.full(2, budget_game.SOURCE.entropy)],
                   ["true E"], ["#000000"], self.y)
        self._write(v, state)

    def _write(self, v, state):
        self.meter.value = min(v.spent / v.budget, 1.0)
        next_cost = v.next_cost
        self.meter_text.value = (f"Spent {si(v.spent)} of {si(v.budget)} FLOPs (6ND); "
                                 f"<b>{si(max(v.left, 0))} left</b>. The next run costs "
                                 f"{si(next_cost)}.")
        locked = state["hero"] == "yes"
        self.hero_button.disabled = locked or not v.screens
        self.run_button.disabled = self.undo_button.disabled = locked
        # At most three short lines (the fit, its prediction, the hero); the rest under More.
        lines, more = [], []
        if v.fit is None:
            lines.append(f"Fit: needs {budget_game.MIN_RUNS_TO_FIT} screening runs "
                         f"({len(v.screens)} so far).")
        elif not v.fit.usable:
            lines.append("Fit: it ran off to infinity: these runs cannot tell the N term from the "
                         "D term. Vary D at a fixed N, and N at a fixed D.")
        else:
            f = v.fit.fit
            low = f.E < v.fit.true_entropy - 0.05
            lines.append(f"Fit to {len(v.screens)} runs: floor E = {f.E:.3f}"
                         + (f" <i>(below the source's entropy {v.fit.true_entropy:.3f}: not "
                            "pinned down)</i>" if low else "") + ".")
            more.append(f"Fit: E = {f.E:.3f}, α = {f.alpha:.2f}, β = {f.beta:.2f}; it misses "
                        f"the runs by {100 * v.fit.rms_log:.1f}% of the loss (root mean square).")
            if low:
                more.append(f"The fitted floor E is below the source's entropy "
                            f"({v.fit.true_entropy:.3f}), which no model can beat: these runs do "
                            "not pin E down, and the fit will over-promise at larger C.")
        if v.hero_budget:
            more.append(f"Hero budget: {si(v.hero_budget)} FLOPs; your hero N = "
                        f"{si(v.hero_n)} trains on D = {si(v.hero_d)} tokens.")
        if v.fit_optimum:
            n_opt, d_opt = v.fit_optimum
            lines.append(f"The fit says your hero reaches <b>{v.fit_prediction:.3f}</b>.")
            more.append(f"The fit's compute-optimal hero: N ≈ {si(n_opt)}, D ≈ {si(d_opt)}"
                        f" ({d_opt / n_opt:.0f} tokens per parameter).")
        if v.hero is not None:
            err, fit_err = v.error, v.hero.loss - (v.fit_prediction or np.nan)
            lines.append(f"<b>Hero measured: {v.hero.loss:.3f} nats.</b> Measured minus predicted:"
                         f" yours ({v.prediction:.3f}) {err:+.3f}, the fit's {fit_err:+.3f}.")
            more.append(f"Your miss: {100 * err / v.hero.loss:+.1f}% of the measured loss.")
        # "More" is a collapsed <details> in the readout itself: an Accordion here, updated on
        # every click of the game, made Voila's page log Lumino errors (browser test).
        self.readouts.value = "<br>".join(lines) + (
            "<details><summary>More: the fit's constants, the hero's budget</summary>"
            + "<br>".join(more) + "</details>" if more else "")


_FORMULAS = (
    "<p>Each screening run costs C = 6·N·D of the budget (N snaps to the nearest width: "
    "N = 77·width + 64). The fit is Eq 2 of Hoffmann et al. 2022 by the published objective; "
    "the dashed line is its loss at the compute-optimal N of Eq 4 for each C. The hero's "
    "budget is ten times your largest screening run, and it trains on D = C/(6N) for the N "
    "you choose (scaling_laws_lab.lab.budget_game).</p>"
)
