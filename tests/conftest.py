"""Shared fixtures: isolated Jupyter dirs, servers and a headless Chromium for browser tests."""

from __future__ import annotations

import os
import secrets

import pytest
from hypothesis import settings

from harness import servers

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def preheated_voila(monkeypatch):
    """Stand in for a pre-heated Voila kernel whose page request arrives late.

    Voila builds the app before the page is asked for; the page's query string comes later,
    over Voila's request-info socket (kit/voila_request.py). Call the fixture with that query;
    it returns the list of times the kernel waited for it (the browser tests use real Voila).
    """
    from scaling_laws_lab.kit import share, voila_request

    def arrange(query):
        calls = []

        def request_arrives():
            calls.append(1)
            return {"QUERY_STRING": query}

        monkeypatch.setattr(voila_request, "_wait_for_voila_request", request_arrives)
        monkeypatch.setattr(voila_request, "_request_received", False)
        monkeypatch.setattr(share, "_query_claimed", False)
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("QUERY_STRING", "")  # recorded, so the environment is put back after
        return calls

    return arrange


@pytest.fixture
def jupyter_isolation(tmp_path, monkeypatch):
    """Throwaway Jupyter config/data/runtime dirs, so nothing of the user's leaks in."""
    for key, value in servers.isolated_env(tmp_path).items():
        if key.startswith("JUPYTER_"):
            monkeypatch.setenv(key, value)


@pytest.fixture(scope="session")
def chromium_path():
    path = servers.find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests, but no Chromium was found "
                        "(.ci/run installs Debian's chromium)")
        pytest.skip("no Chromium found (install Debian's `chromium`, or set SLL_CHROMIUM); "
                    "browser tests skipped on this machine")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = servers.launch_chromium(p, chromium_path)
        yield b
        b.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    token = secrets.token_hex(16)
    server = servers.start_lab(tmp_path_factory.mktemp("lab"), token)
    server.token = token
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila(tmp_path_factory, chromium_path):
    server = servers.start_voila(tmp_path_factory.mktemp("voila"))
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def chinchilla_on_loopback(tmp_path_factory):
    """Epoch AI's file for the whole session from a loopback server (a copy beside the
    project, ../shared/data/), with an empty cache: the real loader runs, never the internet.
    Every kernel the tests start (nbclient, Voila, JupyterLab) inherits the two variables."""
    import pathlib

    shared = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"
    if not (shared / "chinchilla_fig4_points.csv").exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared data set at {shared}")
        yield None  # a laptop without the copy: the loader would ask GitHub
        return
    server = servers.FolderServer(shared)
    url = f"{server.__enter__()}/chinchilla_fig4_points.csv"
    old = {k: os.environ.get(k) for k in ("SLL_CHINCHILLA_URL", "SLL_DATA_HOME")}
    os.environ["SLL_CHINCHILLA_URL"] = url
    os.environ["SLL_DATA_HOME"] = str(tmp_path_factory.mktemp("sll-data"))
    yield url
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    server.__exit__(None, None, None)
