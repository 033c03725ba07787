"""Each notebook's reading time, and the length of its main path.

Reading time: words of its Markdown at 200 words a minute, plus 2 minutes per numeric check,
1 per multiple-choice check and 5 per code exercise (checks are counted from the question bank
ids its cells ask for). The main path is the Markdown a reader meets outside collapsed
``<details>`` blocks and before ``## Exercises`` (a class session: ``## Extensions``): the budget
the series keeps under ~1,000 words.

``python -m harness.reading_time`` prints the table docs/teaching.md quotes, then each class
session's plan (:data:`SESSION_1`, :data:`SESSION_2`): per block, the words of
``notebooks/class_session_N.ipynb`` under its heading at 150 words a minute (formula-dense text
read in class), the checks it asks, and the stated minutes for explorers, discussion and launch;
the minutes needed fit the block's slot.
"""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
WPM = 200
MINUTES = {"number": 2.0, "choice": 1.0, "code": 5.0}
_ASK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")
_DETAILS = re.compile(r"<details\b.*?</details>", re.S | re.I)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def main_path_text(nb) -> str:
    """The Markdown a reader meets on the main path: before "## Exercises" (a class session's
    "## Extensions"), <details> removed."""
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.split(r"^## (?:Exercises|Extensions)", text, maxsplit=1, flags=re.M)[0]
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


# ------------------------------------------------------------------ class session 1's plan
SESSION_1_PATH = ROOT / "notebooks" / "class_session_1.ipynb"
#: Formula-dense text read in class: 150 words a minute (issue 32's measured pace), not 200.
SESSION_WPM = 150
#: In class a choice check is read, answered and its explanation read; a number is worked on paper.
SESSION_CHECK_MINUTES = {"choice": 1.5, "number": 3.0}
#: A block heading of the session notebook: "## 22–40 min · How big a model for a budget?".
_BLOCK = re.compile(r"^## (\d+)–(\d+) min · ", re.M)


@dataclass(frozen=True)
class Block:
    """One block of a class session's plan, in minutes.

    Parameters
    ----------
    start, end : int
        The block's slot, minutes from the start of the class.
    name : str
        The numbered notebook it comes from (``"02"``), or ``"launch"``, ``"exit"``, ``"wrap-up"``.
    explore : float
        Minutes with the explorer or table the block opens (stated: a few settings each).
    discuss : float
        Minutes of the block's discussion prompt, the class together.
    other : float
        Anything else: starting Binder or the hub (5–8 min), working the exit ticket on paper.
    """

    start: int
    end: int
    name: str
    explore: float = 0.0
    discuss: float = 0.0
    other: float = 0.0


SESSION_1 = (
    Block(0, 8, "launch", discuss=1, other=6),  # Binder from a pre-built image, or the hub
    Block(8, 14, "00", explore=1.5, discuss=2),
    Block(14, 20, "01", explore=1, discuss=2),
    Block(20, 38, "02", explore=6, discuss=5),
    Block(38, 52, "03", explore=5, discuss=4),
    Block(52, 62, "04", explore=3, discuss=3),
    Block(62, 74, "05", explore=3, discuss=3),
    Block(74, 82, "exit", other=3),  # paper working beyond the check's own minutes
    Block(82, 90, "wrap-up", discuss=5),  # pairs read out a setting; the class view's histograms
)


SESSION_2_PATH = ROOT / "notebooks" / "class_session_2.ipynb"
SESSION_2 = (
    Block(0, 6, "launch", other=5),  # the second time: links known, image pre-built
    # 07: the sweep's wait (1), reading its runs (3), the budget game in pairs (12).
    Block(6, 46, "07", explore=16, discuss=5),
    # 08: the fine-tunes' wait (1), one proximity per pair (8), the smallest model (2).
    Block(46, 78, "08", explore=11, discuss=5),
    Block(78, 90, "wrap-up", discuss=5),  # pairs read out E and β; the exit ticket alone
)
#: Each class session's notebook and its plan.
SESSIONS = {SESSION_1_PATH: SESSION_1, SESSION_2_PATH: SESSION_2}


def session_blocks(path: pathlib.Path = SESSION_1_PATH) -> list[dict]:
    """The session notebook cut at its block headings: per block its slot, words and checks.

    Block 0 is everything above the first heading (read while the page opens). The wrap-up runs
    to "## Extensions" and counts the Summary too, since the class reads it together: the
    collapsed one in the notebook, or the one the exit ticket opens
    (:data:`scaling_laws_lab.teaching.questions.session.SUMMARIES`).
    """
    from scaling_laws_lab.teaching import bank
    from scaling_laws_lab.teaching.questions import session

    nb = nbformat.read(path, as_version=4)
    blocks = [{"slot": (0, None), "words": 0, "choice": 0, "number": 0}]
    ended = False
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "markdown":
            if ended or text.startswith("## Extensions"):
                ended = True
                continue
            text = text.split("\n## Extensions", 1)[0]
            ended = "\n## Extensions" in cell.source
            pieces = _BLOCK.split(text)
            blocks[-1]["words"] += _words(pieces[0])
            for i in range(1, len(pieces), 3):
                blocks[-1]["slot"] = (blocks[-1]["slot"][0], int(pieces[i]))
                blocks.append({"slot": (int(pieces[i]), int(pieces[i + 1])),
                               "words": _words(pieces[i + 2]), "choice": 0, "number": 0})
        elif not ended:
            for qid in _ASK.findall(text):
                blocks[-1][bank.get(qid).kind] += 1
    blocks[-1]["words"] += _words(session.SUMMARIES.get(path.stem, ""))
    return blocks


def session_plan(path: pathlib.Path = SESSION_1_PATH, plan: tuple[Block, ...] = SESSION_1) -> list[dict]:
    """Per block of ``plan``: words read, reading, check, explorer, discussion and other minutes,
    their sum ``need`` and the slot's length; raises ValueError if the notebook's headings and
    the plan's slots disagree."""
    measured = session_blocks(path)
    slots = [b["slot"] for b in measured]
    if slots != [(b.start, b.end) for b in plan]:
        raise ValueError(f"the session's headings give {slots}, the plan {[(b.start, b.end) for b in plan]}")
    rows = []
    for block, m in zip(plan, measured, strict=True):
        checks = sum(SESSION_CHECK_MINUTES[k] * m[k] for k in SESSION_CHECK_MINUTES)
        reading = m["words"] / SESSION_WPM
        rows.append({"block": block.name, "start": block.start, "end": block.end,
                     "words": m["words"], "reading_min": reading, "checks": m["choice"] + m["number"],
                     "check_min": checks, "explore_min": block.explore, "discuss_min": block.discuss,
                     "other_min": block.other,
                     "need_min": reading + checks + block.explore + block.discuss + block.other,
                     "slot_min": block.end - block.start})
    return rows


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
    for path, blocks in SESSIONS.items():
        if not path.exists():
            continue
        print()
        print(f"{path.name}: main path {reading_time(path)['main_path_words']:,} "
              f"words; plan at {SESSION_WPM} words a minute")
        print("| block | minutes | words | reading | checks | explore | discuss | other | needs | slot |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        plan = session_plan(path, blocks)
        for r in plan:
            print(f"| {r['block']} | {r['start']}–{r['end']} | {r['words']:,} | "
                  f"{r['reading_min']:.1f} | {r['checks']} ({r['check_min']:g} min) | "
                  f"{r['explore_min']:g} | {r['discuss_min']:g} | {r['other_min']:g} | "
                  f"{r['need_min']:.1f} min | {r['slot_min']} min |")
        print(f"| total | | {sum(r['words'] for r in plan):,} | "
              f"{sum(r['reading_min'] for r in plan):.1f} | "
              f"{sum(r['checks'] for r in plan)} ({sum(r['check_min'] for r in plan):g} min) | "
              f"{sum(r['explore_min'] for r in plan):g} | {sum(r['discuss_min'] for r in plan):g} | "
              f"{sum(r['other_min'] for r in plan):g} | {sum(r['need_min'] for r in plan):.1f} min | "
              f"{sum(r['slot_min'] for r in plan)} min |")


if __name__ == "__main__":
    main()
