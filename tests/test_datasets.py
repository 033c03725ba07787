"""load_chinchilla_runs against a local HTTP server on loopback serving ../shared/data/'s copy:
checksum pass, checksum mismatch refused, server down, cache hit with no server. Never the
internet."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest
from scaling_laws_lab.science import datasets

from harness import servers

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def server():
    if not (SHARED / "chinchilla_fig4_points.csv").exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared data set at {SHARED}")
        pytest.skip(f"shared data not found at {SHARED} (it sits beside the project in CI)")
    with servers.FolderServer(SHARED) as base:
        yield base


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SLL_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("SLL_CHINCHILLA_URL", raising=False)
    return tmp_path


def test_the_pinned_file_loads_with_its_provenance_and_is_cached(server, cache):
    got = datasets.load_chinchilla_runs(url=f"{server}/chinchilla_fig4_points.csv")
    assert got.runs.n_params.size == datasets.N_RUNS == 245
    np.testing.assert_allclose(got.runs.n_tokens, got.flops / (6 * got.runs.n_params))
    # The five Besiroglu et al. drop are the five highest losses; 240 remain.
    worst = sorted(np.argsort(got.runs.loss)[-5:].tolist())
    assert list(got.dropped) == worst and got.without_dropped().loss.size == 240
    assert got.runs.loss[list(got.dropped)].min() > np.delete(got.runs.loss, got.dropped).max()
    assert "arXiv:2404.10102" in got.citation and datasets.COMMIT[:12] in got.citation
    assert any("colour" in c for c in got.caveats)
    assert (cache / datasets.FILENAME).exists()


def test_a_file_that_is_not_the_pinned_one_is_refused_and_not_cached(server, cache):
    with pytest.raises(datasets.DataUnavailable, match="not the pinned one"):
        datasets.load_chinchilla_runs(url=f"{server}/README.md")
    assert not any(cache.iterdir())


def test_no_server_gives_one_clear_line(cache):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(datasets.DataUnavailable) as err:
        datasets.load_chinchilla_runs(url=f"http://127.0.0.1:{port}/x.csv")
    message = str(err.value)
    assert "could not be fetched" in message and "\n" not in message
    assert "SYNTHETIC demo" in message


def test_a_cached_file_needs_no_server(server, cache):
    datasets.load_chinchilla_runs(url=f"{server}/chinchilla_fig4_points.csv")
    again = datasets.load_chinchilla_runs(url="http://127.0.0.1:9/never-asked.csv")
    assert again.runs.n_params.size == 245
    # A corrupted cache is fetched again (and here refused: the server is not asked for it).
    (cache / datasets.FILENAME).write_text("tampered")
    with pytest.raises(datasets.DataUnavailable):
        datasets.load_chinchilla_runs(url="http://127.0.0.1:9/never-asked.csv")


def test_notebook_06s_explorer_fits_chinchillas_own_runs(chinchilla_on_loopback):
    # The session's loopback copy (conftest): the Data menu's "Chinchilla's runs".
    import scaling_laws_lab

    if chinchilla_on_loopback is None:
        pytest.skip("no copy of the data beside the project")
    e = scaling_laws_lab.FitExplorer()
    e.set_state(source="chinchilla")
    assert len(e.state["excluded"]) == 5 and np.asarray(e.runs.x).size == 245
    assert (round(e.fit.A), round(e.fit.B)) == (478, 2143)  # the plain published objective
    assert "Epoch AI refit" in e.readouts.value and "free scale" in e.readouts.value
    assert "Chinchilla's runs" in e.runs.labels[0]


def test_offline_the_explorer_says_so_and_keeps_its_data(tmp_path, monkeypatch):
    import scaling_laws_lab

    monkeypatch.setenv("SLL_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("SLL_CHINCHILLA_URL", "http://127.0.0.1:9/gone.csv")
    e = scaling_laws_lab.FitExplorer()
    before = e.state
    with pytest.raises(ValueError, match="could not be fetched"):
        e.set_state(source="chinchilla")
    assert e.state == before
    e.controls["source"].dropdown.value = "chinchilla"  # chosen in the menu
    assert e.message.level == "error" and "offline" in e.message.text


def test_the_site_refuses_to_publish_a_failed_download(tmp_path, monkeypatch):
    # The static site is the offline fallback: built without Chinchilla's runs, page 06 would
    # show the loader's "could not be fetched" to every reader. The build stops first, says
    # why, and writes nothing (tests/test_site.py builds it with the data and checks the page).
    from harness import servers, site

    monkeypatch.setenv("SLL_DATA_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("SLL_CHINCHILLA_URL", f"http://127.0.0.1:{servers.free_port()}/runs.csv")
    with pytest.raises(site.DataMissing, match="failed download.*could not be fetched"):
        site.build(tmp_path / "out", only=["06"])
    assert not (tmp_path / "out").exists()
