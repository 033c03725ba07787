"""``make worksheets``: the printable worksheets and their answer keys.

Built into a temporary folder (fast: no kernel, no browser). Every numbered item is on the page
with a box to write in, the page carries its print CSS, and the committed keys are what the
generator makes from the package today.
"""

from __future__ import annotations

import re

import pytest

from harness import worksheets

SESSIONS = worksheets.SESSIONS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("worksheets")
    paths = worksheets.build(out)
    return out, paths


def test_make_worksheets_builds_each_sheet_and_its_key(built):
    out, paths = built
    names = sorted(p.name for p in paths)
    assert names == sorted([f"{s}.html" for s in SESSIONS] + [f"{s}-key.html" for s in SESSIONS])


@pytest.mark.parametrize("session", SESSIONS)
def test_every_numbered_item_is_printed_with_a_box_to_write_in(built, session):
    out, _ = built
    sheet = (worksheets.SHEETS / f"{session}.md").read_text(encoding="utf-8")
    numbers = sorted(worksheets.items(sheet))
    assert numbers == list(range(1, len(numbers) + 1)), numbers  # numbered 1…n, none skipped
    page = (out / f"{session}.html").read_text(encoding="utf-8")
    for n in numbers:
        assert f'id="item-{n}"' in page, (session, n)
    # Every item is a list entry (not swallowed into a paragraph) ending in its write-in box.
    entries = re.findall(r"<li>(.*?)</li>", page, re.S)
    assert len(entries) == len(numbers), (session, len(entries))
    assert all(re.search(r'class="write-in( working)?"', e) for e in entries)
    # An item that asks for its working (session 1's exit ticket) gets the taller box.
    for e in entries:
        assert ('class="write-in working"' in e) == ("Show your working" in e), e[:80]
    # Short blanks in the text become lines to write on; no raw underscores are left.
    assert 'class="blank"' in page and "____" not in page


@pytest.mark.parametrize("session", SESSIONS)
def test_the_pages_print_on_a4_with_no_item_split_and_a_header(built, session):
    out, _ = built
    title = (worksheets.SHEETS / f"{session}.md").read_text(encoding="utf-8").splitlines()[0][2:]
    for name in (session, f"{session}-key"):
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        css = page.split("<style>", 1)[1].split("</style>", 1)[0]
        assert "@page" in css and "size: A4" in css
        assert re.search(r"li, \.item \{[^}]*break-inside: avoid", css)
        assert ".write-in" in css and "min-height" in css
        assert '<header class="sheet">' in page
        # The session's name heads every page: the header element and the page's top margin.
        session_name = title.split(" worksheet")[0]  # "Scaling Laws Lab · Session 1"
        margin_box = css.split("@top-center", 1)[1].split("}", 1)[0]
        assert session_name in margin_box and session_name in page.split("</header>", 1)[0]


@pytest.mark.parametrize("session", SESSIONS)
def test_the_committed_keys_are_what_the_generator_makes(session):
    committed = (worksheets.SHEETS / f"{session}-key.md").read_text(encoding="utf-8")
    assert committed == worksheets.render_key(session), (
        f"docs/worksheets/{session}-key.md is stale: run `make worksheets`")


@pytest.mark.parametrize("session", SESSIONS)
def test_every_item_of_a_key_has_its_answer_working_and_wrong_answers(session):
    key = worksheets.render_key(session)
    sheet = (worksheets.SHEETS / f"{session}.md").read_text(encoding="utf-8")
    for n in worksheets.items(sheet):
        block = key.split(f"\n## Item {n}\n", 1)[1].split("\n## ", 1)[0]
        for part in ("**Answer:**", "**Working:**", "**Wrong answers to expect:**"):
            assert part in block, (session, n, part)


def test_session_1_keeps_its_timings():
    sheet = (worksheets.SHEETS / "session-1.md").read_text(encoding="utf-8")
    spans = re.findall(r"\((\d+)–(\d+) min\)", sheet)
    assert spans[0][0] == "0" and spans[-1][1] == "90"
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))


def test_the_hub_checklist_names_options_the_installed_servers_have():
    # docs/teaching.md's "Before class" section: every option it names is a configurable trait
    # of the installed jupyter_server / Voilà, so a teacher's command line is not silently ignored.
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.configuration import VoilaConfiguration
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    text = (worksheets.ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    section = text.split("## Before class: Binder and hub checklists", 1)[1].split("\n## ", 1)[0]
    kernels = AsyncMappingKernelManager.class_trait_names(config=True)
    for name in ("cull_idle_timeout", "cull_interval", "cull_connected"):
        assert name in kernels and f"MappingKernelManager.{name}" in section, name
    voila = VoilaConfiguration.class_trait_names(config=True)
    for name in ("preheat_kernel", "default_pool_size", "progressive_rendering"):
        assert name in voila and name in section, name
    pool = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    for name in ("fill_delay", "preheat_denylist", "kernel_pools_config"):
        assert name in pool.class_trait_names(config=True) and name in section, name
    assert "/v0.2.0?labpath=" in section and "make site" in section


# --------------------------------------------------------------------------- Session 1 follows its notebook
def _session_notebook() -> tuple[str, list[str]]:
    """Session 1's notebook: its Markdown, and the ids its cells check, in order."""
    import nbformat

    nb = nbformat.read(worksheets.ROOT / "notebooks" / "class_session_1.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    ids = [m for c in nb.cells if c.cell_type == "code" for m in re.findall(r'check\("([^"]+)"', c.source)]
    return markdown, ids


def test_session_1_blocks_carry_the_notebooks_titles():
    markdown, _ = _session_notebook()
    sheet = (worksheets.SHEETS / "session-1.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^## (\d+)–(\d+) min · (.+?) \(notebook (\d\d)\)$", markdown, re.M)
    assert len(blocks) == 6, blocks
    for start, end, title, number in blocks:
        assert f"**{number} · {title}** ({start}–{end} min)" in sheet, (number, title)


def test_every_session_1_check_has_its_item_in_the_notebooks_order():
    # The header names the items that go with the session's checks, one each; the key says which
    # check each answers; together they follow the notebook, exit ticket last.
    _, checked = _session_notebook()
    sheet = " ".join((worksheets.SHEETS / "session-1.md").read_text(encoding="utf-8").split())
    listed = re.search(r"Items ([\d, and]+) go with its checks", sheet).group(1)
    numbers = [int(n) for n in re.findall(r"\d+", listed)]
    numbers.append(int(re.search(r"[Ii]tem (\d+) is its exit ticket", sheet).group(1)))
    assert numbers == sorted(numbers)
    key = worksheets.render_key("session-1")
    answered = []
    for n in numbers:
        block = key.split(f"\n## Item {n}\n", 1)[1].split("\n## ", 1)[0]
        ids = [i for i in dict.fromkeys(re.findall(r"`([\w.-]+)`", block)) if i in checked]
        assert len(ids) == 1, (n, ids)
        answered += ids
    assert answered == checked


def test_the_exit_ticket_asks_what_its_check_asks():
    from scaling_laws_lab.teaching import bank

    sheet = (worksheets.SHEETS / "session-1.md").read_text(encoding="utf-8")
    ticket = sheet.split("**Exit ticket**", 1)[1].split("\n**", 1)[0]
    n = int(re.search(r"^(\d+)\. ", ticket, re.M).group(1))
    asked = worksheets.items(sheet)[n]
    # The case and the question, as the check words them (its "type it" line is for the screen).
    text = bank.get("s1.lora-70b").text
    case = text[text.index("A team"):text.index("?") + 1]
    assert case in asked, (case, asked)
