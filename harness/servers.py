"""Start JupyterLab and Voila on free loopback ports, with throwaway Jupyter dirs; find Chromium."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def find_chromium() -> str | None:
    """Debian's Chromium (``SLL_CHROMIUM`` overrides); Playwright never downloads one."""
    for candidate in (os.environ.get("SLL_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(tmp: pathlib.Path) -> dict:
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "RUNTIME"):
        path = tmp / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[f"JUPYTER_{name}_DIR"] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


class Server:
    """A Jupyter server process we started, stopped by its own PID."""

    def __init__(self, args: list[str], port: int, probe: str, env: dict, log: pathlib.Path):
        self.port, self.base = port, f"http://127.0.0.1:{port}"
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log_file,
                                     stderr=subprocess.STDOUT)
        self._wait(probe)

    def _wait(self, probe: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.base + probe, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers: up
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


def start_lab(tmp: pathlib.Path, token: str) -> Server:
    """JupyterLab on the repository, with autosave off: a test runs the notebooks in place, and
    Lab's autosave (every 2 minutes) would write their outputs into the tracked files."""
    port = free_port()
    settings = (tmp / "config" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
                / "plugin.jupyterlab-settings")
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"autosave": false}')
    args = [str(BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={ROOT}", "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:  # CI runs as root
        args.append("--allow-root")
    return Server(args, port, f"/api/status?token={token}", isolated_env(tmp),
                  tmp / "lab.log")


def start_voila(tmp: pathlib.Path, folder: pathlib.Path | None = None,
                extra_args: list[str] | None = None, extra_env: dict | None = None,
                port: int | None = None) -> Server:
    """Voila on ``folder``; ``extra_env`` reaches the server and its kernels (a class store),
    ``port`` a given port (a class server restarted where its links point)."""
    port = port or free_port()
    args = [str(BIN / "voila"), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            "--ServerApp.port_retries=0", *(extra_args or []), str(folder or ROOT / "notebooks")]
    return Server(args, port, "/", {**isolated_env(tmp), **(extra_env or {})}, tmp / "voila.log")


def preheat_args(app: str, pool_size: int, refill_after_s: float | None = None) -> list[str]:
    """Voila options that keep ``pool_size`` kernels pre-heated for one notebook only.

    ``app`` is relative to the served folder (``apps/01_compute.ipynb``). Voila pre-heats
    every notebook it serves unless deny-listed (by regular expression), so everything but
    ``app`` is: thirty kernels for each of fifteen notebooks would not fit a classroom server.
    ``refill_after_s`` delays Voila's refilling of the pool (1 s by default): refilling while
    the class arrives competes with it for the CPU (bench.classroom measured it).
    """
    # A Python list literal: Voila's CLI does not know VoilaKernelManager, so a bare string
    # would reach the List trait as a string, and deny-list its every character.
    # Voila matches the pattern against the notebook's absolute path.
    deny = [f"^(?!.*/{re.escape(app)}$)"]
    # Pre-heating and progressive rendering (on in our voila.json) exclude each other.
    return ["--preheat_kernel=True", "--progressive_rendering=False", f"--pool_size={pool_size}",
            f"--VoilaKernelManager.preheat_denylist={deny!r}"] + (
        [] if refill_after_s is None else [f"--VoilaKernelManager.fill_delay={refill_after_s}"])


def launch_chromium(playwright, executable: str):
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


class FolderServer:
    """A folder served over HTTP on loopback, in a thread (data files for the tests, the built
    site): ``with FolderServer(path) as base: ...``, where ``base`` is ``http://127.0.0.1:port``."""

    def __init__(self, folder: pathlib.Path):
        import functools
        import http.server

        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *a, **k: None
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> str:
        import threading

        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self.base

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
