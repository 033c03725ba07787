"""Class session 1 as one notebook: its plan fits 90 minutes when counted, the teaching guide and
every notebook's Time line say the same minutes, and the exit ticket cannot be read off a page.

The notebook's run top to bottom (nothing answered ahead, no spoiler in any output) is
``tests/test_notebooks.py -k class_session``.
"""

import pathlib
import re

import nbformat
import pytest
from scaling_laws_lab.teaching import bank

from harness import reading_time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SESSION = ROOT / "notebooks" / "class_session_1.ipynb"
GUIDE = ROOT / "docs" / "teaching.md"
NUMBERED = sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))  # 00–09 carry a Time line
ASK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")


def _cells():
    return nbformat.read(SESSION, as_version=4).cells


def _markdown() -> str:
    return "\n\n".join(c.source for c in _cells() if c.cell_type == "markdown")


def _asked() -> list[str]:
    return [q for c in _cells() if c.cell_type == "code" for q in ASK.findall(c.source)]


def _section(text: str, heading: str) -> str:
    return text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]


def _plan_rows(heading: str) -> list[tuple[int, int, str]]:
    """(start, end, block) of the minute-by-minute table under ``## <heading>…`` in the guide."""
    rows = re.findall(r"^\| (\d+)–(\d+) \| ([\w-]+) \|", _section(GUIDE.read_text(), heading), re.M)
    return [(int(a), int(b), name) for a, b, name in rows]


# --------------------------------------------------------------------------- the plan fits
@pytest.mark.parametrize("path", list(reading_time.SESSIONS), ids=lambda p: p.stem)
def test_the_counted_plan_fits_90_minutes_block_by_block(path):
    # Raises if the notebook's headings and the plan differ.
    rows = reading_time.session_plan(path, reading_time.SESSIONS[path])
    assert rows[0]["start"] == 0 and rows[-1]["end"] == 90
    assert all(a["end"] == b["start"] for a, b in zip(rows, rows[1:], strict=False))
    for r in rows:
        assert r["need_min"] <= r["slot_min"], (r["block"], r["need_min"], r["slot_min"])
    assert sum(r["need_min"] for r in rows) <= 90
    launch = rows[0]
    assert launch["block"] == "launch" and 5 <= launch["other_min"] <= 8, "Binder/hub start: 5–8 min"
    assert sum(r["discuss_min"] for r in rows) >= 15, "discussion is planned, not left over"
    # Each notebook block asks at least one check; the words are read at 150 a minute.
    for r in rows:
        if re.fullmatch(r"\d\d", r["block"]):
            assert r["checks"] >= 1, r["block"]
    assert reading_time.SESSION_WPM == 150


@pytest.mark.parametrize("path", list(reading_time.SESSIONS), ids=lambda p: p.stem)
def test_the_main_path_is_short_and_the_summary_comes_last_before_the_extensions(path):
    words = reading_time.reading_time(path)["main_path_words"]
    assert words <= 1000, f"main path {words} words"
    cells = nbformat.read(path, as_version=4).cells
    headings = [line[3:].strip() for c in cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("## ")]
    i = next(i for i, h in enumerate(headings) if h.startswith("Extensions"))
    assert headings[i - 1] == "Summary"
    first = cells[0].source
    assert first.startswith("# ") and "**What this class will answer.**" in first


def test_the_teaching_guide_tells_the_same_plan_and_how_it_was_counted():
    text = _section(GUIDE.read_text(), "Session 1")
    plan = [(b.start, b.end, b.name) for b in reading_time.SESSION_1]
    assert _plan_rows("Session 1") == plan
    # The counting table is what `python -m harness.reading_time` prints today.
    for r in reading_time.session_plan():
        row = f"| {r['block']} | {r['start']}–{r['end']} | {r['words']:,} | {r['reading_min']:.1f} |"
        assert row in text, row
    main_path = reading_time.reading_time(SESSION)["main_path_words"]
    assert f"is {main_path:,} words" in text
    assert "150 words a minute" in text
    assert "**Run All**" not in GUIDE.read_text(), "students open the session in class mode"
    assert "voila%2Frender%2Fnotebooks%2Fclass_session_1.ipynb" in text
    # Session 2: 07 and 08 in class (class_session_2.ipynb), 09 as homework; counted the same way.
    text = _section(GUIDE.read_text(), "Session 2")
    assert _plan_rows("Session 2") == [(b.start, b.end, b.name) for b in reading_time.SESSION_2]
    assert "09" not in {name for *_, name in _plan_rows("Session 2")}
    for r in reading_time.session_plan(reading_time.SESSION_2_PATH, reading_time.SESSION_2):
        row = f"| {r['block']} | {r['start']}–{r['end']} | {r['words']:,} | {r['reading_min']:.1f} |"
        assert row in text, row
    assert "voila%2Frender%2Fnotebooks%2Fclass_session_2.ipynb" in text


def test_the_worksheet_follows_the_same_blocks():
    sheet = (ROOT / "docs" / "worksheets" / "session-1.md").read_text(encoding="utf-8")
    spans = [(int(a), int(b)) for a, b in re.findall(r"\((\d+)–(\d+) min\)", sheet)]
    assert spans == [(b.start, b.end) for b in reading_time.SESSION_1]


# --------------------------------------------------------------------------- Time lines
def _class_minutes() -> dict[str, int]:
    """Notebook -> minutes the two sessions' tables give it."""
    out: dict[str, int] = {}
    for heading in ("Session 1", "Session 2"):
        for start, end, name in _plan_rows(heading):
            if re.fullmatch(r"\d\d", name):
                out[name] = out.get(name, 0) + end - start
    return out


def _time_line(path: pathlib.Path) -> str:
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "markdown")
    (line,) = re.findall(r"\*\*Time:\*\*[^\n]*", text)
    return line


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name[:2])
def test_every_time_line_agrees_with_the_plan(path):
    # "**Time:** about 30 minutes alone; 18 in class session 1." (or "class: 14", "homework"):
    # the class minutes are the guide's tables', the minutes alone at least what
    # harness.reading_time counts (reading and exercises) and at most 20 more (explorers, waits,
    # 07's budget game).
    line = _time_line(path)
    number = path.name[:2]
    alone = int(re.match(r"\*\*Time:\*\* (?:about )?(\d+) minutes", line).group(1))
    total = reading_time.reading_time(path)["total_min"]
    assert total <= alone <= total + 20, (line, total)
    stated = re.search(r"(\d+)(?: minutes)? in class session (\d)|class: (\d+)", line)
    given = _class_minutes().get(number)
    if given is None:
        assert stated is None and "homework" in line, line
        assert re.search(rf"\b{number}\b after\s+session", _section(GUIDE.read_text(), "Session 2"))
    else:
        assert stated, f"{line!r} does not say its {given} minutes in class"
        assert int(stated.group(1) or stated.group(3)) == given, (line, given)
        if stated.group(2):
            in_session = number in {n for *_, n in _plan_rows(f"Session {stated.group(2)}")}
            assert in_session, (line, stated.group(2))


# --------------------------------------------------------------------------- the checks
def test_session_2_asks_07_then_08():
    cells = nbformat.read(reading_time.SESSION_2_PATH, as_version=4).cells
    asked = [q for c in cells if c.cell_type == "code" for q in ASK.findall(c.source)]
    assert [q[:2] for q in asked] == sorted(q[:2] for q in asked)
    assert {q[:2] for q in asked} == {"07", "08"} and len(asked) == len(set(asked))
    assert bank.get(asked[-1]).kind == "number", "the exit ticket is a number"


def test_the_session_asks_00_to_05_in_order_then_its_exit_ticket():
    asked = _asked()
    notebooks = [q[:2] for q in asked]
    assert notebooks == sorted(notebooks, key=lambda n: (n[0] == "s", n)), asked
    assert {n for n in notebooks if n[0] != "s"} == {"00", "01", "02", "03", "04", "05"}
    assert len(asked) == len(set(asked))
    assert sum(bank.get(q).kind == "choice" for q in asked) >= 2
    assert asked[-1] == "s1.lora-70b" and bank.get(asked[-1]).kind == "number"


def test_every_explorer_opens_only_after_a_commit():
    # Class mode runs the page by itself: no explorer or table may be displayed on its own, and
    # none is displayed twice (a widget hidden until commit stays hidden).
    for cell in _cells():
        if cell.cell_type != "code":
            continue
        last = cell.source.strip().splitlines()[-1]
        assert last.startswith("check("), f"a cell ends in something displayed: {last!r}"
        for name in re.findall(r"^(\w+) = [\w.]+\(", cell.source, re.M):
            assert f"reveal={name}" in cell.source, f"{name} is built but not revealed on commit"


def _spellings(value: float) -> list[str]:
    from scaling_laws_lab.science.units import si

    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    mantissa, _, exponent = f"{value:.2g}".partition("e")
    return [si(value), f"{value:.2g}", f"{mantissa} × 10{str(int(exponent)).translate(sup)}",
            f"{mantissa}e{int(exponent)}", f"{value / 1e18:.0f}e18"]


def test_the_exit_ticket_cannot_be_read_off_any_page():
    # Its answer needs a step of reasoning on a case no page shows: not in the session, not in
    # the notebooks it draws on, nor in what the explorers' apps say; only in the bank (and so
    # in docs/answer-key.md).
    q = bank.get("s1.lora-70b")
    value = q.expected_value()
    pages = [SESSION, *NUMBERED, *(ROOT / "notebooks" / "apps").glob("*.ipynb")]
    for path in pages:
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        for spelling in _spellings(value):
            assert spelling not in text, (path.name, spelling)
    assert q.answer_text() in (ROOT / "docs" / "answer-key.md").read_text()
    # The shortcuts a room will try are graded wrong, not close: 6·N·D, and 0.05% of it.
    from scaling_laws_lab.kit.selfcheck import grade
    from scaling_laws_lab.science import laws

    full = laws.training_flops(70e9, 1e9)
    assert grade(full, value, q.rel_tol, q.close_factor) == "wrong"
    assert grade(full * 0.0005, value, q.rel_tol, q.close_factor) == "wrong"
    assert grade(2 * 70e9 * 1e9, value, q.rel_tol, q.close_factor) == "wrong"  # forward only
    assert grade(4 * 70e9 * 1e9, value, q.rel_tol, q.close_factor) == "right"


def test_the_wrap_up_asks_for_no_link_and_the_extensions_exist():
    wrap = _section(_markdown(), "82–90 min · Wrap-up")
    assert "class view" in wrap and "No links" in wrap
    extensions = _section(_markdown(), "Extensions for those who finish early")
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", extensions)
    assert {link[:2] for link in links} >= {"02", "03", "05", "06"}
    for link in links:
        assert (SESSION.parent / link).exists(), link
    main = _markdown().split("## Extensions")[0]
    assert not re.search(r"\bRun All\b|\brun (?:this|the|each|every) cell", main, re.I), \
        "no instruction to run cells: class mode runs the page by itself"


def test_the_exit_tickets_working_opens_only_after_a_first_answer():
    # The working holds the answer: "Show the working" stays shut until something is typed.
    from scaling_laws_lab.kit import check

    ticket = check("s1.lora-70b")
    assert ticket.reveal.disabled and ticket.working.value == ""
    assert ticket.check("4.2e20") == "wrong"
    assert not ticket.reveal.disabled
    assert not check("00.llama2-flops").reveal.disabled  # exercises keep their working open


def test_the_summary_opens_only_under_the_exit_ticket():
    # The Summary states the checks' answers and the ticket's rule (about 4N per token): a class
    # page shows every Markdown cell, so it is no cell but what the ticket reveals once answered.
    import ipywidgets as ipw
    from scaling_laws_lab.kit import check
    from scaling_laws_lab.teaching.questions import session

    assert "4N per token" in session.SUMMARY_1
    for line in session.SUMMARY_1.splitlines()[2:]:
        assert line.strip() not in _markdown(), f"the Summary's line is on the page: {line}"
    asked = [c.source for c in nbformat.read(SESSION, as_version=4).cells
             if c.cell_type == "code" and 's1.lora-70b' in c.source]
    assert len(asked) == 1 and "reveal=summary" in asked[0] and "SUMMARY_1" in asked[0]
    shown = ipw.HTML("summary")
    ticket = check("s1.lora-70b", reveal=shown)
    assert shown not in ticket.revealed.children
    assert ticket.check("lots") == "invalid" and not ticket.revealed.children
    ticket.check("4.2e20")
    assert ticket.revealed.children == (shown,)
    # The harness counts the revealed Summary's words in the wrap-up, as the class reads it.
    blocks = reading_time.session_blocks()
    assert blocks[-1]["words"] >= len(session.SUMMARY_1.split())
