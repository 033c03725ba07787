"""A check as plain HTML that works with no kernel: the static site's version of a live check.

Options are ``<details>`` elements: a reader picks one by opening it and reads why it is right or
wrong; a number check hides its answer and working behind one more ``<details>``. No script is
needed, so the page works offline and on any host. It is made from the same bank entry as the
live check, so the two can never disagree.
"""

from __future__ import annotations

import html

from .bank import Question

_STYLE = ("border:1px solid #c8d3e0;border-radius:6px;padding:10px 14px;margin:10px 0;"
          "background:#f7f9fc;max-width:100%;box-sizing:border-box;"
          "font:15px/1.5 var(--jp-content-font-family, system-ui, sans-serif)")


def static_html(q: Question) -> str:
    """The check ``q`` as self-contained HTML (``<details>`` to reveal, no script)."""
    head = (f"<div class='sll-static-check' data-check-id='{html.escape(q.id)}' style='{_STYLE}'>"
            f"<p style='margin:0 0 6px'><b>{html.escape(q.text)}</b></p>")
    if q.kind == "choice":
        items = []
        for key, option in q.options.items():
            verdict = ("<span style='color:#1b7f3b'>✔ Right.</span>" if key == q.answer
                       else "<span style='color:#b00020'>✘ Not this one.</span>")
            items.append(f"<details class='sll-option'><summary>{html.escape(option)}</summary>"
                         f"<p style='margin:4px 0 8px 1.2em'>{verdict} {q.explain(key)}</p>"
                         "</details>")
        body = ("<p style='margin:0 0 4px;font-size:90%'>Decide first, then open the option you "
                "chose to read why it is right or not.</p>" + "".join(items))
    else:
        unit = f" {html.escape(q.unit)}" if q.unit else ""
        body = ("<p style='margin:0 0 4px;font-size:90%'>Work out your answer first (on paper, or in "
                "the live notebook where the question asks for the explorer), then open this.</p>"
                "<details class='sll-answer'><summary>Show the answer and the working</summary>"
                f"<p style='margin:4px 0 8px 1.2em'><b>{html.escape(q.answer_text())}</b>"
                f"{'' if q.unit in q.answer_text() else unit}</p>"
                f"<p style='margin:0 0 8px 1.2em'>{q.working_html()}</p></details>")
    return head + body + "</div>"
