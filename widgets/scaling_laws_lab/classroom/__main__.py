"""``python -m scaling_laws_lab.classroom start --name NAME``: serve a class, print its two links.

Starts the documented pre-heated Voila server (docs/classroom.md) on the project's notebooks,
with the class store configured, and runs until Ctrl-C. Run it from a checkout of the project.
Students open the session notebook (``--app``) in class mode: a Voila render, code hidden.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import signal
import socket
import subprocess
import sys

from . import STORE_ENV, session


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scaling_laws_lab.classroom",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start a class: store, key, Voila server, two links")
    start.add_argument("--name", required=True, help="the class's name (letters, digits, _ -)")
    start.add_argument("--dir", help="the class folder (store and key); outside the notebooks")
    start.add_argument("--port", type=int, default=8866)
    start.add_argument("--ip", default="127.0.0.1",
                       help="address to listen on; 0.0.0.0 for students on the local network")
    start.add_argument("--app", default=session.SESSION_APP,
                       help="the notebook the class opens, relative to --notebooks, in class mode "
                       "(a Voila render: code hidden, checks live, nothing shown before a commit); "
                       f"default: the 90-minute session, {session.SESSION_APP}. A numbered "
                       "notebook (03_finetuning_compute.ipynb) or an app (apps/03_finetune.ipynb) "
                       "works too")
    start.add_argument("--pool", type=int, default=30,
                       help="kernels pre-heated for --app (the class size); other notebooks a "
                       "student opens from it start on demand")
    start.add_argument("--notebooks", default=str(session.ROOT / "notebooks"),
                       help="the folder served (default: the project's notebooks/)")
    start.add_argument("--names", action="store_true", help="show learners a name field")
    start.add_argument("--hold-explanations", action="store_true",
                       help="start with the reveal switch off (the teacher flips it live)")
    create = sub.add_parser("create", help="only make the store and key (a JupyterHub: each "
                            "student's own server records to it; see docs/classroom.md)")
    create.add_argument("--name", required=True)
    create.add_argument("--dir", required=True, help="a folder every student's kernel can write")
    create.add_argument("--names", action="store_true", help="show learners a name field")
    args = parser.parse_args(argv)
    if args.command == "create":
        try:
            store, key = session.create(args.name, args.dir, names=args.names)
        except (ValueError, RuntimeError) as err:
            parser.error(str(err))
        print(f"Class {args.name!r}: store {store}\n"
              f"  Every student's server needs {STORE_ENV}={store} in its environment.\n"
              f"  Teacher: open {session.TEACHER_APP} in Voila with ?key={key}\n"
              f"  The key is in {session.key_path(store)} (readable by you only).")
        return 0

    notebooks = pathlib.Path(args.notebooks)
    for rel in (args.app, session.TEACHER_APP):
        if not (notebooks / rel).exists():
            parser.error(f"{notebooks / rel} does not exist")
    try:
        store, key = session.create(args.name, args.dir, served=notebooks, names=args.names,
                                    reveal=False if args.hold_explanations else None)
    except (ValueError, RuntimeError) as err:
        parser.error(str(err))
    host = socket.gethostname() if args.ip == "0.0.0.0" else args.ip
    links = session.urls(f"http://{host}:{args.port}", args.app, key)
    command = [str(pathlib.Path(sys.executable).parent / "voila"), "--no-browser",
               f"--port={args.port}", f"--Voila.ip={args.ip}", "--ServerApp.port_retries=0",
               *session.voila_options(args.app, args.pool), str(notebooks)]
    print(f"Class {args.name!r}: answers go to {store}\n"
          f"  Students: {links['students']}\n"
          f"  Teacher:  {links['teacher']}\n"
          "  (the teacher's link carries the class key: do not share it)\n"
          f"Pre-heating {args.pool} kernels; give it a minute before the class arrives. "
          "Ctrl-C stops the server (the answers stay in the store).", flush=True)
    proc = subprocess.Popen(command, env={**os.environ, STORE_ENV: str(store)})

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill` stops the server too, not only Ctrl-C
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()  # Voila shuts its kernels down; the store needs no closing
        try:
            return proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
