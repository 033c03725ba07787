"""The text of a notebook, so that tests of the numbers a notebook quotes read the notebook itself."""

import pathlib

import nbformat

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"


def notebook_source(name: str) -> str:
    """Every cell's source of ``notebooks/<name>*.ipynb``, joined, whitespace folded."""
    (path,) = NOTEBOOKS.glob(f"{name}*.ipynb")
    text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    return " ".join(text.split())


def quotes(name: str, *phrases: str) -> None:
    """Assert that the notebook says each phrase (whitespace folded), naming the first it lacks."""
    text = notebook_source(name)
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"notebook {name} no longer says {phrase!r}"
