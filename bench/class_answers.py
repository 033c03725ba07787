"""A class answering at once: 30 students, 5 checks each, one class store, one teacher reading.

Usage: ``python -m bench.class_answers [--students 30] [--checks 5]``. A benchmark, not a test;
results go to bench/results/class_answers.json.

Each student is its own process (a learner's kernel is one), with its own token and its own
connection, and answers through :func:`scaling_laws_lab.classroom.client.on_answer`: the very
function a check calls on commit (validation against the question bank, the write, the read
of the reveal switch). No browsers and no Voila: bench/classroom.py measures what 30 pages cost
the server; this measures the store under the worst burst a class makes, everyone answering
every check at the same instant. Meanwhile one teacher process polls the store every 100 ms.

Reported: answers recorded / sent, "database is locked" (or any other store message), the time
one answer takes to write (p50/p90/max), the time from a student's click to the answer being
readable by the teacher (p50/p90/max), the same to the teacher's view at worst (readable, plus one
refresh period of the view, 3 s: it reads the store at a phase unrelated to the class), and
what one refresh of the view costs with the class stored.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import pathlib
import secrets
import statistics
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else None


def student(n, ids, barrier, out):
    from scaling_laws_lab.classroom import client
    from scaling_laws_lab.teaching import bank

    client.LEARNER = f"s{n:02d}-" + secrets.token_urlsafe(6)  # each kernel draws its own
    client._store = None
    log = []
    barrier.wait()
    for check_id in ids:
        q = bank.get(check_id)
        answer = list(q.options)[n % len(q.options)] if q.kind == "choice" else f"{n + 1}e23"
        sent = time.time()
        show, note = client.on_answer(check_id, answer, "wrong")
        log.append({"check_id": check_id, "learner": client.LEARNER, "sent": sent,
                    "written": time.time(), "note": note})
    out.put(log)


def teacher(path, expected, barrier, out, stop):
    from scaling_laws_lab.classroom.store import Store

    store = Store(path)
    seen = {}
    barrier.wait()
    deadline = time.time() + 120
    while len(seen) < expected and time.time() < deadline and not stop.is_set():
        now = time.time()
        for row in store.rows():
            seen.setdefault((row["check_id"], row["learner"]), now)
        time.sleep(0.1)
    out.put({f"{c}|{learner}": t for (c, learner), t in seen.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--checks", type=int, default=5)
    args = parser.parse_args()

    from scaling_laws_lab.classroom import STORE_ENV, session
    from scaling_laws_lab.classroom.store import Store
    from scaling_laws_lab.teaching import bank

    ids = [q.id for q in bank.all_questions() if q.kind == "choice"][:args.checks - 1]
    ids.append(next(q.id for q in bank.all_questions() if q.kind == "number"))
    ctx = mp.get_context("fork")  # the bank is loaded once, before the class arrives
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = session.create("bench", pathlib.Path(tmp) / "class")
        os.environ[STORE_ENV] = str(path)
        barrier = ctx.Barrier(args.students + 1)
        out, seen_q, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        reader = ctx.Process(target=teacher, args=(path, args.students * len(ids), barrier,
                                                   seen_q, stop))
        # Everyone (and the teacher, polling from the first instant) leaves the barrier at once.
        procs = [ctx.Process(target=student, args=(n, ids, barrier, out))
                 for n in range(args.students)]
        reader.start()
        for p in procs:
            p.start()
        logs = [entry for _ in procs for entry in out.get(timeout=300)]
        seen = seen_q.get(timeout=300)
        for p in [*procs, reader]:
            p.join()
        store = Store(path)
        recorded = len(store.rows())
        from scaling_laws_lab.classroom.teacher import TeacherView

        view = TeacherView(store, start=False)
        start = time.perf_counter()
        view.refresh()
        refresh_ms = (time.perf_counter() - start) * 1000
    write_ms = [(e["written"] - e["sent"]) * 1000 for e in logs]
    visible_ms = [(seen[f"{e['check_id']}|{e['learner']}"] - e["sent"]) * 1000
                  for e in logs if f"{e['check_id']}|{e['learner']}" in seen]
    # The teacher's view reads the store every REFRESH_S seconds, at a phase unrelated to the
    # class: an answer readable at t is on its screen by t + REFRESH_S at the latest.
    from scaling_laws_lab.classroom.teacher import REFRESH_S

    view_ms = [v + REFRESH_S * 1000 for v in visible_ms]
    notes = [e["note"] for e in logs if e["note"]]
    result = {
        "students": args.students, "checks_each": len(ids), "sent": len(logs),
        "recorded": recorded, "seen_by_teacher": len(visible_ms),
        "database_is_locked": sum("locked" in n for n in notes), "store_messages": notes[:5],
        "write_p50_ms": round(statistics.median(write_ms), 1),
        "write_p90_ms": round(pct(write_ms, 0.9), 1), "write_max_ms": round(max(write_ms), 1),
        "readable_p50_ms": round(statistics.median(visible_ms), 1) if visible_ms else None,
        "readable_p90_ms": round(pct(visible_ms, 0.9), 1) if visible_ms else None,
        "readable_max_ms": round(max(visible_ms), 1) if visible_ms else None,
        "teacher_view_p90_ms": round(pct(view_ms, 0.9), 1) if view_ms else None,
        "teacher_view_max_ms": round(max(view_ms), 1) if view_ms else None,
        "teacher_refresh_ms": round(refresh_ms, 1), "cpus": os.cpu_count(),
    }
    print(f"{args.students} students × {len(ids)} checks at once, one store: "
          f"recorded {recorded}/{len(logs)} sent; 'database is locked': "
          f"{result['database_is_locked']}; other store messages: {len(notes)}")
    print(f"  one answer written: p50 {result['write_p50_ms']} ms, p90 {result['write_p90_ms']} ms,"
          f" max {result['write_max_ms']} ms")
    print(f"  click to readable by the teacher (polling every 100 ms): p50 "
          f"{result['readable_p50_ms']} ms, p90 {result['readable_p90_ms']} ms, max "
          f"{result['readable_max_ms']} ms ({len(visible_ms)}/{len(logs)} seen)")
    print(f"  click to the teacher's view, at worst (the above plus one {REFRESH_S:g}-s refresh "
          f"period): p90 {result['teacher_view_p90_ms']} ms, max {result['teacher_view_max_ms']} ms")
    print(f"  one refresh of the teacher's view with the whole class stored: {refresh_ms:.0f} ms "
          "(it refreshes every 3 s)")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "class_answers.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
