"""The teacher's view of a class: per check, a live histogram of first answers, a reveal switch
and a CSV export. Opens only with the class key (the teacher's link), compared in constant time.
"""

from __future__ import annotations

import base64
import html
import os
import threading
import urllib.parse

import ipywidgets as ipw

from . import STORE_ENV, session
from .store import Store, StoreError

#: Seconds between two reads of the store (a read of a class's rows takes milliseconds).
REFRESH_S = 3.0
RIGHT, OTHER = "#1b7f3b", "#8a8f98"


def refusal(text: str) -> ipw.HTML:
    box = ipw.HTML(f"<div style='color:#b00020;font-size:110%'>⛔ {html.escape(text)}</div>")
    box.add_class("sll-class-refused")
    return box


def teacher_view(query: str | None = None, period_s: float = REFRESH_S):
    """The teacher's view, or a clear refusal (no class here, wrong or missing key, bad store).

    Parameters
    ----------
    query : str, optional
        The page's query string (default: the one Voila gives this kernel), holding ``key=``.
    period_s : float
        Seconds between refreshes.
    """
    path = os.environ.get(STORE_ENV)
    if not path:
        return refusal("No class on this server. This page is the teacher's view of a class "
                       "session: start one with `python -m scaling_laws_lab.classroom start "
                       "--name NAME` and open the teacher's link it prints.")
    if query is None:
        from ..kit.voila_request import page_query

        query = page_query()
    given = urllib.parse.parse_qs(query).get("key", [""])[0]
    if not session.key_matches(given, path):
        return refusal("Refused: this view opens only with the class key, from the teacher's link "
                       "the class command printed. The key in this link is "
                       + ("wrong." if given else "missing."))
    try:
        store = Store(path)
    except StoreError as err:
        return refusal(str(err))
    return TeacherView(store, period_s=period_s)


class _Panel(ipw.VBox):
    """One check: its question, the first answers' histogram, how many answered and changed."""

    def __init__(self, question):
        import bqplot as bq

        self.question = question
        if question.kind == "choice":
            self.order = list(question.options)
            colours = [RIGHT if k == question.answer else OTHER for k in self.order]
        else:
            self.order = ["right", "close", "wrong"]
            colours = [RIGHT, "#9a6700", OTHER]
        x, y = bq.OrdinalScale(), bq.LinearScale(min=0, max=1)
        self.y = y
        self.bars = bq.Bars(x=self.order, y=[0] * len(self.order), scales={"x": x, "y": y},
                            colors=colours, labels=["first answers"])
        self.figure = bq.Figure(marks=[self.bars], axes=[
            bq.Axis(scale=x, label="first answer"),
            self._yaxis(y)],
            fig_margin={"top": 10, "bottom": 40, "left": 50, "right": 10},
            layout={"width": "440px", "height": "200px"})
        self.counts = ipw.HTML()
        self.counts.add_class("sll-class-counts")
        text = question.text if len(question.text) <= 160 else question.text[:157] + "…"
        legend = "" if question.kind != "choice" else "<br>".join(
            f"<b>{html.escape(k)}</b>{' (right)' * (k == question.answer)}: {html.escape(v)}"
            for k, v in question.options.items())
        super().__init__([ipw.HTML(f"<b>{html.escape(question.id)}</b>: {html.escape(text)}"),
                          ipw.HBox([self.figure, ipw.HTML(f"<div style='font-size:90%;"
                                                          f"color:#444'>{legend}</div>")]),
                          self.counts])
        self.add_class("sll-class-check")
        self._last = None

    def _yaxis(self, y):
        import bqplot as bq

        self.yaxis = bq.Axis(scale=y, orientation="vertical", label="learners", tick_format="d",
                             tick_values=[0, 1])
        return self.yaxis

    def _scale_to(self, top: int) -> None:
        """Whole learners on the axis: ticks 0..top in at most 6 whole steps."""
        top = max(1, top)
        step = max(1, -(-top // 5))
        top = step * -(-top // step)
        self.y.max = top
        self.yaxis.tick_values = list(range(0, top + 1, step))

    def update(self, s: dict) -> None:
        """Show summary ``s`` (:meth:`Store.summary`'s entry for this check), in place."""
        key = (s["answered"], tuple(sorted(s["first"].items())), tuple(sorted(s["latest"].items())),
               s["changed"])
        if key == self._last:
            return  # nothing new: send the browser nothing
        self._last = key
        first, latest = s["first"], s["latest"]
        # A number check's first answers are binned by their verdict (the values are in the CSV).
        counts = [(first if self.question.kind == "choice" else s["first_verdicts"]).get(k, 0)
                  for k in self.order]
        self._scale_to(max(counts))
        self.bars.y = counts
        line = " · ".join(f"{html.escape(k)} {c}" for k, c in zip(self.order, counts, strict=True))
        now = ""
        if self.question.kind == "choice":
            now = " · now: " + " · ".join(f"{html.escape(k)} {latest.get(k, 0)}" for k in self.order)
        self.counts.value = (f"<b>{s['answered']} answered</b> · first answers: {line}{now} · "
                             f"{s['changed']} changed their answer")


class TeacherView(ipw.VBox):
    """The class at a glance, refreshed every ``period_s`` seconds by a background thread."""

    def __init__(self, store: Store, period_s: float = REFRESH_S, start: bool = True):
        self.store, self.period_s = store, period_s
        name = store.setting("name", "")
        self.heading = ipw.HTML()
        self.reveal = ipw.Checkbox(value=store.reveal, indent=False, layout={"width": "auto"},
                                   description="Learners see the explanations when they commit")
        self.reveal.observe(self._flip, "value")
        self.export = ipw.Button(description="Export CSV", icon="download")
        self.export.on_click(lambda _: self.export_csv())
        self.exported = ipw.HTML()
        self.exported.add_class("sll-class-export")
        self.status = ipw.HTML()
        self.panels: dict[str, _Panel] = {}
        self.checks = ipw.VBox([ipw.HTML("<i>No answers yet: they appear here as learners "
                                         "commit.</i>")])
        super().__init__([ipw.HTML(f"<h3>Class {html.escape(name)}: what the class answered</h3>"),
                          self.heading, self.reveal, ipw.HBox([self.export, self.exported]),
                          self.status, self.checks])
        self.add_class("sll-class-view")
        self.refresh()
        self._stop = threading.Event()
        if start:
            threading.Thread(target=self._loop, daemon=True, name="sll-class-view").start()

    def _loop(self) -> None:
        while not self._stop.wait(self.period_s):
            try:
                self.refresh()
            except Exception as err:  # noqa: BLE001 - one failed refresh must not end the loop
                self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(err))}</span>"

    def stop(self) -> None:
        self._stop.set()

    def refresh(self) -> None:
        """Read the store once and update what changed (marks in place, new checks appended)."""
        from ..teaching import bank

        try:
            summary = self.store.summary()
            learners = self.store.learners()
            reveal = self.store.reveal
        except Exception as err:  # noqa: BLE001 - the view keeps running and says what failed
            self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(err))}</span>"
            return
        order = {q: i for i, q in enumerate(bank.ids())}
        # A check renamed or removed from the bank since its answers came in: in the CSV only.
        gone = sorted(i for i in summary if i not in order)
        self.status.value = ("" if not gone else "Answers to checks no longer in the question "
                             f"bank (in the CSV only): {html.escape(', '.join(gone))}")
        summary = {i: s for i, s in summary.items() if i in order}
        new = [i for i in summary if i not in self.panels]
        for check_id in new:
            self.panels[check_id] = _Panel(bank.get(check_id))
        if new:
            self.checks.children = [self.panels[i] for i in sorted(self.panels, key=order.get)]
        for check_id, s in summary.items():
            self.panels[check_id].update(s)
        heading = (f"{learners} learner{'s' * (learners != 1)} "
                   f"{'has' if learners == 1 else 'have'} answered; {len(summary)} "
                   f"check{'s' * (len(summary) != 1)}. Refreshed every {self.period_s:g} s.")
        if self.heading.value != heading:
            self.heading.value = heading
        if self.reveal.value != reveal:
            self.reveal.value = reveal  # flipped elsewhere (another teacher tab)

    def _flip(self, change) -> None:
        try:
            self.store.reveal = bool(change["new"])
        except Exception as err:  # noqa: BLE001
            self.status.value = f"<span style='color:#b00020'>⚠ {html.escape(str(err))}</span>"

    def export_csv(self):
        """Write every answer to a CSV beside the store; show its path and a download link."""
        try:
            path = self.store.export_csv()
        except Exception as err:  # noqa: BLE001
            self.exported.value = f"<span style='color:#b00020'>⚠ {html.escape(str(err))}</span>"
            return None
        data = base64.b64encode(path.read_bytes()).decode()
        self.exported.value = (f"<a download='{html.escape(path.name)}' "
                               f"href='data:text/csv;base64,{data}'>Download {html.escape(path.name)}"
                               f"</a> (also saved as <code>{html.escape(str(path))}</code>)")
        return path
