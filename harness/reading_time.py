"""Each notebook's reading time, and the length of its main path.

Reading time: words of its Markdown at 200 words a minute, plus 2 minutes per numeric check,
1 per multiple-choice check and 5 per code exercise (checks are counted from the question bank
ids its cells ask for). The main path is the Markdown a reader meets outside collapsed
``<details>`` blocks and before ``## Exercises``: the budget the series keeps under ~1,000 words.

``python -m harness.reading_time`` prints the table docs/teaching.md quotes.
"""

from __future__ import annotations

import pathlib
import re

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
WPM = 200
MINUTES = {"number": 2.0, "choice": 1.0, "code": 5.0}
_ASK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")
_DETAILS = re.compile(r"<details\b.*?</details>", re.S | re.I)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def main_path_text(nb) -> str:
    """The Markdown a reader meets on the main path: before "## Exercises", <details> removed."""
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.split(r"^## Exercises", text, maxsplit=1, flags=re.M)[0]
    return _DETAILS.sub("", text)


def reading_time(path: pathlib.Path) -> dict:
    from scaling_laws_lab.teaching import bank

    nb = nbformat.read(path, as_version=4)
    words = sum(_words(c.source) for c in nb.cells if c.cell_type == "markdown")
    asked = [bank.get(q).kind for c in nb.cells if c.cell_type == "code"
             for q in _ASK.findall(c.source)]
    counts = {"number": asked.count("number"), "choice": asked.count("choice"),
              "code": sum(c.source.count("%load solutions/") for c in nb.cells
                          if c.cell_type == "code")}
    exercises = sum(MINUTES[k] * n for k, n in counts.items())
    return {"notebook": path.name, "words": words, "main_path_words": _words(main_path_text(nb)),
            "reading_min": words / WPM, "checks": counts["number"] + counts["choice"],
            "code_exercises": counts["code"], "exercise_min": exercises,
            "total_min": words / WPM + exercises}


def main() -> None:
    rows = [reading_time(p) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    print("| notebook | main path | words | reading | checks | code | exercises | total |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['notebook']} | {r['main_path_words']:,} | {r['words']:,} | "
              f"{r['reading_min']:.0f} min | {r['checks']} | {r['code_exercises']} | "
              f"{r['exercise_min']:.0f} min | {r['total_min']:.0f} min |")
    print(f"| all | {sum(r['main_path_words'] for r in rows):,} | "
          f"{sum(r['words'] for r in rows):,} | | | | | {sum(r['total_min'] for r in rows):.0f} min |")


if __name__ == "__main__":
    main()
