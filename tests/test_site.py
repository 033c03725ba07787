"""``make site``: every notebook executed into a static page whose figures render with no kernel
and no network. The built site is served from disk on loopback; every request elsewhere is
refused; each page must show bqplot marks with data and log no console error."""

from __future__ import annotations

import pytest

from harness import servers, site

pytestmark = pytest.mark.browser

PAGES = [p.with_suffix(".html").name for p in site.notebooks()]


@pytest.fixture(scope="module")
def built(tmp_path_factory, chinchilla_on_loopback):
    out = tmp_path_factory.mktemp("site")
    site.build(out)
    with servers.FolderServer(out) as base:
        yield out, base


def test_the_index_lists_every_notebook_with_its_short_answer(built):
    out, _ = built
    text = (out / "index.html").read_text()
    for page in PAGES:
        assert f"href='{page}'" in text
    assert "Short answer" not in text and "C = 6·N·D" in text  # the answers, without the label
    assert "mybinder.org" in text


@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_its_figures_offline(built, browser, page):
    out, base = built
    html = (out / page).read_text()
    # The scripts a page needs are local (nbconvert's template still names a CDN for Mermaid
    # diagrams, which it loads only for a page that has one: none here, and no request leaves).
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    for script in ("require.js", "MathJax.js", "embed-amd.js"):
        assert 'src="http' not in html.split(script)[0].rsplit("<script", 1)[-1], script
    assert "A static page" in html and "mybinder.org" in html
    tab = browser.new_page(viewport={"width": 1280, "height": 1600})
    problems, elsewhere = [], []
    tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
    tab.on("pageerror", lambda e: problems.append(str(e)))

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.goto(f"{base}/{page}")
    tab.wait_for_selector(".bqplot svg", state="attached", timeout=60_000)
    tab.wait_for_timeout(1500)
    drawn = tab.evaluate(
        "() => Array.from(document.querySelectorAll('.bqplot svg path.line'))"
        ".filter(p => (p.getAttribute('d') || '').length > 10).length"
        " + document.querySelectorAll('.bqplot svg .dot').length")
    assert drawn > 0, f"{page}: no bqplot mark with data"
    assert not problems, problems
    assert not elsewhere, elsewhere
    tab.close()
