"""The science against the papers' own numbers, and properties that must hold everywhere."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scaling_laws_lab import laws, papers

# Anything from 1e-10 to 1e40, as the issue asks: finite in, finite out.
wide = st.floats(min_value=1e-10, max_value=1e40, allow_nan=False, allow_infinity=False)
budgets = st.floats(min_value=1e10, max_value=1e40)
rel = pytest.approx


# ------------------------------------------------------------------ worked values
def test_gpt3_compute_against_brown_2020():
    flops = laws.training_flops(papers.GPT3_175B.n_params, papers.GPT3_175B.n_tokens)
    assert flops == rel(3.15e23, rel=1e-3)
    # 6ND and the paper's reported value differ by well under 1%.
    assert flops / papers.GPT3_175B.reported_flops == rel(1.0, abs=0.005)


def test_pf_day_is_8_64e19_flops():
    assert laws.pf_days_to_flops(1.0) == rel(8.64e19)
    assert laws.flops_to_pf_days(3.14e23) == rel(3634.26, rel=1e-4)  # GPT-3: ~3.6k PF-days


def test_kaplan_parameter_count_is_12_layer_dmodel_squared():
    # GPT-3 175B: 96 layers, d_model 12288 (Brown et al. 2020, Table 2.1).
    assert laws.non_embedding_params(96, 12288) == rel(12 * 96 * 12288**2)
    assert laws.non_embedding_params(96, 12288) == rel(1.74e11, rel=0.01)


def test_attention_term_of_forward_flops():
    n = laws.non_embedding_params(12, 768)
    fwd = laws.forward_flops_per_token(n, n_layer=12, n_ctx=1024, d_attn=768)
    assert fwd == rel(2 * n + 2 * 12 * 1024 * 768)
    assert laws.forward_flops_per_token(n) == rel(2 * n)


def test_kaplan_table5_constants_and_compute_law():
    k = papers.KAPLAN_2020
    assert (k.alpha_n, k.n_c, k.alpha_d, k.d_c) == (0.076, 8.8e13, 0.095, 5.4e13)
    assert (k.alpha_c_min, k.c_c_min_pf_days) == (0.050, 3.1e8)
    # At C = C_c the loss is exactly 1 nat/token, by the form of Eq 1.3.
    assert laws.kaplan_loss_compute(3.1e8 * 8.64e19) == rel(1.0)
    # Total compute at the critical batch size is 2 C_min: the loss is 2^0.05 = 3.5% higher.
    ratio = laws.kaplan_loss_compute(laws.kaplan_c_min(1e23)) / laws.kaplan_loss_compute(1e23)
    assert ratio == rel(2**0.05) and ratio == rel(1.035, abs=0.001)
    assert laws.kaplan_loss_params(k.n_c) == rel(1.0)
    assert laws.kaplan_loss_data(k.d_c) == rel(1.0)


def test_kaplan_nd_law_reduces_to_its_limits():
    k = papers.KAPLAN_2020
    # Infinite data: L(N, D) -> (N_c/N)^alpha_N with the Table 2 constants.
    assert laws.kaplan_loss(1e9, 1e35) == rel((k.nd_n_c / 1e9) ** k.nd_alpha_n, rel=1e-6)
    assert laws.kaplan_loss(1e35, 1e9) == rel((k.nd_d_c / 1e9) ** k.nd_alpha_d, rel=1e-6)


def test_kaplan_overfitting_bound_eq_4_4():
    assert laws.kaplan_min_data(1e9) == rel(5e3 * 1e9**0.74)
    assert laws.kaplan_min_data(175e9) == rel(5e3 * 175e9**0.74)


def test_kaplan_table6_at_one_pf_day_of_c_min():
    # Table 6 at C_min = 1 PF-day: N_opt = N_e = 1.3e9 and D_opt = D_e = 2e10 tokens. A run at
    # the critical batch size spends C = 2·C_min (Kaplan §5.1, Eq 5.5): 2 PF-days.
    two_pf_days = 2 * 8.64e19
    assert laws.kaplan_c_min(two_pf_days) == rel(8.64e19)
    n, d = laws.compute_optimal(two_pf_days, papers.KAPLAN_2020)
    assert n == rel(1.3e9)
    assert 6 * n * d == rel(two_pf_days)
    assert laws.kaplan_table6_tokens(two_pf_days) == rel(2e10)
    # Kaplan's separately fitted D_opt spends 0.90 C at the critical batch size...
    assert 6 * n * laws.kaplan_table6_tokens(two_pf_days) / two_pf_days == rel(0.90, abs=0.005)
    # ...and 1.8 C only if total FLOPs are mistaken for C_min (the mix-up notebook 02 corrects).
    assert 6 * 1.3e9 * 2e10 / 8.64e19 == rel(1.8, abs=0.01)


def test_kaplan_n_opt_at_1e21_flops_hoffmann_2022_app_d4():
    # Hoffmann et al. 2022, App. D.4: "From [Kaplan] we find that the optimal model size
    # should be 4.68 billion parameters" at 1e21 FLOPs.
    d4 = papers.HOFFMANN_2022_D4
    n, _ = laws.compute_optimal(d4["flops"], papers.KAPLAN_2020)
    assert n == rel(d4["kaplan_n_opt"], rel=0.03)
    # Feeding total FLOPs in as C_min gives 7.77B, 1.66x too big.
    wrong = 1.3e9 * (1e21 / 8.64e19) ** 0.73
    assert wrong == rel(7.77e9, rel=0.005) and wrong / n == rel(1.66, abs=0.01)


def test_kaplan_c_min_eq_5_5_and_its_inverse():
    assert laws.kaplan_c_min(1e21, batch_over_critical=1.0) == rel(5e20)
    assert laws.kaplan_c_min(1e21, batch_over_critical=0.01) == rel(1e21 / 1.01)
    assert laws.kaplan_total_compute(laws.kaplan_c_min(3e23, 0.3), 0.3) == rel(3e23)
    with pytest.raises(ValueError, match="batch_over_critical"):
        laws.kaplan_c_min(1e21, batch_over_critical=0)


def test_kaplan_table6_steps_and_batch_eq_6_2():
    # Table 6: B_crit = 2.0e6 C_min^0.24 tokens, S_min = 5.4e3 C_min^0.03 steps (C_min in PF-days).
    run = laws.kaplan_compute_efficient_training(2 * 8.64e19)
    assert run["batch_tokens"] == rel(2.0e6) and run["steps"] == rel(2 * 5.4e3)
    assert run["tokens"] == rel(2 * 2.0e6 * 5.4e3)
    # Seed 000: a 1000x smaller compute-optimal model needs ~1.3x fewer steps but ~13x fewer tokens.
    big = laws.kaplan_compute_efficient_training(1e24)
    c_small = laws.optimal_budget_for_params(big["n_params"] / 1000, papers.KAPLAN_2020)[0]
    small = laws.kaplan_compute_efficient_training(c_small)
    assert small["n_params"] == rel(big["n_params"] / 1000)
    assert big["steps"] / small["steps"] == rel(1000 ** (0.03 / 0.73), rel=1e-6)
    assert big["steps"] / small["steps"] == rel(1.33, abs=0.01)
    assert big["tokens_table6"] / small["tokens_table6"] == rel(12.8, abs=0.1)
    # The step/batch picture agrees with D = C / 6N to within a few per cent.
    assert big["tokens"] == rel(1e24 / (6 * big["n_params"]), rel=0.05)


def test_chinchilla_printed_and_unrounded_constants():
    h, x = papers.HOFFMANN_2022, papers.HOFFMANN_2022_EXACT
    assert (h.E, h.A, h.B, h.alpha, h.beta) == (1.69, 406.4, 410.7, 0.34, 0.28)
    assert math.log(x.A) == rel(6.0073404) and math.log(x.B) == rel(6.0179186)
    assert math.log(x.E) == rel(0.5267228)
    # The unrounded values round to the printed ones.
    assert (round(x.E, 2), round(x.A, 1), round(x.B, 1)) == (1.69, 406.4, 410.7)
    assert (round(x.alpha, 2), round(x.beta, 2)) == (0.34, 0.28)


def test_eq4_at_gophers_budget_matches_fig4_caption_only_unrounded():
    # Fig 4 caption: ~40B parameters at Gopher's 5.76e23 FLOPs. The rounded
    # constants give ~32B; the unrounded ones give the caption's 40B.
    n_rounded, _ = laws.compute_optimal(5.76e23, papers.HOFFMANN_2022)
    n_exact, _ = laws.compute_optimal(5.76e23, papers.HOFFMANN_2022_EXACT)
    assert n_rounded == rel(32e9, rel=0.03)
    assert n_exact == rel(40e9, rel=0.03)
    # ...while the loss barely moves: the two fits' optimal losses differ by
    # under 1%, and under the unrounded fit, training the 32B model instead of
    # the 40B one costs less than 0.002 nats.
    l_r = laws.chinchilla_loss_compute(5.76e23, papers.HOFFMANN_2022)
    l_x = laws.chinchilla_loss_compute(5.76e23, papers.HOFFMANN_2022_EXACT)
    assert abs(l_r - l_x) / l_x < 0.01
    penalty = laws.chinchilla_loss(n_rounded, 5.76e23 / (6 * n_rounded), papers.HOFFMANN_2022_EXACT) - l_x
    assert 0 < penalty < 0.002


def test_tokens_per_parameter_at_chinchillas_compute():
    c = laws.training_flops(70e9, 1.4e12)  # 5.88e23
    ratios = {}
    for fit in papers.LOSS_FITS:
        n, d = laws.compute_optimal(c, fit)
        ratios[fit.name] = d / n
    assert ratios[papers.HOFFMANN_2022.name] == rel(93, rel=0.03)
    assert ratios[papers.HOFFMANN_2022_EXACT.name] == rel(59, rel=0.03)
    assert ratios[papers.BESIROGLU_2024.name] == rel(20, rel=0.15)


# Approach 1 against all nine rows of Table 3: tests/test_allocation.py.


def test_eq4_exponents_from_constants():
    g, a, b = laws.chinchilla_allocation_constants(papers.HOFFMANN_2022)
    assert a + b == rel(1.0)
    assert a == rel(0.28 / 0.62) and b == rel(0.34 / 0.62)
    assert g == rel(1.3448, rel=1e-3)


def test_hernandez_table1_and_section_6_2():
    t, m = papers.HERNANDEZ_2021_TEXT, papers.HERNANDEZ_2021_MIX
    assert (t.k, t.alpha, t.beta) == (1.9e4, 0.18, 0.38)
    assert (m.k, m.alpha, m.beta) == (2.1e5, 0.096, 0.38)
    # §6.2: for a GPT-3-size model, ~3.7e8 characters transferred per character
    # of fine-tuning (text) and ~4.1e9 (text + code). With N = 175e9 and the
    # rounded Table 1 constants the formula gives 4% less.
    assert laws.transferred_data(1.0, 175e9, t) == rel(3.7e8, rel=0.05)
    assert laws.transferred_data(1.0, 175e9, m) == rel(4.1e9, rel=0.05)


def test_hernandez_fig1_example_transfers_more_than_finetuning():
    # Seed 002: a 40M-parameter model fine-tuned on 3e5 characters receives far
    # more effective data from pre-training than it was fine-tuned on.
    d_t = laws.transferred_data(3e5, 40e6)
    assert d_t / 3e5 > 100


def test_ten_x_model_worth_about_100x_data():
    # beta / alpha = 0.38 / 0.18 = 2.1 for text -> python: a 10x model is worth
    # 10**2.1 ≈ 126x fine-tuning data in D_T.
    t = papers.HERNANDEZ_2021_TEXT
    d_t_big_model = laws.transferred_data(1e6, 1e9, t)
    data_factor = 10 ** (t.beta / t.alpha)
    assert laws.transferred_data(1e6 * data_factor, 1e8, t) == rel(d_t_big_model)
    assert 100 <= data_factor <= 130


def test_multiplier_identity():
    d_f, n = 3e5, 40e6
    d_t = laws.transferred_data(d_f, n)
    assert laws.effective_data_multiplier(d_f, n) == rel((d_f + d_t) / d_f)
    assert laws.fraction_from_finetuning(d_f, n) == rel(d_f / (d_f + d_t))


def test_finetune_flops_identities():
    assert laws.finetune_flops_per_token(1e9, 1e9) == rel(6e9)  # full fine-tuning
    assert laws.finetune_flops_per_token(1e9, 0) == rel(2e9)  # nothing trains
    # FPT-style: a sliver trains but gradients flow all the way down: ≈ 4N.
    assert laws.finetune_flops_per_token(1e9, 1e6) == rel(4.002e9)
    assert laws.finetune_flops_per_token(1e9, 1e6, grad_depth=0.1) == rel(2.2e9 + 2e6)


def test_post_kaplan_curve_is_eq_1_3():
    assert (3.1e8 * 8.64e19) ** 0.05 == rel(26.387, abs=5e-4)
    c = np.linspace(18, 35, 50)
    assert laws.post_kaplan_curve(c) == rel(laws.kaplan_loss_compute(10.0**c), rel=2e-5)


def test_post_chinchilla_curve_from_rounded_constants():
    h = papers.HOFFMANN_2022
    assert h.A / 0.5**h.alpha == rel(514.5, abs=0.1)
    assert h.B / 0.33**h.beta == rel(560.2, abs=0.1)
    assert h.alpha * 0.46 == rel(0.156, abs=5e-4) and h.beta * 0.54 == rel(0.1512)
    # Eq 4 with the printed constants: 1.69 + 483.8 C^-0.1535 + 587.5 C^-0.1535.
    c = np.array([20.0, 23.0, 26.0])
    eq4 = 1.69 + (483.8 + 587.5) * 10 ** (-0.1535 * c)
    assert laws.chinchilla_loss_compute(10.0**c) == rel(eq4, rel=2e-3)
    # The seed curve stays close to Eq 4 in the fitted range (within 0.05 nats).
    assert np.max(np.abs(laws.post_chinchilla_curve(c) - eq4)) < 0.05


# ------------------------------------------------------------------ bad arguments
@pytest.mark.parametrize("bad", [-1.0, 0.0, float("nan"), float("inf"), "abc", None])
def test_bad_arguments_name_the_argument(bad):
    with pytest.raises(ValueError, match="n_params"):
        laws.training_flops(bad, 1e9)
    with pytest.raises(ValueError, match="n_tokens"):
        laws.chinchilla_loss(1e9, bad)
    with pytest.raises(ValueError, match="flops"):
        laws.compute_optimal(bad)


def test_bad_fit_and_bad_finetune_arguments():
    with pytest.raises(ValueError, match="fit"):
        laws.compute_optimal(1e23, fit="chinchilla")
    with pytest.raises(ValueError, match="n_trainable"):
        laws.finetune_flops_per_token(1e6, 2e6)
    with pytest.raises(ValueError, match="grad_depth"):
        laws.finetune_flops_per_token(1e6, 1e3, grad_depth=1.5)


# ------------------------------------------------------------------ properties
@given(budgets)
def test_every_allocation_spends_exactly_c(c):
    fits = (*papers.LOSS_FITS, papers.HOFFMANN_2022_APPROACH1, papers.KAPLAN_2020)
    for fit in fits:
        n, d = laws.compute_optimal(c, fit)
        assert laws.training_flops(n, d) == rel(c, rel=1e-9)


@given(budgets)
def test_eq4_optimum_is_the_minimum_along_the_isoflop(c):
    for fit in papers.LOSS_FITS:
        n, d = laws.compute_optimal(c, fit)
        best = laws.chinchilla_loss(n, d, fit)
        for factor in (0.5, 0.9, 1.1, 2.0):
            assert laws.chinchilla_loss(n * factor, d / factor, fit) > best


@given(wide, wide)
def test_finite_from_1e_minus_10_to_1e40(n, d):
    values = [
        laws.training_flops(n, d),
        laws.kaplan_loss(n, d),
        laws.kaplan_loss_params(n),
        laws.kaplan_loss_data(d),
        laws.kaplan_loss_compute(n),
        laws.kaplan_min_data(n),
        laws.transferred_data(d, n),
        laws.effective_data_multiplier(d, n),
        laws.forward_flops_per_token(n, 96, 2048, 12288),
        *laws.compute_optimal(n),
        *(laws.chinchilla_loss(n, d, fit) for fit in papers.LOSS_FITS),
    ]
    assert all(math.isfinite(v) and v > 0 for v in values)


@given(wide, wide, st.floats(1.01, 1e3))
def test_losses_fall_as_n_or_d_grow(n, d, factor):
    for fit in papers.LOSS_FITS:
        base = laws.chinchilla_loss(n, d, fit)
        assert laws.chinchilla_loss(n * factor, d, fit) <= base
        assert laws.chinchilla_loss(n, d * factor, fit) <= base
    assert laws.kaplan_loss(n * factor, d) <= laws.kaplan_loss(n, d)


@given(st.floats(1e-8, 1e35))
def test_pf_day_conversions_are_inverses(pf):
    assert laws.flops_to_pf_days(laws.pf_days_to_flops(pf)) == rel(pf, rel=1e-12)


@given(st.floats(1e10, 1e35))
def test_chinchilla_loss_never_below_e(c):
    for fit in papers.LOSS_FITS:
        assert laws.chinchilla_loss_compute(c, fit) > fit.E


def test_vectorised_matches_scalar():
    n = np.logspace(6, 13, 9)
    d = np.logspace(8, 14, 9)
    vec = laws.chinchilla_loss(n, d)
    assert isinstance(vec, np.ndarray) and vec.shape == (9,)
    assert vec == rel([laws.chinchilla_loss(a, b) for a, b in zip(n, d, strict=True)])
    assert isinstance(laws.chinchilla_loss(1e9, 1e10), float)


# ------------------------------------------------------------------ fits know their allocation
def test_every_allocation_fit_is_in_one_list_with_label_short_name_and_citation():
    fits = papers.ALLOCATION_FITS
    assert len({f.key for f in fits}) == len(fits) == 7
    for fit in fits:
        assert fit.name and fit.short and fit.key and fit.citation
        n, d = fit.allocation(1e24)
        assert (fit.n_opt(1e24), fit.d_opt(1e24)) == (n, d) == laws.compute_optimal(1e24, fit)
        c, d_back = fit.budget_for(n)
        assert c == rel(1e24) and d_back == rel(d)
    assert [f.key for f in fits if f.has_loss_surface] == ["chinchilla", "chinchilla_exact",
                                                           "epoch"]
    h = papers.HOFFMANN_2022
    assert h.loss(70e9, 1.4e12) == laws.chinchilla_loss(70e9, 1.4e12, h)


@pytest.mark.parametrize("bad", [-406.4, 0.0, float("nan"), float("inf")])
def test_a_fit_with_impossible_constants_cannot_be_made(bad):
    with pytest.raises(ValueError, match="ChinchillaFit.A must be a (positive )?finite number"):
        papers.ChinchillaFit("bad", "test", E=1.69, A=bad, B=410.7, alpha=0.34, beta=0.28)
    with pytest.raises(ValueError, match="AllocationFit.n_coeff"):
        papers.AllocationFit("bad", "test", a=0.5, b=0.5, n_coeff=bad)
    with pytest.raises(ValueError, match="ChinchillaFit.alpha must be a finite number"):
        papers.ChinchillaFit("bad", "test", E=1.69, A=406.4, B=410.7, alpha=float("nan"), beta=0.28)


def test_the_allocation_rule_lives_once_in_its_fit_class():
    # No isinstance chain: each fit class holds its own rule (as astropy's cosmology classes
    # hold their distances), and laws asks the fit instead of importing papers' internals.
    import inspect

    source = inspect.getsource(laws.compute_optimal) + inspect.getsource(
        laws.optimal_budget_for_params) + inspect.getsource(papers.KaplanFit.allocation)
    assert "isinstance" not in source
    assert {type(f).allocation_rule for f in papers.ALLOCATION_FITS} == {
        "eq4", "power_law", "kaplan_c_min"}
    for kind in {type(f) for f in papers.ALLOCATION_FITS}:
        assert "allocation_power_law" in vars(kind), kind.__name__
        fit = next(f for f in papers.ALLOCATION_FITS if type(f) is kind)
        assert laws.allocation_power_law(fit) == fit.allocation_power_law()


def test_the_laws_index_holds_every_chapter_and_nothing_else():
    # laws/ is four chapters; laws.<name> reaches each public formula through the index.
    chapters = [m.__name__.rsplit(".", 1)[1] for m in laws.CHAPTERS]
    assert chapters == ["compute", "allocation", "transfer", "asymptotes"]
    names = [name for chapter in laws.CHAPTERS for name in chapter.__all__]
    assert laws.__all__ == names and len(set(names)) == len(names)
    for chapter in laws.CHAPTERS:
        for name in chapter.__all__:
            assert getattr(laws, name) is getattr(chapter, name)
            assert getattr(chapter, name).__module__ == chapter.__name__, name


def test_smaller_model_ratios_tokens_by_allocation_steps_by_kaplan():
    # Issue 28, item 4: a 1000x smaller compute-optimal model sees ~1000x fewer tokens under
    # Chinchilla's approach 1 (Hoffmann et al. 2022, Table 2: a = b = 0.50), ~13x under Kaplan's
    # allocation (Table 6: N_opt ∝ C_min^0.73), and takes only 1000^(0.03/0.73) ≈ 1.3x fewer
    # serial steps (Kaplan Table 6, Eq 6.2: S_min ∝ C_min^0.03): steps fall far less than tokens.
    chin = laws.smaller_model_ratios(1000.0)
    assert chin["tokens"] == rel(1000.0) and chin["steps"] is None
    kap = laws.smaller_model_ratios(1000.0, papers.KAPLAN_2020)
    assert kap["tokens"] == rel(1000 ** (0.27 / 0.73)) and round(kap["tokens"]) == 13
    assert kap["steps"] == rel(1000 ** (0.03 / 0.73)) and round(kap["steps"], 1) == 1.3
    # The same numbers as the step/batch picture of kaplan_compute_efficient_training.
    big = laws.kaplan_compute_efficient_training(1e24)
    c_small = laws.optimal_budget_for_params(big["n_params"] / 1000, papers.KAPLAN_2020)[0]
    small = laws.kaplan_compute_efficient_training(c_small)
    assert big["steps"] / small["steps"] == rel(kap["steps"])
    # Other Chinchilla fits: approach 2 (a = 0.49) ~1,330x, Eq 4 printed (a = 0.28/0.62) ~4,400x,
    # Epoch's refit (a = 0.3658/0.7136) ~710x; vectorised over the size ratio.
    many = laws.smaller_model_ratios(np.array([10.0, 1000.0]), papers.HOFFMANN_2022_APPROACH2)
    assert many["tokens"] == rel([10 ** (0.51 / 0.49), 1000 ** (0.51 / 0.49)])
    assert laws.smaller_model_ratios(1000.0, papers.HOFFMANN_2022)["tokens"] == rel(1000 ** (0.34 / 0.28))
    assert round(laws.smaller_model_ratios(1000.0, papers.BESIROGLU_2024)["tokens"], -1) == 710
    cmp = laws.smaller_network_comparison(175e9, 175e6, 3e5)
    assert cmp["chinchilla_tokens_ratio"] == rel(1000.0)
    with pytest.raises(ValueError, match="size_ratio"):
        laws.smaller_model_ratios(-1.0)
