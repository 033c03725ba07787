"""Classroom load: one Voila server on this machine, N students opening the same app at once.

Usage: ``python -m bench.classroom [--pages 30] [--only floor,app,preheat,server]``.
A benchmark, not a test; results go to bench/results/classroom.json.

Scenarios, each on a fresh Voila server, in one run (the machine is noisy, so compare
within the run):

- ``floor``: N headless Chromium pages open a bare Voila page (one bqplot line and a
  slider), cold. No explorer started cold can do better than this on this machine: it is
  the baseline (a pre-heated app can, having started its kernel before the class).
- ``app``: N pages open ``apps/01_compute.ipynb``, each then moves a slider, all at once.
- ``preheat``: the same, with Voila's pre-heated kernels (a pool of N for this app only,
  filled before the class arrives and refilled only 10 minutes after; `tests.servers.preheat_args`).
- ``server``: the server's own part, without browsers: N simultaneous requests for the
  app page, timed to the last byte (the kernel started, the app executed, the page sent),
  cold (progressive rendering off, or nothing would run) and pre-heated.

For each browser scenario: how many pages rendered, p50/p90 time to first figure (from each
page's own navigation start), slider-step latency with every student stepping at once,
peak kernel memory (per kernel and in total), and where the CPU time went (the browsers,
the kernels, Voila). On one 2-core machine the N browsers compete with the server they
load; in a classroom each runs on a student's own machine. The CPU split and the
``server`` scenario say how much of what is measured is the server's.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import pathlib
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request

import nbformat

from harness import servers

from .__main__ import BARE_BQPLOT, PROBE, ROOT

APP = "apps/01_compute.ipynb"
FLOOR = "floor.ipynb"
FIGURE = ".sll-explorer .sll-figure svg"

# The floor: make bench's bare bqplot page (one line, one slider), with the class names the
# probes look for.
FLOOR_SOURCE = BARE_BQPLOT.replace(
    "VBox([slider, fig])",
    'fig.add_class("sll-figure")\nbox = VBox([slider, fig])\nbox.add_class("sll-explorer")\nbox')
assert FLOOR_SOURCE != BARE_BQPLOT

# Installed before any page script runs: records when the first figure appears (ms since
# this page's navigation start), however late we come to read it.
FIRST_FIGURE_WATCH = """
(() => {
  const found = () => document.querySelector('FIGURE');
  const mark = () => { if (window.__firstFigure === undefined && found())
                         window.__firstFigure = performance.now(); };
  new MutationObserver(mark).observe(document, {subtree: true, childList: true});
})();
""".replace("FIGURE", FIGURE)

# Chromium flags for a classroom of foreground windows: background pages get no
# animation frames, and widgets lay out on them.
FOREGROUND = ["--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
              "--disable-renderer-backgrounding"]
HZ = os.sysconf("SC_CLK_TCK")


def processes() -> dict[str, list[tuple[float, float]]]:
    """(CPU seconds, resident MB) of each process of ours, by group, read from /proc."""
    groups = collections.defaultdict(list)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes()
            stat = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            rss = next(int(line.split()[1]) / 1024 for line in
                       pathlib.Path(f"/proc/{pid}/status").read_text().splitlines()
                       if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
        group = ("kernels" if b"ipykernel" in cmd else "voila" if b"bin/voila" in cmd
                 else "browsers" if b"chrom" in cmd else None)
        if group:
            groups[group].append(((int(stat[11]) + int(stat[12])) / HZ, rss))
    return groups


def cpu_seconds() -> dict[str, float]:
    return {group: sum(cpu for cpu, _ in procs) for group, procs in processes().items()}


class MemoryPeak(threading.Thread):
    """Samples kernel memory every half second: peak per kernel and in total (MB)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.per_kernel = self.total = 0.0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            sizes = [rss for _, rss in processes().get("kernels", [])]
            if sizes:
                self.per_kernel = max(self.per_kernel, max(sizes))
                self.total = max(self.total, sum(sizes))
            time.sleep(0.5)


def niced_chromium(folder) -> str:
    """Chromium started at the lowest CPU priority (nice 19), through a wrapper script.

    In a classroom each browser runs on a student's own machine. Here all thirty share the
    server's two cores, and at equal priority thirty renderer processes leave the single
    Voila process a thirtieth of the CPU: its messages then lag by minutes. At nice 19 the
    browsers take what the server leaves, which is nearer the real thing; they still finish
    no sooner than their own CPU time allows (see the floor scenario).
    """
    wrapper = pathlib.Path(folder) / "chromium-nice"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n 19 "{servers.find_chromium()}" "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else None


def wait_for_pool(server, timeout=600.0) -> float:
    start = time.monotonic()
    while "is filled" not in server.log.read_text():
        if time.monotonic() - start > timeout:
            raise RuntimeError("the pre-heated pool did not fill")
        time.sleep(0.5)
    return time.monotonic() - start


def spent(before: dict, after: dict) -> dict[str, float]:
    return {k: round(after.get(k, 0.0) - before.get(k, 0.0), 1) for k in ("browsers", "kernels", "voila")}


def classroom(folder: pathlib.Path, notebook: str, pages: int, extra: list[str],
              preheat: bool) -> dict:
    """N browser pages open `notebook` at once, then all step a slider at once, 5 times."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = servers.start_voila(pathlib.Path(tmp), folder, extra_args=extra)
        memory = MemoryPeak()
        memory.start()
        result = {"notebook": notebook, "pages": pages, "preheat": preheat}
        try:
            if preheat:
                result["pool_fill_s"] = round(wait_for_pool(server), 1)
                time.sleep(5)  # let the pool's kernels reach the point where they wait
                result["pool_cpu_s"] = spent({}, cpu_seconds())
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=niced_chromium(tmp),
                                            headless=True, args=servers.CHROMIUM_ARGS + FOREGROUND)
                # One browser context per student: its own connections and cache.
                tabs = [browser.new_context().new_page() for _ in range(pages)]
                before = cpu_seconds()
                for tab in tabs:
                    tab.add_init_script(FIRST_FIGURE_WATCH)
                    tab.route("**/*", lambda r: r.continue_()
                              if r.request.url.startswith("http://127.0.0.1") else r.abort())
                for tab in tabs:  # everyone clicks the link at once
                    tab.goto(f"{server.base}/voila/render/{notebook}", wait_until="commit")
                first = []
                deadline = time.monotonic() + 300
                for tab in tabs:
                    try:
                        tab.wait_for_function("window.__firstFigure !== undefined",
                                              timeout=max(1, deadline - time.monotonic()) * 1000)
                        first.append(tab.evaluate("window.__firstFigure") / 1000)
                    except Exception:
                        pass
                result["cpu_to_render_s"] = spent(before, cpu_seconds())
                steps = step_all_at_once([t for t in tabs if t.locator(FIGURE).count()])
                browser.close()
        finally:
            memory.done.set()
            server.stop()
    result.update({
        "rendered": len(first),
        "first_figure_p50_s": statistics.median(first) if first else None,
        "first_figure_p90_s": pct(first, 0.9),
        "first_figure_max_s": max(first) if first else None,
        "step_p50_ms": statistics.median(steps) if steps else None,
        "step_p90_ms": pct(steps, 0.9), "steps": len(steps),
        "peak_kernel_mb": round(memory.per_kernel), "peak_total_kernels_mb": round(memory.total),
    })
    return result


def step_all_at_once(tabs, rounds: int = 5) -> list[float]:
    """Every student presses → on their slider within the same moment; the time from each key
    press to the first change in that page's figure, ms."""
    for tab in tabs:
        tab.evaluate(PROBE, ["scope", ".sll-explorer .sll-figure", ""])
        tab.locator(".widget-slider .noUi-handle:visible").first.focus()
    times = []
    for _ in range(rounds):
        for tab in tabs:
            tab.keyboard.press("ArrowRight")
        for tab in tabs:
            try:
                tab.wait_for_function("window.__probe.t1 !== null", timeout=60_000)
                times.append(tab.evaluate("window.__probe.t1 - window.__probe.t0"))
            except Exception:
                times.append(float("inf"))  # no response within a minute: counts as worst
        time.sleep(0.3)
    return times


def server_only(folder: pathlib.Path, pages: int, extra: list[str], preheat: bool) -> dict:
    """N simultaneous requests for the app page, no browsers: seconds to the last byte."""
    with tempfile.TemporaryDirectory() as tmp:
        server = servers.start_voila(pathlib.Path(tmp), folder, extra_args=extra)
        try:
            if preheat:
                wait_for_pool(server)
                time.sleep(5)
            before = cpu_seconds()

            def fetch(_):
                start = time.monotonic()
                with urllib.request.urlopen(f"{server.base}/voila/render/{APP}", timeout=600) as r:
                    body = r.read()
                return time.monotonic() - start, b"sll-explorer" in body or b"widget-view" in body

            with concurrent.futures.ThreadPoolExecutor(pages) as pool:
                results = list(pool.map(fetch, range(pages)))
            cpu = spent(before, cpu_seconds())
        finally:
            server.stop()
    times = [t for t, _ in results]
    return {"pages": pages, "preheat": preheat, "with_widget_output": sum(ok for _, ok in results),
            "page_ready_p50_s": statistics.median(times), "page_ready_p90_s": pct(times, 0.9),
            "page_ready_max_s": max(times), "cpu_s": cpu}


def report(name: str, r: dict) -> None:
    def fmt(v, unit, digits=1):
        return "n/a" if v is None else f"{v:.{digits}f} {unit}"

    print(f"\n{name}: {r['pages']} pages, {r['notebook']}"
          f"{' (pre-heated pool of ' + str(r['pages']) + ')' if r['preheat'] else ''}")
    if r["preheat"]:
        print(f"  pool filled in {r['pool_fill_s']} s before the class (CPU {r['pool_cpu_s']})")
    print(f"  rendered {r['rendered']}/{r['pages']}; first figure p50 {fmt(r['first_figure_p50_s'], 's')}, "
          f"p90 {fmt(r['first_figure_p90_s'], 's')}, last {fmt(r['first_figure_max_s'], 's')}")
    print(f"  slider step, all students at once: p50 {fmt(r['step_p50_ms'], 'ms', 0)}, "
          f"p90 {fmt(r['step_p90_ms'], 'ms', 0)} ({r['steps']} steps)")
    print(f"  kernel memory peak: {r['peak_kernel_mb']} MB per kernel, {r['peak_total_kernels_mb']} MB total")
    cpu = r["cpu_to_render_s"]
    total = sum(cpu.values()) or 1
    print("  CPU seconds until the last figure: " + ", ".join(
        f"{k} {v} ({100 * v / total:.0f}%)" for k, v in cpu.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--only", default="floor,app,preheat,server")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    n = args.pages
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        # The apps and a floor page side by side, served as one folder.
        folder = pathlib.Path(tmp) / "served"
        shutil.copytree(ROOT / "notebooks" / "apps", folder / "apps")
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)]),
                       folder / FLOOR)
        # Refill the pool only after the class has arrived (10 minutes): Voila's default
        # (1 s) starts thirty new kernels while the first thirty pages are being served,
        # and the burst then took longer than with no pre-heating at all.
        preheat = servers.preheat_args(APP, pool_size=n, refill_after_s=600)
        if "floor" in wanted:
            results["floor"] = classroom(folder, FLOOR, n, [], preheat=False)
            report("Floor (bare bqplot page)", results["floor"])
        if "app" in wanted:
            results["app"] = classroom(folder, APP, n, [], preheat=False)
            report("App", results["app"])
        if "preheat" in wanted:
            results["preheat"] = classroom(folder, APP, n, preheat, preheat=True)
            report("App, pre-heated", results["preheat"])
        if "server" in wanted:
            # Without a browser, progressive rendering never starts the app (it runs when the
            # page connects), so the cold case is measured with it off: the page then comes
            # back only once the app has run.
            cold = ["--progressive_rendering=False"]
            for key, extra, heated in (("server_cold", cold, False), ("server_preheat", preheat, True)):
                r = results[key] = server_only(folder, n, extra, heated)
                print(f"\nServer only ({'pre-heated' if heated else 'cold'}), {n} simultaneous "
                      f"requests, no browsers: page complete p50 {r['page_ready_p50_s']:.1f} s, "
                      f"p90 {r['page_ready_p90_s']:.1f} s, last {r['page_ready_max_s']:.1f} s; "
                      f"{r['with_widget_output']}/{n} with the explorer's output; CPU {r['cpu_s']}")
    if "floor" in results and "app" in results and results["floor"]["first_figure_p90_s"]:
        ratio = results["app"]["first_figure_p90_s"] / results["floor"]["first_figure_p90_s"]
        results["app_over_floor_p90"] = round(ratio, 2)
        print(f"\nApp p90 time to first figure / floor p90, same run: {ratio:.2f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "classroom.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
