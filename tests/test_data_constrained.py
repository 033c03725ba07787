"""Muennighoff et al. 2023: effective data under repetition, against the authors' worked values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scaling_laws_lab.science import data_constrained as dc


def test_the_authors_worked_losses():
    # Their README's "Parametric Fit" prints the losses of the two models of the paper's
    # Fig 1 (right): 6.34B parameters on 242B tokens and 8.67B on 178B, both from 25B unique.
    assert dc.loss(6.34e9, 242e9, 25e9) == pytest.approx(2.2256440889984477, rel=1e-12)
    assert dc.loss(8.67e9, 178e9, 25e9) == pytest.approx(2.2269634075087867, rel=1e-12)


def test_the_decay_constants_round_to_the_values_usually_quoted():
    # 15.4 and 5.3, as issue #21 quotes them.
    assert round(dc.MUENNIGHOFF_2023.r_star_d, 1) == 15.4
    assert round(dc.MUENNIGHOFF_2023.r_star_n, 1) == 5.3


def test_a_few_epochs_are_nearly_fresh_and_many_are_not():
    u = 1e10
    four = dc.effective_data(u, 3) / (4 * u)  # 4 epochs: 3 repetitions
    forty = dc.effective_data(u, 39) / (40 * u)
    assert 0.9 < four < 1.0 and forty < 0.4
    # One epoch is all fresh; no amount of repetition exceeds U·(1 + R*_D).
    assert dc.effective_data(u, 0) == u
    assert dc.effective_data(u, 1e6) == pytest.approx(u * (1 + dc.MUENNIGHOFF_2023.r_star_d))


@given(st.floats(1e3, 1e15), st.floats(0, 1e3), st.floats(0, 1e3))
def test_effective_data_grows_with_repetition_but_slower(u, r1, r2):
    lo, hi = sorted((r1, r2))
    d_lo, d_hi = dc.effective_data(u, lo), dc.effective_data(u, hi)
    assert d_lo <= d_hi * (1 + 1e-12)
    assert d_hi <= u * (1 + hi) * (1 + 1e-12)  # never worth more than fresh tokens


def test_with_all_data_unique_it_is_the_chinchilla_form():
    f = dc.MUENNIGHOFF_2023
    n, d = 1e9, 2e10
    n_eff = min(n, float(dc.optimal_params_for_data(d)))
    r_n = n / n_eff - 1
    n_eff *= 1 + f.r_star_n * -np.expm1(-r_n / f.r_star_n)
    expected = f.E + f.A / n_eff**f.alpha + f.B / d**f.beta
    assert dc.loss(n, d, d) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_bad_values_are_refused(bad):
    with pytest.raises(ValueError):
        dc.loss(bad, 1e10, 1e9)
    with pytest.raises(ValueError):
        dc.effective_data(1e9, bad if bad != 0 else -1)
    with pytest.raises(ValueError, match="unique"):
        dc.loss(1e9, 1e9, 2e9)


def test_four_epochs_change_the_loss_negligibly_and_forty_do_not():
    # The paper's abstract: "training with up to 4 epochs of repeated data yields negligible
    # changes to loss compared to having unique data"; beyond, added compute is worth less.
    fit = dc.MUENNIGHOFF_2023
    u = 100e9
    gaps = {}
    for epochs in (4, 40):
        d = u * epochs
        n = float(dc.optimal_params_for_data(d, fit))
        fresh = dc.loss(n, d, d)
        gaps[epochs] = dc.loss(n, d, u) - fresh
        if epochs == 4:
            assert 0 <= gaps[4] < 0.01 * fresh  # 0.012 nats: half a percent
    assert gaps[40] > 5 * gaps[4]  # 0.071 nats


def test_best_split_finds_the_minimum():
    from scipy.optimize import minimize_scalar

    for c, u in ((1e21, 1e10), (1e22, 1e11), (1e24, None)):
        n, d = dc.best_split(c, u)
        assert 6 * n * d == pytest.approx(c, rel=1e-9)

        def f(log_n, c=c, u=u):
            n_, d_ = math.exp(log_n), c / (6 * math.exp(log_n))
            return dc.loss(n_, d_, d_ if u is None else min(u, d_))

        best = minimize_scalar(f, bounds=(math.log(n) - 2, math.log(n) + 2), method="bounded")
        assert f(math.log(n)) == pytest.approx(best.fun, abs=1e-4)
    # With scarce data the best model is SMALLER and repeats more tokens than it would see with
    # fresh data (the paper's Fig 3: scale epochs faster than parameters), and it loses.
    n_lim, d_lim = dc.best_split(1e24, 1e10)
    n_free, d_free = dc.best_split(1e24)
    assert n_lim < n_free and d_lim > d_free
    assert dc.loss(n_lim, d_lim, 1e10) > dc.loss(n_free, d_free, d_free)


def test_the_authors_worked_allocation():
    # Their README ("Parametric Fit"): 8.67B parameters on 178B tokens with 25B unique are
    # better spent as "227B tokens, 9.1 epochs, 6.8B parameters" (same compute).
    n, d = dc.best_split(6 * 8.67e9 * 178e9, 25e9)
    assert round(n / 1e9, 1) == 6.8 and round(d / 1e9) == 227
    assert round(d / 25e9, 1) == 9.1


def test_marginal_and_average_worth_are_different_numbers():
    # The k-th pass adds R*·(e^(−(k−2)/R*) − e^(−(k−1)/R*)) of a fresh pass: the 16th ≈ 0.39
    # (the rate is 1/e at R_D = R*_D ≈ 15.4), the 40th ≈ 0.08. The average over every token
    # seen is D′/(U·epochs): 0.93 over 4 epochs, 0.66 over 16, 0.38 over 40.
    r_star = dc.MUENNIGHOFF_2023.r_star_d
    assert round(dc.pass_worth(16), 2) == 0.39 and round(dc.pass_worth(40), 2) == 0.08
    assert math.exp(-r_star / r_star) == pytest.approx(1 / math.e)
    assert dc.pass_worth(1) == 1.0
    assert [round(float(v), 2) for v in dc.average_worth([4, 16, 40])] == [0.93, 0.66, 0.38]
    # The passes add up to D′: the average is the mean of the passes' worths.
    passes = dc.pass_worth(np.arange(1, 41))
    assert passes.sum() / 40 == pytest.approx(dc.average_worth(40), rel=1e-12)
    # The explorer's readout shows both, from the same numbers.
    view = dc.data_limits({"unique_tokens": 1e11, "epochs": 40.0, "flops": 1e22})
    assert view.value_per_token == pytest.approx(dc.average_worth(40))
    assert view.last_pass_worth == pytest.approx(dc.pass_worth(40))
    with pytest.raises(ValueError):
        dc.pass_worth(0)


def test_notebook_09_quotes_the_repetition_numbers_as_computed():
    from scaling_laws_lab.science.units import si
    from scaling_laws_lab.teaching.bank import get

    from .notebook_text import quotes

    fit = dc.MUENNIGHOFF_2023
    # The brain check's answer lives in its working, not on the page under it.
    assert si(dc.effective_data(1e13, 99)) in get("09.brain-repeated").working_html()
    # The 16th pass runs R_D from 14 to 15: the rate e^(−R/R*) averaged over it.
    r = fit.r_star_d
    assert dc.pass_worth(16) == pytest.approx(r * (math.exp(-14 / r) - math.exp(-15 / r)))
    quotes("09", "over the 16th pass (R_D from 14 to 15) it averages 0.39")
    # A tenth of the unique tokens moves the best number of epochs right (default budget).
    best = [dc.data_limits({"unique_tokens": u, "epochs": 4.0, "flops": 1e22}).best_epochs
            for u in (1e11, 1e10)]
    assert (f"{best[0]:.1f}", f"{best[1]:.0f}") == ("1.9", "27")
    quotes("09", "Divide the unique tokens by 10: it moves right, from 1.9 to 27 epochs")
    # Past ~10²⁶ FLOPs (10¹¹ unique) the loss is at its floor and every split ties: the
    # limited N line's upturn there is the search picking among ties.
    view = dc.data_limits({"unique_tokens": 1e11, "epochs": 4.0, "flops": 1e22})
    gap = dc.loss(view.n_limited, view.d_limited, np.minimum(1e11, view.d_limited)) \
        - dc.loss_floor(1e11)
    first = int(np.argmax(view.c_grid >= 1e26))
    assert gap[first] < 1e-9 < gap[int(np.argmax(view.c_grid >= 1e25))]
    assert np.all(gap[first:] < 1e-9) and np.all(gap >= -1e-12)
    crossed = view.n_limited > view.n_free * 1.01
    assert crossed.any() and view.c_grid[crossed].min() > 1e26
    quotes("09", "Beyond about 10²⁶ FLOPs (for 10¹¹ unique tokens) the loss is within 10⁻⁹ nats "
           "of its floor", "every split of the budget ties")
    assert (f"{dc.pass_worth(16):.2f}", f"{dc.pass_worth(40):.2f}") == ("0.39", "0.08")
    assert round(1 + fit.r_star_d) == 16 and f"{fit.r_star_d:.1f}" == "15.4"
    assert f"{dc.effective_data(1e13, 99):.2g}" == "1.6e+14"
    quotes("09", "the 16th about 0.39 of a fresh pass, the 40th about 0.08",
           "worth more than about 16× the unique data", "with R*_D ≈ 15.4 on their data",
           "The **marginal** worth of one more pass", "The **average** worth of every token seen",
           "about 16 times the unique data",
           "\"227B tokens, 9.1 epochs, 6.8B parameters\"", "finds 6.8B parameters on 227B tokens",
           "\"400 training runs\" include experiments on mixing in code, perplexity filtering "
           "and deduplication")
