"""A learner's side of a class session: send each committed answer to the class store.

Only when the class command configured a store (``SLL_CLASS_STORE``); otherwise every function
here returns at once and nothing is recorded anywhere. The learner is an anonymous token drawn
at random in this kernel (a new page, a new token). A store that fails never fails the check:
the learner reads the explanation as usual, and a grey line says the answer did not reach the
teacher.
"""

from __future__ import annotations

import html
import os
import secrets

from . import STORE_ENV

#: This kernel's anonymous learner token.
LEARNER = secrets.token_urlsafe(12)

#: Shown instead of a choice check's verdict and explanation while the teacher holds them back.
HELD_BACK = ("Answer recorded; your teacher will reveal the explanations. When they do, press "
             "“Commit to this answer” again to read yours.")

_store = None
_name = None  # the name field (one per kernel), when the teacher turned names on


def configured() -> bool:
    return bool(os.environ.get(STORE_ENV))


def _open():
    global _store
    if _store is None:
        from .store import Store

        _store = Store(os.environ[STORE_ENV])  # StoreError if missing or unreadable
    return _store


def _note(text: str) -> str:
    return f"<div class='sll-class-note' style='color:#555;font-size:90%'>{html.escape(text)}</div>"


def on_answer(check_id: str, answer: str, verdict: str | None,
              held_back: bool = True) -> tuple[bool, str]:
    """Record an answer in a class session.

    Parameters
    ----------
    check_id, answer, verdict : str
        The bank id, the option key or the number as typed, and how it was graded.
    held_back : bool
        The check's explanation may be held back by the teacher's reveal switch (choice checks).

    Returns
    -------
    (show, note) : (bool, str)
        Whether to show the verdict and explanation now, and an HTML line for the learner
        ('' when there is nothing to say). Never raises.
    """
    global _store
    if not configured() or not check_id:
        return True, ""
    try:
        store = _open()
        name = None
        if _name is not None and _name.value.strip() and store.names:
            name = _name.value.strip()
        store.record(check_id, LEARNER, answer, verdict, name=name)
        reveal = store.reveal
    except Exception as err:  # noqa: BLE001 - the learner's check must work whatever the store does
        if not isinstance(err, ValueError):
            _store = None  # try to open it again at the next answer
        return True, _note(f"Your answer did not reach your teacher: {err}")
    if held_back and not reveal:
        return False, _note(HELD_BACK)
    return True, ""


def name_field():
    """The "your name" box a check shows when the teacher turned names on, else None."""
    global _name
    if not configured():
        return None
    try:
        if not _open().names:
            return None
    except Exception:  # noqa: BLE001 - no name box, the check itself still works
        return None
    if _name is None:
        import ipywidgets as ipw

        _name = ipw.Text(description="Your name", placeholder="for your teacher (optional)",
                         layout={"width": "22em"})
    return _name
