"""The question bank: every check lives there once, notebooks ask for it by id, keys stay hidden."""

import math
import pathlib
import re

import nbformat
import pytest
from scaling_laws_lab.teaching import answer_key, bank

ROOT = pathlib.Path(__file__).resolve().parents[1]
# A class session (class_session_N.ipynb) re-asks checks of its notebooks (session 1: 00–05,
# session 2: 07–08), plus its own ("sN.…").
SESSIONS = sorted((ROOT / "notebooks").glob("class_session_*.ipynb"))
PAGES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "apps").glob("*.ipynb")) + SESSIONS
ASK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")


def _asked():
    """check id -> the pages whose code asks for it."""
    out = {}
    for path in PAGES:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for qid in ASK.findall(cell.source):
                    out.setdefault(qid, []).append(path.name)
    return out


def test_every_question_is_well_formed():
    questions = bank.all_questions()
    assert len(questions) >= 40
    for q in questions:
        assert bank.ID_PATTERN.match(q.id), q.id
        assert q.text.strip(), q.id
        if q.kind == "number":
            value = q.expected_value()
            assert math.isfinite(value), q.id
        else:
            assert all(q.explanations[k].strip() for k in q.options), q.id


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_notebook_code_cell_holds_an_answer_key(path):
    # The learner sees a cell's code: a check is asked by id, its key stays in the package.
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        assert not re.search(r"\b(ChoiceCheck|SelfCheck)\(", cell.source), cell.source[:80]
        for q in bank.all_questions():
            if q.kind == "choice":
                for explanation in q.explanations.values():
                    assert explanation[:60] not in cell.source, (q.id, cell.source[:80])


#: The numbered notebooks whose checks each class session may re-ask.
SESSION_NOTEBOOKS = {"1": {"00", "01", "02", "03", "04", "05"}, "2": {"07", "08"}}


def _session_may_ask(qid: str, page: str) -> bool:
    """A class session may re-ask the checks of its notebooks, and asks its own ("s1.…")."""
    number = page.removeprefix("class_session_").split(".")[0]
    return qid[:2] in SESSION_NOTEBOOKS[number] or qid[:2] == f"s{number}"


def test_every_asked_id_is_in_the_bank_and_every_question_is_asked_once():
    # Each numbered notebook (or app) asks each of its own checks once; a class session may
    # re-ask its notebooks' (session 1: 00–05's; the class view then pools them), and its own
    # checks live only there.
    asked = _asked()
    unknown = sorted(set(asked) - set(bank.ids()))
    assert not unknown, f"asked but not in the bank: {unknown}"
    unasked = sorted(set(bank.ids()) - set(asked))
    assert not unasked, f"in the bank but asked nowhere: {unasked}"
    sessions = {p.name for p in SESSIONS}
    for qid, pages in asked.items():
        numbered = [p for p in pages if p not in sessions]
        for page in pages:
            if page in sessions:
                assert _session_may_ask(qid, page), f"{page} asks {qid}: not its notebooks' or its own"
                assert pages.count(page) == 1, f"{page} asks {qid} twice"
        if qid[0] == "s":
            assert not numbered, f"{qid} is a class session's own check, asked on {numbered}"
            continue
        assert len(numbered) == 1, f"{qid} asked on {len(numbered)} numbered pages: {numbered}"
        assert numbered[0].startswith(qid[:2]), (qid, numbered[0])


def test_an_unknown_id_is_a_clear_error():
    with pytest.raises(ValueError, match="no check with id '03.no-such-check'"):
        bank.get("03.no-such-check")
    with pytest.raises(ValueError, match="is text"):
        bank.get(3)
    with pytest.raises(ValueError, match="NN.slug"):
        bank.choice("three", "?", {"a": "A", "b": "B"}, "a", {"a": "", "b": ""})
    with pytest.raises(ValueError, match="not one of the options"):
        bank.choice("03.x", "?", {"a": "A", "b": "B"}, "c", {"a": "", "b": ""})
    with pytest.raises(ValueError, match="missing for"):
        bank.choice("03.x", "?", {"a": "A", "b": "B"}, "a", {"a": ""})


def test_the_live_check_is_built_from_the_bank():
    from scaling_laws_lab.kit import check

    for q in bank.all_questions():
        widget = check(q.id)
        assert widget.question_id == q.id
        if q.kind == "choice":
            assert widget.answer == q.answer and widget.options == dict(q.options)
            assert widget.choose(q.answer) == "right"
        else:
            assert widget.check(repr(q.expected_value())) == "right"


def test_the_committed_answer_key_is_what_the_bank_makes():
    path = ROOT / "docs" / "answer-key.md"
    assert path.read_text(encoding="utf-8") == answer_key.render(), (
        "regenerate: python -m scaling_laws_lab.teaching.answer_key docs/answer-key.md")
    for q in bank.all_questions():
        assert f"`{q.id}`" in path.read_text(encoding="utf-8")
