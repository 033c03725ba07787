"""Notebook 08's lab: the related target, the fine-tuning trainer, D_T and its fit, the shipped
pre-training and from-scratch curves, the explorer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scaling_laws_lab.lab import trainer, transfer, transfer_study
from scaling_laws_lab.science import fitting, laws

from .notebook_text import quotes
from .runner_checks import cancel_after_first_run

QUICK = {"proximity": 0.8, "d_min": 1000, "d_max": 1000, "seed": 0}


@pytest.fixture(scope="module")
def default_study():
    # The seeded default study (60 REAL fine-tunes, under a minute on 2 cores): the issue's
    # outcomes are asserted on it. Runs are cached in the process, so the explorer reuses them.
    p = transfer_study.plan()
    runs, complete = transfer_study.run_study(p)
    assert complete and len(runs) == len(p.jobs) == 60
    return p, runs


# --------------------------------------------------------------------------- the target
@given(st.floats(0.0, 0.99))  # up to 0.99: dividing by 1 − ρ nearer 1 only magnifies rounding
@settings(max_examples=20, deadline=None)
def test_the_target_mixes_the_frequency_lists_and_keeps_the_facts(rho):
    t = transfer.TargetSource(proximity=rho)
    src = t.pretraining_source()
    assert t.key_probs.sum() == pytest.approx(1.0)
    assert np.array_equal(t.facts, src.facts) and t.entropy == src.entropy
    # ρ·p + (1 − ρ)·(p permuted): the shuffled part has the same frequencies, other keys.
    shuffled = (t.key_probs - rho * src.key_probs) / (1 - rho)
    assert np.allclose(np.sort(shuffled), np.sort(src.key_probs), rtol=1e-9, atol=1e-13)


def test_the_ends_of_the_proximity_knob_and_bad_values():
    src = trainer.FactSource()
    assert np.array_equal(transfer.TargetSource(proximity=1.0).key_probs, src.key_probs)
    far = transfer.TargetSource(proximity=0.0).key_probs
    assert not np.array_equal(far, src.key_probs)
    assert np.array_equal(np.sort(far), np.sort(src.key_probs))
    for bad in (-0.1, 1.5, float("nan"), "near", True):
        with pytest.raises(ValueError, match="proximity"):
            transfer.TargetSource(proximity=bad)


# --------------------------------------------------------------------------- FLOPs
@pytest.mark.parametrize("method", transfer.METHODS)
@pytest.mark.parametrize("width", transfer_study.WIDTHS)
def test_counted_flops_match_notebook_03s_formula_within_2_percent(method, width):
    # The formula (forward 2N, activation gradients 2N·depth, 2 per trainable weight) against
    # the matmuls the trainer performs; what it leaves out (ReLU, softmax, Adam) is shown
    # beside it and is under 2% at the largest size.
    f = transfer.flop_parts(method, transfer_study.N_IN, width, 64)
    parts = f["parts"]
    modelled = parts["forward"] + parts["activation gradients"] + parts["weight gradients"]
    assert modelled == pytest.approx(f["formula"], rel=0.02)
    for key, value in f["formula_parts"].items():
        assert parts[key] == pytest.approx(value, rel=0.05, abs=3 * width), key
    assert f["formula"] == laws.finetune_flops_per_token(
        f["setup"]["n_forward"], f["setup"]["n_trainable"], f["setup"]["grad_depth"])
    if width == max(transfer_study.WIDTHS):
        assert f["total"] == pytest.approx(f["formula"], rel=0.02)


def test_where_the_trainable_weights_sit_decides_the_cost():
    # Biases and a rank-1 adapter on the output layer train the same number of weights; the
    # biases need the gradient through the output layer, the adapter does not.
    n_in, w, m = transfer_study.N_IN, 864, 64
    biases, lora, full = (transfer.flop_parts(k, n_in, w, m) for k in ("biases", "lora", "full"))
    assert transfer.n_trainable("biases", w) == transfer.n_trainable("lora", w) == w + m
    assert lora["parts"]["activation gradients"] < 0.01 * biases["parts"]["activation gradients"]
    assert lora["total"] < biases["total"] < full["total"]
    # ... and neither is anywhere near the thread's 6 FLOPs per trainable weight.
    assert biases["total"] > 30 * 6 * (w + m)


# --------------------------------------------------------------------------- training
def test_a_fine_tune_counts_its_flops_keeps_its_best_epoch_and_repeats():
    tgt = transfer_study.target(0.8)
    init = transfer_study.pretrained(96)
    run = transfer.train_on(tgt, "biases", 96, 2000, init=init, seed=3)
    epochs, per_epoch = transfer.steps_for(2000)
    assert (run.epochs, run.tokens) == (epochs, epochs * per_epoch * transfer.BATCH)
    per_token = transfer.flop_parts("biases", transfer_study.N_IN, 96, 64)["total"]
    assert run.flops == pytest.approx(per_token * run.tokens)
    assert 0 <= run.best_epoch <= run.epochs and run.loss <= run.loss_start
    assert run.loss_start == pytest.approx(transfer_study.zero_shot(0.8, 96), rel=1e-6)
    assert transfer.train_on(tgt, "biases", 96, 2000, init=init, seed=3) == run
    with pytest.raises(ValueError, match="pretrained"):
        transfer.train_on(tgt, "full", 96, 2000)
    with pytest.raises(ValueError, match="pretrained"):
        transfer.train_on(tgt, "scratch", 96, 2000, init=init)
    with pytest.raises(ValueError, match="width"):
        transfer.train_on(tgt, "full", 288, 2000, init=init)
    with pytest.raises(ValueError, match="method"):
        transfer.train_on(tgt, "half", 96, 2000)


def test_epochs_follow_the_rule():
    assert transfer.steps_for(1000) == (10, 8)
    assert transfer.steps_for(500_000) == (4, 3907)
    assert transfer.steps_for(3_000_000)[0] == 1


# --------------------------------------------------------------------------- reading D_T
def test_d_scratch_is_read_off_the_curve_in_log_d():
    d = np.array([1e2, 1e3, 1e4, 1e5])
    curve = np.array([3.0, 2.0, 1.0, 1.2])  # the last point is worse: the envelope ignores it
    ds, status = transfer_study.scratch_data_for(1.5, d, curve)
    assert status == "measured" and ds == pytest.approx(10**3.5)
    assert transfer_study.scratch_data_for(0.9, d, curve) == (1e5, "beyond")
    assert transfer_study.scratch_data_for(3.5, d, curve) == (1e2, "none")
    assert transfer_study.d_99(d, curve) == 1e4


def test_the_bootstrap_intervals_cover_a_known_transfer_law():
    # Forty synthetic studies drawn from D_T = 50·D_F^0.3·N^0.6 with 5% log noise, twelve
    # points each (the lab's shape): the 90% intervals should hold the truth most of the time
    # (a percentile bootstrap on twelve points runs a little narrow), and be reproducible.
    d_f = np.tile([1e3, 3e3, 1e4, 3e4], 3)
    n = np.repeat([1e4, 3e4, 1e5], 4)
    hits = np.zeros(2)
    for seed in range(40):
        rng = np.random.default_rng(seed)
        d_t = 50 * d_f**0.3 * n**0.6 * np.exp(rng.normal(0, 0.05, d_f.size))
        est = fitting.bootstrap_transfer_law(d_f, n, d_t, n_boot=200, seed=seed)
        hits += [est.alpha_ci[0] < 0.3 < est.alpha_ci[1], est.beta_ci[0] < 0.6 < est.beta_ci[1]]
        assert est.alpha_ci[0] <= est.alpha <= est.alpha_ci[1]
    assert np.all(hits >= 28), hits  # at least 70% coverage for a 90% interval
    again = fitting.bootstrap_transfer_law(d_f, n, d_t, n_boot=200, seed=39)
    assert again == est


# --------------------------------------------------------------------------- the plan
@pytest.mark.parametrize("bad, match", [
    ({"d_min": 0}, "D_F"), ({"d_min": -5}, "D_F"), ({"d_max": float("nan")}, "finite"),
    ({"d_max": "lots"}, "number"), ({"d_min": 50}, "between"), ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"), ({"seed": "x"}, "seed"), ({"d_min": 1e5, "d_max": 1e3}, "smaller"),
    ({"proximity": 0.3}, "one of"), ({"proximity": "far"}, "number"),
    ({"d_min": 100, "d_max": 1e6, "max_seconds": 60}, "minutes"), ({"d_max": True}, "number"),
])
def test_bad_plans_are_refused_before_anything_runs(bad, match):
    before = dict(transfer._RUNS)
    with pytest.raises(ValueError, match=match):
        transfer_study.plan(**{**{k: v for k, v in transfer_study.DEFAULT.items() if k != "size"},
                               **bad})
    assert transfer._RUNS == before


def test_a_cancelled_study_keeps_the_runs_already_finished():
    p = transfer_study.plan(**{**QUICK, "seed": 9})

    def stop_in_the_third_run(i, total, done, steps):
        if i == 2:
            raise trainer.Cancelled

    runs, complete = transfer_study.run_study(p, stop_in_the_third_run)
    assert not complete and len(runs) == 2
    assert transfer_study.finished(p) == runs


# --------------------------------------------------------------------------- the outcomes
def test_the_seeded_default_study_shows_transfer_and_answers_the_thread(default_study):
    p, runs = default_study
    transfers = transfer_study.measure(runs, p.proximity)
    fit, note = transfer_study.fit_transfer(transfers)
    assert fit is not None, note
    # The issue's target: both exponents' bootstrap intervals exclude 0.
    assert fit.alpha_ci[0] > 0 and fit.beta_ci[0] > 0, fit
    assert fit.alpha < 1  # D_T grows slower than D_F: the multiplier falls
    big = [t for t in transfers if t.method == "full" and t.base_width == 864]
    assert big[0].multiplier > 5 and big[0].multiplier > big[-1].multiplier
    # The thread: the 1% tune beats a network of its size from scratch at every D_F and size.
    for w in transfer_study.WIDTHS:
        tune = {r.job.n_data: r.run.loss for r in runs
                if r.job.base_width == w and r.job.method == "biases"}
        small = {r.job.n_data: r.run.loss for r in runs
                 if r.job.base_width == w and r.job.method == "small"}
        assert all(small[d] > tune[d] + 0.1 for d in p.d_f), (w, tune, small)
    # Every run's FLOPs are its method's counted parts, token by token.
    for r in runs:
        per_token = transfer.flop_parts(r.job.method, transfer_study.N_IN, r.job.width, 64)
        assert r.run.flops == pytest.approx(per_token["total"] * r.run.tokens)


# --------------------------------------------------------------------------- shipped results
def test_the_shipped_results_are_what_the_code_makes():
    text = transfer_study.SCRATCH_FILE.read_text()
    assert "make lab-transfer" in text and "REAL runs" in text
    rows = transfer_study._scratch_rows()
    assert len(rows) == (len(transfer_study.PROXIMITIES) * len(transfer_study.WIDTHS)
                         * len(transfer_study.SCRATCH_D))
    # The three cheapest from-scratch runs, trained again. Short runs of small networks: across
    # CPUs (OpenBLAS's AVX2 and AVX-512 kernels) they differ by 5e-8 nats (bench.portability,
    # 2026-12-04), so 1e-4 holds on any x86-64 CPU and still catches any change to the trainer.
    for r in sorted(rows, key=lambda r: r["tokens"] * r["n_params"])[:3]:
        again = transfer.train_on(transfer_study.target(r["proximity"]), "scratch",
                                      int(r["width"]), int(r["n_data"]), seed=0)
        assert again.loss == pytest.approx(r["loss"], abs=1e-4)
        assert again.flops == pytest.approx(r["flops"])
    # The smallest pre-trained network, trained again (about 10 s). Not bit for bit on every CPU:
    # numpy's OpenBLAS picks its matrix kernel by CPU, and 8M tokens of Adam grow the other
    # summation order into 0.0032 nats (AVX-512 0.80422 against the file's 0.80099, which the
    # AVX2 kernel that made it remakes to 1e-10; bench.portability, 2026-12-04). So the loss must
    # agree within 0.01 nats (three times that spread), and the network must be the same network
    # in what it predicts: the same most likely value for at least half of the 4,096 keys (0.72
    # across kernels, 1.0 on the same one; a different random seed gives 0.30, so a changed seed,
    # data stream or trainer still fails here).
    shipped = transfer_study.pretrained(96)
    made = transfer.pretrain(trainer.FactSource(), 96, transfer_study.PRETRAIN_TOKENS,
                                 seed=transfer_study.PRETRAIN_SEED)
    codes = trainer.key_codes(4096)
    src = trainer.FactSource()
    made_p, shipped_p = made.probs(codes), shipped.probs(codes)
    assert src.loss_of(made_p) == pytest.approx(src.loss_of(shipped_p), abs=0.01)
    assert np.mean(made_p.argmax(axis=1) == shipped_p.argmax(axis=1)) >= 0.5


def test_pretrained_networks_learned_the_source():
    src = trainer.FactSource()
    codes = trainer.key_codes(src.n_keys)
    losses = [src.loss_of(transfer_study.pretrained(w).probs(codes)) for w in transfer_study.WIDTHS]
    assert src.entropy < losses[-1] < losses[0] < 1.0  # bigger learned more, all near E
    with pytest.raises(ValueError, match="width"):
        transfer_study.pretrained(100)


# --------------------------------------------------------------------------- the explorer
def test_the_explorer_runs_and_draws_every_view(default_study):
    import scaling_laws_lab

    e = scaling_laws_lab.TransferLabExplorer()
    assert len(e.view.runs) == 60  # the default study already ran in this process
    # Figure 1: the shipped curve and every method's line at the size shown.
    d, curve = transfer_study.scratch_curve(0.8, 864)
    assert np.asarray(e.scratch.y).tolist() == curve.tolist()
    for method, mark in e.methods.items():
        assert np.asarray(mark.y).size == 5, method
    # Figure 2: D_T points (filled: in the fit), the fitted law at each size.
    assert np.asarray(e.dt_used.x).size == e.view.fit.n_runs
    assert np.asarray(e.fit_lines.y).shape == (3, 2)
    # Figure 3: four stacked parts for five methods, and the formula's diamonds.
    assert np.asarray(e.bars.y).shape == (4, 5)
    assert np.asarray(e.formula.y).tolist() == [e.view.flops[m]["formula"]
                                                for m in transfer.METHODS]
    assert "bootstrap" in e.readouts.value and "D_E/D_F" in e.table.value
    forward_before = float(np.asarray(e.bars.y)[0, 0])
    e.set_state(size="96")  # the smallest size: the bars redrawn for its smaller N
    assert float(np.asarray(e.bars.y)[0, 0]) < forward_before / 5


def test_the_explorer_cancels_keeps_finished_runs_and_refuses_a_new_plan_meanwhile():
    import scaling_laws_lab

    e = scaling_laws_lab.TransferLabExplorer(**{**QUICK, "seed": 21})
    kept = cancel_after_first_run(e, d_max=3e3)
    assert 1 <= kept < len(e.view.plan.jobs)


def test_notebook_08_quotes_the_share_its_subset_tunes_train():
    # 08's title and short answer: the biases (and the rank-1 adapter, as many) are 1.4% of the
    # largest network and 2.1% of the smallest: "1–2%", "1.4–2.1%".
    shares = [transfer_study.subset_share(w) for w in transfer_study.WIDTHS]
    assert f"{100 * min(shares):.1f}" == "1.4" and f"{100 * max(shares):.1f}" == "2.1"
    assert 0.01 <= min(shares) and max(shares) < 0.025  # "1–2%", as a title rounds
    assert min(shares) == shares[-1]  # the largest network has the smallest share
    quotes("08", "fine-tune 1–2% vs all", "tuning 1.4–2.1% of the weights (1.4% in the largest "
           "network)", "a 1.4% tune still runs the whole network")
    # Class session 2 works with the largest network only: 928 of its 66,592 weights.
    assert (transfer.n_trainable("biases", transfer_study.WIDTHS[-1], n_in=transfer_study.N_IN),
            transfer_study.n_params(transfer_study.WIDTHS[-1])) == (928, 66_592)
    quotes("class_session_2", "Does tuning 1.4% act like a network that small?",
           "each train 928 weights, about 1.4% of the 67k")
