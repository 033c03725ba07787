"""A numeric answer box for exercises: says right / close / wrong and shows the working on request."""

from __future__ import annotations

import html
import math
import os

import ipywidgets as ipw

from ..science.units import parse_quantity, si


def grade(answer: float, expected: float, rel_tol: float = 0.05, close_factor: float = 2.0) -> str:
    """``"right"`` within ``rel_tol``, ``"close"`` within a factor ``close_factor``, else ``"wrong"``.

    Compared as a ratio, because scaling-law answers span many decades and a
    learner who is off by 10% on 3e23 is as right as one off by 10% on 3e3.
    """
    if answer <= 0 or expected <= 0:
        return "right" if math.isclose(answer, expected, rel_tol=rel_tol) else "wrong"
    ratio = abs(math.log(answer / expected))
    if ratio <= math.log1p(rel_tol):
        return "right"
    if ratio <= math.log(close_factor):
        return "close"
    return "wrong"


#: Every check made in this kernel, in order: what a notebook asks (tests/test_notebooks.py
#: reads it after running a notebook to see that no answer was already on screen).
CHECKS: list[dict] = []


def _register(kind: str, question: str, expected, question_id: str = "") -> None:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        shell = None
    CHECKS.append({"id": question_id, "kind": kind, "question": question, "expected": expected,
                   "execution_count": getattr(shell, "execution_count", None)})


def _class_answer(question_id: str, answer, verdict: str, held_back: bool,
                  on_reveal=None) -> tuple[bool, str]:
    """In a class session (the class command sets ``SLL_CLASS_STORE``), send the answer to the
    teacher's store: (show the explanation now?, a line for the learner). Outside one: nothing.
    ``on_reveal`` shows a held-back explanation once the teacher reveals."""
    if not question_id or not os.environ.get("SLL_CLASS_STORE"):
        return True, ""
    from ..classroom import client

    return client.on_answer(question_id, str(answer), verdict, held_back, on_reveal)


def _class_widgets() -> list:
    """The name box, in a class whose teacher turned names on; else nothing."""
    if not os.environ.get("SLL_CLASS_STORE"):
        return []
    from ..classroom import client

    field = client.name_field()
    return [field] if field is not None else []


class SelfCheck(ipw.VBox):
    """An exercise's answer box.

    Parameters
    ----------
    question : str
        Shown above the box.
    expected : float
        The answer, computed by the package (never typed in by hand).
    unit : str
        Unit of the answer (accepted after the number).
    working : str
        HTML shown by "Show the working".
    rel_tol, close_factor : float
        See :func:`grade`.
    working_after_answer : bool
        Keep "Show the working" shut until a first answer is typed (an exit ticket, a
        predict-first number): the working holds the answer.
    reveal : ipywidgets.Widget, optional
        Shown once a first readable answer is typed (a session's Summary after its exit
        ticket): what would give the answer away stays off the page until then.
    """

    _VERDICTS = {
        "right": ("✔ Right", "#1b7f3b"),
        "close": ("≈ Close, but not quite: check your arithmetic", "#9a6700"),
        "wrong": ("✘ Not yet: try again, or show the working", "#b00020"),
    }

    def __init__(self, question: str, expected: float, unit: str = "", working: str = "",
                 rel_tol: float = 0.05, close_factor: float = 2.0, question_id: str = "",
                 working_after_answer: bool = False, reveal=None):
        self.expected, self.unit = float(expected), unit
        self._reveal = reveal
        self.revealed = ipw.Box([])
        self.rel_tol, self.close_factor = rel_tol, close_factor
        self.question_id = question_id
        _register("number", question, self.expected, question_id)
        self.entry = ipw.Text(placeholder=f"your answer{' in ' + unit if unit else ''}",
                              description="Answer", layout={"width": "22em"},
                              continuous_update=False)
        self.button = ipw.Button(description="Check", button_style="primary")
        self.result = ipw.HTML()
        # The working holds the answer: it reaches the page only when asked for, so a class
        # page (Voila) carries no answer before the learner asks, not even hidden.
        self._working = working
        self.working = ipw.HTML("", layout={"display": "none"})
        self.reveal = ipw.ToggleButton(description="Show the working", value=False,
                                       disabled=working_after_answer,
                                       tooltip="Type your answer first" if working_after_answer else "")
        self.verdict = ""
        self.button.on_click(lambda _: self.check(self.entry.value))
        self.entry.observe(lambda ch: self.check(ch["new"]), "value")
        self.reveal.observe(self._toggle, "value")
        super().__init__([ipw.HTML(f"<b>{html.escape(question)}</b>"),
                          ipw.HBox([self.entry, self.button]), self.result,
                          self.reveal, self.working, self.revealed] + _class_widgets())
        self.add_class("sll-selfcheck")

    def check(self, raw) -> str:
        """Grade ``raw`` and show the verdict; returns it (``"invalid"`` for unreadable input)."""
        try:
            answer = parse_quantity(raw, self.unit or None)
        except ValueError as err:
            self.verdict = "invalid"
            self.result.value = f"<span style='color:#b00020'>⚠ {html.escape(str(err))}</span>"
            return self.verdict
        self.verdict = grade(answer, self.expected, self.rel_tol, self.close_factor)
        text, colour = self._VERDICTS[self.verdict]
        # A number check is graded at once even in a class: only its answer is recorded.
        _, note = _class_answer(self.question_id, str(raw).strip(), self.verdict, held_back=False)
        self.result.value = (f"<span style='color:{colour}'>{text} (you typed {si(answer)})</span>"
                             + note)
        self.reveal.disabled, self.reveal.tooltip = False, ""  # answered: the working may open
        if self._reveal is not None and not self.revealed.children:
            self.revealed.children = (self._reveal,)  # answered: now see it
        return self.verdict

    def _toggle(self, change):
        if change["new"] and not self.working.value:
            self.working.value = self._working
        self.working.layout.display = "block" if change["new"] else "none"
        self.reveal.description = "Hide the working" if change["new"] else "Show the working"


class ChoiceCheck(ipw.VBox):
    """A multiple-choice or predict-first check: commit to an option, read why it is right or not.

    Every option carries its own explanation, so a wrong choice meets the misconception it
    reflects instead of a bare "wrong". For a predict-first check, ask before the learner
    moves a control, and let the explanation send them to the control to see it.

    Parameters
    ----------
    question : str
        Shown above the options.
    options : dict
        key -> the option's text, in the order shown.
    answer : str
        The key of the right option.
    explanations : dict
        key -> why that option is right or wrong (HTML allowed), one for every option.
    reveal : ipywidgets.Widget, optional
        Shown only once the learner has committed to an answer (a predict-first check: the
        figure that settles it stays hidden until then).
    """

    def __init__(self, question: str, options: dict, answer: str, explanations: dict,
                 reveal=None, question_id: str = ""):
        options, explanations = dict(options), dict(explanations)
        if answer not in options:
            raise ValueError(f"answer {answer!r} is not one of the options {list(options)}")
        missing = [k for k in options if k not in explanations]
        if missing:
            raise ValueError(f"every option needs an explanation; missing for {missing}")
        self.options, self.answer, self.explanations = options, answer, explanations
        self.question_id = question_id
        _register("choice", question, options[answer], question_id)
        self.radio = ipw.RadioButtons(options=[(text, key) for key, text in options.items()],
                                      value=None, layout={"width": "auto"})
        self.button = ipw.Button(description="Commit to this answer", button_style="primary",
                                 layout={"width": "16em"})
        self.result = ipw.HTML()
        self.verdict = ""
        self.seen: list[str] = []  #: the options committed to, in order
        self.button.on_click(lambda _: self.choose(self.radio.value))
        # Added to the page only on commitment: a figure drawn while hidden (display: none) has
        # no size, and bqplot then draws negative rectangles (errors in the browser console).
        self._reveal = reveal
        self.revealed = ipw.Box([], layout=ipw.Layout())
        super().__init__([ipw.HTML(f"<b>{html.escape(question)}</b>"), self.radio, self.button,
                          self.result, self.revealed] + _class_widgets())
        self.add_class("sll-selfcheck")

    def choose(self, key) -> str:
        """Commit to option ``key``; show its explanation; returns "right", "wrong" or "invalid"."""
        if key not in self.options:
            self.verdict = "invalid"
            self.result.value = ("<span style='color:#b00020'>⚠ Choose one of the options "
                                 "first.</span>")
            return self.verdict
        self.seen.append(key)
        self.verdict = "right" if key == self.answer else "wrong"
        head = ("<span style='color:#1b7f3b'>✔ Right.</span>" if self.verdict == "right"
                else "<span style='color:#b00020'>✘ Not this one.</span>")
        full = f"{head} {self.explanations[key]}"
        show, note = _class_answer(self.question_id, key, self.verdict, held_back=True,
                                   on_reveal=lambda: setattr(self.result, "value", full))
        # Held back by the teacher: neither verdict nor explanation yet (the figure still opens).
        self.result.value = f"{full}{note}" if show else note
        if self._reveal is not None and not self.revealed.children:
            self.revealed.children = (self._reveal,)  # committed: now see it
        return self.verdict


#: Set to "1" by the static-site build (harness/site.py): checks render as plain HTML that
#: works without a kernel, and a predict-first check's figure is shown beneath it.
STATIC_ENV = "SLL_STATIC_SITE"


class StaticCheck(ipw.VBox):
    """A check for a page with no kernel: the bank's static HTML, then what it would reveal."""

    def __init__(self, question, reveal=None):
        from ..teaching.static import static_html

        self.question_id = question.id
        _register(question.kind, question.text,
                  question.expected_value() if question.kind == "number"
                  else question.options[question.answer], question.id)
        shown = []
        if reveal is not None:
            # Live, this figure waits for a commitment; a static page cannot wait, so it says so.
            shown = [ipw.HTML("<p class='sll-static-reveal' style='font-size:90%;color:#555'>"
                              "<i>Live, what follows opens only once you commit. On this page it "
                              "is already here: decide before you look at it.</i></p>"), reveal]
        super().__init__([ipw.HTML(static_html(question)), *shown])


def check(question_id: str, reveal=None) -> ChoiceCheck | SelfCheck | StaticCheck:
    """The live check for question ``question_id`` of the question bank.

    The notebook cell names only the id, so the options, the answer key and the explanations
    stay in the package (:mod:`scaling_laws_lab.teaching`), out of the learner's sight.

    Parameters
    ----------
    question_id : str
        A bank id such as ``"03.fpt-cost"``.
    reveal : ipywidgets.Widget, optional
        Shown only once the learner commits to an answer (a choice) or types a first readable
        one (a number): the explorer or the output that settles a predict-first question.
    """
    from ..teaching import bank

    q = bank.get(question_id)
    if os.environ.get(STATIC_ENV) == "1":
        return StaticCheck(q, reveal)
    if q.kind == "choice":
        return ChoiceCheck(q.text, dict(q.options), q.answer, {k: q.explain(k) for k in q.options},
                           reveal=reveal, question_id=q.id)
    return SelfCheck(q.text, q.expected_value(), q.unit, q.working_html(), q.rel_tol,
                     q.close_factor, question_id=q.id, working_after_answer=q.predict_first,
                     reveal=reveal)
