"""scaling_laws_lab.fitting: the Chinchilla-form fit against known laws and against Epoch AI's refit."""

import datetime
import json
import os
import pathlib

import numpy as np
import pytest
from scaling_laws_lab import fitted, fitting, laws, papers

from .notebook_text import quotes

rel = pytest.approx
DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "chinchilla_fig4_points.csv"


@pytest.fixture(scope="module")
def epoch_points():
    """Epoch AI's points extracted from Hoffmann et al. Fig 4 (read in place, never copied)."""
    if not DATA.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared data set at {DATA}")
        pytest.skip(f"shared data not found at {DATA} (it sits beside the project in CI)")
    # Besiroglu et al. 2024 fit the points below the fifth-highest loss (the five
    # highest-loss runs are dropped).
    runs = fitting.drop_highest_loss(fitting.read_runs_csv(DATA.read_text()), 5)
    return runs.n_params, runs.n_tokens, runs.loss


def test_reproduces_epoch_estimates_within_their_standard_errors(epoch_points):
    est = fitting.fit_chinchilla(*epoch_points)
    published = papers.BESIROGLU_2024
    errors = {"E": 0.03, "A": 124.58, "B": 1293.23, "alpha": 0.02, "beta": 0.02}
    for key, se in errors.items():
        assert getattr(est, key) == rel(getattr(published, key), abs=se), key
    assert est.n_runs == 240
    # The plain published method (not Epoch's free-scale Huber): A 478, B 2143, 17.9 tokens/param,
    # as notebook 06 says.
    assert (round(est.A), round(est.B)) == (478, 2143)
    assert round(est.tokens_per_param(5.88e23), 1) == 17.9
    quotes("06", "A ≈ 478, B ≈ 2143, α ≈ 0.347, β ≈ 0.367 and 17.9 tokens per parameter")


def test_reaches_the_global_optimum_of_the_published_objective(epoch_points):
    ours = fitting.fit_chinchilla(*epoch_points)
    reference = fitting.fit_chinchilla_reference(*epoch_points, points=3)  # 243 starts
    assert ours.objective <= reference.objective * (1 + 1e-6)
    # and the same optimum, not merely an equally good but different one
    assert ours.alpha == rel(reference.alpha, abs=2e-3) and ours.E == rel(reference.E, abs=2e-3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_a_known_law_from_noisy_runs(seed):
    truth = papers.BESIROGLU_2024
    runs = fitting.demo_runs(truth, n_runs=80, noise=0.003, seed=seed)
    est = fitting.fit_chinchilla(runs.n_params, runs.n_tokens, runs.loss)
    assert est.E == rel(truth.E, abs=0.05)
    assert est.alpha == rel(truth.alpha, abs=0.03) and est.beta == rel(truth.beta, abs=0.03)
    assert est.tokens_per_param(5.88e23) == rel(
        fitting.ChinchillaEstimate(truth.E, truth.A, truth.B, truth.alpha, truth.beta, 0, 0,
                                   1e-3).tokens_per_param(5.88e23), rel=0.25)


def test_exact_data_gives_exact_constants():
    truth = papers.HOFFMANN_2022
    runs = fitting.demo_runs(truth, n_runs=40, noise=0.0)
    est = fitting.fit_chinchilla(runs.n_params, runs.n_tokens, runs.loss)
    for key in ("E", "A", "B", "alpha", "beta"):
        assert getattr(est, key) == rel(getattr(truth, key), rel=1e-3), key
    assert est.G == rel(1.3448, rel=1e-3) and est.a == rel(0.28 / 0.62, rel=1e-3)


def test_bootstrap_intervals_bracket_the_estimate():
    runs = fitting.demo_runs(papers.BESIROGLU_2024, n_runs=40, noise=0.005, seed=3)
    calls = []
    out = fitting.bootstrap_chinchilla(runs.n_params, runs.n_tokens, runs.loss, n_boot=12,
                                       progress=lambda i, n: calls.append((i, n)))
    assert calls[-1] == (12, 12) and len(out["samples"]) == 12
    est = fitting.fit_chinchilla(runs.n_params, runs.n_tokens, runs.loss)
    for key in ("E", "alpha", "beta"):
        lo, hi = out[key]
        assert lo <= hi
        assert lo - 0.05 <= getattr(est, key) <= hi + 0.05


@pytest.mark.parametrize("text, message", [
    ("", "no data"),
    ("params,loss\n1e9,2.5\n", "missing column"),
    ("params,tokens,loss\n1e9,2e10,abc\n", "row 2, column 'loss'"),
    ("params,tokens,loss\n1e9,2e10,2.5\n-1,2e10,2.5\n", "row 3, column 'params'"),
    ("params,tokens,loss\n1e9,2e10,2.5\n1e9,0,2.5\n", "row 3, column 'tokens'"),
    ("params,tokens,loss\n1e9,2e10,nan\n", "row 2"),
    ("params,tokens,loss\n1e9,2e10,2.5\n1e9,,2.5\n", "empty cell"),
    ("params,tokens,loss\n" + "".join(f"{i}e8,2e10,2.{i}\n" for i in range(1, 4)), "at least 6"),
    ("params,tokens,loss\n" + "".join(f"{i}e8,2e10,2.{i}\n" for i in range(1, 7))
     + "3e8,2e10,2.3\n", "row 8 repeats row 4"),
    ("x" * (fitting.MAX_CSV_CHARS + 1), "limit"),
])
def test_csv_reader_names_row_and_column(text, message):
    with pytest.raises(ValueError, match=message):
        fitting.read_runs_csv(text)


def test_csv_reader_takes_flops_and_round_trips():
    text = "Model Size,Training FLOP,loss\n" + "".join(
        f"{n},{6 * n * 20 * n},{2 + 1 / n}\n" for n in (1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9))
    runs = fitting.read_runs_csv(text)
    assert runs.n_tokens == rel(20 * runs.n_params) and runs.notes
    again = fitting.read_runs_csv(runs.to_csv())
    assert again.n_tokens == rel(runs.n_tokens) and again.loss == rel(runs.loss)


def test_fit_refuses_bad_runs():
    with pytest.raises(ValueError, match="at least 6"):
        fitting.fit_chinchilla([1e9] * 3, [1e10] * 3, [2.0] * 3)
    with pytest.raises(ValueError, match="loss"):
        fitting.fit_chinchilla([1e9] * 6, [1e10] * 6, [2.0] * 5 + [np.nan])


# ---------------------------------------------------------------- the explorer
from scaling_laws_lab import FitExplorer  # noqa: E402
from scaling_laws_lab.explorers.fit import EXAMPLE_CSV  # noqa: E402


def test_explorer_fit_matches_fitting_and_labels_synthetic():
    e = FitExplorer()
    runs = fitted.runs_for(e.state)
    est = fitting.fit_chinchilla(runs.n_params, runs.n_tokens, runs.loss)
    assert e.fit.objective == rel(est.objective, rel=1e-6)
    assert "SYNTHETIC" in e.readouts.value and "SYNTHETIC" in e.runs.labels[0]
    assert len(e.pred.x) == runs.loss.size


def test_clicking_a_point_leaves_it_out_and_refits():
    e = FitExplorer()
    before = e.fit.objective
    e._clicked(e.runs, {"data": {"index": 3}})
    assert e.state["excluded"] == [3] and len(e.pred_out.x) == 1
    assert e.fit.objective != before
    e._clicked(e.runs, {"data": {"index": 3}})  # click again: back in
    assert e.state["excluded"] == [] and e.fit.objective == rel(before)


@pytest.mark.parametrize("csv_text, message", [
    ("params,loss\n1,2\n", "missing column"),
    ("params,tokens,loss\n1e8,2e9,oops\n", "row 2, column 'loss'"),
    ("x" * 50_000_000, "limit"),
])
def test_bad_csv_keeps_text_and_last_fit(csv_text, message):
    e = FitExplorer()
    fit, x = e.fit, list(e.runs.x)
    with pytest.raises(ValueError, match=message):
        e.set_state(source="pasted", csv=csv_text)
    assert e.fit == fit and list(e.runs.x) == x and e.state["source"] == "demo"
    e.controls["csv"].area.value = csv_text  # pasted in the UI: message, text kept, plot kept
    assert e.message.level == "error" and message.split(",")[0] in e.message.text
    assert e.controls["csv"].area.value == csv_text
    assert e.fit == fit and list(e.runs.x) == x
    e.controls["csv"].area.value = EXAMPLE_CSV  # a good paste switches to it
    assert e.state["source"] == "pasted" and e.message.text == "" and e.fit.n_runs == 8


def test_upload_and_exports_round_trip():
    e = FitExplorer()
    content = EXAMPLE_CSV.encode()  # what the browser sends for an uploaded file
    e.upload.value = ({"name": "runs.csv", "type": "text/csv", "size": len(content),
                       "content": memoryview(content),
                       "last_modified": datetime.datetime(2026, 1, 1)},)
    assert e.state["source"] == "pasted" and e.fit.n_runs == 8
    data = json.loads(e.export_fit_json())
    assert data["fit"]["E"] == rel(e.fit.E) and data["excluded_runs"] == []
    again = fitting.read_runs_csv(e.export_csv())
    assert again.loss.size == 8
    assert "fit.json" in e.downloads.value and "runs.csv" in e.downloads.value


def test_bootstrap_from_the_explorer_fills_intervals():
    e = FitExplorer()
    out = e.bootstrap(n_boot=8)
    assert e.progress.value == 8 and "bootstrap intervals" in e.constants.value
    assert out["E"][0] <= out["E"][1]
    assert "intervals" in json.loads(e.export_fit_json())


def test_too_few_runs_left_in():
    e = FitExplorer()
    e.set_state(source="pasted", csv=EXAMPLE_CSV)
    with pytest.raises(ValueError, match="at least 6 runs"):
        e.set_state(excluded=[0, 1, 2])
    with pytest.raises(ValueError, match="does not exist"):
        e.set_state(excluded=[99])


def test_numbers_quoted_in_notebook_06():
    from scaling_laws_lab.teaching import bank

    truth = fitting.ChinchillaEstimate(1.8172, 482.01, 2085.43, 0.3478, 0.3658, 0.0, 240, 1e-3)
    assert truth.G == rel(0.120, abs=0.001) and truth.a == rel(0.513, abs=0.001)
    assert round(truth.tokens_per_param(5.88e23), 1) == 18.4
    quotes("06", "give 18.4", "about 18 tokens per parameter at Chinchilla's compute")
    # Check 06.epoch-1e25 at 1e25: N_opt ≈ 3.1e11, D_opt ≈ 5.3e12, about 17 tokens per parameter
    # (its working, in the question bank, says so).
    n25 = truth.G * (1e25 / 6) ** truth.a
    assert round(n25 / 1e11, 1) == 3.1 and round(1e25 / 6 / n25 / 1e12, 1) == 5.3
    assert round(truth.tokens_per_param(1e25), 1) == 17.1
    q = bank.get("06.epoch-1e25")
    assert q.expected_value() == rel(truth.tokens_per_param(1e25))
    for phrase in ("G(C/6)^a ≈ 3.1e11", "C/(6 N_opt) ≈ 5.3e12", "about 17 tokens per parameter"):
        assert phrase in q.working_html(), phrase
    # Check 06.printed-a: a = 0.28 / 0.62 with the printed constants.
    assert round(bank.get("06.printed-a").expected_value(), 3) == 0.452
    # Epoch's constants give 18.4 at Chinchilla's compute in notebook 02 too (one number).
    n, d = laws.compute_optimal(5.88e23, papers.BESIROGLU_2024)
    assert round(d / n, 1) == 18.4
    quotes("02", "which gives 18.4 tokens per parameter at Chinchilla's compute")
    grid = fitting.PUBLISHED_GRID
    assert np.prod([len(v) for v in grid.values()]) == 4500


def test_tokens_per_parameter_drift_with_compute_in_notebook_06():
    # Issue 28, item 10. Hoffmann et al. 2022, Eq 4 with the constants printed in App. D.2
    # (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28): ≈93 tokens per parameter at Chinchilla's
    # 5.88e23 FLOPs, rising as C^(1 − 2a), a = 0.452: ≈98 at 1e24, ≈153 at 1e26, ≈191 at 1e27.
    # The 59 quoted beside 93 comes from the unrounded constants of the paper's TeX source.
    drift = fitted.allocation_drift((5.88e23, 1e24, 1e26, 1e27))
    printed = [round(r) for r in drift[papers.HOFFMANN_2022.name]]
    unrounded = [round(r) for r in drift[papers.HOFFMANN_2022_EXACT.name]]
    refit = [round(r) for r in drift[papers.BESIROGLU_2024.name]]
    assert printed == [93, 98, 153, 191]
    assert unrounded == [59, 62, 92, 113]
    assert refit == [18, 18, 16, 15]
    assert fitted.REPORT_FLOPS == rel(5.88e23)
    quotes("06", "printed constants give 93 (59 with their unrounded values)",
           "≈93 at Chinchilla's compute, ≈98 at 10²⁴, ≈153 at 10²⁶ and ≈191 at 10²⁷ FLOPs",
           "from 18 to 15", "They give 59 tokens per parameter at Chinchilla's compute, not 93",
           "62 at 10²⁴, 92 at 10²⁶, 113 at 10²⁷")
    # The rounding lowers a from 0.457 to 0.452 and raises G by 3%: together the factor 1.6 (93 / 59).
    # (The notebook does not print 0.452 there: it is check 06.printed-a's answer.)
    exact, printed_fit = papers.HOFFMANN_2022_EXACT, papers.HOFFMANN_2022
    assert round(exact.beta / (exact.alpha + exact.beta), 3) == 0.457
    assert round(printed_fit.beta / (printed_fit.alpha + printed_fit.beta), 3) == 0.452

    def g(f):
        return (f.alpha * f.A / (f.beta * f.B)) ** (1 / (f.alpha + f.beta))

    assert round(100 * (g(printed_fit) / g(exact) - 1)) == 3
    assert round(drift[printed_fit.name][0] / drift[exact.name][0], 1) == 1.6
    quotes("06", "lowers a by 0.005 (from 0.457) and raises G by 3%", "the factor of 1.6 between 59 and 93")
    # The check is answered by the table, which waits for the commit.
    assert bank_answer("06.drift") == "split"
    text = fitted.drift_table()
    assert " 153 " in text and " 191" in text


def bank_answer(qid):
    from scaling_laws_lab.teaching import bank

    return bank.get(qid).answer


def test_demo_controls_grey_out_for_your_own_data():
    e = FitExplorer()
    assert not e.controls["demo_law"].widget.disabled
    e.set_state(source="pasted", csv=EXAMPLE_CSV)
    assert e.controls["demo_law"].widget.disabled and e.controls["noise"].slider.disabled


def test_a_warm_started_step_fits_no_worse_than_the_full_grid():
    # FitExplorer refits a step (noise, runs left out) from its last optimum alone, instead of
    # scoring the 4,500-start grid and refining 8; the objective it reaches must match a fresh
    # fit from the whole grid, on every step of a walk that moves noise and exclusions a lot.
    from scaling_laws_lab.science import fitted

    e = FitExplorer()
    steps = ({"noise": 0.012}, {"noise": 0.02}, {"excluded": [0, 3]}, {"noise": 0.05},
             {"excluded": [1]}, {"noise": 0.003}, {"seed": 4}, {"noise": 0.03}, {"noise": 0.2},
             {"excluded": list(range(10))}, {"noise": 0.001})
    for step in steps:
        e.set_state(**step)
        fresh = fitted.fitted(e.state).fit  # no warm start: the full grid
        assert e.fit.objective <= fresh.objective * (1 + 1e-6) + 1e-12, step
        assert e.fit.alpha == rel(fresh.alpha, abs=1e-3) and e.fit.E == rel(fresh.E, abs=1e-3)


def test_the_warm_steps_newton_hessian_is_the_gradients_derivative():
    # A warm step refines by trust-region Newton; a wrong Hessian would still converge (the
    # gradient decides the optimum) but slowly, or stop early and fall back to L-BFGS.
    from scaling_laws_lab.science.fitting import _objective_and_grad

    rng = np.random.default_rng(1)
    log_n, log_d = np.log(rng.uniform(1e7, 1e10, 40)), np.log(rng.uniform(1e8, 1e11, 40))
    log_l = np.log(rng.uniform(2.0, 4.0, 40))
    theta = np.array([6.0, 7.0, 0.5, 0.35, 0.3])
    delta = 0.3  # some residuals inside the quadratic zone, some outside
    _, grad, hess = _objective_and_grad(theta, log_n, log_d, log_l, delta, hessian=True)
    assert np.allclose(hess, hess.T)
    h = 1e-6
    for i in range(5):
        step = np.zeros(5)
        step[i] = h
        up = _objective_and_grad(theta + step, log_n, log_d, log_l, delta)[1]
        down = _objective_and_grad(theta - step, log_n, log_d, log_l, delta)[1]
        assert np.allclose((up - down) / (2 * h), hess[:, i], rtol=1e-4, atol=1e-6), i
    assert np.array_equal(grad, _objective_and_grad(theta, log_n, log_d, log_l, delta)[1])
