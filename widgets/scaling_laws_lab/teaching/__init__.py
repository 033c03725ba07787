"""The teaching material: the question bank behind every check (UI-free).

Every predict-first, multiple-choice and numeric check in the notebooks lives here, once, under
a stable id such as ``"03.fpt-cost"`` (notebook number, a dot, a short slug). A notebook cell only
asks for it by id (``check("03.fpt-cost")``), so no answer key sits in a notebook's visible code,
and the same entry serves the live check, the static site and the teachers' answer key
(``python -m scaling_laws_lab.teaching.answer_key``).
"""

from .bank import Question, all_questions, choice, get, ids, number

__all__ = ["Question", "all_questions", "choice", "get", "ids", "number"]
