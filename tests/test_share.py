"""Share links: state to query string and back, and hostile queries that change nothing."""

from urllib.parse import parse_qs, unquote, urlparse

import numpy as np
import pytest
import scaling_laws_lab
from scaling_laws_lab.kit import share, voila_request

EXPLORERS = sorted(scaling_laws_lab.EXPLORERS)


def marks(explorer):
    return [[np.asarray(getattr(m, a)).tolist() for a in ("x", "y")]
            for f in explorer.figures for m in f.marks]


@pytest.mark.parametrize("name", EXPLORERS)
def test_share_round_trip(name):
    cls = getattr(scaling_laws_lab, name)
    a = cls()
    example = next(ex for ex in a.examples if not {"csv", "excluded"} & set(ex))
    a.set_state(**example)
    query = share.share_query(a)
    b = cls()
    assert share.apply_query(b, query) == []
    shared = {k for k, c in a.controls.items() if share.shareable(c)}
    assert {k: b.state[k] for k in shared} == {k: a.state[k] for k in shared}
    if not {"csv", "excluded"} & set(a.state) or a.state.get("source") == "demo":
        assert marks(b) == marks(a)
    assert "restored" in b.message.text.lower() or b.state == cls().state


def test_links_point_at_the_app_and_encode_the_query():
    e = scaling_laws_lab.ComputeExplorer()
    e.set_state(n_params=7e10, n_tokens=1.4e12)
    links = e.share_bar.show_links()
    assert links["local"].startswith("voila/render/apps/01_compute.ipynb?explorer=ComputeExplorer")
    url = urlparse(links["binder"])
    assert url.netloc == "mybinder.org" and "labpath" not in url.query
    inner = unquote(parse_qs(url.query)["urlpath"][0])
    assert inner.startswith("voila/render/notebooks/apps/01_compute.ipynb?")
    assert parse_qs(inner.split("?", 1)[1])["n_params"] == ["70000000000.0"]
    assert "Binder" in e.share_bar.html.value


HOSTILE = [
    "n_params=__import__('os').system('echo pwned')",
    "n_params=1e999",
    "n_params=1e400",
    "n_params=70B",  # suffixes are for typing, not for links: numbers only
    "n_params=-5",
    "nonsense=1&n_tokens=abc",
    "n_params=1e9&n_params=2e9",
    "n_params=" + "9" * 10_000,
    "mode=__class__",
    "explorer=ComputeExplorer&" + "&".join(f"k{i}=1" for i in range(100)),
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_change_nothing_and_are_named(query):
    e = scaling_laws_lab.ComputeExplorer()
    state, data = e.state, marks(e)
    ignored = share.apply_query(e, query)
    assert e.state == state and marks(e) == data
    assert ignored and e.message.level == "error"


def test_a_good_link_with_junk_applies_the_good_part_and_names_the_rest():
    e = scaling_laws_lab.ComputeExplorer()
    ignored = share.apply_query(e, "n_params=7e10&bogus=1&n_tokens=1.4e12&mfu=500")
    assert e.state["n_params"] == 7e10 and e.state["n_tokens"] == 1.4e12
    assert any("bogus" in i for i in ignored) and any("mfu" in i for i in ignored)


def test_the_servers_token_is_passed_over_in_silence():
    # `jupyter lab` prints URLs with ?token=...; Voila inside it hands the kernel that query.
    e = scaling_laws_lab.ComputeExplorer()
    assert share.apply_query(e, "token=abc123&n_params=7e10") == []
    assert e.state["n_params"] == 7e10 and "token" not in e.message.text
    bare = scaling_laws_lab.ComputeExplorer()
    state = bare.state
    assert share.apply_query(bare, "token=abc123") == [] and bare.message.text == ""
    assert bare.state == state


def test_link_for_another_explorer_is_left_alone():
    e = scaling_laws_lab.TransferRecipeExplorer()
    assert share.apply_query(e, "explorer=TransferExplorer&n_params=1e9") == []
    assert e.message.text == ""


def test_page_query_is_applied_at_construction(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "n_params=7e10&n_tokens=1.4e12")
    monkeypatch.setattr(share, "_query_claimed", False)
    first = scaling_laws_lab.SixNDCalculator()
    second = scaling_laws_lab.SixNDCalculator()  # without explorer=, only the first one takes it
    assert first.state == {"n_params": 7e10, "n_tokens": 1.4e12}
    assert second.message.text == ""


def test_a_preheated_kernel_waits_once_for_the_students_request(preheated_voila):
    # Voila runs a pre-heated app before the student arrives; the query comes later.
    calls = preheated_voila("n_params=7e10&n_tokens=1.4e12")
    explorer = scaling_laws_lab.SixNDCalculator()
    assert explorer.state == {"n_params": 7e10, "n_tokens": 1.4e12}
    assert voila_request.page_query() == "n_params=7e10&n_tokens=1.4e12"
    assert len(calls) == 1  # a second explorer or call must not wait for a second request


def test_outside_a_preheated_kernel_nothing_waits(monkeypatch):
    monkeypatch.setattr(voila_request, "_wait_for_voila_request", lambda: pytest.fail("waited"))
    monkeypatch.setattr(voila_request, "_request_received", False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "")
    assert voila_request.page_query() == ""


def test_a_preheated_kernel_that_cannot_read_the_request_says_so(monkeypatch):
    # The private Voila endpoint is one adapter (kit/voila_request.py); when it fails, the
    # explorer's message line says the link's settings were not read, instead of silence.
    def no_answer():
        raise voila_request.RequestUnavailable("Voila's request socket ws://...: ConnectionRefused")

    monkeypatch.setattr(voila_request, "_wait_for_voila_request", no_answer)
    monkeypatch.setattr(voila_request, "_request_received", False)
    monkeypatch.setattr(voila_request, "failure", None)
    monkeypatch.setattr(share, "_query_claimed", False)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("QUERY_STRING", "")
    explorer = scaling_laws_lab.SixNDCalculator()
    assert explorer.message.level == "error"
    assert "could not be read from Voila" in explorer.message.text
    assert "ConnectionRefused" in explorer.message.text


def test_serving_lives_beside_the_protocol_not_in_it():
    from scaling_laws_lab.kit import Explorer

    for name in ("show_share_links", "save_figure", "_apply_page_query", "_share_bar"):
        assert not hasattr(Explorer, name), name
    e = scaling_laws_lab.SixNDCalculator()
    assert isinstance(e.share_bar, share.ShareBar)
    assert e.share_bar in e.children[1].children[0].children  # under the controls


def test_a_link_that_sets_a_hidden_setting_opens_more_settings():
    # Progressive disclosure must not hide what a link changed: the group opens; a link that
    # sets only primary controls leaves it closed.
    e = scaling_laws_lab.ComputeExplorer()
    assert e.more is not None and e.more.selected_index is None
    share.apply_query(e, "n_params=1e11")
    assert e.more.selected_index is None and e.state["n_params"] == 1e11
    share.apply_query(e, "mfu=55")
    assert e.more.selected_index == 0 and e.state["mfu"] == 55
