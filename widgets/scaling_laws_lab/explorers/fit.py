"""Notebook 06: fit L = E + A/N^α + B/D^β to runs, live, and read off the allocation."""

from __future__ import annotations

import base64
import html
import json

import bqplot as bq
import ipywidgets as ipw
import numpy as np

from ..kit import (
    PALETTE,
    ChoiceControl,
    Explorer,
    IndexSetControl,
    LinearControl,
    LogControl,
    TextControl,
    attach_more,
    linear_scale,
    looks,
    make_figure,
    seed_control,
)
from ..kit.charts import NDPlane
from ..science import fitted, fitting
from ..science.units import si

_LAWS = fitted.DEMO_LAWS
_REPORT_C = fitted.REPORT_FLOPS  # Chinchilla's own compute, for tokens/param
EXAMPLE_CSV = fitted.EXAMPLE_CSV


class FitExplorer(Explorer):
    """Fit a Chinchilla-form law to SYNTHETIC demo runs or your own CSV, refitting as you go."""

    app = "apps/06_fit.ipynb"
    examples = (
        {"noise": 0.03},
        {"seed": 5},
        {"n_runs": 120},
        {"excluded": [0, 1, 2]},
        {"demo_law": "chinchilla_exact"},
        {"source": "pasted", "csv": EXAMPLE_CSV},
    )
    extremes = ({"n_runs": 600, "noise": 0.2}, {"n_runs": 6, "noise": 0.0},
                {"noise": 1.0, "seed": 9})

    def __init__(self):
        super().__init__()
        controls = [
            ChoiceControl("source", "Data", {"demo": "SYNTHETIC demo runs (a known law)",
                                             "chinchilla": "Chinchilla's runs (via Epoch AI)",
                                             "pasted": "your CSV (paste or upload)"}, "demo"),
            ChoiceControl("demo_law", "Demo's true law", {k: v.name for k, v in _LAWS.items()},
                          "epoch"),
            LinearControl("noise", "Demo noise (log sd)", "", 0.01, (0, 0.1), (0.0, 1.0),
                          step=0.001),
            LogControl("n_runs", "Demo runs", "runs", 60, (6, 600), (6, 2000), integer=True,
                       step=0.01),
            seed_control("Demo random seed"),
            TextControl("csv", "Your CSV", "", placeholder="params,tokens,loss\n1e8,2e9,3.1\n…"),
            IndexSetControl("excluded", "Left out"),
        ]
        self.upload = ipw.FileUpload(accept=".csv,.txt", multiple=False,
                                     description="Upload CSV")
        self.upload.observe(self._uploaded, "value")
        # Figure 1: runs on the N–D plane (a chart the compute explorer shares), iso-loss
        # contours as its dashed lines, the compute-optimal frontier.
        self.plane = NDPlane("Runs, fitted iso-loss contours (dashed) and the optimal frontier",
                             (1e7, 1e11), (1e9, 1e12), y_label="D, tokens")
        self.n_scale, self.d_scale, sc = self.plane.x_scale, self.plane.y_scale, self.plane.scales
        self.contours, self.contour_labels = self.plane.lines, self.plane.line_labels
        self.colour = bq.ColorScale(scheme="viridis", min=2.0, max=4.0)
        self.frontier = bq.Lines(scales=sc, colors=[PALETTE[1]], stroke_width=2.5,
                                 labels=["fitted compute-optimal frontier"], display_legend=True)
        self.contours.display_legend = True
        self.runs = bq.Scatter(scales={**sc, "color": self.colour}, default_size=40,
                               stroke="#333333", labels=["runs (colour: loss)"],
                               display_legend=True, interactions={"click": "select"},
                               tooltip=bq.Tooltip(fields=["x", "y", "color"],
                                                  formats=[".3~e", ".3~e", ".4f"],
                                                  labels=["N", "D", "loss"]))
        self.runs.on_element_click(self._clicked)
        self.plane.add(self.frontier, self.runs)
        fig1 = self.plane.figure
        # Figure 2: predicted against observed.
        self.obs_scale, self.pred_scale = linear_scale(2.0, 4.0), linear_scale(2.0, 4.0)
        sc2 = {"x": self.obs_scale, "y": self.pred_scale}
        self.diagonal = bq.Lines(scales=sc2, colors=["#888888"], line_style="dotted",
                                 labels=["predicted = observed"], display_legend=True)
        self.pred = bq.Scatter(scales=sc2, colors=[PALETTE[0]], default_size=30,
                               labels=["runs in the fit"], display_legend=True)
        self.pred_out = bq.Scatter(scales=sc2, colors=["#bbbbbb"], default_size=30,
                                   marker="cross", labels=["left out"], display_legend=True)
        fig2 = make_figure("Predicted against observed loss", self.obs_scale, self.pred_scale,
                           "observed loss", "fitted L(N, D)", [self.diagonal, self.pred_out,
                                                               self.pred])
        for axis in fig2.axes:
            axis.tick_format = ".2f"
        self.constants = looks.html()
        self.progress = ipw.IntProgress(min=0, max=100, value=0, description="bootstrap",
                                        layout={"width": "26em", "max_width": "100%",
                                                "visibility": "hidden"})
        self.boot_button = ipw.Button(description="Bootstrap intervals (100 refits)",
                                      layout={"width": "18em"})
        self.boot_button.on_click(lambda _: self.bootstrap())
        self.downloads = looks.html()
        self.fit = None
        self.intervals = None
        self.more_readouts = looks.html()
        self._setup("Fit your own scaling law", controls, [fig1, fig2], readouts=looks.html(),
                    extra=[self.upload, self.constants,
                           # wraps on a phone: the button keeps its words, the bar goes below
                           ipw.HBox([self.boot_button, self.progress],
                                    layout={"flex_flow": "row wrap"}), self.downloads],
                    formula_html=_FORMULAS, primary=("source", "noise"))
        attach_more(self, self.more_readouts, "More: the fit's quality and exponent")

    # ------------------------------------------------------------------ model
    def check(self, state):
        fitted.check_runs(state)  # raises with row/column for a bad CSV

    compute = staticmethod(fitted.fitted)

    def draw(self, state):
        # The same runs and exclusions give the same fit: reuse it. A step that keeps the runs
        # nearly the same (noise, runs left out) warm-starts from the last fit; new runs get
        # the full grid of starts (fitted.NEW_RUNS_KEYS).
        fit_key = (tuple(state[k] for k in fitted.NEW_RUNS_KEYS), state["noise"],
                   tuple(state["excluded"]))
        last_key, last = getattr(self, "_last_fit", (None, None))
        if fit_key != last_key:
            warm = last.fit if last is not None and last_key[0] == fit_key[0] else None
            last = fitted.fitted(state, warm_start=warm)
            self._last_fit = (fit_key, last)
        self.render(last, state)

    # ------------------------------------------------------------------ view
    def render(self, k: fitted.Fitted, state):
        for name in ("demo_law", "noise", "n_runs", "seed"):
            self.controls[name].set_enabled(state["source"] == "demo")
        runs, keep, fit = k.runs, k.keep, k.fit
        self.fit, self.intervals, self._table = fit, None, k.table
        self._runs, self._keep = runs, keep
        n, d, loss = runs.n_params, runs.n_tokens, runs.loss
        self.plane.set_range(k.n_range, k.d_range, decade_ticks=True)
        self.colour.min, self.colour.max = float(loss.min()), float(loss.max())
        self.runs.labels = [_RUN_LABELS[state["source"]] + " (colour: loss)"]
        self.runs.x, self.runs.y, self.runs.color = n, d, loss
        self.runs.opacities = np.where(keep, 1.0, 0.2).tolist()
        if state["source"] == "pasted":
            self.reveal(["csv"])  # the box to paste into is in "More settings"
        c = k.contours
        # The runs cover the plane, so a level written on a contour would sit on some run's
        # marker: the key names the levels instead, in the order the contours lie.
        self.plane.set_lines(c.x, c.y, [], [], [])
        self.contours.labels = ["iso-loss contours, lower left to upper right: "
                                + ", ".join(f"{level:.2f}" for level in c.levels[::-1])
                                + " nats"]
        self.frontier.x, self.frontier.y = k.frontier_n, k.frontier_d
        predicted = k.predicted
        both = np.concatenate([loss, predicted])
        lo, hi = float(both.min()) - 0.02, float(both.max()) + 0.02
        self.obs_scale.min, self.obs_scale.max = lo, hi
        self.pred_scale.min, self.pred_scale.max = lo, hi
        self.diagonal.x, self.diagonal.y = [lo, hi], [lo, hi]
        self.pred.x, self.pred.y = loss[keep], predicted[keep]
        self.pred_out.x, self.pred_out.y = loss[~keep], predicted[~keep]
        label = _RUN_LABELS[state["source"]]
        # Three short lines: the answer for this setting, and where to look; the rest in More.
        lines = [f"Fitted to {int(keep.sum())} of the {loss.size} runs ({label}): "
                 f"<b>{k.tokens_per_param:.1f} tokens per parameter</b> at Chinchilla's compute "
                 f"({si(_REPORT_C)} FLOPs)."]
        if state["source"] == "chinchilla":
            lines.append(_CHINCHILLA_NOTE)
        lines.append("Compare the constants with the other fits in the table below; "
                     "<b>Bootstrap intervals</b> gives their error bars.")
        self.readouts.value = "<br>".join(lines)
        self.more_readouts.value = (
            f"Runs: {'; '.join(runs.notes) or 'as given'}. Huber objective {fit.objective:.3g}; "
            f"RMS error of log loss {k.rms_log_error:.3g}. This fit's exponent: "
            f"N_opt ∝ C^{fit.a:.3f}."
            + (_CHINCHILLA_MORE if state["source"] == "chinchilla" else ""))
        self._write_constants()
        self._write_downloads()

    def _write_constants(self):
        iv = self.intervals

        def cell(value, key, first):
            text = f"{value:.4g}"
            if first and iv and key in iv:
                text += f" <small>[{iv[key][0]:.4g}, {iv[key][1]:.4g}]</small>"
            return f"<td>{text}</td>"

        body = ""
        for i, (name, e, a, b, alpha, beta, tpp) in enumerate(self._table):
            body += (f"<tr><td>{'<b>' if i == 0 else ''}{html.escape(name)}</td>"
                     + "".join(cell(v, key, i == 0) for v, key in
                               ((e, "E"), (a, "A"), (b, "B"), (alpha, "alpha"), (beta, "beta")))
                     + f"<td>{tpp:.1f}</td></tr>")
        level = f" ({int(100 * iv['level'])}% bootstrap intervals)" if iv else ""
        self.constants.value = (
            f"<table class='sll-table'><tr><th>fit{level}</th><th>E</th><th>A</th><th>B</th>"
            f"<th>α</th><th>β</th><th>tokens/param at 5.9e23</th></tr>{body}</table>"
        )

    def _write_downloads(self):
        def link(name, mime, text):
            data = base64.b64encode(text.encode()).decode()
            return f"<a download='{name}' href='data:{mime};base64,{data}'>{name}</a>"

        self.downloads.value = ("Export: " + link("fit.json", "application/json",
                                                  self.export_fit_json())
                                + " · " + link("runs.csv", "text/csv", self.export_csv()))

    # ------------------------------------------------------------------ actions
    def export_fit_json(self) -> str:
        """The current fit (and its intervals, if bootstrapped) as JSON."""
        out = {"law": "L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Eq 2)",
               "method": "Huber (delta 1e-3) on log loss, L-BFGS from the published grid",
               "fit": self.fit.to_dict(), "excluded_runs": self.state["excluded"],
               "source": self.state["source"]}
        if self.intervals:
            out["intervals"] = {k: v for k, v in self.intervals.items() if k != "samples"}
        return json.dumps(out, indent=2)

    def export_csv(self) -> str:
        """The runs in the fit (exclusions removed), cleaned, as CSV."""
        keep = self._keep
        return fitting.Runs(self._runs.n_params[keep], self._runs.n_tokens[keep],
                            self._runs.loss[keep]).to_csv()

    def bootstrap(self, n_boot: int = 100, seed: int = 0) -> dict:
        """Bootstrap intervals for the current fit, with the progress bar."""
        keep = self._keep
        self.progress.layout.visibility = "visible"
        self.progress.max, self.progress.value = n_boot, 0

        def tick(i, total):
            self.progress.value = i

        self.intervals = fitting.bootstrap_chinchilla(
            self._runs.n_params[keep], self._runs.n_tokens[keep], self._runs.loss[keep],
            n_boot=n_boot, seed=seed, progress=tick)
        self._write_constants()
        self._write_downloads()
        return self.intervals

    def _clicked(self, mark, event):
        index = event.get("data", {}).get("index")
        if index is not None:
            self.controls["excluded"].toggle(int(index))

    def _uploaded(self, change):
        files = change["new"]
        if not files:
            return
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        text = bytes(item["content"]).decode("utf-8", errors="replace")
        self.controls["csv"].show(text)  # the user's data stays as entered, good or bad
        try:
            self.set_state(source="pasted", csv=text)
            self.message.clear()
        except ValueError as err:
            self.message.error(f"{err}. The plot still shows the last accepted data.")

    def _ui_input(self, name, raw) -> None:
        if name != "csv":
            return super()._ui_input(name, raw)
        # Pasting data means "fit this": switch the source; on error keep the text as entered.
        try:
            self.set_state(source="pasted", csv=raw)
        except ValueError as err:
            self.message.error(f"{err}. The plot still shows the last accepted data.")
        else:
            self.message.clear()

    def set_state(self, **values) -> None:
        """As :meth:`Explorer.set_state`; new runs (another CSV, source or run count) also
        clear the list of left-out runs, whose numbers referred to the old runs."""
        if "excluded" not in values and {"source", "csv", "n_runs", "demo_law"} & set(values):
            values = {**values, "excluded": []}
            if values.get("source", self.state["source"]) == "chinchilla":
                # The five highest-loss runs Besiroglu et al. drop start out left out (faded,
                # one click puts each back).
                values["excluded"] = list(fitted.chinchilla().dropped)
        super().set_state(**values)


_RUN_LABELS = {"demo": "SYNTHETIC demo runs",
               "chinchilla": "Chinchilla's runs (Hoffmann et al. Fig 4, extracted by Epoch AI)",
               "pasted": "your runs"}

_CHINCHILLA_NOTE = ("Your fit (the published Huber) and the Epoch AI refit (Huber with a free "
                    "scale) agree within Epoch's standard errors.")
_CHINCHILLA_MORE = (
    "<br>Two fits of the same points, two objectives: <b>your fit</b> is the published one "
    "(Huber, δ = 1e-3, on log loss); the <b>Epoch AI refit</b> row is Besiroglu et al.'s "
    "headline fit, a Huber loss with a free scale. "
    "The five highest-loss runs, which Epoch drop, start out left out (faded): click to add one."
)

_FORMULAS = (
    "<p><b>L(N, D) = E + A/N^α + B/D^β</b> (Hoffmann et al. 2022, Eq 2). Fitted as the paper "
    "and Besiroglu et al. 2024 did: minimise Σ Huber_δ(log L̂ − log L), δ = 1e-3, with "
    "L̂ = exp(LSE(a − α log N, b − β log D, e)), A = e^a, B = e^b, E = e^e, by L-BFGS from the "
    "published grid of starts (α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}). "
    "Here all 4,500 starts are scored at once and the best few refined with the analytic "
    "gradient (scaling_laws_lab.fitting.fit_chinchilla).</p><p>Frontier: Eq 4 with the fitted "
    "constants. Intervals: percentile bootstrap over runs resampled with replacement.</p>"
)
