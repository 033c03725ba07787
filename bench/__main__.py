"""``make bench``: slider-step latency of every explorer, against a matplotlib baseline, in one run.

For each explorer in ``scaling_laws_lab.EXPLORERS``, served by Voila and opened in headless
Chromium: the time from a keyboard step on the first slider to the first change
in one of its bqplot figures (median and p90 over the steps), in two regimes:

- isolated steps, 250 ms apart (a learner pressing → deliberately): the latency;
- a held key, steps 60 ms apart: whether updates keep up or queue behind each other.

In the same run, the same measurement on a bare one-line bqplot figure (the floor)
and on an ``ipywidgets.interact`` + matplotlib plot of the same curve (a new PNG
per step, the baseline). The pages are measured in interleaved rounds, so a drift in
the machine's load reaches the floor and the explorers alike. Machines
here are noisy, so what counts is the ratio, never an absolute time; nothing here is
a test.

Also, the fitter: ``scaling_laws_lab.fitting.fit_chinchilla`` against the straightforward
published grid method (L-BFGS from each of 243 starts, 3 values per coordinate) on
the same runs, in the same run: objective no worse, and the speed-up (target ≥ 20×).

Usage: ``python -m bench [--steps 30] [--only fit|latency] [--explorers A,B]``. Results also go to
bench/results/.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import tempfile
import time

import nbformat
import scaling_laws_lab

from harness import servers

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGET_SPEEDUP = 5.0
CULL_ARGS = ["--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=2",
             "--MappingKernelManager.cull_connected=False"]
CULL_WAIT_S = 7
#: Median step latency as a multiple of the bare bqplot page in the same run: every explorer
#: within 1.25x, the fit explorer (a refit per step, warm-started) within 2x.
FLOOR_GOAL = {None: 1.25, "FitExplorer": 2.0}

BASELINE = """\
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from ipywidgets import FloatLogSlider, interact

d = np.logspace(6, 15, 120)

@interact(n=FloatLogSlider(value=7e10, base=10, min=6, max=15, step=0.02, description="N"))
def plot(n):
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.loglog(d, 6 * n * d)
    ax.set_xlabel("D, training tokens"); ax.set_ylabel("C, FLOPs")
    plt.show()
"""

# The floor: one bqplot line and one slider, nothing else (what the issue measured).
BARE_BQPLOT = """\
import bqplot as bq
import numpy as np
from ipywidgets import FloatLogSlider, VBox

d = np.logspace(6, 15, 120)
xs, ys = bq.LogScale(min=1e6, max=1e15), bq.LogScale(min=1e15, max=1e30)
line = bq.Lines(x=d, y=6 * 7e10 * d, scales={"x": xs, "y": ys})
fig = bq.Figure(marks=[line], axes=[bq.Axis(scale=xs), bq.Axis(scale=ys, side="left")],
                animation_duration=0)
slider = FloatLogSlider(value=7e10, base=10, min=6, max=15, step=0.02, description="N")
slider.observe(lambda ch: setattr(line, "y", 6 * ch["new"] * d), "value")
VBox([slider, fig])
"""

# Record the moment of the key press and of the first change it causes in the
# watched part of the page: for an explorer, any mutation inside one of its
# bqplot figures' SVG; for the baselines, the watched element's attribute (a
# path's "d" for bare bqplot, an <img> src for matplotlib).
PROBE = """
([mode, selector, attr]) => {
  const read = () => { const el = document.querySelector(selector); return el && el.getAttribute(attr); };
  window.__probe = {t0: null, t1: null, before: null};
  document.addEventListener('keydown', () => {
    window.__probe.t0 = performance.now(); window.__probe.t1 = null;
    window.__probe.before = mode === 'value' ? read() : null;
  }, true);
  new MutationObserver((records) => {
    const p = window.__probe;
    if (p.t0 === null || p.t1 !== null) return;
    const hit = mode === 'value'
      ? read() !== p.before
      : records.some(r => { const t = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                            return t && t.closest(selector) && t.closest('svg'); });
    if (hit) p.t1 = performance.now();
  }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}
"""


def write_notebooks(folder: pathlib.Path, names=None) -> dict[str, tuple[str, str, str]]:
    """One notebook per explorer (``names``, default all) plus the baselines; returns
    name -> (mode, selector, attribute)."""
    targets = {}
    for name in sorted(names or scaling_laws_lab.EXPLORERS):
        if not getattr(scaling_laws_lab, name).bench_latency:
            print(f"skipped {name}: its sliders set a plan and nothing moves until Run "
                  f"(bench.lab and bench.transfer measure it)")
            continue
        args = ", ".join(f"{k}={v!r}" for k, v in getattr(scaling_laws_lab, name).bench_args.items())
        cell = nbformat.v4.new_code_cell(f"from scaling_laws_lab import {name}\n{name}({args})")
        nb = nbformat.v4.new_notebook(cells=[cell])
        nbformat.write(nb, folder / f"{name}.ipynb")
        targets[name] = ("scope", ".sll-explorer .sll-figure", "")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BARE_BQPLOT)])
    nbformat.write(nb, folder / "bare_bqplot.ipynb")
    targets["bare_bqplot"] = ("scope", ".bqplot", "")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE)])
    nbformat.write(nb, folder / "baseline_matplotlib.ipynb")
    targets["baseline_matplotlib"] = ("value", ".widget-output img, .jp-OutputArea-output img", "src")
    return targets


class Probe:
    """One open page, its first visible slider focused, with the probe installed."""

    def __init__(self, browser, url: str, mode: str, selector: str, attr: str):
        self.page = page = browser.new_page(viewport={"width": 1280, "height": 900})
        local = "http://127.0.0.1"
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
        page.goto(url)
        page.wait_for_selector(selector + (" svg" if mode == "scope" else ""), timeout=120_000)
        # The first visible handle: a derived control's slider is hidden.
        page.wait_for_selector(".widget-slider .noUi-handle:visible", timeout=60_000)
        page.wait_for_timeout(500)
        page.evaluate(PROBE, [mode, selector, attr])
        self.presses = 0

    def steps(self, n: int, warmup: int, pause_ms: int) -> list[float]:
        """Press an arrow key ``warmup + n`` times, ``pause_ms`` apart; the last ``n`` latencies (ms)."""
        page = self.page
        page.locator(".widget-slider .noUi-handle:visible").first.focus()
        times = []
        for i in range(warmup + n):
            key = "ArrowRight" if (self.presses // 10) % 2 == 0 else "ArrowLeft"  # stay in range
            self.presses += 1
            page.keyboard.press(key)
            page.wait_for_function("window.__probe.t1 !== null", timeout=20_000)
            t = page.evaluate("window.__probe.t1 - window.__probe.t0")
            if i >= warmup:
                times.append(t)
            page.wait_for_timeout(pause_ms)  # let the rest of the update land before the next step
        return times


def measure_interleaved(browser, urls: dict, steps: int, rounds: int = 3) -> dict:
    """Every page's latencies, measured in ``rounds`` interleaved blocks.

    The machine's load drifts over the minutes a run takes; measuring the floor, the
    baseline and every explorer a block at a time, round after round, gives each the
    same conditions, so their ratios do not carry the drift. One page is open at a time
    (pages left open in the background slowed every step here by about 2x).
    """
    times = {name: {"isolated": [], "held": []} for name in urls}
    per_round = max(1, steps // rounds)
    for _ in range(rounds):
        for name, target in urls.items():
            probe = Probe(browser, *target)
            for regime, pause in (("isolated", 250), ("held", 60)):
                try:
                    times[name][regime] += probe.steps(per_round, warmup=2, pause_ms=pause)
                except Exception as err:  # name the page: one silent slider stops the whole run
                    raise RuntimeError(f"{name}: no figure changed within 20 s of a step of its "
                                       f"first visible slider ({regime} steps)") from err
            probe.page.close()
            time.sleep(CULL_WAIT_S)  # let Voila cull the page's kernel before the next one
    return times


def summarise(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"median_ms": statistics.median(ordered),
            "p90_ms": ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))],
            "steps": len(ordered)}


def bench_fit(repeats: int = 5) -> dict:
    """fit_chinchilla vs the plain 243-start grid method, on the same runs, timed in one run."""
    import time

    from scaling_laws_lab import fitting, papers

    data = ROOT.parent / "shared" / "data" / "chinchilla_fig4_points.csv"
    if data.exists():
        runs = fitting.drop_highest_loss(fitting.read_runs_csv(data.read_text()), 5)
        n, d, loss, label = runs.n_params, runs.n_tokens, runs.loss, str(data)
    else:
        runs = fitting.demo_runs(papers.BESIROGLU_2024, n_runs=240, noise=0.01, seed=0)
        n, d, loss, label = runs.n_params, runs.n_tokens, runs.loss, "synthetic demo runs"
    t0 = time.perf_counter()
    reference = fitting.fit_chinchilla_reference(n, d, loss, points=3)
    t_ref = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ours = fitting.fit_chinchilla(n, d, loss)
        times.append(time.perf_counter() - t0)
    t_ours = statistics.median(times)
    result = {"data": label, "runs": int(n.size), "reference_s": t_ref, "ours_s": t_ours,
              "speedup": t_ref / t_ours, "objective_ours": ours.objective,
              "objective_reference": reference.objective,
              "no_worse": ours.objective <= reference.objective * (1 + 1e-9)}
    print(f"\nFitter on {n.size} runs ({label}):")
    print(f"  plain grid method, 243 L-BFGS starts: {t_ref:.2f} s, objective "
          f"{reference.objective:.10g}")
    print(f"  scaling_laws_lab.fitting.fit_chinchilla:       {t_ours:.3f} s (median of {repeats}), "
          f"objective {ours.objective:.10g}")
    print(f"  speed-up {t_ref / t_ours:.0f}x (target >= 20x); objective "
          f"{'no worse' if result['no_worse'] else 'WORSE'} than the reference")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--only", choices=("fit", "latency"))
    parser.add_argument("--explorers", help="comma-separated explorer names (default: all)")
    args = parser.parse_args()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    if args.only != "latency":
        (out / "fit.json").write_text(json.dumps(bench_fit(), indent=2))
    if args.only == "fit":
        return
    chromium = servers.find_chromium()
    if chromium is None:
        raise SystemExit("make bench needs Chromium (Debian package `chromium`, or SLL_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "nb").mkdir()
        names = args.explorers.split(",") if args.explorers else None
        unknown = set(names or ()) - set(scaling_laws_lab.EXPLORERS)
        if unknown:
            raise SystemExit(f"unknown explorers: {sorted(unknown)}")
        targets = write_notebooks(tmp / "nb", names)
        # Voila keeps a closed page's kernel running; thirty of them slowed later pages until
        # the matplotlib page timed out (twice). Idle kernels with no page are culled.
        voila = servers.start_voila(tmp, tmp / "nb", CULL_ARGS)
        try:
            with sync_playwright() as p:
                browser = servers.launch_chromium(p, chromium)
                urls = {name: (f"{voila.base}/voila/render/{name}.ipynb", *target)
                        for name, target in targets.items()}
                times = measure_interleaved(browser, urls, args.steps)
                results = {name: {regime: summarise(t) for regime, t in by_regime.items()}
                           for name, by_regime in times.items()}
                browser.close()
        finally:
            voila.stop()

    base = results.pop("baseline_matplotlib")
    floor = results.pop("bare_bqplot")
    print(f"\nSlider step -> first change in a figure, Voila + headless Chromium, "
          f"{args.steps} steps per regime in 3 interleaved rounds")
    print(f"{'page':<22}{'isolated: median':>17}{'p90':>7}{'held key: median':>18}{'p90':>7}"
          f"{'x vs baseline':>15}{'x vs floor':>12}  verdict (isolated)")
    for name, r in results.items():
        iso = r["isolated"]
        r["speedup_vs_baseline"] = base["isolated"]["median_ms"] / iso["median_ms"]
        r["slowdown_vs_bare_bqplot"] = iso["median_ms"] / floor["isolated"]["median_ms"]
        goal = FLOOR_GOAL.get(name, FLOOR_GOAL[None])
        ok = r["slowdown_vs_bare_bqplot"] <= goal and r["speedup_vs_baseline"] >= TARGET_SPEEDUP
        print(f"{name:<22}{iso['median_ms']:>17.1f}{iso['p90_ms']:>7.1f}"
              f"{r['held']['median_ms']:>18.1f}{r['held']['p90_ms']:>7.1f}"
              f"{r['speedup_vs_baseline']:>15.1f}{r['slowdown_vs_bare_bqplot']:>12.2f}  "
              f"{'meets' if ok else 'MISSES'} (<= {goal:.2f}x floor, >= {TARGET_SPEEDUP:.0f}x "
              f"baseline)")
    for label, ref in (("floor: bare bqplot", floor), ("baseline: matplotlib", base)):
        print(f"{label:<22}{ref['isolated']['median_ms']:>17.1f}{ref['isolated']['p90_ms']:>7.1f}"
              f"{ref['held']['median_ms']:>18.1f}{ref['held']['p90_ms']:>7.1f}")
    (out / "latency.json").write_text(json.dumps(
        {"explorers": results, "bare_bqplot": floor, "baseline": base}, indent=2))


if __name__ == "__main__":
    main()
