"""Projector mode (kit/projector.py): one switch, every explorer sized for a room; and the
figures issue 32 named (01's names, 02's height, 05's ticks and forecasts)."""

from __future__ import annotations

import bqplot as bq
import numpy as np
import pytest
import scaling_laws_lab
from scaling_laws_lab.kit import figures, one_two_five_ticks, projector, share, sparse_decade_ticks

EXPLORERS = sorted(scaling_laws_lab.EXPLORER_MODULES)


@pytest.fixture(autouse=True)
def page_follows_the_query(monkeypatch):
    """Every test starts with no page-wide setting made in Python and no Voila query."""
    monkeypatch.setattr(projector, "_page_setting", None)
    monkeypatch.delenv("QUERY_STRING", raising=False)


@pytest.mark.parametrize("query, on", [
    ("projector=1", True), ("?projector=true", True), ("explorer=X&projector=on", True),
    ("projector", True), ("projector=0", False), ("projector=off", False),
    ("projector=maybe", False), ("", False), ("n_params=7e10", False), (None, False),
])
def test_the_page_query_switches_projector_mode(query, on):
    assert projector.query_says(query) is on


def test_an_explorer_follows_the_page_unless_told(monkeypatch):
    assert not scaling_laws_lab.SixNDCalculator().projector
    monkeypatch.setenv("QUERY_STRING", "projector=1")  # what Voila gives a kernel for ?projector=1
    on = scaling_laws_lab.SixNDCalculator()
    assert on.projector and "sll-projector" in on._dom_classes
    assert not scaling_laws_lab.SixNDCalculator(projector=False).projector
    monkeypatch.delenv("QUERY_STRING")
    assert scaling_laws_lab.projector(True) is True  # JupyterLab: one call before the explorers
    assert scaling_laws_lab.SixNDCalculator().projector
    assert scaling_laws_lab.projector(False) is False
    assert "sll-projector" not in scaling_laws_lab.SixNDCalculator()._dom_classes


def test_the_projector_key_is_not_reported_as_an_unknown_setting():
    e = scaling_laws_lab.SixNDCalculator()
    values, ignored = share.parse_query(e, "projector=1&n_params=1e9")
    assert ignored == [] and values == {"n_params": 1e9}


@pytest.mark.parametrize("name", EXPLORERS)
def test_projector_mode_scales_every_figure_and_mark(name):
    plain = getattr(scaling_laws_lab, name)()
    big = getattr(scaling_laws_lab, name)(projector=True)
    assert "sll-projector" in big._dom_classes and "sll-projector" not in plain._dom_classes
    assert big.state == plain.state  # same explorer, same numbers: only the sizes differ
    for small_fig, fig in zip(plain.figures, big.figures, strict=True):
        assert fig.layout.width == "100%" and fig.layout.max_width == projector.MAX_WIDTH
        height = float(fig.layout.height.removesuffix("px"))
        assert height >= max(projector.MIN_HEIGHT,
                             float(small_fig.layout.height.removesuffix("px")) * 1.4)
        assert fig.fig_margin["left"] >= projector.MARGIN["left"]
        assert fig.title_style.get("font-size") == f"{projector.TITLE_PX}px"
        for mark in fig.marks:
            if isinstance(mark, bq.Label):
                assert mark.default_size >= projector.MIN_TEXT_PX, (name, mark.text)
        # The same marks in both (projector mode may add label marks): matched by what they are.
        def key(m):
            return (type(m).__name__, tuple(m.labels or ()), str(m.colors), m.line_style
                    if isinstance(m, bq.Lines) else getattr(m, "marker", None))

        big_marks = {key(m): m for m in fig.marks}
        pairs = [(a, big_marks[key(a)]) for a in small_fig.marks if key(a) in big_marks]
        assert len(pairs) >= len(small_fig.marks) - 1, name  # 01's run key says "at the right"
        for a, b in pairs:
            if isinstance(a, bq.Lines) and type(a) is type(b) and a.stroke_width > 0:
                assert b.stroke_width == pytest.approx(2 * a.stroke_width), name
            if isinstance(a, bq.Scatter) and type(a) is type(b):
                assert b.default_size == round(3 * a.default_size), name


def test_the_text_sizes_follow_the_arithmetic_in_the_docstring():
    # 3 m across 1920 px, read from 10 m: a 22 px font's capitals (0.72 em) subtend
    mm_per_px = 3000 / 1920
    cap_mm = 0.72 * projector.MIN_TEXT_PX * mm_per_px
    arcmin = np.degrees(np.arctan(cap_mm / 10_000)) * 60
    assert 8 < arcmin < 10  # 8.6′: 1.7 × the 5′ Snellen letter
    assert projector.TICK_PX >= projector.MIN_TEXT_PX >= 22
    for px in (projector.TICK_PX, projector.AXIS_LABEL_PX, projector.TITLE_PX):
        assert f"{px}px" in scaling_laws_lab.kit.explorer.STYLE


def test_01_names_every_published_run_on_a_projector():
    from scaling_laws_lab.science import papers

    e = scaling_laws_lab.ComputeExplorer(projector=True)
    names = list(e.run_names.text)
    shown = ", ".join(names)
    for run in papers.FAMOUS_RUNS:
        assert run.short in shown
    # Chinchilla 70B and LLaMA-65B sit on one spot: one name for both, not two on top of each other.
    assert "Chinchilla, LLaMA-65B" in names or "LLaMA-65B, Chinchilla" in names
    # Each leader runs from its run's marker to its name at the plot's right edge.
    lx, ly = np.atleast_2d(e.run_leaders.x), np.atleast_2d(e.run_leaders.y)
    runs = np.array([(r.n_params, r.n_tokens) for r in papers.FAMOUS_RUNS])
    for a, b in zip(lx[:, 0], ly[:, 0], strict=True):
        assert np.any(np.all(np.isclose(runs, [a, b], rtol=1e-9), axis=1)), (a, b)
    assert np.all(lx[:, 1] == e.x_scale.max)
    assert np.allclose(ly[:, 1], e.run_names.y)
    # Names one pitch apart (1.3 lines of 22 px on the plot's height), highest first.
    y = np.log10(np.asarray(e.run_names.y, dtype=float))
    span = np.log10(e.y_scale.max) - np.log10(e.y_scale.min)
    pitch_px = -np.diff(y) / span * e.run_names._sll_plot_px
    assert np.all(pitch_px >= 1.25 * projector.LABEL_PX)
    assert "named at the right" in e.runs.labels[0]
    # Without a projector the names stay in the tooltips and the table, as before.
    assert getattr(scaling_laws_lab.ComputeExplorer(), "run_names", None) is None


def test_02_opens_with_the_isoflop_view_beside_its_controls_and_fewer_ticks():
    e = scaling_laws_lab.AllocationExplorer()
    main = e.children[1].children[1]  # the figures' column
    first = main.children[0]
    assert e.iso.figure in first.children  # the view both sliders move stands first
    pair = main.children[1]
    assert "sll-pair" in pair._dom_classes and len(pair.children) == 2
    for fig in e.figures[:2]:
        assert fig.layout.height == figures.HALF_HEIGHT
        for axis in fig.axes:
            assert 2 <= len(axis.tick_values) <= 5
    e.set_state(flops=1e40)  # the axis widens: still at most five labels
    assert all(len(axis.tick_values) <= 5 for fig in e.figures[:2] for axis in fig.axes)


def test_05_each_forecast_diamond_sits_on_its_own_fit():
    e = scaling_laws_lab.AsymptoteExplorer()
    x, y = np.asarray(e.marks_at.x), np.asarray(e.marks_at.y)
    grid = np.asarray(e.fits.x)[0]
    for xi, yi, colour in zip(x, y, e.marks_at.colors, strict=True):
        row = 0 if colour == e.fits.colors[0] else 1
        # the fits are drawn as far as the last forecast: read the fit's line there
        line = np.interp(np.log10(xi), np.log10(grid), np.asarray(e.fits.y)[row])
        assert yi == pytest.approx(line, abs=2e-3), (xi, yi, colour)
    assert e.marks_at.labels and "forecast" in e.marks_at.labels[0]


def test_the_log_loss_axis_of_05_has_a_few_plain_ticks():
    e = scaling_laws_lab.AsymptoteExplorer()
    ticks = list(e.fig1.axes[1].tick_values)
    assert 3 <= len(ticks) <= 8 and set(ticks) <= {0.2, 0.3, 0.5, 1, 2, 3, 5}
    e.set_state(y_axis="linear")
    assert e.fig1.axes[1].tick_values is None or len(e.fig1.axes[1].tick_values) == 0


def test_tick_helpers():
    assert sparse_decade_ticks(1e18, 1e30) == [1e18, 1e21, 1e24, 1e27, 1e30]
    assert sparse_decade_ticks(1e-2, 1e4) == [1e-2, 1.0, 1e2, 1e4]
    assert sparse_decade_ticks(1, 100) == [1.0, 10.0, 100.0]
    assert one_two_five_ticks(0.36, 4.4) == [0.5, 1, 2, 3]
    assert one_two_five_ticks(1e-3, 10) == pytest.approx(
        [1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10])
    assert one_two_five_ticks(0, 1) == []


def test_a_preheated_kernel_learns_projector_mode_from_the_late_request(preheated_voila):
    # A pre-heated Voila kernel builds the app before the teacher's page asks for it; the query
    # (?projector=1) arrives later (kit/voila_request.py). The explorer must wait for it before
    # it is sized.
    calls = preheated_voila("projector=1&n_params=7e10")
    explorer = scaling_laws_lab.SixNDCalculator()
    assert explorer.projector and "sll-projector" in explorer._dom_classes
    assert explorer.state["n_params"] == 7e10
    assert "projector" not in explorer.message.text and "ignored" not in explorer.message.text
    assert len(calls) == 1
