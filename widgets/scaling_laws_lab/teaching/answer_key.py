"""The teachers' answer key, generated from the question bank.

``python -m scaling_laws_lab.teaching.answer_key docs/answer-key.md`` writes it; a test checks
that the committed file is what the bank makes, so the key and the live checks never disagree.
"""

from __future__ import annotations

import re
import sys

from . import bank

_TAGS = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    """HTML from an explanation as Markdown-safe text (tags dropped, whitespace folded)."""
    return " ".join(_TAGS.sub("", text).split())


def render() -> str:
    """The answer key as Markdown: per notebook, each check, its answer and why."""
    lines = ["# Answer key for teachers",
             "",
             "Generated from the question bank (`scaling_laws_lab/teaching/questions/`) by",
             "`python -m scaling_laws_lab.teaching.answer_key docs/answer-key.md`; do not edit by hand.",
             "Each check is listed by its id, the name a notebook cell uses to ask it. For a choice,",
             "the right option comes first and each wrong one says which misconception it reflects:",
             "these are the wrong answers to expect in class.",
             ""]
    current = None
    for q in bank.all_questions():
        if q.notebook != current:
            current = q.notebook
            name = f"Class session {current[1:]}" if current.startswith("s") else f"Notebook {current}"
            lines += [f"## {name}", ""]
        lines += [f"### `{q.id}`{' (predict first)' if q.predict_first else ''}", "",
                  _plain(q.text), ""]
        if q.kind == "choice":
            lines.append(f"- **Answer: {_plain(q.options[q.answer])}.** {_plain(q.explain(q.answer))}")
            for key, option in q.options.items():
                if key != q.answer:
                    lines.append(f"- *Wrong: {_plain(option)}.* {_plain(q.explanations[key])}")
        else:
            lines.append(f"- **Answer: {q.answer_text()}** (within {q.rel_tol:.0%}; within a "
                         f"factor {q.close_factor:g} counts as close).")
            working = _plain(q.working_html())
            if working:
                lines.append(f"- Working: {working}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if argv:
        with open(argv[0], "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
