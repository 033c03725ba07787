"""Real browsers: JupyterLab and Voila in headless Chromium, controls moved with the keyboard.

Each test takes a screenshot of what it checked. They go to build/screenshots/ (ignored by
git); with SLL_SCREENSHOTS=1 (``make screenshots``) they replace the ones the README shows in
docs/screenshots/. ``make test`` never writes a tracked file.
"""

from __future__ import annotations

import os
import pathlib
import time

import pytest

from harness import servers

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHOTS = ROOT / ("docs" if os.environ.get("SLL_SCREENSHOTS") == "1" else "build") / "screenshots"
FAILURES = ROOT / "build"

# Known, harmless console noise, matched by text. Anything else fails the test.
HARMLESS = (
    "Unsatisfied version",  # Voila 0.5.13 bundles JupyterLab 4.2 packages
    "Failed to load resource",  # JupyterLab's own refused requests; Voila pages are held to
    "net::ERR_FAILED",          # "no request elsewhere, none fails" by _open instead
    # Voila 0.5.13's widget manager handling a message for a view it already disposed, seen
    # intermittently (1 run in 3) on the recipe app at first render; the figures and controls
    # are then complete and live (the tests' other checks pass). Not our code: noted, not hidden
    # elsewhere.
    "reading 'processLuminoMessage'",
)
LINE = ".sll-explorer .bqplot svg g.curve path.line"
HANDLE = ".sll-explorer .widget-slider .noUi-handle"


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 2000})
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    # Offline here: refuse anything that is not our own server. A Voila page (what a class or a
    # forum link opens) may not even ask: a request elsewhere fails offline, and so may no
    # request to our own server (the template's CDN fonts were dropped for this).
    strict = "/voila/" in url

    def route(r):
        if r.request.url.startswith("http://127.0.0.1"):
            r.continue_()
            return
        if strict:
            problems.append(f"request to another host: {r.request.url}")
        r.abort()

    page.route("**/*", route)
    if strict:
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.goto(url)
    return page, problems


def _real_problems(problems):
    return [p for p in problems if not any(h.lower() in p.lower() for h in HARMLESS)]


def _step_slider_and_check(page):
    """Focus the first slider handle, press → three times, return (before, after) path data."""
    page.wait_for_selector(LINE, timeout=60_000)
    lines = page.locator(LINE)
    before = [lines.nth(i).get_attribute("d") for i in range(lines.count())]
    readout = page.locator(".sll-explorer .sll-readouts").first.inner_text()
    handle = page.locator(HANDLE).first
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([sel, d]) => document.querySelector(sel).getAttribute('d') !== d",
        arg=[LINE, before[0]], timeout=15_000,
    )
    after = _settled(page, lambda: [lines.nth(i).get_attribute("d") for i in range(lines.count())])
    new_readout = page.locator(".sll-explorer .sll-readouts").first.inner_text()
    return before, after, readout, new_readout


def _settled(page, read, quiet_ms=600, timeout_ms=30_000):
    """What ``read()`` returns once it is not empty and has stopped changing for ``quiet_ms``
    (a slow machine may still be drawing after any fixed wait)."""
    last, waited = None, 0
    while waited < timeout_ms:
        now = read()
        if now and now == last:
            return now
        last = now
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
    raise AssertionError("the plot kept changing")


def test_voila_start_here_slider_moves_the_plot(browser, voila):
    page, problems = _open(browser, f"{voila.base}/voila/render/00_start_here.ipynb")
    # The README's first picture: the explorer as it opens, the state 00's text describes.
    page.wait_for_selector(LINE, timeout=60_000)
    page.wait_for_timeout(1000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".sll-explorer").first.screenshot(path=str(SHOTS / "voila-00-calculator.png"))
    before, after, readout, new_readout = _step_slider_and_check(page)
    assert after[0] != before[0], "the plotted line did not change"
    assert new_readout != readout, "the readout did not follow the slider"
    # A rejected value typed in the UI: message shown, plot kept.
    entry = page.locator(".sll-explorer .sll-entry input").first
    entry.fill("-5")
    entry.press("Enter")
    page.wait_for_selector(".sll-explorer .sll-error", timeout=15_000)
    assert page.locator(LINE).first.get_attribute("d") == after[0]
    assert not _real_problems(problems), problems
    page.close()


def test_jupyterlab_start_here_runs_and_responds(browser, lab):
    url = f"{lab.base}/lab/tree/notebooks/00_start_here.ipynb?token={lab.token}&reset"
    page, problems = _open(browser, url)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)
    # The kernel's name in the toolbar means a kernel is attached, not just "no kernel, idle".
    page.wait_for_selector('.jp-Toolbar-kernelName:has-text("Python")', timeout=60_000)
    # Run All; on a loaded machine the first click can land while Lab is still settling and
    # run nothing (seen once in a full `make test`: every prompt still "[ ]"), so it is given
    # one more try if no cell has started after 30 s.
    started = ("[...document.querySelectorAll('.jp-InputArea-prompt')]"
               ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))")
    for attempt in range(2):
        page.locator('.lm-MenuBar-itemLabel:text-is("Run")').click()
        page.locator('.lm-Menu-itemLabel:text-is("Run All Cells")').click()
        try:
            page.wait_for_function(started, timeout=30_000)
            break
        except Exception:
            if attempt:
                raise
    try:
        page.wait_for_selector(LINE, timeout=90_000)
    except Exception:
        FAILURES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(FAILURES / "lab-failure.png"))
        raise
    before, after, readout, new_readout = _step_slider_and_check(page)
    assert after[0] != before[0], "the plotted line did not change"
    assert new_readout != readout
    # In Lab too the control sits beside the figure it drives: with the explorer scrolled to
    # the top of a 1280×800 window, the first control and the first figure are both on screen.
    page.set_viewport_size({"width": 1280, "height": 800})
    explorer = page.locator(".sll-explorer").first
    explorer.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    for what, selector in (("first control", ".sll-side .sll-control"),
                           ("first figure", ".sll-main .sll-figure")):
        box = explorer.locator(selector).first.bounding_box()
        assert box is not None, what
        assert 0 <= box["x"] and box["x"] + box["width"] <= 1281, (what, box)
        assert 0 <= box["y"] and box["y"] + box["height"] <= 801, (what, box)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".sll-explorer").first.screenshot(path=str(SHOTS / "lab-00-calculator.png"))
    # The news toast is switched off by the settings override the package installs.
    assert page.locator(".jp-toast-message:has-text('news')").count() == 0
    assert not _real_problems(problems), problems
    page.close()


def _first_slider_updates_every_figure(browser, voila, notebook, n_figures, shot,
                                       expect_changed=None, prepare=None, presses=2):
    """Open ``notebook`` in Voila, step its first explorer's first visible slider, and see the
    figures change (all of them, or those listed in ``expect_changed``). ``prepare(explorer)``
    runs first, e.g. to pick a menu entry that shows the slider."""
    page, problems = _open(browser, f"{voila.base}/voila/render/{notebook}")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
    explorer = page.locator(".sll-explorer").first
    figures = explorer.locator(".sll-figure")
    assert figures.count() == n_figures
    # The screenshot shows the explorer as it opens: the state the notebook's text describes.
    page.wait_for_timeout(1000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    explorer.screenshot(path=str(SHOTS / shot))
    if prepare is not None:
        prepare(explorer)
    page.wait_for_timeout(1000 if prepare is not None else 500)
    # After the preparation: what changes from here on is the slider's doing.
    before = [figures.nth(i).inner_html() for i in range(n_figures)]
    handle = explorer.locator(".widget-slider .noUi-handle:visible").first
    handle.wait_for(timeout=15_000)
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    for i in range(n_figures) if expect_changed is None else expect_changed:
        page.wait_for_function(
            "([i, html]) => document.querySelectorAll('.sll-explorer')[0]"
            ".querySelectorAll('.sll-figure')[i].innerHTML !== html",
            arg=[i, before[i]], timeout=15_000,
        )
    assert not _real_problems(problems), problems
    page.close()


def test_voila_compute_n_slider_updates_both_figures(browser, voila):
    _first_slider_updates_every_figure(browser, voila, "01_compute_6ND.ipynb", 2,
                                       "voila-01-compute.png")


def test_voila_allocation_budget_slider_updates_every_figure(browser, voila):
    _first_slider_updates_every_figure(browser, voila, "02_compute_optimal.ipynb", 3,
                                       "voila-02-allocation.png")


def test_voila_finetune_method_menu_and_k_slider_update_both_figures(browser, voila):
    def pick_top_k(explorer):
        explorer.locator("select:has(option:text-is('top k blocks only'))").select_option(
            label="top k blocks only")

    # Notebook 03 opens its explorer only once its predict-first check has an answer; the app
    # shows the same explorer at once. One press, not several: at k = 1 a step of the log slider
    # rounds back to 1, so the kernel moves k to 2 and the slider to 2's position, and further
    # presses race that reply. Twelve quick presses once ended at k = 1 on a CI machine about
    # twice as slow as a laptop; test_explorers' quick-presses test pins the fix, and one
    # press here keeps this test about the figures.
    _first_slider_updates_every_figure(browser, voila, "apps/03_finetune.ipynb", 2,
                                       "voila-03-finetune.png", prepare=pick_top_k, presses=1)


def test_voila_transfer_n_slider_updates_every_figure(browser, voila):
    # Notebooks 04 and 05 open their explorers only once a predict-first check has an answer;
    # the apps show the same explorers at once.
    _first_slider_updates_every_figure(browser, voila, "apps/04_transfer.ipynb", 3,
                                       "voila-04-transfer.png")


def test_voila_asymptotes_range_slider_updates_the_laws(browser, voila):
    _first_slider_updates_every_figure(browser, voila, "apps/05_asymptotes.ipynb", 3,
                                       "voila-05-asymptotes.png", expect_changed=[0])


def test_voila_lifetime_inference_slider_moves_the_optimum(browser, voila):
    # In notebook 09 the explorer stays hidden until the learner commits to a prediction (issue
    # 29), so the slider is tested in its app, like 09's other two explorers. De Vries's curve
    # (the third figure) does not depend on the tokens served.
    _first_slider_updates_every_figure(browser, voila, "apps/09_lifetime.ipynb", 3,
                                       "voila-09-lifetime.png", expect_changed=[0, 1])


def test_voila_data_limits_epochs_slider_moves_both_epoch_figures(browser, voila):
    _first_slider_updates_every_figure(browser, voila, "apps/09_data_limits.ipynb", 3,
                                       "voila-09-data-limits.png", expect_changed=[0, 1])


def test_voila_disagreement_window_slider_refits(browser, voila):
    _first_slider_updates_every_figure(browser, voila, "apps/09_disagreement.ipynb", 3,
                                       "voila-09-disagreement.png", expect_changed=[0, 1])


def test_voila_fit_noise_slider_refits_both_figures(browser, voila):
    # Run whole, notebook 06 ends with its explorer on Chinchilla's runs (fetched from the
    # session's loopback copy), where the demo's noise slider is hidden: choose the demo back.
    def pick_demo(explorer):
        # Voila renders progressively: wait for the bootstrap's output (after the cell that
        # switches the explorer to Chinchilla's runs), or the switch would come after ours.
        explorer.page.get_by_text("bootstrap intervals,").first.wait_for(timeout=120_000)
        label = "SYNTHETIC demo runs (a known law)"
        explorer.locator(f"select:has(option:text-is(\"{label}\"))").select_option(label=label)

    _first_slider_updates_every_figure(browser, voila, "06_fit_your_own.ipynb", 2,
                                       "voila-06-fit.png", prepare=pick_demo)


# ---------------------------------------------------------------- delivery (issue 9)
AXE = None


def _axe_source():
    global AXE
    if AXE is None:
        import importlib.util

        spec = importlib.util.find_spec("axe_playwright_python")
        AXE = (pathlib.Path(spec.origin).parent / "axe.min.js").read_text()
    return AXE


def _plotted(page):
    """The first explorer's plotted geometry: every line's path and every point's position."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.sll-explorer')[0]"
        ".querySelectorAll('.sll-figure path.line, .sll-figure .object_grp'))"
        ".map(el => el.getAttribute('d') || el.getAttribute('transform'))")


def test_share_link_round_trip_in_voila(browser, voila):
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/01_compute.ipynb"
                                    "?n_params=7e10&n_tokens=1.4e12&accelerator=A100")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
    readout = page.locator(".sll-explorer .sll-readouts").first
    assert "5.88e23 FLOPs" in readout.inner_text() and "A100" in readout.inner_text()
    assert "Restored from the link" in page.locator(".sll-message").first.inner_text()
    plotted = _settled(page, lambda: _plotted(page))
    assert plotted
    page.get_by_role("button", name="Share this setting").click()
    link = page.locator(".sll-share a").first
    link.wait_for(timeout=15_000)
    href = link.get_attribute("href")
    assert "explorer=ComputeExplorer" in href and "n_params=70000000000.0" in href
    other, more = _open(browser, f"{voila.base}{href}")
    other.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
    assert _settled(other, lambda: _plotted(other)) == plotted
    assert other.locator(".sll-explorer .sll-readouts").first.inner_text() == readout.inner_text()
    assert not _real_problems(problems + more), problems + more
    page.close()
    other.close()


def test_hostile_link_changes_nothing_and_says_so(browser, voila):
    query = "n_params=__import__('os')&n_params=1e999&unknown=1&n_tokens=" + "9" * 500
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/00_calculator.ipynb?{query}")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
    message = page.locator(".sll-message").first.inner_text()
    assert "ignored" in message and "unknown" in message and "more than once" in message
    assert "500 characters" in message
    assert "70B" in page.locator(".sll-explorer .sll-readouts").first.inner_text()
    page.close()


# Samples, from the first moment of the page, which CSS animations are running and whether
# Voila's loading placeholders (the logo, the per-cell skeletons) were there to animate.
ANIMATION_WATCH = """
window.__animations = []; window.__placeholders = new Set();
const sample = () => {
  for (const el of document.querySelectorAll('.spinner, .voila-skeleton-post'))
    if (el.getClientRects().length) window.__placeholders.add(el.className.baseVal ?? el.className);
  for (const a of document.getAnimations())
    if (a.playState === 'running' && a.animationName) window.__animations.push(a.animationName);
};
setInterval(sample, 25);
"""


@pytest.mark.parametrize("where", ["voila", "lab"])
def test_pages_wait_without_animations(browser, request, where):
    # Voila's shimmering placeholders repaint 60 times a second: about 9% of a core per
    # waiting page, which with thirty pages starved the server they waited for
    # (bench.classroom). Our template (installed with the package, named in voila.json,
    # which standalone Voila and Voila inside JupyterLab both read) keeps them still.
    server = request.getfixturevalue(where)
    path = "apps/00_calculator.ipynb" if where == "voila" else "notebooks/apps/00_calculator.ipynb"
    token = f"?token={server.token}" if where == "lab" else ""
    page = browser.new_page()
    page.add_init_script(ANIMATION_WATCH)
    page.goto(f"{server.base}/voila/render/{path}{token}")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=90_000)
    page.wait_for_timeout(300)
    assert page.locator("style#sll-still-loading").count() == 1
    assert page.evaluate("window.__placeholders.size") > 0, "no loading placeholder was seen"
    assert page.evaluate("window.__animations") == []
    # ?token= is the server's, not a setting: the explorer says nothing about it.
    assert page.locator(".sll-message").first.inner_text().strip() == ""
    page.close()


def test_share_link_reaches_a_preheated_kernel(browser, tmp_path):
    # With --preheat_kernel Voila runs the app before anyone asks for it, so the link's query
    # cannot be in the kernel's environment yet: the explorer must wait for the request.
    server = servers.start_voila(tmp_path, extra_args=servers.preheat_args(
        "apps/00_calculator.ipynb", pool_size=1))
    try:
        for _ in range(240):  # the pool is filled when the kernel has started
            if "is filled" in server.log.read_text():
                break
            time.sleep(0.5)
        page, problems = _open(browser, f"{server.base}/voila/render/apps/00_calculator.ipynb"
                                        "?n_params=7e9&n_tokens=1e12")
        page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
        assert "Using pre-heated kernel" in server.log.read_text()
        assert "4.2e22 FLOPs" in page.locator(".sll-explorer .sll-readouts").first.inner_text()
        assert "Restored from the link" in page.locator(".sll-message").first.inner_text()
        assert not _real_problems(problems), problems
        page.close()
    finally:
        server.stop()


def test_figure_export_downloads_png_and_svg(browser, voila, tmp_path):
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/00_calculator.ipynb")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
    for kind, magic in (("PNG", b"\x89PNG"), ("SVG", b"<svg")):
        with page.expect_download(timeout=30_000) as info:
            page.get_by_role("button", name=f"Save figure as {kind}").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.stat().st_size > 1000 and magic in path.read_bytes()[:200]
    page.close()


APPS = sorted(p.name for p in (ROOT / "notebooks" / "apps").glob("[0-9][0-9]_*.ipynb"))  # explorers


@pytest.mark.parametrize("app", APPS)
def test_accessibility_scan_of_each_app(browser, voila, app):
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/{app}")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=60_000)
    page.add_script_tag(content=_axe_source())
    result = page.evaluate("async () => await axe.run(document.querySelector('.sll-explorer'),"
                           " {resultTypes: ['violations']})")
    # ipywidgets' slider handles (noUiSlider) carry no accessible name of their own; the
    # visible label sits beside them. That markup is ipywidgets', not ours: left out here.
    serious = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if "noUi-handle" not in n["html"]]
        if v["impact"] in ("critical", "serious") and nodes:
            serious.append((v["id"], v["impact"], [n["html"][:120] for n in nodes][:3]))
    assert not serious, serious
    page.close()


def test_voila_choice_check_explains_a_wrong_then_a_right_answer(browser, voila):
    # Notebook 03's predict-first check: a learner commits to the thread's view, reads why it
    # fails, then commits to the right answer and reads why it holds.
    page, problems = _open(browser, f"{voila.base}/voila/render/03_finetuning_compute.ipynb")
    check = page.locator(".sll-selfcheck", has=page.locator(".widget-radio-box")).first
    check.wait_for(timeout=90_000)
    commit = check.locator("button:has-text('Commit to this answer')")
    check.locator("label:has-text('About the same, near 4N each') input").check()
    commit.click()
    page.wait_for_function("el => el.innerText.includes('Not this one')", arg=check.element_handle(),
                           timeout=15_000)
    assert "lowest trainable" in check.inner_text()
    check.locator("label:has-text('The top block') input").check()
    commit.click()
    page.wait_for_function("el => el.innerText.includes('Right.')", arg=check.element_handle(),
                           timeout=15_000)
    text = check.inner_text()
    assert "2.85N" in text and "Not this one" not in text
    assert not _real_problems(problems), problems
    page.close()


def _value_updates_sent(page):
    """Record every widget ``value`` the page sends to the kernel (over any websocket)."""
    sent = []

    def on_socket(ws):
        def on_frame(payload):
            text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            if '"comm_msg"' in text and '"update"' in text and '"value"' in text:
                sent.append(text)
        ws.on("framesent", on_frame)

    page.on("websocket", on_socket)
    return sent


def test_kernel_set_sliders_send_nothing_back(browser, voila):
    # Notebook 01 shows its explorer, then later cells set N, D and devices (175B, 300B,
    # 1000). A slider view that snapped those values and sent them back would make the page
    # disagree with the cells' printed results (it ended at 174B / 302B / 1.02k once): the
    # page must send no value at all until the learner moves something, and then send it.
    page = browser.new_page(viewport={"width": 1280, "height": 2000})
    problems = []
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    sent = _value_updates_sent(page)
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith("http://127.0.0.1") else route.abort())
    page.goto(f"{voila.base}/voila/render/01_compute_6ND.ipynb")
    explorer = page.locator(".sll-explorer").first
    entries = explorer.locator(".sll-entry input")
    page.wait_for_function(
        "el => [...el.querySelectorAll('.sll-entry input')].some(i => i.value === '175B')",
        arg=explorer.element_handle(timeout=90_000), timeout=90_000)
    page.wait_for_timeout(3000)  # late messages would have arrived by now
    values = [entries.nth(i).input_value() for i in range(entries.count())]
    assert "175B" in values and "300B" in values and "1k" in values, values
    assert sent == [], f"the page sent {len(sent)} value(s) nobody moved: {sent[:1]}"
    handle = explorer.locator(".widget-slider .noUi-handle:visible").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + 15
    while not sent and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(sent) == 1, f"one arrow key sent {len(sent)} values"
    assert not problems, problems
    page.close()
