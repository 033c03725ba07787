"""Every notebook runs top to bottom in a fresh kernel, is stored clean, and follows the outline."""

import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
APPS = sorted((ROOT / "notebooks" / "apps").glob("*.ipynb"))
OUTLINE = ["What you will learn", "Prerequisites", "Summary", "Exercises", "What's next",
           "References"]


def test_there_are_notebooks():
    assert any(nb.name == "00_start_here.ipynb" for nb in NOTEBOOKS)


def test_every_explorer_has_an_app():
    import scaling_laws_lab

    apps = {getattr(scaling_laws_lab, name).app for name in scaling_laws_lab.EXPLORERS}
    assert {f"apps/{p.name}" for p in APPS} == apps


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS + APPS, ids=lambda p: p.name)
def test_notebook_executes_without_errors(path, tmp_path, jupyter_isolation):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [out for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors, errors
    widget_views = [out for cell in nb.cells if cell.cell_type == "code"
                    for out in cell.get("outputs", [])
                    if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert widget_views, "a notebook shows at least one live control"


@pytest.mark.parametrize("path", NOTEBOOKS + APPS, ids=lambda p: p.name)
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
    assert "SelfCheck(" in sources, "exercises come with a self-check"
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
