"""A class's answers in one SQLite file: what each learner answered to each check, first and last.

UI-free (the standard library and the question bank only). One row per (check id, learner):
the learner is an anonymous token drawn at random in each learner's kernel, and a name only if
the teacher turned the name field on. Opened in WAL mode with a busy timeout, so thirty learner
kernels writing and one teacher view reading do not block each other (bench/class_answers.py
measures it). The file must sit outside anything the server serves: students reach it only
through :func:`Store.record`, and only the teacher's view (with the class key) reads it.
"""

from __future__ import annotations

import csv
import io
import os
import pathlib
import sqlite3
import threading
import time
from collections import Counter

#: Longest answer stored, in characters: an option key or a typed number is far shorter, so a
#: longer one is a mistake (or someone filling the disk), refused with a clear message.
MAX_ANSWER = 200
MAX_NAME = 80
MAX_TOKEN = 64
#: Milliseconds a writer waits for another's lock before SQLite says "database is locked".
BUSY_TIMEOUT_MS = 10_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    check_id TEXT NOT NULL,
    learner TEXT NOT NULL,
    name TEXT,
    first_answer TEXT NOT NULL,
    first_verdict TEXT,
    latest_answer TEXT NOT NULL,
    latest_verdict TEXT,
    changes INTEGER NOT NULL DEFAULT 0,
    first_at REAL NOT NULL,
    latest_at REAL NOT NULL,
    PRIMARY KEY (check_id, learner)
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: The columns of a row and of an export, in order (times: seconds since the epoch; the CSV
#: writes them as UTC ISO 8601).
COLUMNS = ("check_id", "learner", "name", "first_answer", "first_verdict", "latest_answer",
           "latest_verdict", "changes", "first_at", "latest_at")


class StoreError(RuntimeError):
    """The class store cannot be used (missing, read-only, corrupted): the message says which."""


def _text(value, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if not value:
        raise ValueError(f"{what} is empty")
    if len(value) > limit:
        raise ValueError(f"{what} is {len(value)} characters long; at most {limit} are stored")
    return value


def validate_check_id(check_id) -> str:
    """``check_id`` if the question bank has it, else a ValueError that says so."""
    from ..teaching import bank

    return bank.get(check_id).id  # bank.get: a clear ValueError for unknown or non-text ids


class Store:
    """One class's answers.

    Parameters
    ----------
    path : str or pathlib.Path
        The SQLite file. Outside anything the server serves.
    create : bool
        Create the file (and its folder) if missing. Learner kernels and the teacher's view
        open with ``create=False``: a missing store then says so instead of starting an
        empty class somewhere unexpected.
    """

    def __init__(self, path, create: bool = False):
        self.path = pathlib.Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"no class store at {self.path}: start the class with "
                             "`python -m scaling_laws_lab.classroom start --name NAME`")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()  # one connection, shared by this process's threads
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open the class store {self.path}: {err}") from None
        try:
            self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if create:
                self._db.executescript(SCHEMA)
            else:
                self._db.execute("SELECT count(*) FROM answers").fetchone()
        except sqlite3.Error as err:
            self._db.close()
            raise StoreError(self._explain(err)) from None
        self.journal_mode = mode

    def _explain(self, err: sqlite3.Error) -> str:
        text = str(err)
        if "readonly" in text or "read-only" in text:
            return (f"the class store {self.path} is read-only ({text}): the server's user must "
                    "be able to write the file and its folder")
        if "not a database" in text or "malformed" in text or "no such table" in text:
            return (f"the class store {self.path} is not a readable class database ({text}): "
                    "corrupted or not a store; start a new class in another folder")
        if "unable to open" in text:
            return (f"cannot open the class store {self.path} ({text}): the file or its folder "
                    "is missing or not writable by the server's user")
        if "locked" in text:
            return f"the class store {self.path} stayed locked for {BUSY_TIMEOUT_MS} ms ({text})"
        return f"the class store {self.path} failed: {text}"

    def _run(self, sql: str, args=()):
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as err:
                raise StoreError(self._explain(err)) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- learners -------------------------------------------------------------------------
    def record(self, check_id: str, learner: str, answer, verdict: str | None = None,
               name: str | None = None, now: float | None = None) -> None:
        """Store ``learner``'s answer to ``check_id``: the first one stays, the latest replaces.

        Raises ValueError for an unknown check id, a non-text, empty or oversized answer,
        token or name; StoreError when the file cannot be written.
        """
        check_id = validate_check_id(check_id)
        learner = _text(learner, "the learner token", MAX_TOKEN)
        answer = _text(answer, "an answer", MAX_ANSWER)
        if verdict is not None:
            verdict = _text(verdict, "a verdict", 20)
        if name is not None:
            name = _text(name, "a name", MAX_NAME)
        now = time.time() if now is None else now
        self._run(
            "INSERT INTO answers (check_id, learner, name, first_answer, first_verdict,"
            " latest_answer, latest_verdict, changes, first_at, latest_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)"
            " ON CONFLICT (check_id, learner) DO UPDATE SET"
            "  changes = answers.changes + (excluded.latest_answer != answers.latest_answer),"
            "  latest_answer = excluded.latest_answer, latest_verdict = excluded.latest_verdict,"
            "  latest_at = excluded.latest_at, name = coalesce(excluded.name, answers.name)",
            (check_id, learner, name, answer, verdict, answer, verdict, now, now))

    # -- settings (the teacher flips them live; learners read them at each commit) --------
    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._run("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        self._run("INSERT INTO settings (key, value) VALUES (?, ?)"
                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, str(value)))

    @property
    def reveal(self) -> bool:
        """Do learners see a choice check's explanation when they commit? (default: yes)"""
        return self.setting("reveal", "1") == "1"

    @reveal.setter
    def reveal(self, on: bool) -> None:
        self.set_setting("reveal", "1" if on else "0")

    @property
    def names(self) -> bool:
        """Did the teacher turn on the name field? (default: no; learners stay anonymous)"""
        return self.setting("names", "0") == "1"

    @names.setter
    def names(self, on: bool) -> None:
        self.set_setting("names", "1" if on else "0")

    # -- the teacher ----------------------------------------------------------------------
    def rows(self) -> list[dict]:
        """Every row, oldest first answer first."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM answers ORDER BY first_at, check_id, learner"
        return [dict(zip(COLUMNS, row, strict=True)) for row in self._run(sql)]

    def summary(self) -> dict[str, dict]:
        """check id -> answered (learners), first / latest / first_verdicts (Counters), changed
        (learners whose latest answer differs from an earlier one)."""
        out: dict[str, dict] = {}
        for check_id, first, verdict, latest, changes in self._run(
                "SELECT check_id, first_answer, first_verdict, latest_answer, changes FROM answers"):
            s = out.setdefault(check_id, {"answered": 0, "first": Counter(), "latest": Counter(),
                                          "first_verdicts": Counter(), "changed": 0})
            s["answered"] += 1
            s["first"][first] += 1
            s["latest"][latest] += 1
            s["first_verdicts"][verdict] += 1
            s["changed"] += changes > 0
        return out

    def learners(self) -> int:
        """How many learners (tokens) answered at least one check."""
        return self._run("SELECT count(DISTINCT learner) FROM answers")[0][0]

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in self.rows():  # times as UTC ISO 8601, readable in any spreadsheet
            for k in ("first_at", "latest_at"):
                row[k] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(row[k]))
            writer.writerow(row)
        return buffer.getvalue()

    def export_csv(self, path=None) -> pathlib.Path:
        """Write every row to ``path`` (default: beside the store, stamped with the time)."""
        if path is None:
            stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
            path = self.path.with_name(f"{self.path.stem}-answers-{stamp}.csv")
        path = pathlib.Path(path)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_text(self.csv_text(), encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a file
        return path
