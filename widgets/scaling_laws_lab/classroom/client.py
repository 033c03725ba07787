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
import threading
import time

from . import STORE_ENV

#: This kernel's anonymous learner token.
LEARNER = secrets.token_urlsafe(12)

#: Shown instead of a choice check's verdict and explanation while the teacher holds them back.
HELD_BACK = ("Answer recorded; your teacher will reveal the explanations. Yours will appear here "
             "when they do.")
#: Seconds between two looks at the reveal switch while a check waits for it.
POLL_S = 3.0

_store = None
_name = None  # the name field (one per kernel), when the teacher turned names on
_waiting: dict = {}  # check id -> what shows its explanation, once the teacher reveals
_lock = threading.Lock()
_watcher = None


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
              held_back: bool = True, on_reveal=None) -> tuple[bool, str]:
    """Record an answer in a class session.

    Parameters
    ----------
    check_id, answer, verdict : str
        The bank id, the option key or the number as typed, and how it was graded.
    held_back : bool
        The check's explanation may be held back by the teacher's reveal switch (choice checks).
    on_reveal : callable, optional
        Called (from a background thread) once the teacher reveals, if this answer was held
        back: shows the explanation without the learner pressing anything.

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
    with _lock:
        _waiting.pop(check_id, None)  # an earlier, held-back commit of this check is superseded
    if held_back and not reveal:
        if on_reveal is not None:
            _wait_for_reveal(check_id, on_reveal)
        return False, _note(HELD_BACK)
    return True, ""


def _wait_for_reveal(check_id: str, callback) -> None:
    """Call ``callback`` when the teacher switches reveal on (one watcher thread per kernel)."""
    global _watcher
    with _lock:
        _waiting[check_id] = callback
        if _watcher is None or not _watcher.is_alive():
            _watcher = threading.Thread(target=_watch, daemon=True, name="sll-class-reveal")
            _watcher.start()


def _watch() -> None:
    while True:
        time.sleep(POLL_S)
        with _lock:
            if not _waiting:
                return  # nothing held back: the thread ends (a new one starts when needed)
        try:
            revealed = _open().reveal
        except Exception:  # noqa: BLE001 - keep waiting; the store may come back
            continue
        if revealed:
            with _lock:
                callbacks = list(_waiting.values())
                _waiting.clear()
            for callback in callbacks:
                try:
                    callback()
                except Exception:  # noqa: BLE001 - a closed page's widget: nothing to show
                    pass


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
