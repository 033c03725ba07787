"""Every notebook runs top to bottom in a fresh kernel, is stored clean, and follows the outline."""

import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# The explorers' apps (NN_*.ipynb); apps/classroom_teacher.ipynb is tested in test_classroom.py.
APPS = sorted((ROOT / "notebooks" / "apps").glob("[0-9][0-9]_*.ipynb"))
# A class session as one notebook (class_session_1.ipynb): it re-asks checks of 00–05 in order.
SESSIONS = sorted((ROOT / "notebooks").glob("class_session_*.ipynb"))
OUTLINE = ["What you will learn", "Prerequisites", "Summary", "Exercises", "What's next",
           "References"]


def test_there_are_notebooks():
    assert any(nb.name == "00_start_here.ipynb" for nb in NOTEBOOKS)


def test_every_explorer_has_an_app():
    import scaling_laws_lab

    apps = {getattr(scaling_laws_lab, name).app for name in scaling_laws_lab.EXPLORERS}
    assert {f"apps/{p.name}" for p in APPS} == apps


#: Appended (in memory) to a notebook run by the tests: prints the checks it asked.
_REPORT = ("import json\nfrom scaling_laws_lab.kit import selfcheck\n"
           "print('SLL-CHECKS' + json.dumps(selfcheck.CHECKS))")


def _shown_text(cell) -> str:
    """A cell's source and the text of its outputs (what a learner has seen by then)."""
    parts = [cell.source]
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts += [data.get(kind, "") for kind in ("text/plain", "text/markdown", "text/html")]
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def _spellings(value: float) -> list[str]:
    """How a notebook might have written ``value`` already (3.15e23, 3.15 × 10²³, 3,650, 20)."""
    from scaling_laws_lab.science.units import si

    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    out = {si(value), f"{value:.3g}"}
    mantissa, _, exponent = f"{value:.3g}".partition("e")
    if exponent:
        out.add(f"{mantissa} × 10{str(int(exponent)).translate(sup)}")
        out.add(f"{mantissa}e{int(exponent)}")
    if abs(value) >= 1000:
        out.add(f"{value:,.0f}")
    return sorted(out)


def _found(pattern_text: str, text: str) -> bool:
    import re

    return re.search(r"(?<![\w.,])" + re.escape(pattern_text) + r"(?![\w]|[.,]\d)", text) is not None


def _verbatim_answers(nb, checks) -> list[str]:
    """Answers a learner could read before committing: above the check, or in any output.

    A run top to bottom ("Run All") shows every output at once, so a check's spoilers (from the
    question bank) may sit in no output at all; a number's answer may not stand above it.
    """
    from scaling_laws_lab.teaching import bank

    where = {c.execution_count: i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and c.execution_count is not None}
    outputs = "\n".join(_shown_text(c).replace(c.source, "", 1) for c in nb.cells
                        if c.cell_type == "code")
    found = []
    for check in checks:
        # While a cell runs, IPython's counter already stands at the next cell's number.
        index = where.get(check["execution_count"] - 1)
        assert index is not None and "check(" in nb.cells[index].source, check["question"]
        assert check["id"], f"{check['question'][:60]!r} is asked by id from the question bank"
        before = "\n".join(_shown_text(c) for c in nb.cells[:index])
        q = bank.get(check["id"])
        for spoiler in q.spoilers:
            for text, where_seen in ((before, "above the check"), (outputs, "in an output")):
                if _found(spoiler, text):
                    found.append(f"{q.id}: its spoiler {spoiler!r} is {where_seen}")
        if check["kind"] != "number":
            continue
        for spelling in _spellings(check["expected"]):
            if sum(ch.isdigit() for ch in spelling) < 3:
                continue  # "4" or "20" turns up everywhere; three digits are a giveaway
            if _found(spelling, before):
                found.append(f"{q.id}: {spelling!r} is already on screen")
    return found


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS + SESSIONS + APPS, ids=lambda p: p.name)
def test_notebook_executes_without_errors(path, tmp_path, jupyter_isolation):
    import json

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_REPORT))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [out for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors, errors
    report = nb.cells.pop()
    (line,) = [ln for out in report.outputs for ln in out.get("text", "").splitlines()
               if ln.startswith("SLL-CHECKS")]
    checks = json.loads(line[len("SLL-CHECKS"):])
    if path in NOTEBOOKS or path in SESSIONS:
        # Exercises test understanding: at least four, two of them conceptual or predict-first
        # (multiple choice, each wrong option explained), and none whose answer is on screen.
        assert len(checks) >= 4, f"{len(checks)} exercises"
        assert sum(c["kind"] == "choice" for c in checks) >= 2, "two conceptual checks"
        verbatim = _verbatim_answers(nb, checks)
        assert not verbatim, "\n".join(verbatim)
    widget_views = [out for cell in nb.cells if cell.cell_type == "code"
                    for out in cell.get("outputs", [])
                    if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert widget_views, "a notebook shows at least one live control"


@pytest.mark.parametrize("path", NOTEBOOKS + SESSIONS + APPS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_outline(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "a title first"
    headings = [line.lstrip("#").strip() for cell in nb.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    positions = []
    for section in OUTLINE:
        hits = [i for i, h in enumerate(headings) if h.startswith(section)]
        assert hits, f"missing section {section!r}"
        positions.append(hits[0])
    assert positions == sorted(positions), "sections in the outline's order"
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "check(" in sources, "exercises come with a check from the question bank"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 12, "code cells stay short: code lives in the package"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_whats_next_links_to_a_notebook_that_exists(path):
    import re

    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    section = text.split("## What's next", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"\]\(([^)#]+\.ipynb)\)", section)
    assert links, "What's next links to the next notebook"
    for link in links:
        assert (path.parent / link).exists(), link
    assert "being written" not in text and "in preparation" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_code_exercise_with_a_loadable_solution(path):
    # "# %load solutions/NN_….py": uncommented and run, it puts the solution in the cell (Run All
    # leaves it commented, so the solution is not shown unasked); the solution checks itself.
    import re
    import runpy

    nb = nbformat.read(path, as_version=4)
    loads = [m for c in nb.cells if c.cell_type == "code"
             for m in re.findall(r"^# %load (solutions/\S+\.py)$", c.source, re.M)]
    assert loads, "a code exercise whose solution loads with %load solutions/…"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Code exercise" in text
    for rel in loads:
        solution = path.parent / rel
        assert solution.exists(), rel
        runpy.run_path(str(solution), run_name="__main__")  # its own asserts must hold


def _short_answer(path):
    import re

    first = nbformat.read(path, as_version=4).cells[0].source
    match = re.search(r"(\*\*Short answer.*?)(\n\n|$)", first, re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_opens_with_a_short_answer(path):
    # A forum reader who stops after the first cell leaves with the answer (3-6 lines).
    answer = _short_answer(path)
    assert answer, "the first cell has a **Short answer** paragraph under the title"
    assert 2 <= len(answer.splitlines()) <= 8


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_every_app_carries_its_notebooks_short_answer(app):
    # A shared link to an app carries the conclusion, not only a widget.
    import re

    first = nbformat.read(app, as_version=4).cells[0].source
    (notebook,) = re.findall(r"\(\.\./(\d\d_\w+\.ipynb)\)", first)
    assert _short_answer(ROOT / "notebooks" / notebook) in first


def test_teaching_guide_quotes_the_measured_reading_times_and_fits_90_minutes():
    # docs/teaching.md's table is what harness.reading_time measures today, and the class path's
    # rows add up to the 90 minutes it promises, with a segment of notebook 04 in it.
    import re

    from harness.reading_time import reading_time

    text = (ROOT / "docs" / "teaching.md").read_text()
    for path in NOTEBOOKS:
        r = reading_time(path)
        row = f"| {r['words']:,} | {r['reading_min']:.0f} min | {r['checks']} | "
        assert row in text, (path.name, row)
    path_rows = re.findall(r"^\| (\d+)–(\d+) \| (\w[\w-]*) \|", text.split("## Session 1", 1)[1]
                           .split("\n## ", 1)[0], re.M)
    spans = [(int(a), int(b)) for a, b, _ in path_rows]
    assert spans[0][0] == 0 and spans[-1][1] == 90
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))
    assert "04" in [name for _, _, name in path_rows]
    assert (ROOT / "docs" / "worksheets" / "session-1.md").exists()


def test_numbers_in_the_you_may_be_wondering_boxes():
    # Each number a box states comes from the package, and the box says it as computed.
    from scaling_laws_lab import laws, papers

    from .notebook_text import quotes

    k = laws.kaplan_compute_efficient_training(1e23)  # Kaplan §5.1, Table 6
    assert round(k["batch_tokens"] / 1e6) == 9 and round(k["steps"], -3) == 13_000
    quotes("01", "about 9M tokens per batch and 13,000 steps")
    llama = papers.LLAMA3_70B
    assert round(llama.n_tokens / 1e12) == 15 and round(llama.n_tokens / llama.n_params) == 214
    quotes("02", "Llama 3 70B saw 15T tokens, about 214 per parameter")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_links_its_executed_page_and_a_screenshot(path):
    # A reader on GitHub or a course page sees figures without running anything.
    import re

    first = nbformat.read(path, as_version=4).cells[0].source
    site = re.search(r"\[Read it executed\]\((https://[^)]+/(\d\d_\w+)\.html)\)", first)
    assert site and site.group(2) == path.stem
    shot = re.search(r"\[what the explorer should show\]\((\.\./docs/screenshots/[\w.-]+\.png)\)",
                     first)
    assert shot and (path.parent / shot.group(1)).exists()


#: The forum path answers the whole thread in one sitting: its budget is twice a notebook's.
FORUM_PATH = "10_the_thread_in_20_minutes.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_main_path_is_short_and_ends_with_its_summary(path):
    # A reader who skips every "Going deeper" block reads at most ~1,000 words (the forum path
    # 2,000) before the exercises, and the Summary is the last section before them.
    from harness.reading_time import reading_time

    words = reading_time(path)["main_path_words"]
    budget = 2000 if path.name == FORUM_PATH else 1000
    assert words <= budget, f"main path {words} words (budget {budget})"
    nb = nbformat.read(path, as_version=4)
    headings = [line[3:].strip() for cell in nb.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    i = next(i for i, h in enumerate(headings) if h.startswith("Exercises"))
    assert headings[i - 1].startswith("Summary"), f"{headings[i - 1]!r} sits between Summary and Exercises"


@pytest.mark.parametrize("path", NOTEBOOKS + SESSIONS + APPS, ids=lambda p: p.name)
def test_sources_are_named_by_title_not_internal_number(path):
    # Readers never see "seed 003": a discussion is cited by its title and author.
    import re

    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert not re.search(r"\bseeds? \d{3}", text, re.I), re.search(r".{40}\bseeds? \d{3}.{20}", text, re.I)


_DETAILS = re.compile(r"<details\b.*?</details>", re.S | re.I)


@pytest.mark.parametrize("path", NOTEBOOKS + SESSIONS, ids=lambda p: p.name)
def test_the_text_under_a_check_keeps_its_answer_folded(path):
    # A learner reads on past the options before committing: the first Markdown cell under a
    # check is on the same screen. Whatever gives the check away there (a verdict, the bank's
    # spoilers, a number's answer) sits in a <details> block the learner opens after answering.
    from scaling_laws_lab.teaching import bank

    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        match = re.search(r'check\("([^"]+)"', cell.source) if cell.cell_type == "code" else None
        if not match:
            continue
        under = next((c.source for c in nb.cells[i + 1:] if c.cell_type == "markdown"), "")
        shown = _DETAILS.sub("", under)
        q = bank.get(match.group(1))
        if re.search(r"^\s*\**Verdict", shown, re.M):
            found.append(f"{q.id}: a verdict stands open under it")
        found += [f"{q.id}: its spoiler {s!r} stands open under it"
                  for s in q.spoilers if _found(s, shown)]
        if q.kind == "number":
            found += [f"{q.id}: its answer {s!r} stands open under it"
                      for s in _spellings(q.expected_value())
                      if sum(ch.isdigit() for ch in s) >= 3 and _found(s, shown)]
    assert not found, "\n".join(found)
