"""Asymptotes (notebook 05): the seed curves, crossings, the fitters and the explorer."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scaling_laws_lab import AsymptoteExplorer, asymptotes, fitting, laws, papers
from scaling_laws_lab.science.asymptotes import CURVES, KAPLAN_WARNING, curve_gap_crossings

from .notebook_text import quotes

rel = pytest.approx


def test_crossings_are_where_the_curves_meet():
    roots = curve_gap_crossings("seed_kaplan", "seed_chinchilla")
    assert len(roots) == 2  # they agree twice inside the fitted range, then part
    for c in roots:
        assert laws.post_kaplan_curve(c) == rel(laws.post_chinchilla_curve(c), abs=1e-9)
    assert 10 ** roots[0] == rel(2.5e19, rel=0.05) and 10 ** roots[1] == rel(2.0e21, rel=0.05)


def test_where_the_seed_curves_differ_by_a_tenth_of_a_nat():
    c = curve_gap_crossings("seed_chinchilla", "seed_kaplan", 0.1, 21.5, 50)[0]
    assert laws.post_chinchilla_curve(c) - laws.post_kaplan_curve(c) == rel(0.1, abs=1e-9)
    assert 10**c == rel(3.8e22, rel=0.02)


def test_losses_at_1e27():
    assert laws.post_kaplan_curve(27) == rel(1.179, abs=0.001)
    assert laws.post_chinchilla_curve(27) == rel(1.768, abs=0.001)
    assert laws.chinchilla_loss_compute(1e27) == rel(1.767, abs=0.001)


def test_kaplan_warning_point_eq_6_8():
    assert KAPLAN_WARNING == (1e4 * 8.64e19, 1.7)
    # Kaplan's own compute law reaches 1.7 nats near there (within a factor of ~3 in C).
    assert laws.kaplan_loss_compute(KAPLAN_WARNING[0]) == rel(1.7, abs=0.1)


def test_pure_power_law_fit_is_exact_on_a_power_law():
    x = np.logspace(18, 24, 12)
    fit = fitting.fit_power_law(x, 26.387 * x**-0.05)
    assert (fit.a, fit.b, fit.E) == (rel(26.387), rel(0.05), 0.0)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.5, 3.0), st.floats(1.0, 100.0), st.floats(0.1, 0.8), st.integers(0, 10_000))
def test_constant_fit_recovers_known_parameters(e, a, b, seed):
    rng = np.random.default_rng(seed)
    x = np.logspace(0, 4, 40)
    y = e + a * x**-b
    fit = fitting.fit_power_law_with_constant(x, y * (1 + 1e-4 * rng.standard_normal(x.size)))
    assert fit.E == rel(e, abs=0.02 * (e + a)) and fit.b == rel(b, rel=0.05)


def test_constant_fit_extrapolates_and_pure_law_does_not():
    e = AsymptoteExplorer()
    w = asymptotes.window_fits(e.state)
    x, pure, const = w.x, w.pure, w.const
    far = x[-1] * 1e4
    truth = laws.chinchilla_loss_compute(far, papers.HOFFMANN_2022_EXACT)
    assert abs(const.predict(far) - truth) < 0.05
    assert pure.predict(far) - truth < -0.3  # the pure law dives towards zero
    assert "SIMULATED" in e.figures[2].title and "SIMULATED" in e.fit_table.value


@pytest.mark.parametrize("state, message", [
    ({"c_lo": 36.0}, "inverted"),
    ({"c_hi": 5.0}, "between 10 and 50"),
    ({"c_lo": 60.0}, "between 10 and 50"),
    ({"noise": -0.1}, "noise"),
    ({"l_inf": -1.0}, "L_∞"),
    ({"window_lo": 21.9}, "half a decade"),
    ({"curves": []}, "at least one"),
])
def test_bad_input_refused(state, message):
    e = AsymptoteExplorer()
    before, y = e.state, np.asarray(e.curves.y).tolist()
    with pytest.raises(ValueError, match=message):
        e.set_state(**state)
    assert e.state == before and np.asarray(e.curves.y).tolist() == y


def test_axis_and_view_switch_in_place():
    e = AsymptoteExplorer()
    curves = e.curves
    e.set_state(y_axis="linear")
    assert e.curves is curves and e.curves.scales["y"] is e.y_lin
    assert e.figures[0].axes[1].scale is e.y_lin
    total = np.asarray(e.curves.y).copy()
    e.set_state(view="reducible")
    reducible = np.asarray(e.curves.y)
    es = [CURVES[k][2] for k in e.state["curves"]]
    assert np.allclose(total - reducible, np.array(es)[:, None])
    assert len(e.warning.x) == 0  # Kaplan's L* is a total loss: hidden in the reducible view


def test_henighan_reducible_is_straight_on_log_log():
    e = AsymptoteExplorer()
    x = np.asarray(e.henighan.x)[1]
    reducible = np.asarray(e.henighan.y)[1]
    slopes = np.diff(np.log(reducible)) / np.diff(np.log(x))
    assert np.allclose(slopes, -e.state["alpha_h"])
    total = np.asarray(e.henighan.y)[0]
    assert np.all(np.diff(np.diff(np.log(total)) / np.diff(np.log(x))) > 0)  # total bends
    quotes("05", "on log–log axes the total loss bends, the reducible loss stays straight",
           "with a slightly too-shallow slope")


def test_numbers_quoted_in_notebook_05():
    # Kaplan's curve for FLOPs spent at the critical batch (C = 2 C_min): 3.5% higher,
    # 0.05-0.08 nats between 1e21 and 1e25.
    gaps = [laws.kaplan_loss_compute(laws.kaplan_c_min(c)) - laws.kaplan_loss_compute(c)
            for c in (1e21, 1e25)]
    assert round(2**0.05 - 1, 3) == 0.035 and [round(g, 2) for g in gaps] == [0.08, 0.05]
    quotes("05", "2^0.05 − 1 = 3.5% higher: 0.05 to 0.08 nats between 10²¹ and 10²⁵ FLOPs",
           "**inferred**", "even as the generative loss levels off", "non-universal")
    g, a, b = laws.chinchilla_allocation_constants(papers.HOFFMANN_2022)
    assert g * 6**-a == rel(0.599, abs=0.001) and 6**-b / g == rel(0.278, abs=0.001)
    assert 0.5 * 0.33 == rel(1 / 6, abs=0.002)  # the seed's coefficients respect C = 6ND
    c = np.linspace(18, 35, 200)
    eq4 = laws.chinchilla_loss_compute(10.0**c)
    assert np.max(np.abs(laws.post_chinchilla_curve(c) - eq4)) < 0.05
    assert laws.post_chinchilla_curve(27) - laws.post_kaplan_curve(27) == rel(0.59, abs=0.005)
    c_gap = curve_gap_crossings("seed_chinchilla", "seed_kaplan", 0.1, 21.5, 50)[0]
    assert 10**c_gap / papers.GPT3_175B.reported_flops == rel(1 / 8, rel=0.05)


def _drawn(explorer):
    """Every mark's data in every figure, as lists."""
    return [[np.asarray(getattr(m, k)).tolist() for k in ("x", "y") if hasattr(m, k)]
            for fig in explorer.figures for m in fig.marks]


def test_figures_redrawn_only_in_part_match_a_fresh_draw():
    # The Henighan and fit-window figures are redrawn only when their own settings change
    # (a range step was 49 ms in the kernel, 1 ms now); they must still end as a fresh draw.
    e = AsymptoteExplorer()
    window = e.points.y
    e.set_state(c_lo=20.0)
    assert e.points.y is window  # the fit window did not move: not refitted, not resent
    steps = ({"noise": 0.05}, {"c_hi": 40.0}, {"l_inf": 0.5}, {"seed": 3}, {"x0": 1e20},
             {"window_lo": 19.0}, {"curves": ["seed_kaplan", "epoch"]}, {"noise": 0.01})
    for step in steps:  # after each step, as if drawn from scratch in that state
        e.set_state(**step)
        fresh = AsymptoteExplorer()
        fresh.set_state(**e.state)
        assert _drawn(e) == _drawn(fresh), step
        assert e.fit_table.value == fresh.fit_table.value, step


def test_henighan_exponents_differ_by_modality_only_n_opt_is_shared():
    # Issue 28, item 6: "constants non-universal, exponents informative" is a heuristic.
    # Henighan et al. 2020, Table 1 (read second-hand): language N^-0.070, 8x8 images N^-0.24;
    # the abstract: the optimal-model-size exponents are "nearly universal" (N_opt ~ C^0.7).
    ex = asymptotes.HENIGHAN_N_EXPONENTS
    assert ex == {"language": 0.070, "image 8×8": 0.24} and asymptotes.HENIGHAN_N_OPT_EXPONENT == 0.7
    assert ex["image 8×8"] / ex["language"] > 3
    quotes("05", "N^−0.070 for language", "N^−0.24 for 8×8 images, more than 3× steeper",
           "N_opt ∝ C^≈0.7", "Treat that as a heuristic", "second-hand")


def test_only_the_shapes_compare():
    # Issue 28, item 11: the post rescaled its curves by hand, and the data and tokenizers
    # differ; the notebook no longer says "where both were fitted they agree closely".
    from .notebook_text import notebook_source

    quotes("05", "**Only the shapes compare**", "rescaled by hand")
    assert "agree closely" not in notebook_source("05")
    e = AsymptoteExplorer()
    assert "Compare shapes, not losses" in e.readouts.value
    assert e.readouts.value.count("<br>") <= 2  # three short lines; the rest behind "More"
    assert "rescaled" in e.more_readouts.value


def test_the_checks_numbers_follow_the_explorers_default():
    from scaling_laws_lab.teaching.questions import nb05

    e = AsymptoteExplorer()
    assert {k: e.state[k] for k in asymptotes.WINDOW_KEYS} == nb05.DEFAULT_WINDOW
    pure, const = nb05.WINDOW_ERRORS
    assert -0.6 < pure[1] < -0.45 and abs(const).max() < 0.05  # "about half a nat", "close"
    assert 10 ** nb05.KAPLAN_AT_FLOOR == rel(7.4e23, rel=0.01)
    assert laws.post_kaplan_curve(nb05.KAPLAN_AT_FLOOR) == rel(1.69)
    quotes("05", "about half a nat too low", "reaches 1.69 nats near 7.4e23 FLOPs")


def test_the_app_opens_with_the_notebooks_short_answer():
    import re

    import nbformat

    from .notebook_text import NOTEBOOKS

    def short(path):
        first = nbformat.read(path, as_version=4).cells[0].source
        return re.search(r"\*\*Short answer\.\*\*.*?(?=\n\n)", first, re.S).group(0)

    assert short(NOTEBOOKS / "apps" / "05_asymptotes.ipynb") == short(NOTEBOOKS / "05_asymptotes.ipynb")


def test_numbers_the_going_deeper_blocks_quote():
    # These were printed by code cells that sat outside their collapsed blocks; the blocks now
    # quote them. Kaplan Eq 1.3: C_c = 3.1e8 PF-days; Chinchilla Eq 4 with the printed constants.
    c_c = 3.1e8 * papers.PF_DAY_FLOPS
    assert f"{c_c:.5g}" == "2.6784e+28" and f"{c_c ** 0.05:.3f}" == "26.387"
    assert f"{laws.post_kaplan_curve(23):.4f}" == f"{laws.kaplan_loss_compute(1e23):.4f}" == "1.8681"
    c_min = laws.kaplan_c_min(1e23)
    assert c_min == rel(5e22) and f"{laws.kaplan_loss_compute(c_min):.4f}" == "1.9340"
    g, a, b = laws.chinchilla_allocation_constants(papers.HOFFMANN_2022)
    n_coeff, d_coeff = g * 6**-a, 6**-b / g
    assert (f"{n_coeff:.3f}", f"{a:.4f}", f"{d_coeff:.3f}", f"{b:.4f}") == (
        "0.599", "0.4516", "0.278", "0.5484")
    first, second = 406.4 / n_coeff**0.34, 410.7 / d_coeff**0.28
    assert (f"{first:.1f}", f"{second:.1f}", f"{0.34 * a:.4f}", f"{0.28 * b:.4f}") == (
        "483.8", "587.5", "0.1535", "0.1535")
    quotes("05", "the post's curve and Eq 1.3 both give 1.8681 nats",
           "(C_min = 5e22), Eq 1.3 gives 1.9340 nats, 3.5% more",
           "N_opt = 0.599·C^0.4516, D_opt = 0.278·C^0.5484",
           "L = 1.69 + 483.8/C^0.1535 + 587.5/C^0.1535")
