"""A class session: the answers store, the learner's hook, the class key, and one real class.

The store and the key are unit-tested here without a server; one browser test runs a class on a
real Voila server (four students, a teacher, a kill and a restart).
"""

from __future__ import annotations

import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from scaling_laws_lab.classroom import STORE_ENV, client, session
from scaling_laws_lab.classroom.store import MAX_ANSWER, Store, StoreError
from scaling_laws_lab.teaching import bank

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEACHER = ROOT / "notebooks" / session.TEACHER_APP


def _choice(predict_first=True):
    """A choice check of the bank with at least three options (ids may change; this does not)."""
    return next(q for q in bank.all_questions()
                if q.kind == "choice" and q.predict_first == predict_first and len(q.options) >= 3)


def _number():
    return next(q for q in bank.all_questions() if q.kind == "number")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "class.sqlite", create=True)
    yield s
    s.close()


# -- the store ---------------------------------------------------------------------------------
def test_first_answer_stays_latest_replaces_and_changes_are_counted(store):
    q = _choice()
    a, b, c = list(q.options)[:3]
    store.record(q.id, "learner-1", a, "wrong")
    store.record(q.id, "learner-1", a, "wrong")  # the same answer again: not a change
    store.record(q.id, "learner-1", b, "right")
    store.record(q.id, "learner-2", c)
    (row1, row2) = sorted(store.rows(), key=lambda r: r["learner"])
    assert (row1["first_answer"], row1["latest_answer"], row1["changes"]) == (a, b, 1)
    assert (row2["first_answer"], row2["latest_answer"], row2["changes"]) == (c, c, 0)
    assert row1["name"] is None  # no names unless the teacher turned them on
    s = store.summary()[q.id]
    assert s["answered"] == 2 and s["changed"] == 1
    assert s["first"] == {a: 1, c: 1} and s["latest"] == {b: 1, c: 1}
    assert store.learners() == 2


def test_answers_persist_across_reopening_in_wal_mode(tmp_path):
    path = tmp_path / "class.sqlite"
    s = Store(path, create=True)
    assert s.journal_mode == "wal"
    q = _choice()
    s.record(q.id, "t1", q.answer, "right")
    s.reveal = False
    s.close()
    again = Store(path)
    assert again.journal_mode == "wal" and [r["learner"] for r in again.rows()] == ["t1"]
    assert again.reveal is False
    again.close()


def test_settings_default_to_reveal_on_and_names_off(store):
    assert store.reveal is True and store.names is False


@pytest.mark.parametrize("check_id, answer, message", [
    ("99.no-such-check", "a", "no check with id"),
    (3, "a", "a check id is text"),
    (None, "a", "a check id is text"),
    ("OK", 42, "an answer must be text, not int"),
    ("OK", None, "an answer must be text, not NoneType"),
    ("OK", b"bytes", "an answer must be text, not bytes"),
    ("OK", "   ", "an answer is empty"),
    ("OK", "x" * (MAX_ANSWER + 1), f"at most {MAX_ANSWER}"),
])
def test_bad_ids_and_answers_are_refused_with_a_clear_message(store, check_id, answer, message):
    if check_id == "OK":
        check_id = _choice().id
    with pytest.raises(ValueError, match=message):
        store.record(check_id, "t1", answer)
    assert store.rows() == []


def test_a_missing_store_says_how_to_start_a_class(tmp_path):
    with pytest.raises(StoreError, match="no class store at .*classroom start"):
        Store(tmp_path / "nowhere.sqlite")


def test_a_corrupted_store_says_so(tmp_path):
    path = tmp_path / "class.sqlite"
    path.write_bytes(b"this is not a database, it was overwritten by mistake\n" * 100)
    with pytest.raises(StoreError, match="not a readable class database"):
        Store(path)


def test_a_read_only_store_says_so(tmp_path):
    path = tmp_path / "class.sqlite"
    Store(path, create=True).close()
    path.chmod(0o444)
    s = Store(path)
    if os.geteuid() == 0:  # root writes read-only files anyway: make the connection read-only
        s._db.execute("PRAGMA query_only=1")
    with pytest.raises(StoreError, match="read-only"):
        s.record(_choice().id, "t1", "x")
    s.close()


def test_threads_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "class.sqlite"
    Store(path, create=True).close()
    ids = [q.id for q in bank.all_questions()][:5]
    errors = []

    def student(n):
        s = Store(path)  # each learner kernel has its own connection
        try:
            for check_id in ids:
                s.record(check_id, f"learner-{n}", "first")
                s.record(check_id, f"learner-{n}", "second")
        except Exception as err:  # noqa: BLE001 - collected and reported below
            errors.append(err)
        finally:
            s.close()

    threads = [threading.Thread(target=student, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = Store(path).rows()
    assert len(rows) == 16 * 5 and all(r["changes"] == 1 for r in rows)


WRITER = """
import sys
from scaling_laws_lab.classroom.store import Store
s = Store(sys.argv[1])
for n in range(100000):
    s.record(sys.argv[2], f"learner-{n}", "a")
    print(n, flush=True)
"""


def test_killing_a_writer_loses_no_recorded_answer(tmp_path):
    # The fault a restart is: the process dies between two answers (SIGKILL, no clean-up).
    path = tmp_path / "class.sqlite"
    Store(path, create=True).close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), _choice().id],
                            stdout=subprocess.PIPE, text=True)
    done = [int(proc.stdout.readline()) for _ in range(50)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    recorded = {r["learner"] for r in Store(path).rows()}
    assert {f"learner-{n}" for n in done} <= recorded


def test_export_writes_every_answer_beside_the_store(store):
    import csv

    q = _choice()
    for n in range(3):
        store.record(q.id, f"t{n}", list(q.options)[n])
    path = store.export_csv()
    assert path.parent == store.path.parent and path.suffix == ".csv"
    rows = list(csv.DictReader(path.open()))
    assert sorted(r["learner"] for r in rows) == ["t0", "t1", "t2"]
    assert rows[0]["first_at"].endswith("Z")


# -- the learner's hook --------------------------------------------------------------------------
def test_outside_a_class_nothing_is_recorded(monkeypatch, tmp_path):
    monkeypatch.delenv(STORE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    from scaling_laws_lab import check

    q = _choice()
    c = check(q.id)
    assert c.choose(q.answer) == "right" and "Right" in c.result.value
    assert client.on_answer(q.id, q.answer, "right") == (True, "")
    assert list(tmp_path.iterdir()) == []


def test_in_a_class_answers_are_recorded_and_held_back_when_the_teacher_says(monkeypatch, tmp_path):
    path, _ = session.create("unit", tmp_path / "class")
    monkeypatch.setenv(STORE_ENV, str(path))
    monkeypatch.setattr(client, "_store", None)
    from scaling_laws_lab import check

    q = _choice()
    wrong = next(k for k in q.options if k != q.answer)
    c = check(q.id)
    assert c.choose(wrong) == "wrong" and "Not this one" in c.result.value
    Store(path).reveal = False
    assert c.choose(q.answer) == "right"
    assert "Answer recorded; your teacher will reveal" in c.result.value
    assert "Right" not in c.result.value and q.explanations[q.answer] not in c.result.value
    # The teacher reveals: the explanation appears by itself.
    monkeypatch.setattr(client, "POLL_S", 0.05)
    Store(path).reveal = True
    _wait_for(lambda: "Right" in c.result.value, timeout=10)
    assert q.explanations[q.answer] in c.result.value
    n = _number()
    box = check(n.id)
    box.check("12345")
    (row,) = [r for r in Store(path).rows() if r["check_id"] == q.id]
    assert (row["first_answer"], row["latest_answer"], row["changes"]) == (wrong, q.answer, 1)
    assert row["learner"] == client.LEARNER
    assert [r["first_answer"] for r in Store(path).rows() if r["check_id"] == n.id] == ["12345"]
    show, note = client.on_answer("99.unknown", "a", None)  # bad input: said, never raised
    assert show and "no check with id" in note


@pytest.mark.parametrize("fault", ["missing", "corrupted"])
def test_a_failing_store_never_fails_the_check(monkeypatch, tmp_path, fault):
    path = tmp_path / "class.sqlite"
    if fault == "corrupted":
        path.write_text("garbage " * 500)
    monkeypatch.setenv(STORE_ENV, str(path))
    monkeypatch.setattr(client, "_store", None)
    from scaling_laws_lab import check

    q = _choice()
    c = check(q.id)
    assert c.choose(q.answer) == "right"
    assert "Right" in c.result.value and "did not reach your teacher" in c.result.value


def test_the_name_field_appears_only_when_the_teacher_turned_it_on(monkeypatch, tmp_path):
    path, _ = session.create("names", tmp_path / "class")
    monkeypatch.setenv(STORE_ENV, str(path))
    monkeypatch.setattr(client, "_store", None)
    monkeypatch.setattr(client, "_name", None)
    assert client.name_field() is None
    session.create("names", tmp_path / "class", names=True)
    field = client.name_field()
    field.value = "Ada"
    q = _choice()
    client.on_answer(q.id, q.answer, "right")
    assert Store(path).rows()[0]["name"] == "Ada"


# -- the class and its key -----------------------------------------------------------------------
def test_a_class_keeps_its_key_and_store_when_started_again(tmp_path):
    path, key = session.create("again", tmp_path / "c")
    assert len(key) >= 32 and session.key_path(path).stat().st_mode & 0o077 == 0
    assert session.create("again", tmp_path / "c") == (path, key)
    assert session.key_matches(key, path)
    for wrong in ("", key[:-1], key + "x", None, 123):
        assert not session.key_matches(wrong, path)


def test_a_class_folder_inside_the_served_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="inside the served folder"):
        session.create("leak", tmp_path / "notebooks" / "class", served=tmp_path / "notebooks")
    with pytest.raises(ValueError, match="class name"):
        session.create("../x", tmp_path / "c")


def test_the_teacher_view_refuses_a_wrong_or_missing_key(monkeypatch, tmp_path):
    from scaling_laws_lab.classroom.teacher import TeacherView, teacher_view

    monkeypatch.delenv(STORE_ENV, raising=False)
    assert "No class on this server" in teacher_view(query="key=x").value
    path, key = session.create("keys", tmp_path / "c")
    monkeypatch.setenv(STORE_ENV, str(path))
    assert "key in this link is wrong" in teacher_view(query="key=" + key[:-1] + "A").value
    assert "key in this link is missing" in teacher_view(query="").value
    view = teacher_view(query=f"key={key}", period_s=60)
    assert isinstance(view, TeacherView)
    view.stop()


def test_the_teacher_view_shows_counts_and_flips_reveal(tmp_path):
    from scaling_laws_lab.classroom.teacher import TeacherView

    path, _ = session.create("view", tmp_path / "c")
    s = Store(path)
    q = _choice()
    a, b = list(q.options)[:2]
    view = TeacherView(Store(path), start=False)
    s.record(q.id, "t1", a)
    s.record(q.id, "t2", a)
    s.record(q.id, "t2", b)
    view.refresh()
    panel = view.panels[q.id]
    assert list(panel.bars.y) == [2, 0] + [0] * (len(q.options) - 2)
    assert "2 answered" in panel.counts.value and "1 changed" in panel.counts.value
    view.reveal.value = False
    assert s.reveal is False
    assert view.export_csv().exists() and "base64" in view.exported.value


def test_the_teacher_app_is_stored_clean_and_refuses_outside_a_class(jupyter_isolation, monkeypatch):
    from nbclient import NotebookClient

    nb = nbformat.read(TEACHER, as_version=4)
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells
               if c.cell_type == "code")
    monkeypatch.delenv(STORE_ENV, raising=False)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]


# -- one real class -------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    """Every descendant of process ``pid`` (the kernels a Voila server started)."""
    out = []
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            out += [kid, *_children(kid)]
    return out


def _kill_hard(server) -> None:
    """SIGKILL the server and the kernels it started, by their ids: no clean shut-down."""
    kids = _children(server.proc.pid)
    server.proc.kill()
    server.proc.wait()
    for pid in kids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.stop()


def _commits(path) -> int:
    """Answers received so far: one per learner and check, plus each change."""
    return sum(1 + r["changes"] for r in Store(path).rows())


def _wait_for(condition, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the store did not receive the answer"
        time.sleep(0.2)


@pytest.mark.browser
def test_a_class_answers_and_the_teacher_sees_exactly_that(browser, tmp_path):
    from harness import servers

    q = _choice()
    a, b, c = list(q.options)[:3]
    # Four students: two change their mind after seeing the figure.
    plan = [[a], [b, c], [c], [a, c]]
    first = {k: sum(p[0] == k for p in plan) for k in q.options}
    served = tmp_path / "served"
    (served / "apps").mkdir(parents=True)
    (served / session.TEACHER_APP).write_bytes(TEACHER.read_bytes())
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"from scaling_laws_lab import check\n\ncheck({q.id!r})")]), served / "check.ipynb")
    path, key = session.create("browser", tmp_path / "class", served=served)
    env = {STORE_ENV: str(path)}

    def start(run, pool):
        server = servers.start_voila(tmp_path / run, served, extra_args=session.voila_options(
            "check.ipynb", pool), extra_env=env, port=port)
        for _ in range(400):
            if "is filled" in server.log.read_text():
                return server
            time.sleep(0.5)
        raise AssertionError("the pre-heated pool did not fill")

    port = servers.free_port()
    server = start("run1", 4)
    links = session.urls(server.base, "check.ipynb", key)
    pages = []
    try:
        teacher = browser.new_page()
        teacher.goto(links["teacher"])
        teacher.wait_for_selector(".sll-class-view", timeout=90_000)
        for answers in plan:  # everyone opens the page at once, then answers
            page = browser.new_page()
            page.goto(links["students"], wait_until="commit")
            pages.append((page, answers))
        done = []
        for page, answers in pages:
            box = page.locator(".sll-selfcheck").first
            box.wait_for(timeout=90_000)
            for key_ in answers:
                box.get_by_role("radio", name=q.options[key_], exact=True).check()
                box.locator("button:has-text('Commit to this answer')").click()
                done.append(key_)
                n = len(done)
                _wait_for(lambda n=n: _commits(path) == n)
        # The teacher's view, open since before the class answered, caught up by itself.
        counts = teacher.locator(".sll-class-counts").first
        expected = " · ".join(f"{k} {first[k]}" for k in q.options)
        # Wait for the refresh that follows the last change: a refresh between a student's
        # first answer and their change already reads "4 answered" (seen once in CI).
        teacher.wait_for_function("([el, t]) => el.innerText.includes(t)",
                                  arg=[counts.element_handle(), "2 changed their answer"],
                                  timeout=30_000)
        text = counts.inner_text()
        assert "4 answered" in text and f"first answers: {expected}" in text, text
        assert teacher.locator(".sll-class-check .bqplot").count() == 1  # the histogram
        shots = ROOT / ("docs" if os.environ.get("SLL_SCREENSHOTS") == "1" else "build") / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        teacher.wait_for_timeout(500)
        teacher.locator(".sll-class-view").screenshot(path=str(shots / "class-view.png"))
        # Export: the CSV beside the store holds every answer.
        teacher.get_by_role("button", name="Export CSV").click()
        teacher.wait_for_selector(".sll-class-export a", timeout=20_000)
        (csv_file,) = path.parent.glob("*.csv")
        rows = Store(path).rows()
        assert len(rows) == 4 and sorted(r["first_answer"] for r in rows) == sorted(
            p[0] for p in plan)
        assert sorted(r["latest_answer"] for r in rows) == sorted(p[-1] for p in plan)
        assert len(csv_file.read_text().splitlines()) == 1 + 4
        # The teacher holds the explanations back: a student's next commit shows none.
        teacher.get_by_role("checkbox").uncheck()
        for _ in range(50):
            if not Store(path).reveal:
                break
            time.sleep(0.2)
        page, answers = pages[0]
        box = page.locator(".sll-selfcheck").first
        box.locator("button:has-text('Commit to this answer')").click()
        page.wait_for_function("el => el.innerText.includes('Answer recorded')",
                               arg=box.element_handle(), timeout=20_000)
        assert "Not this one" not in box.inner_text() and "Right." not in box.inner_text()
        teacher.get_by_role("checkbox").check()  # the reveal: it appears without a click
        page.wait_for_function("el => /Right\\.|Not this one\\./.test(el.innerText)",
                               arg=box.element_handle(), timeout=20_000)
        # A wrong key, and a student poking the teacher's link without it: refused, no traceback.
        for url in (links["teacher"][:-3] + "xyz", links["teacher"].split("?")[0]):
            poke = browser.new_page()
            poke.goto(url)
            refused = poke.locator(".sll-class-refused")
            refused.wait_for(timeout=60_000)
            assert "Refused" in refused.inner_text()
            assert poke.locator(".sll-class-view").count() == 0
            assert "Traceback" not in poke.content()
            poke.close()
        # The server dies mid-class (SIGKILL, kernels too) and is started again: nothing is lost.
        before = Store(path).rows()
        _kill_hard(server)
        server = start("run2", 1)
        teacher.goto(links["teacher"])
        counts = teacher.locator(".sll-class-counts").first
        counts.wait_for(timeout=90_000)
        assert "4 answered" in counts.inner_text() and expected in counts.inner_text()
        assert Store(path).rows() == before
    finally:
        for page, _ in pages:
            page.close()
        server.stop()


@pytest.mark.notebook
def test_the_class_command_serves_the_class_and_prints_both_links(tmp_path, jupyter_isolation):
    import urllib.request

    from harness import servers

    served = tmp_path / "served"
    (served / "apps").mkdir(parents=True)
    (served / session.TEACHER_APP).write_bytes(TEACHER.read_bytes())
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"from scaling_laws_lab import check\n\ncheck({_choice().id!r})")]), served / "check.ipynb")
    port = servers.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scaling_laws_lab.classroom", "start", "--name", "cli",
         "--dir", str(tmp_path / "class"), "--port", str(port), "--pool", "1",
         "--app", "check.ipynb", "--notebooks", str(served)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        students = lines[1].split("Students:")[1].strip()
        teacher = lines[2].split("Teacher:")[1].strip()
        assert students == f"http://127.0.0.1:{port}/voila/render/check.ipynb"
        key = teacher.split("?key=")[1]
        assert session.key_matches(key, tmp_path / "class" / "class.sqlite")

        def fetch(url):
            for _ in range(120):
                try:
                    with urllib.request.urlopen(url, timeout=120) as r:
                        return r.read().decode()
                except OSError:
                    time.sleep(0.5)
            raise AssertionError(f"{url} did not answer")

        # Rendered on the server (pre-heating turns progressive rendering off): the page holds
        # the view's text (cut short in its plain-text copy), or the refusal's.
        page = fetch(teacher)
        assert "learners have" in page and "Refused" not in page
        assert "Refused" in fetch(teacher.split("?")[0]) and "Traceback" not in fetch(
            teacher.replace(key, "wrong"))
    finally:
        kids = _children(proc.pid)
        proc.terminate()  # SIGTERM: the command stops its Voila server, which stops its kernels
        proc.wait(timeout=60)
    time.sleep(2)
    assert not [pid for pid in kids if pathlib.Path(f"/proc/{pid}").exists()
                and "zombie" not in pathlib.Path(f"/proc/{pid}/status").read_text()]


def test_the_create_command_makes_a_store_for_a_hub(tmp_path, capsys):
    from scaling_laws_lab.classroom.__main__ import main

    assert main(["create", "--name", "hub", "--dir", str(tmp_path / "shared")]) == 0
    out = capsys.readouterr().out
    store = tmp_path / "shared" / "class.sqlite"
    assert f"{STORE_ENV}={store}" in out and Store(store).reveal
    key = out.split("?key=")[1].split()[0]
    assert session.key_matches(key, store)
    with pytest.raises(SystemExit):
        main(["create", "--name", "../no", "--dir", str(tmp_path / "x")])


def test_answers_to_a_check_no_longer_in_the_bank_do_not_stop_the_view(tmp_path):
    from scaling_laws_lab.classroom.teacher import TeacherView

    path, _ = session.create("gone", tmp_path / "c")
    q = _choice()
    Store(path).record(q.id, "t1", q.answer)
    with sqlite3.connect(path) as db:  # as if the check had been renamed since the class
        db.execute("UPDATE answers SET check_id = '99.renamed'")
    Store(path).record(q.id, "t2", q.answer)
    view = TeacherView(Store(path), start=False)
    assert list(view.panels) == [q.id] and "99.renamed" in view.status.value


_NB03 = "03_finetuning_compute.ipynb"


@pytest.mark.parametrize("extra, app", [((), None), ((f"APP={_NB03}",), _NB03)])
def test_make_class_opens_the_session_unless_told_otherwise(extra, app):
    """`make class` hands out the 90-minute session (the command's own default); APP= overrides it."""
    root = pathlib.Path(__file__).resolve().parents[1]
    out = subprocess.run(["make", "-s", "-n", "class", "NAME=tuesday", *extra], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    line = [ln for ln in out.splitlines() if "scaling_laws_lab.classroom start" in ln][-1]
    assert "--name tuesday" in line
    if app is None:
        assert "--app" not in line, line
        assert session.SESSION_APP == "class_session_1.ipynb"
    else:
        assert f"--app {app}" in line
