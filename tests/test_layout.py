"""Figures a teacher can project: nothing overlaps, nothing is cut, the control sits by its figure.

Every Voila app, opened in headless Chromium at 1280×800 (a classroom laptop) and at 800×900
(a narrow window): ``tests/layout_probe.js`` measures the page (text boxes against each other
and against lines and markers, cut buttons and labels), and at 1280×800 the explorer's first
control and its first figure must both be on screen without scrolling.
"""

from __future__ import annotations

import pathlib

import pytest

from .test_browser import HARMLESS, _open

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[1]
APPS = sorted(p.stem for p in (ROOT / "notebooks" / "apps").glob("*.ipynb"))
PROBE = (pathlib.Path(__file__).parent / "layout_probe.js").read_text()


@pytest.mark.parametrize("size", [(1280, 800), (800, 900)], ids=["1280x800", "800x900"])
@pytest.mark.parametrize("app", APPS)
def test_nothing_overlaps_and_nothing_is_cut(browser, voila, app, size):
    page, problems = _open(browser, f"{voila.base}/voila/render/apps/{app}.ipynb")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.wait_for_selector(".sll-explorer .sll-figure svg g.curve", state="attached",
                           timeout=90_000)
    page.wait_for_timeout(1500)  # the last updates of the first draw
    explorer = page.locator(".sll-explorer").first
    found = explorer.evaluate(PROBE)
    assert found == [], "\n".join(found)
    if size == (1280, 800):
        page.evaluate("window.scrollTo(0, 0)")
        for what, selector in (("first control", ".sll-side .sll-control"),
                               ("first figure", ".sll-main .sll-figure")):
            box = explorer.locator(selector).first.bounding_box()
            assert box is not None, what
            assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 1, (what, box)
            assert box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, (what, box)
    assert not [p for p in problems if not any(h.lower() in p.lower() for h in HARMLESS)]
    page.close()
