"""The question bank: one :class:`Question` per check, looked up by its stable id.

Each notebook's questions sit in ``teaching/questions/nbNN.py`` as a list ``QUESTIONS``; this
module gathers them once, on first use, and refuses duplicates or malformed entries at that
moment (a mistake in the bank fails every test that asks for a check, not a learner's page).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: ``"03.fpt-cost"``: two digits (the notebook), a dot, a lower-case slug; ``"s1.…"`` for a
#: class session's own checks (``questions/session.py``).
ID_PATTERN = re.compile(r"^(?:\d\d|s\d)\.[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Question:
    """One check: its text, and everything needed to grade it and explain the answer.

    Parameters
    ----------
    id : str
        Stable id, ``"NN.slug"``; notebooks, apps, the site and the answer key use it.
    kind : {"choice", "number"}
        Multiple choice (one right option, every option explained) or a number typed in.
    text : str
        The question as the learner reads it (plain text).
    options : Mapping[str, str]
        ``choice`` only: key -> the option's text, in the order shown.
    answer : str
        ``choice`` only: the key of the right option.
    explanations : Mapping[str, str]
        ``choice`` only: key -> why that option is right, or tempting and wrong (HTML allowed).
    expected : callable
        ``number`` only: returns the answer, computed by the package (never typed in).
    unit : str
        ``number`` only: the answer's unit (accepted after the number).
    working : str or callable
        ``number`` only: the working, HTML (a callable when it quotes computed values).
    rel_tol, close_factor : float
        ``number`` only: see :func:`scaling_laws_lab.kit.selfcheck.grade`.
    predict_first : bool
        Asked before the control or output that settles it; that output waits for a commit.
    spoilers : tuple of str
        Phrases that would give the answer away: none of them may appear in the notebook's
        text or outputs above the check, nor in any output of a run top to bottom (tested).
    """

    id: str
    kind: str
    text: str
    options: Mapping[str, str] = field(default_factory=dict)
    answer: str = ""
    explanations: Mapping[str, str] = field(default_factory=dict)
    expected: Callable[[], float] | None = None
    unit: str = ""
    working: str | Callable[[], str] = ""
    rel_tol: float = 0.05
    close_factor: float = 2.0
    predict_first: bool = False
    spoilers: tuple[str, ...] = ()

    def __post_init__(self):
        if not ID_PATTERN.match(self.id):
            raise ValueError(f"check id {self.id!r} is not of the form 'NN.slug' (e.g. '03.fpt-cost')")
        if self.kind == "choice":
            if self.answer not in self.options:
                raise ValueError(f"{self.id}: answer {self.answer!r} is not one of the options "
                                 f"{list(self.options)}")
            missing = [k for k in self.options if k not in self.explanations]
            if missing:
                raise ValueError(f"{self.id}: every option needs an explanation; missing for {missing}")
            if len(self.options) < 2:
                raise ValueError(f"{self.id}: a choice needs at least two options")
        elif self.kind == "number":
            if not callable(self.expected):
                raise ValueError(f"{self.id}: a number check computes its answer (expected=callable)")
        else:
            raise ValueError(f"{self.id}: kind must be 'choice' or 'number', not {self.kind!r}")
        # Frozen all the way down: a caller cannot edit the bank through a returned question.
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(self, "explanations", MappingProxyType(dict(self.explanations)))

    @property
    def notebook(self) -> str:
        """The two-digit notebook number the check belongs to (``"03"``; ``"s1"``: class session 1)."""
        return self.id[:2]

    def expected_value(self) -> float:
        """The answer of a number check (computed now, by the package)."""
        if self.kind != "number":
            raise ValueError(f"{self.id} is a choice check; its answer is the key {self.answer!r}")
        return float(self.expected())

    def working_html(self) -> str:
        """The working of a number check, as HTML."""
        return self.working() if callable(self.working) else self.working

    def explain(self, key: str) -> str:
        """Option ``key``'s explanation as shown after its verdict: the verdict ("✔ Right.") is
        the display's, so a leading "Right." or "Right:" in the bank is not repeated."""
        text = self.explanations[key]
        if key == self.answer:
            text = re.sub(r"^Right[.:]\s*", "", text)
            text = text[:1].upper() + text[1:]
        return text

    def answer_text(self) -> str:
        """The right answer as a reader would write it: the right option's text, or the number."""
        if self.kind == "choice":
            return self.options[self.answer]
        from ..science.units import si

        value = self.expected_value()
        return f"{si(value)} {self.unit}".strip()


def choice(id: str, text: str, options: Mapping[str, str], answer: str,
           explanations: Mapping[str, str], *, predict_first: bool = False,
           spoilers: tuple[str, ...] = ()) -> Question:
    """A multiple-choice question (see :class:`Question`)."""
    return Question(id=id, kind="choice", text=text, options=options, answer=answer,
                    explanations=explanations, predict_first=predict_first,
                    spoilers=tuple(spoilers))


def number(id: str, text: str, expected: Callable[[], float], *, unit: str = "",
           working: str | Callable[[], str] = "", rel_tol: float = 0.05,
           close_factor: float = 2.0, predict_first: bool = False,
           spoilers: tuple[str, ...] = ()) -> Question:
    """A question answered with a number (see :class:`Question`)."""
    return Question(id=id, kind="number", text=text, expected=expected, unit=unit,
                    working=working, rel_tol=rel_tol, close_factor=close_factor,
                    predict_first=predict_first, spoilers=tuple(spoilers))


_BANK: dict[str, Question] | None = None


def _load() -> dict[str, Question]:
    global _BANK
    if _BANK is None:
        from . import questions

        bank: dict[str, Question] = {}
        for info in sorted(pkgutil.iter_modules(questions.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{questions.__name__}.{info.name}")
            for q in module.QUESTIONS:
                if q.id in bank:
                    raise ValueError(f"check id {q.id!r} appears twice in the question bank")
                bank[q.id] = q
        _BANK = bank
    return _BANK


def get(question_id: str) -> Question:
    """The question with this id; a clear ValueError for an unknown one."""
    if not isinstance(question_id, str):
        raise ValueError(f"a check id is text such as '03.fpt-cost', not {type(question_id).__name__}")
    bank = _load()
    try:
        return bank[question_id]
    except KeyError:
        near = [i for i in bank if i[:2] == question_id[:2]]
        raise ValueError(f"no check with id {question_id!r} in the question bank"
                         + (f"; notebook {question_id[:2]} has {', '.join(near)}" if near else "")
                         ) from None


def ids(notebook: str | None = None) -> list[str]:
    """Every check id, in bank order; only one notebook's (``"03"``) when given."""
    return [i for i in _load() if notebook is None or i[:2] == notebook]


def all_questions() -> list[Question]:
    """Every question, in bank order (notebook, then as listed in its module)."""
    return list(_load().values())
