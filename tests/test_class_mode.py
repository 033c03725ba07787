"""Class mode: a notebook as a class opens it, a Voila render with the package's ``sll`` template.

Code hidden, checks live, nothing answered before a commit, no Run All: what a student sees at
``/voila/render/NN_name.ipynb`` (``make class`` hands out the session notebook's). The template
(jupyter-config/voila-templates/sll/) hides cells tagged ``class-hide``, puts a note where a code
exercise's cells would be, drops the "No time to run it?" line, and opens other notebooks in
class mode in a new tab; the package's Voila config does not run cells tagged ``class-skip`` (a
training sweep the page's button starts). Running every notebook without an error is
tests/test_notebooks.py's; here every class page also runs through Voila itself, and shows no
value whose meaning was in the hidden code.
"""

from __future__ import annotations

import html
import json
import pathlib
import re
import subprocess
import sys
import urllib.request
import warnings

import nbformat
import pytest

from harness import servers

from .test_notebooks import _found, _spellings

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The sessions' notebooks (class_session_1.ipynb is what `make class` opens).
SESSIONS = sorted((ROOT / "notebooks").glob("class_session_*.ipynb"))
CLASS_PAGES = SESSIONS + NOTEBOOKS
#: Driven in Chromium: the sessions, and three numbered notebooks with predict-first checks of
#: each kind (02: none reveals; 03: an explorer revealed; 05: the explorer itself, asked for
#: before it is shown).
BROWSED = SESSIONS + [p for p in NOTEBOOKS if p.name[:2] in ("02", "03", "05")]
LOAD = re.compile(r"^# %load solutions/\S+\.py$", re.M)
#: A call that trains a sweep of networks (07's sweep, 08's and 10's fine-tunes): tens of
#: seconds per page, times a class on one server.
TRAINS = re.compile(r"\.run\(\)|\brun_(?:study|sweep)\(")
#: What a hidden expression's value looks like printed: a dict, a dataclass's repr
#: (``FactSource(n_keys=...``) or an object's default repr (``<scaling_laws_lab...``).
RAW_REPR = re.compile(r"\{'|<scaling_laws_lab\b|<\w+(?:\.\w+)* object at 0x|\b[A-Z]\w*\(\w+=")
ASK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']\s*(,\s*reveal=)?""")


def _ids(path) -> list[str]:
    return [p.name for p in path]


def _asked(path: pathlib.Path) -> list[tuple[str, bool]]:
    """The bank ids a notebook asks, in order, with whether the check reveals something."""
    nb = nbformat.read(path, as_version=4)
    return [(m.group(1), bool(m.group(2))) for c in nb.cells if c.cell_type == "code"
            for m in ASK.finditer(c.source)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _snippet(fragment: str) -> str:
    """The longest run of plain text in an HTML fragment (at most 60 characters): what the page
    shows of it, whatever the markup around it."""
    runs = [_flat(html.unescape(r)) for r in re.split(r"<[^>]+>", fragment)]
    return max(runs, key=len)[:60]


def _fetch(url: str, quiet_s: float = 120) -> str:
    """The page at ``url``. Voila streams a page cell by cell; one that sends nothing for
    ``quiet_s`` seconds is fetched again, once, with a warning: Voila's server-side rendering
    was seen to stall once in about four runs on a loaded machine (the kernel idle, the
    response never finished), which a second request did not repeat."""
    for attempt in (1, 2):
        try:
            with urllib.request.urlopen(url, timeout=quiet_s) as response:
                assert response.status == 200, url
                return response.read().decode()
        except TimeoutError:
            if attempt == 2:
                raise
            warnings.warn(f"Voila sent nothing for {quiet_s:g} s on {url}; asked again", stacklevel=2)
    raise AssertionError("unreachable")


# --- Without a browser: the page Voila serves --------------------------------------------------

@pytest.fixture(scope="module")
def served_pages(tmp_path_factory):
    """Every class page as the package's Voila config serves it (progressive rendering: the page
    arrives before any cell runs, so this costs a kernel start per page, no execution)."""
    server = servers.start_voila(tmp_path_factory.mktemp("class-pages"))
    try:  # stopped at once: its kernels (one per page) are not needed once the pages are here
        return {p.name: _fetch(f"{server.base}/voila/render/{p.name}") for p in CLASS_PAGES}
    finally:
        server.stop()


@pytest.mark.parametrize("path", CLASS_PAGES, ids=_ids(CLASS_PAGES))
def test_a_class_page_shows_no_code_and_says_where_the_code_exercise_is(path, served_pages):
    page = served_pages[path.name]
    text = html.unescape(page)
    nb = nbformat.read(path, as_version=4)
    assert '<style id="sll-class-mode">' in page, (
        "served with the sll template as in jupyter-config/ (an older copy installed? `make` "
        "reinstalls the package when jupyter-config changes)")
    assert 'class="jp-CodeMirrorEditor' not in page, "no code input on the page"
    for cell in nb.cells:
        lines = [ln for ln in cell.source.splitlines() if len(ln.strip()) >= 15]
        if cell.cell_type == "code" and lines:
            assert lines[0] not in text, f"code on the page: {lines[0]!r}"
        if "class-hide" in cell.metadata.get("tags", []) and cell.cell_type == "markdown":
            assert cell.source.strip() not in text, "a class-hide cell is not sent"
    loads = sum(bool(LOAD.search(c.source)) for c in nb.cells if c.cell_type == "code")
    assert page.count('class="sll-class-note sll-code-exercise-note"') == loads
    assert path in SESSIONS or loads >= 1
    assert 'id="sll-class-links"' in page


@pytest.mark.parametrize("path", CLASS_PAGES, ids=_ids(CLASS_PAGES))
def test_a_class_page_trains_nothing_while_it_loads(path):
    # Voila runs every cell before the page is usable: a sweep there would make each student of
    # a class wait while one shared server trains (07's page took 53 s, 3 s without it). A cell
    # that trains is tagged class-skip; the page's button (Run the sweep, Run the fine-tunes)
    # starts it, and JupyterLab's Run All and the static site still run the cell.
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and TRAINS.search(cell.source):
            assert "class-skip" in cell.metadata.get("tags", []), cell.source[:60]
        if cell.cell_type == "markdown":
            assert "run the next cell" not in cell.source.lower(), "no cell can be run in class mode"


def test_voila_skips_class_skip_cells_standalone_and_in_the_jupyter_server(tmp_path):
    # The executor Voila really builds, from the config it really reads: standalone Voila
    # (voila.json, the classroom server) and the Jupyter server's extension (Binder's
    # /voila/render/, jupyter_server_config.json). A key Voila ignored would pass a file check.
    code = ("import nbformat\nfrom voila.app import Voila\nfrom voila.execute import VoilaExecutor\n"
            "from jupyter_server.serverapp import ServerApp\n"
            "nb = nbformat.v4.new_notebook()\n"
            "voila = Voila(); voila.initialize([])\n"
            "server = ServerApp(); server.load_config_file()\n"
            "for config in (voila.config, server.config):\n"
            "    print(VoilaExecutor(nb, config=config).skip_cells_with_tag)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()
    assert out[-2:] == ["class-skip", "class-skip"]


def test_start_here_does_not_ask_a_class_to_run_all():
    # Class mode needs no Run All: 00's instruction is for JupyterLab only.
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    run_all = [c for c in nb.cells if "Run All" in c.source]
    assert run_all and all("class-hide" in c.metadata.get("tags", []) for c in run_all)


@pytest.fixture(scope="module")
def executed_pages(tmp_path_factory):
    """Every class page as a pre-heated class server renders it: every cell run by Voila's own
    executor before the page is sent (no progressive rendering), outputs in the page. With no
    sweep run at load (class-skip), about 3 s a page."""
    server = servers.start_voila(tmp_path_factory.mktemp("class-executed"),
                                 extra_args=["--progressive_rendering=False"])
    try:
        return {p.name: _fetch(f"{server.base}/voila/render/{p.name}") for p in CLASS_PAGES}
    finally:
        server.stop()


def _outputs(page: str) -> list[dict]:
    """The rich outputs of an executed page (Voila sends each as JSON for its renderer)."""
    return [json.loads(o) for o in re.findall(
        r'<script type="application/vnd.voila.cell-output\+json">\s*(.*?)\s*</script>', page, re.S)]


def _printed(page: str) -> list[str]:
    """The text cells printed on an executed page (streams, rendered into the page as HTML)."""
    return [html.unescape(t) for t in re.findall(
        r'<div class="jp-RenderedText jp-OutputArea-output"[^>]*>\s*<pre>(.*?)</pre>', page, re.S)]


@pytest.mark.notebook
@pytest.mark.parametrize("path", CLASS_PAGES, ids=_ids(CLASS_PAGES))
def test_a_class_page_runs_in_voila_without_an_error(path, executed_pages):
    page = executed_pages[path.name]
    for sign in ("ExecutionError", "There was an error when executing cell", "Traceback",
                 "exception occurred at the server", "timed out", "application/vnd.jupyter.stderr"):
        assert sign not in page, f"{path.name}: {sign!r} on the page"
    shown = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in _outputs(page))
    checks = len(re.findall(r"^(?:ChoiceCheck|SelfCheck)\(", shown, re.M))
    assert checks == len(_asked(path)), f"{checks} checks shown of {len(_asked(path))} asked"
    assert 'class="jp-CodeMirrorEditor' not in page
    assert page.count('class="sll-class-note sll-code-exercise-note"') == (path not in SESSIONS)


@pytest.mark.notebook
@pytest.mark.parametrize("path", CLASS_PAGES, ids=_ids(CLASS_PAGES))
def test_a_class_page_shows_no_value_whose_meaning_was_in_the_hidden_code(path, executed_pages):
    # A code cell ending in a bare expression shows its value; with the code hidden, a class
    # sees `True`, a dict or `FactSource(n_keys=4096, ...)` with nothing to say what it is.
    # Each says it in a sentence (a print), a table or a widget instead. (Text printed into an
    # ipywidgets Output, shown after a commit, travels as widget state, not in the page.)
    page = executed_pages[path.name]
    for out in _outputs(page):
        data = out.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            continue  # a widget: the page draws it, not its repr
        assert set(data) - {"text/plain"}, f"a bare value: {str(data.get('text/plain'))[:80]!r}"
    for text in _printed(page) + [str(o.get("data", {}).get("text/html", "")) for o in _outputs(page)]:
        raw = RAW_REPR.search(text)
        assert not raw, f"a raw repr: {text[max(0, raw.start() - 40):raw.end() + 40]!r}"


# --- In Chromium: what a student sees, and that nothing is answered before a commit ------------

def _rendered(page, n_checks: int) -> None:
    """Wait until Voila has run the page: every check there, and no cell still waiting."""
    page.wait_for_function(
        "n => document.querySelectorAll('.sll-selfcheck').length >= n"
        " && !document.querySelector('.voila-skeleton-container')", arg=n_checks, timeout=180_000)


@pytest.mark.browser
@pytest.mark.parametrize("path", BROWSED, ids=_ids(BROWSED))
def test_class_mode_in_a_browser_reveals_nothing_before_a_commit(browser, voila, path):
    from scaling_laws_lab.teaching import bank

    from .test_browser import _open, _real_problems

    asked = _asked(path)
    page, problems = _open(browser, f"{voila.base}/voila/render/{path.name}")
    _rendered(page, len(asked))
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt:visible").count() == 0, "code shown"

    dom = _flat(page.evaluate("document.body.textContent"))  # hidden elements included
    shown = _flat(page.locator("#rendered_cells").inner_text())
    checks = page.locator(".sll-selfcheck")
    for check_id, reveals in asked:
        q = bank.get(check_id)
        box = checks.filter(has_text=_flat(q.text)[:50])
        assert box.count() == 1, f"{check_id}: its check is on the page once"
        # The answer key stays in the kernel: no explanation, no working, not even hidden.
        keys = q.options if q.kind == "choice" else {}
        for key in keys:
            assert _snippet(q.explain(key)) not in dom, f"{check_id}: {key}'s explanation is on the page"
        if q.kind == "number" and q.working_html():
            assert _snippet(q.working_html()) not in dom, f"{check_id}: its working is on the page"
        # Above the check, nothing gives it away (a number's value, a spoiler).
        start = shown.find(_flat(q.text)[:50])
        assert start >= 0, check_id
        above = shown[:start]
        for spoiler in q.spoilers:
            assert not _found(spoiler, above), f"{check_id}: spoiler {spoiler!r} above it"
        if q.kind == "number":
            for spelling in _spellings(q.expected_value()):
                if sum(ch.isdigit() for ch in spelling) >= 3:
                    assert not _found(spelling, above), f"{check_id}: {spelling!r} above it"
        if reveals:
            assert box.locator(".sll-explorer").count() == 0, f"{check_id} shows its figure early"

    # Commit to one choice check (one that reveals something, where the page has one): its
    # explanation appears, and so does what it revealed.
    choices = [(i, r) for i, r in asked if bank.get(i).kind == "choice"]
    check_id, reveals = next(((i, r) for i, r in choices if r), choices[0])
    q = bank.get(check_id)
    box = checks.filter(has_text=_flat(q.text)[:50])
    before = box.bounding_box()["height"]
    box.locator("label", has_text=_flat(q.options[q.answer])[:40]).locator("input").check()
    box.locator("button:has-text('Commit to this answer')").click()
    explanation = _snippet(q.explain(q.answer))
    page.wait_for_function("([el, s]) => el.innerText.split(/\\s+/).join(' ').includes(s)",
                           arg=[box.element_handle(), explanation], timeout=30_000)
    assert "Right." in box.inner_text()
    if reveals:
        page.wait_for_function("([el, h]) => el.getBoundingClientRect().height > h + 60",
                               arg=[box.element_handle(), before], timeout=30_000)

    # Other notebooks open in class mode, in a new tab (this page keeps its kernel).
    links = page.evaluate("""() => [...document.querySelectorAll(
        '#rendered_cells .jp-RenderedMarkdown a[href]')].filter(a => /\\.ipynb([#?].*)?$/
        .test(a.getAttribute('href')) && !/^[a-z]+:/i.test(a.getAttribute('href')))
        .map(a => ({url: a.href, target: a.target}))""")
    for link in links:
        assert link["url"].startswith(f"{voila.base}/voila/render/"), link
        assert link["target"] == "_blank", link
    for hidden in page.locator("#rendered_cells a[href*='docs/screenshots/']").all():
        assert not hidden.is_visible(), "the 'No time to run it?' line is for readers of the file"
    # A link outside the served notebooks (../docs/...) would lead nowhere: none is left.
    assert page.locator("#rendered_cells a[href^='../']:visible").count() == 0
    if path not in SESSIONS:
        assert page.locator(".sll-code-exercise-note").is_visible()
    assert not _real_problems(problems), problems
    page.close()


@pytest.mark.browser
def test_a_link_from_a_class_page_opens_the_other_notebook_in_class_mode(browser, voila):
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1")
               else r.abort())
    page.goto(f"{voila.base}/voila/render/03_finetuning_compute.ipynb")
    link = page.locator("#rendered_cells a[href='04_effective_data.ipynb']").first
    with page.context.expect_page() as opened:
        link.click()
    other = opened.value
    other.wait_for_load_state()
    assert other.url == f"{voila.base}/voila/render/04_effective_data.ipynb"
    assert other.locator("style#sll-class-mode").count() == 1
    other.close()
    page.close()
