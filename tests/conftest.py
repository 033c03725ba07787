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
