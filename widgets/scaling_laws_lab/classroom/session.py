"""A class session: its folder (store and key), the Voila options that serve it, its two links.

UI-free. The class folder holds ``class.sqlite`` (the answers) and ``class.key`` (the teacher's
secret, readable by the server's user only); it must lie outside the folder Voila serves.
Starting a class again in the same folder reopens its store and keeps its key: a server
restarted mid-class loses no answer and the teacher's link still works.
"""

from __future__ import annotations

import hmac
import os
import pathlib
import re
import secrets
import sys

from .store import Store

ROOT = pathlib.Path(__file__).resolve().parents[3]
#: The teacher's view, relative to the served notebooks folder.
TEACHER_APP = "apps/classroom_teacher.ipynb"
#: What a class opens unless told otherwise: the 90-minute session notebook, in class mode (a
#: Voila render: code hidden, checks live, each check's explanation and hidden figure only after
#: a commit). Its pool of pre-heated kernels is the class's; other notebooks start on demand.
SESSION_APP = "class_session_1.ipynb"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def default_dir(name: str) -> pathlib.Path:
    return pathlib.Path.home() / ".local" / "share" / "scaling_laws_lab" / "classes" / name


def store_path(directory) -> pathlib.Path:
    return pathlib.Path(directory) / "class.sqlite"


def key_path(store) -> pathlib.Path:
    return pathlib.Path(store).with_suffix(".key")


def create(name: str, directory=None, served=None, names: bool = False,
           reveal: bool | None = None) -> tuple[pathlib.Path, str]:
    """Make (or reopen) a class's store and key; returns (store path, key).

    Parameters
    ----------
    name : str
        The class's name: letters, digits, ``_`` and ``-``, up to 40 characters.
    directory : path, optional
        The class folder (default ``~/.local/share/scaling_laws_lab/classes/NAME``).
    served : path, optional
        The folder the server serves: the class folder may not be inside it.
    names : bool
        Show learners a name field (off: anonymous tokens only).
    reveal : bool, optional
        Whether learners see explanations on commit; None keeps the store's (default on).
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"a class name is 1-40 letters, digits, '_' or '-', not {name!r}")
    directory = pathlib.Path(directory or default_dir(name)).resolve()
    if served is not None:
        served = pathlib.Path(served).resolve()
        if directory == served or served in directory.parents:
            raise ValueError(f"the class folder {directory} is inside the served folder {served}: "
                             "anyone could download the answers and the key; choose another --dir")
    store = Store(store_path(directory), create=True)
    try:
        store.set_setting("name", name)
        store.names = names
        if reveal is not None:
            store.reveal = reveal
        elif store.setting("reveal") is None:
            store.reveal = True  # a class without a teacher works as without a class
    finally:
        store.close()
    key_file = key_path(store_path(directory))
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(24))
    return store_path(directory), key_file.read_text().strip()


def key_matches(given, store) -> bool:
    """Is ``given`` this class's key? Compared in constant time; False for anything unreadable."""
    try:
        key = key_path(store).read_text().strip()
    except OSError:
        return False
    if not isinstance(given, str) or not key:
        return False
    return hmac.compare_digest(given.encode(), key.encode())


def voila_options(app: str, pool_size: int) -> list[str]:
    """The documented pre-heated server's options (docs/classroom.md), for ``app``.

    From :func:`harness.servers.preheat_args`, the one place they are written: the class
    command runs from a checkout of the project, where the notebooks are.
    """
    try:
        from harness.servers import preheat_args
    except ImportError:
        sys.path.insert(0, str(ROOT))
        from harness.servers import preheat_args
    return preheat_args(app, pool_size=pool_size, refill_after_s=600)


def urls(base: str, app: str, key: str) -> dict[str, str]:
    """The students' link and the teacher's (which carries the key)."""
    base = base.rstrip("/")
    return {"students": f"{base}/voila/render/{app}",
            "teacher": f"{base}/voila/render/{TEACHER_APP}?key={key}"}
