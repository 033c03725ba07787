"""Notebook 07's apps in a real browser: a sweep runs in the background and can be cancelled
while the page stays live; the budget game's meter moves and an overspend is refused."""

from __future__ import annotations

import pytest

from .test_browser import SHOTS, _open, _real_problems

pytestmark = pytest.mark.browser


def _type(page, index, text):
    entry = page.locator(".sll-explorer .sll-side .sll-entry input").nth(index)
    entry.fill(text)
    entry.press("Enter")


def test_a_sweep_runs_in_the_background_and_cancels(browser, voila):
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/07_lab.ipynb")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=90_000)
    status = page.locator(".sll-explorer .sll-side").get_by_text("Finished")
    _type(page, 0, "1e9")  # the largest budget: one IsoFLOP curve, eight small runs
    page.wait_for_function("() => document.body.innerText.includes('Plan: 8 runs')",
                           timeout=30_000)
    page.get_by_role("button", name="Run the sweep").click()
    status.wait_for(timeout=120_000)
    # Eight finished runs on the plane (colour: loss), one IsoFLOP line with its markers.
    page.wait_for_function("() => document.body.innerText.includes('8 finished')",
                           timeout=30_000)
    iso = page.locator(".sll-explorer .sll-figure").nth(1)
    assert iso.locator("path.line").first.get_attribute("d")
    # A longer plan: start it, cancel it while it runs; the page answers and keeps what ran.
    _type(page, 0, "1e11")
    page.wait_for_function("() => document.body.innerText.includes('Plan: 38 runs')",
                           timeout=30_000)
    page.get_by_role("button", name="Run the sweep").click()
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="Cancel").click()
    page.locator(".sll-explorer .sll-side").get_by_text("Cancelled").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # the last redraw follows the status line
    text = page.locator(".sll-explorer .sll-readouts").first.inner_text()
    done = int(text.split(" finished")[0].rsplit(" ", 1)[-1])
    assert 8 <= done < 38, text
    # The shipped runs fill the rest at once: the README's and notebook 07's picture.
    page.get_by_role("button", name="Load shipped runs (instant)").click()
    page.wait_for_function("() => document.body.innerText.includes('38 finished')",
                           timeout=30_000)
    page.wait_for_timeout(1000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".sll-explorer").first.screenshot(path=str(SHOTS / "voila-07-lab.png"))
    assert not _real_problems(problems), problems
    page.close()


def test_the_budget_game_meter_moves_and_an_overspend_is_refused(browser, voila):
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/07_budget_game.ipynb")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=90_000)
    side = page.locator(".sll-explorer .sll-side")
    run_it = page.get_by_role("button", name="Run it (a screening run)")
    run_it.click()
    side.get_by_text("Screening runs: 1 (N×D)").wait_for(timeout=60_000)
    run_it.click()
    side.get_by_text("Screening runs: 2 (N×D)").wait_for(timeout=60_000)
    assert "Spent 7.16B of 30B" in side.inner_text()
    _type(page, 1, "1e8")  # next run's D: 6 × 1,989 × 1e8 FLOPs, far over what is left
    run_it.click()
    page.wait_for_selector(".sll-explorer .sll-error", timeout=30_000)
    assert "overspend" in side.inner_text()
    assert "2 (N×D)" in side.inner_text()  # nothing was spent
    assert not _real_problems(problems), problems
    page.close()


def test_the_transfer_study_runs_in_the_browser_and_draws_all_three_figures(browser, voila):
    # Notebook 08's app: the default study (60 REAL fine-tunes, about 30 s) from the button;
    # each method's line, the D_T points with the fitted law, the FLOP bars.
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/08_transfer_lab.ipynb")
    page.wait_for_selector(".sll-explorer .sll-figure svg", timeout=90_000)
    side = page.locator(".sll-explorer .sll-side")
    side.get_by_text("Plan: 60 fine-tuning runs").wait_for(timeout=30_000)
    figures = page.locator(".sll-explorer .sll-figure")
    assert figures.count() == 3
    page.get_by_role("button", name="Run the fine-tunes").click()
    # ("Finished in", not "Finished": the readout's "0 finished" matches that at once.)
    side.get_by_text("Finished in").wait_for(timeout=240_000)
    page.wait_for_function("() => document.body.innerText.includes('60 finished')",
                           timeout=30_000)
    page.wait_for_timeout(1000)  # the last redraw follows the status line
    # Figure 1: the from-scratch line and four methods' lines, each drawn with data.
    lines = figures.nth(0).locator("path.line")
    drawn = [lines.nth(i).get_attribute("d") or "" for i in range(lines.count())]
    assert sum(len(d) > 20 for d in drawn) >= 5, drawn
    # Figure 2: the fit's readout and its lines; figure 3: stacked bars for five methods.
    assert "bootstrap intervals" in side.inner_text()
    assert figures.nth(1).locator("path.line").count() >= 3
    assert figures.nth(2).locator("rect.bargroup, g.bargroup rect, rect.bar").count() >= 15
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".sll-explorer").first.screenshot(path=str(SHOTS / "voila-08-transfer-lab.png"))
    assert not _real_problems(problems), problems
    page.close()
