"""Notebook 07: train real small models in the kernel and watch a scaling law appear.

The explorer draws a plan and whatever runs of it this kernel has finished
(:func:`scaling_laws_lab.lab.sweep.lab_view`); "Run the sweep" trains the rest in a
background thread, so the page stays live (the Cancel button works, the bars move) and each
finished run appears at once. Runs are cached: running a finished plan again is instant.
"""

from __future__ import annotations

import base64

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from ..kit import (
    PALETTE,
    Explorer,
    LogControl,
    attach_more,
    end_label_mark,
    end_labels,
    linear_scale,
    log_scale,
    looks,
    make_figure,
    pad_rows,
    seed_control,
    set_limits,
    update,
)
from ..kit.charts import NDPlane
from ..kit.figures import FIGURE_HEIGHT, MARGIN_WITH_LABELS
from ..kit.runner import Runner, RunsInBackground
from ..lab import sweep
from ..lab.trainer import FactSource
from ..science import grids
from ..science.units import si

_COLOURS = PALETTE[:6] + ("#7F7F7F", "#8C564B", "#17BECF")


def _some(groups, most: int = 4):
    """At most ``most`` fixed-D groups, the fullest, in order of D (eight would crowd it)."""
    keep = sorted(range(len(groups)), key=lambda i: (-len(groups[i][1]), i))[:most]
    return [groups[i] for i in sorted(keep)]


class LabExplorer(RunsInBackground, Explorer):
    """Plan an IsoFLOP sweep of real models, run it, and fit the law to what you measured."""

    app = "apps/07_lab.ipynb"
    examples = (
        {"c_max": 1e10},
        {"n_max": 10_000.0},
        {"c_min": 3e8},
        {"n_min": 900.0, "c_min": 3e9},
    )
    extremes = ({"n_min": 100.0, "n_max": 1e6, "c_min": 1e6, "c_max": 1e9},
                {"n_min": 1e5, "n_max": 1e5, "c_min": 1e12, "c_max": 1e12})

    def __init__(self, **start):
        super().__init__()
        d = {**sweep.DEFAULT, **start}
        controls = [
            LogControl("c_max", "Largest budget C", "FLOPs", d["c_max"], (1e8, 1e12),
                       (1e6, 1e14), step=0.25),
            seed_control(value=d["seed"]),
            LogControl("c_min", "Smallest budget C", "FLOPs", d["c_min"], (1e7, 1e11),
                       (1e6, 1e14), step=0.25),
            LogControl("n_min", "Smallest model N", "params", d["n_min"], (100, 1e5), (100, 1e6),
                       step=0.05),
            LogControl("n_max", "Largest model N", "params", d["n_max"], (1e3, 1e6), (100, 1e6),
                       step=0.05),
        ]
        # Figure 1: the plan on the N–D plane, budgets as dashed lines of equal compute.
        self.plane = NDPlane("Your sweep: one run per dot, budgets C = 6ND dashed",
                             (1e2, 1e5), (1e3, 1e8))
        sc = self.plane.scales
        self.colour = bq.ColorScale(scheme="viridis", min=0.7, max=2.0)
        self.planned = bq.Scatter(scales=sc, colors=["#bbbbbb"], default_size=30,
                                  labels=["planned run"], display_legend=True)
        self.done = bq.Scatter(scales={**sc, "color": self.colour}, default_size=45,
                               stroke="#333333", labels=["finished run (colour: loss)"],
                               display_legend=True,
                               tooltip=bq.Tooltip(fields=["x", "y", "color"],
                                                  formats=[".4~s", ".3~e", ".4f"],
                                                  labels=["N", "D", "loss"]))
        self.plane.add(self.planned, self.done)
        # Figure 2: IsoFLOP curves, loss against N at fixed C, with their minima.
        self.iso_x, self.iso_y = log_scale(1e2, 1e5), linear_scale(0.6, 2.0)
        sc2 = {"x": self.iso_x, "y": self.iso_y}
        self.iso_lines = bq.Lines(scales=sc2, stroke_width=2, marker="circle", marker_size=20)
        self.iso_min = bq.Scatter(scales=sc2, marker="square", colors=["#000000"],
                                  default_size=50,
                                  labels=["IsoFLOP minimum (lowest point of a parabola in log N)"],
                                  display_legend=True,
                                  tooltip=bq.Tooltip(fields=["x", "y"], formats=[".4~s", ".4f"],
                                                     labels=["N_opt", "loss"]))
        self.iso_names = end_label_mark(sc2)
        fig2 = make_figure("IsoFLOP curves: loss against N at a fixed budget", self.iso_x,
                           self.iso_y, "N, parameters (D = C / 6N)", "loss, nats/token",
                           [self.iso_lines, self.iso_min, self.iso_names], end_labels=True)
        # Figure 3: loss against N at fixed D: the runs and the fitted law, E and the truth.
        self.fx, self.fy = log_scale(1e2, 1e5), linear_scale(0.6, 2.0)
        sc3 = {"x": self.fx, "y": self.fy}
        self.fit_lines = bq.Lines(scales=sc3, stroke_width=1.5, line_style="dashed",
                                  labels=["fitted L(N, D) at each D"], display_legend=True)
        self.group_runs = bq.Scatter(scales=sc3, default_size=30, stroke="#333333",
                                     labels=["runs (colour: D, as its line)"],
                                     display_legend=True,
                                     tooltip=bq.Tooltip(fields=["x", "y"],
                                                        formats=[".4~s", ".4f"],
                                                        labels=["N", "loss"]))
        self.entropy_lines = bq.Lines(scales=sc3, colors=["#D55E00", "#000000"],
                                      line_style="dotted", stroke_width=2,
                                      labels=["fitted E", "true entropy of the source"],
                                      display_legend=True)
        self.fit_names = end_label_mark(sc3)
        fig3 = make_figure("Loss against N at fixed D: your runs and the fitted law", self.fx,
                           self.fy, "N, parameters", "loss, nats/token",
                           [self.fit_lines, self.entropy_lines, self.group_runs, self.fit_names],
                           end_labels=True)
        for fig in (fig2, fig3):
            fig.axes[1].tick_format = ".2f"
            fig.layout = looks.layout(width="100%", max_width="760px",
                                      height=FIGURE_HEIGHT["plane"])
        # Running: a bar for the sweep, one for the current run, a Cancel button (kit/runner.py).
        self.runner = Runner("Run the sweep", "sweep", "this run", lambda: self._redraw())
        self.run_button, self.cancel_button = self.runner.run_button, self.runner.cancel_button
        self.sweep_bar, self.run_bar = self.runner.outer_bar, self.runner.inner_bar
        self.status = self.runner.status
        self.load_button = ipw.Button(description="Load shipped runs (instant)",
                                      icon="download",
                                      tooltip="the reference sweep made by this code from "
                                              "fixed seeds: for a slow machine or a class")
        self.run_button.on_click(lambda _: self.run(wait=False))
        self.load_button.on_click(lambda _: self.load_reference())
        self.downloads = looks.html()
        running = self.runner.widgets(self.load_button)
        self.more_readouts = looks.html()
        self._setup("Measure it yourself: a sweep of real models", controls,
                    [self.plane.figure, fig2, fig3], readouts=looks.html(),
                    extra=[], formula_html=_FORMULAS, primary=("c_max", "seed"),
                    actions=[running, self.downloads])
        attach_more(self, self.more_readouts, "More: the plan, the fit's constants, every minimum")

    # ------------------------------------------------------------------ model
    compute = staticmethod(sweep.lab_view)

    def check(self, state):
        if self.running:
            raise ValueError("a sweep is running: cancel it (or wait) before changing the plan")
        sweep.plan(state["n_min"], state["n_max"], state["c_min"], state["c_max"],
                   int(state["seed"]))  # raises with the reason

    def projector_labels(self):
        """Projector mode: the budget lines are half a decade apart, too close for 22 px names
        between them, so the names stand in the plane's right margin instead, level with
        where each line leaves the plot (kit.figures.end_labels pushes them apart)."""
        self.budget_names = end_label_mark(self.plane.scales, colour="#555555")
        self.plane.add(self.budget_names)
        self.plane.figure.fig_margin = dict(MARGIN_WITH_LABELS)

    # ------------------------------------------------------------------ view
    def render(self, v: sweep.LabView, state):
        self.view = v
        p = v.plan
        n_all = np.array([r.n_params for r in p.runs], float)
        d_all = np.array([r.n_tokens for r in p.runs], float)
        n_lo, n_hi = grids.decade_cover(n_all, (1e2, 1e5))
        d_lo, d_hi = grids.decade_cover(d_all, (1e3, 1e8))
        self.plane.set_range((n_lo, n_hi), (d_lo, d_hi), decade_ticks=True)
        # Budget lines D = C/(6N) across the plane, labelled where they enter it.
        # Each line only where it crosses the box (the axes fit the runs, not the lines).
        x_rows = [np.clip([c / (6 * d_hi), c / (6 * d_lo)], n_lo, n_hi) for c in p.budgets]
        y_rows = [np.clip(c / (6 * x), d_lo, d_hi) for c, x in zip(p.budgets, x_rows, strict=True)]
        lx = [float(x[0]) * 1.05 for x in x_rows]
        ly = [float(np.clip(c / (6 * x), d_lo, d_hi)) for c, x in zip(p.budgets, lx, strict=True)]
        texts = [f"C = {si(c)}" for c in p.budgets]
        if getattr(self, "budget_names", None) is None:
            self.plane.set_lines(x_rows, y_rows, lx, ly, texts)
        else:  # projector mode: the names in the right margin, where each line leaves the plot
            self.plane.set_lines(x_rows, y_rows, [], [], [])
            end_labels(self.budget_names, x_rows, y_rows, texts, y_scale=self.plane.y_scale)
        finished = {(r.run.width, r.budget) for r in v.runs}
        waiting = [r for r in p.runs if (r.width, r.budget) not in finished]
        update(self.planned, x=np.array([r.n_params for r in waiting], float),
               y=np.array([r.n_tokens for r in waiting], float))
        n = np.array([r.n_params for r in v.runs], float)
        d = np.array([r.n_tokens for r in v.runs], float)
        loss = np.array([r.loss for r in v.runs], float)
        if loss.size:
            set_limits(self.colour, float(loss.min()), float(max(loss.max(), loss.min() + 1e-3)))
        update(self.done, x=n, y=d, color=loss)
        self._render_isoflop(v, (n_lo, n_hi))
        self._render_fit(v, (n_lo, n_hi))
        self._write_readouts(v)
        self._write_downloads(v)

    def _loss_range(self, v, extra=()):
        values = [r.loss for r in v.runs] + list(extra) + [v.plan.source.entropy]
        lo, hi = min(values), max(values) if v.runs else 2.0
        pad = 0.04 * (hi - lo) + 0.01
        return lo - pad, hi + pad

    def _render_isoflop(self, v, n_range):
        set_limits(self.iso_x, *n_range)
        update(self.figures[1].axes[0], tick_values=grids.decade_ticks(*n_range))
        by_c = {}
        for r in v.runs:
            by_c.setdefault(r.budget, []).append(r)
        budgets = sorted(by_c)
        xs = [np.array(sorted(x.n_params for x in by_c[c]), float) for c in budgets]
        ys = [np.array([x.loss for x in sorted(by_c[c], key=lambda x: x.n_params)])
              for c in budgets]
        colours = [_COLOURS[i % len(_COLOURS)] for i in range(len(budgets))]
        update(self.iso_lines, x=pad_rows(xs), y=pad_rows(ys), colors=colours or [PALETTE[0]],
               labels=[f"C = {si(c)} FLOPs" for c in budgets])
        set_limits(self.iso_y, *self._loss_range(v, [m.loss_min for m in v.minima]))
        inner = [m for m in v.minima if m.interior]
        update(self.iso_min, x=np.array([m.n_opt for m in inner], float),
               y=np.array([m.loss_min for m in inner], float))
        end_labels(self.iso_names, pad_rows(xs), pad_rows(ys), [f"C = {si(c)}" for c in budgets],
                   colours, self.iso_y)

    def _render_fit(self, v, n_range):
        set_limits(self.fx, *n_range)
        update(self.figures[2].axes[0], tick_values=grids.decade_ticks(*n_range))
        groups = _some(v.groups)
        colours = [_COLOURS[i % len(_COLOURS)] for i in range(len(groups))]
        pts_x = np.concatenate([g[1] for g in groups]) if groups else np.zeros(0)
        pts_y = np.concatenate([g[2] for g in groups]) if groups else np.zeros(0)
        pts_c = [colours[i] for i, g in enumerate(groups) for _ in g[1]]
        update(self.group_runs, x=pts_x, y=pts_y, colors=pts_c or [PALETTE[0]])
        fitted = v.fit is not None and bool(groups)
        ends = np.array(n_range, float)
        true_e = v.plan.source.entropy
        if fitted:
            n_runs = [r.n_params for r in v.runs]
            grid = np.geomspace(min(n_runs), max(n_runs), 40)
            rows = np.array([np.asarray(v.fit.fit.predict(grid, g[0]), float) for g in groups])
            lo, hi = self._loss_range(v, rows.ravel().tolist())
            hi = min(hi, lo + 4.0)
            rows = np.minimum(rows, hi)  # small N at small D can run far above the runs
            grid_rows = np.tile(grid, (len(groups), 1))
            e_rows = np.array([[v.fit.fit.E] * 2, [true_e] * 2])
            e_labels = [f"fitted E = {v.fit.fit.E:.3f}", f"true entropy = {true_e:.3f}"]
            texts = [f"D = {si(g[0])}" for g in groups] + ["fitted E", "true E"]
            label_colours = colours + ["#D55E00", "#000000"]
            ends = np.array([min(n_runs), max(n_runs)], float)
            x_rows = [*grid_rows, ends, ends]
            y_rows = [*rows, *e_rows]
        else:
            lo, hi = self._loss_range(v)
            grid_rows, rows = np.zeros((0, 2)), np.zeros((0, 2))
            e_rows = np.array([[true_e] * 2])
            e_labels = [f"true entropy = {true_e:.3f}"]
            texts, label_colours = ["true E"], ["#000000"]
            x_rows, y_rows = [ends], [e_rows[0]]
        set_limits(self.fy, lo, hi)
        update(self.fit_lines, x=grid_rows, y=rows, colors=colours or [PALETTE[0]],
               labels=[f"fitted L(N, D = {si(g[0])})" for g in groups] if fitted else [])
        update(self.entropy_lines, x=np.tile(ends, (len(e_rows), 1)), y=e_rows,
               colors=["#D55E00", "#000000"] if fitted else ["#000000"], labels=e_labels)
        end_labels(self.fit_names, x_rows, y_rows, texts, label_colours, self.fy)

    def _write_readouts(self, v):
        # Three short lines (the floor, the exponent, progress); the rest waits under More.
        p = v.plan

        def count(k, word):
            return f"{k} {word}{'' if k == 1 else 's'}"

        lines, more = [], []
        if v.fit is not None:
            f = v.fit.fit
            lines.append(f"Fitted floor <b>E = {f.E:.3f}</b>; the source's true entropy "
                         f"{v.fit.true_entropy:.3f}.")
            more.append(f"Fit (Eq 2, published objective): E = {f.E:.3f}, α = {f.alpha:.2f}, "
                        f"β = {f.beta:.2f}; it misses the runs by {100 * v.fit.rms_log:.1f}% "
                        "of the loss (root mean square of the log residuals).")
        if v.optimum is not None:
            o = v.optimum
            tpp = ", ".join(f"{t:.0f}" for t in o.tokens_per_param)
            lines.append(f"IsoFLOP minima: <b>N_opt ∝ C^{o.a:.2f}</b> (Chinchilla's approach 2, "
                         "the same method: 0.49).")
            more.append(f"Tokens per parameter at the minima: {tpp} (Chinchilla: about 20).")
        elif v.runs:
            lines.append("Fewer than two IsoFLOP curves with an interior minimum so far.")
        # "Plan: 38 runs … 12 finished" stays on screen: the browser test reads it there.
        lines.append(f"Plan: {count(len(p.runs), 'run')} ({len(p.widths)} sizes × "
                     f"{len(p.budgets)} budgets), about {p.seconds:.0f} s on two free cores; "
                     f"{len(v.runs)} finished.")
        more.insert(0, f"Plan: N {si(min(r.n_params for r in p.runs))}–"
                       f"{si(max(r.n_params for r in p.runs))}, C {si(p.budgets[0])}–"
                       f"{si(p.budgets[-1])} FLOPs; a busy server takes longer than the time above.")
        if p.skipped:
            more.append(f"{len(p.skipped)} left out: under {sweep.MIN_STEPS} steps, or over "
                        f"{si(sweep.MAX_TOKENS)} tokens.")
        self.readouts.value = "<br>".join(lines)
        update(self.more_readouts, value="<br>".join(more))

    def _write_downloads(self, v):
        if not v.runs:
            update(self.downloads, value="")
            return
        data = base64.b64encode(sweep.runs_to_csv(v.runs).encode()).decode()
        update(self.downloads, value=(
            "Export: <a download='lab_runs.csv' href='data:text/csv;base64," + data
            + "'>lab_runs.csv</a> (notebook 06's Data → your CSV reads it)"))

    # ------------------------------------------------------------------ actions
    def export_csv(self) -> str:
        """The finished runs of the current plan as CSV (notebook 06 reads it)."""
        return sweep.runs_to_csv(self.view.runs)

    def run(self, wait: bool = True) -> None:
        """Train the plan's unfinished runs; ``wait=False`` (the button) runs in a thread."""
        the_plan = self.view.plan
        self.runner.start(lambda progress: sweep.run_sweep(the_plan, progress),
                          len(the_plan.runs), len(self.view.runs), wait=wait, what="runs")

    def load_reference(self) -> int:
        """Put the shipped reference runs in the cache and show what they cover of this plan."""
        count = sweep.preload_reference()
        self._redraw()
        seeds = ", ".join(map(str, sweep.REFERENCE_SEEDS))
        self.status.value = (f"Loaded {count} shipped runs (seeds {seeds}); this plan has "
                             f"{len(self.view.runs)} of its {len(self.view.plan.runs)} runs "
                             "among them.")
        return count




_SOURCE = FactSource()  # the panel quotes the source the sweep really reads
_FORMULAS = (
    f"<p><b>The source</b>: keys drawn from a Zipf law p_k ∝ (k+1)^−{_SOURCE.zipf:g} over "
    f"{_SOURCE.n_keys:,} keys, each with a fact among {_SOURCE.n_values} values, replaced by a "
    f"uniform value {_SOURCE.noise:.0%} of the time. The best "
    "possible loss is the entropy E = −q ln q − (M−1) r ln r with q = 1 − ε + ε/M, r = ε/M "
    "(scaling_laws_lab.lab.trainer).</p><p><b>The models</b>: one hidden ReLU layer over a "
    "12-bit code of the key (no embedding table); N counts every weight and bias. Adam, batch "
    "256, one pass over fresh data, learning rate decayed linearly to zero.</p>"
    "<p><b>Approach 2</b> (Hoffmann et al. 2022, §3.2): a parabola in log N through each "
    "IsoFLOP curve's lowest run and its neighbours; N_opt ∝ C^a by least squares. "
    "<b>Approach 3</b> (Eq 2): L = E + A/N^α + B/D^β by the published Huber objective "
    "(scaling_laws_lab.science.fitting.fit_chinchilla).</p>"
)
