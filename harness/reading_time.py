"""Each notebook's reading time: words of its Markdown and check questions at 200 words a
minute, plus 2 minutes per numeric check, 1 per multiple-choice check and 5 per code exercise.

``python -m harness.reading_time`` prints the table docs/teaching.md quotes.
"""

from __future__ import annotations

import pathlib
import re

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
WPM = 200
MINUTES = {"SelfCheck(": 2.0, "ChoiceCheck(": 1.0, "%load solutions/": 5.0}


def reading_time(path: pathlib.Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    words = sum(len(re.findall(r"\w+", c.source)) for c in nb.cells if c.cell_type == "markdown")
    counts = {k: sum(c.source.count(k) for c in nb.cells if c.cell_type == "code")
              for k in MINUTES}
    exercises = sum(MINUTES[k] * n for k, n in counts.items())
    return {"notebook": path.name, "words": words, "reading_min": words / WPM,
            "checks": counts["SelfCheck("] + counts["ChoiceCheck("],
            "code_exercises": counts["%load solutions/"], "exercise_min": exercises,
            "total_min": words / WPM + exercises}


def main() -> None:
    rows = [reading_time(p) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    print("| notebook | words | reading | checks | code | exercises | total |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['notebook']} | {r['words']:,} | {r['reading_min']:.0f} min | {r['checks']} | "
              f"{r['code_exercises']} | {r['exercise_min']:.0f} min | {r['total_min']:.0f} min |")
    print(f"| all | {sum(r['words'] for r in rows):,} | | | | | "
          f"{sum(r['total_min'] for r in rows):.0f} min |")


if __name__ == "__main__":
    main()
