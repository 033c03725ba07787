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
    import re

    out, _ = built
    text = (out / "index.html").read_text()
    for page in PAGES:
        assert f"href='{page}'" in text
    # Each entry shows its short answer rendered (bold as bold, no literal Markdown), without
    # the label; the forum path comes right after "Start here", before the depth.
    entries = re.findall(r"<li><h3><a href='([^']+)'>.*?</h3>(.*?)<p><a href=", text, re.S)
    assert [page for page, _ in entries][:2] == ["00_start_here.html", site.FORUM_PAGE]
    for page, answer in entries:
        words = re.sub(r"<[^>]+>", "", answer)
        assert len(words.split()) >= 15 and "**" not in answer, page
    assert "Short answer" not in text and "<strong>C = 6·N·D</strong>" in text
    assert "mybinder.org" in text


@pytest.mark.parametrize("page", PAGES)
def test_each_page_links_pages_and_holds_answerable_checks(built, page):
    import re

    import nbformat

    out, _ = built
    html = (out / page).read_text()
    local = re.findall(r'href="(?!https?:)([^"]*\.ipynb[^"]*)"', html)
    assert not local, f"links to notebooks the site does not carry: {local}"
    assert "Read it executed" not in html  # this page is the executed version
    assert "could not be fetched" not in html  # 06 built with Chinchilla's runs, not an error
    # Every check the notebook asks is on the page, with its options and their explanations
    # (or the answer and working) in <details>: answerable without a kernel.
    nb = nbformat.read(site.NOTEBOOKS / page.replace(".html", ".ipynb"), as_version=4)
    # A Markdown cell tagged class-hide tells a JupyterLab reader how to run the cells (00's
    # "Run All"): a static page has none to run, so it is not there, as in class mode.
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "class-hide" in cell.metadata.get("tags", []):
            assert re.sub(r"[*_`]", "", cell.source).strip()[:30] not in html, cell.source
    asked = [q for c in nb.cells if c.cell_type == "code"
             for q in re.findall(r"""\bcheck\(\s*["']([^"']+)["']""", c.source)]
    shown = re.findall(r"data-check-id=(?:&#x27;|'|\\?&quot;|\\?\")?([\w.-]+)", html)
    assert asked and sorted(set(shown)) == sorted(set(asked)), (asked, shown)


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
    # No request may fail, offline: a 404 or a refused font is a broken page too.
    tab.on("requestfailed", lambda r: r.url.startswith(base) and problems.append(f"failed {r.url}"))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))

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
    # A static check answers on a click: opening an option shows why it is right or not.
    option = tab.locator(".sll-static-check details summary").first
    option.click()
    assert tab.locator(".sll-static-check details[open] p").first.is_visible()
    assert not problems, problems
    assert not elsewhere, elsewhere
    tab.close()


@pytest.mark.parametrize("page", ["index.html", *PAGES[:3], "10_the_thread_in_20_minutes.html"])
def test_pages_fit_a_phone(built, browser, page):
    # Forum readers open links on phones: at 390×844 no page scrolls sideways.
    out, base = built
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    tab.goto(f"{base}/{page}")
    if page != "index.html":
        tab.wait_for_selector(".bqplot svg", state="attached", timeout=60_000)
        tab.wait_for_timeout(1000)
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"{page} is {width} px wide on a 390 px screen"
    tab.close()
