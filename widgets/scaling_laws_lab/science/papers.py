"""The published fits, as frozen dataclasses, each with its citation.

A fit knows its own allocation, as astropy's cosmology classes know their own distances: its
class holds the rule (``allocation_power_law``, named by ``allocation_rule``) and offers it
as methods (``fit.allocation(C)``, ``fit.n_opt(C)``, ``fit.budget_for(N)``, and
``fit.loss(N, D)`` where it has a loss surface). Every other formula lives in
:mod:`scaling_laws_lab.science.laws`, which imports this module and never the other way
round: ``laws.compute_optimal(C, fit)`` asks the fit. Every constant names the paper, table
or equation it comes from, so a learner can check it. Where sources disagree (Chinchilla's
printed vs unrounded constants, the Epoch refit, Kaplan's C_min vs 6ND) both versions live
here side by side. Constants are validated when a fit is made: a fit with a negative scale
or a non-finite exponent cannot exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from .arguments import positive, scalar_or_array

#: One petaflop/s-day in FLOPs: 1e15 FLOP/s x 86 400 s (Kaplan et al. 2020, §1.3).
PF_DAY_FLOPS = 1e15 * 86_400.0

_LOG6 = np.log(6.0)


class _Fit:
    """What every compute-allocating fit shares: validation and the allocation methods.

    Each subclass holds its rule in :meth:`allocation_power_law`, N_opt = coeff · C^a; the
    methods here turn it into (N_opt, D_opt) spending exactly C = 6·N·D, and back.
    """

    allocation_rule: ClassVar[str] = ""

    #: Fields that need only be finite: a fit to noisy runs may land on any exponent.
    _signed: ClassVar[tuple[str, ...]] = ("alpha", "beta")

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type not in ("float", float):
                continue
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{type(self).__name__}.{f.name} must be a finite number "
                                 f"(got {value!r})")
            if f.name not in self._signed and not value > 0:
                raise ValueError(f"{type(self).__name__}.{f.name} must be a positive finite "
                                 f"number (got {value!r})")

    def allocation_power_law(self) -> tuple[float, float]:
        """(log coefficient, exponent a) of N_opt = coeff · C^a, C in FLOPs: the fit's own rule."""
        raise NotImplementedError

    def allocation(self, flops):
        """(N_opt, D_opt) for a budget of ``flops``, spending exactly C = 6·N·D.

        N_opt from the fit's rule (:meth:`allocation_power_law`), D_opt = C / (6·N_opt).
        ``laws.compute_optimal(flops, fit)`` is the same call.
        """
        log_c = np.log(positive("flops", flops))
        log_coeff, a = self.allocation_power_law()
        log_n = log_coeff + a * log_c
        log_d = log_c - _LOG6 - log_n  # spend exactly C = 6·N·D
        return scalar_or_array(np.exp(log_n)), scalar_or_array(np.exp(log_d))

    def n_opt(self, flops):
        """Compute-optimal parameters for ``flops`` FLOPs."""
        return self.allocation(flops)[0]

    def d_opt(self, flops):
        """Compute-optimal tokens for ``flops`` FLOPs (C = 6·N·D spent exactly)."""
        return self.allocation(flops)[1]

    def budget_for(self, n_params):
        """(C, D): the budget (FLOPs) at which ``n_params`` is optimal, and its tokens (C = 6·N·D)."""
        log_n = np.log(positive("n_params", n_params))
        log_coeff, a = self.allocation_power_law()
        log_c = (log_n - log_coeff) / a
        log_d = log_c - _LOG6 - log_n
        return scalar_or_array(np.exp(log_c)), scalar_or_array(np.exp(log_d))


@dataclass(frozen=True)
class KaplanFit(_Fit):
    """Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361.

    Loss in nats/token on WebText2; N counts non-embedding parameters; D in
    tokens; C_min in PF-days of non-embedding compute.

    C_min is not the compute a run spends. It is the compute the run would need at
    a batch size far *below* the critical one, C_min = C / (1 + B/B_crit) (Eq 5.5).
    Training at B = B_crit, the "roughly optimal time/compute tradeoff", takes
    2·S_min steps and 2·E_min examples (§5.1), so it spends C = 2·C_min. Convert
    with :func:`scaling_laws_lab.science.laws.kaplan_c_min` before using Table 6.
    """

    citation: str
    alpha_n: float  #: Eq 1.1 / Table 5 exponent of L(N)
    n_c: float  #: Eq 1.1 / Table 5 scale, non-embedding parameters
    alpha_d: float  #: Eq 1.2 / Table 5 exponent of L(D)
    d_c: float  #: Eq 1.2 / Table 5 scale, tokens
    alpha_c_min: float  #: Eq 1.3 / Table 5 exponent of L(C_min)
    c_c_min_pf_days: float  #: Eq 1.3 / Table 5 scale, PF-days
    nd_alpha_n: float  #: Table 2 refit of L(N, D) (Eq 1.5): alpha_N
    nd_alpha_d: float  #: Table 2: alpha_D
    nd_n_c: float  #: Table 2: N_c, parameters
    nd_d_c: float  #: Table 2: D_c, tokens
    overfit_coeff: float  #: Eq 4.4: D >~ overfit_coeff * N**overfit_exp, tokens
    overfit_exp: float  #: Eq 4.4 exponent
    n_opt_coeff: float  #: Table 6 / Fig 14: N_opt = N_e * C_min**p_N, parameters (C_min in PF-days)
    n_opt_exp: float  #: Eq 6.1 / Table 6: p_N = 0.73
    d_opt_coeff: float  #: Table 6: D_opt = D_e * C_min**p_D, tokens (C_min in PF-days)
    d_opt_exp: float  #: Table 6: p_D = 0.27
    b_crit_coeff: float  #: Table 6: B_crit = B_e * C_min**p_B, tokens per step (C_min in PF-days)
    b_crit_exp: float  #: Table 6: p_B = 0.24
    s_min_coeff: float  #: Table 6: S_min = S_e * C_min**p_S, optimisation steps (a lower bound)
    s_min_exp: float  #: Table 6 / Eq 6.2: p_S = 0.03
    name: str = "Kaplan 2020 (N ∝ C^0.73)"  #: label in menus and legends
    short: str = "Kaplan"  #: direct label on plots
    key: str = "kaplan"  #: key in menus and share links

    allocation_rule: ClassVar[str] = "kaplan_c_min"  #: N_opt from Table 6 with C_min = C/2
    has_loss_surface: ClassVar[bool] = False  #: (its L(N, D) is on WebText2, not comparable)

    def allocation_power_law(self) -> tuple[float, float]:
        """N_opt = 1.3e9 · C_min^0.73 (Table 6, Eq 6.1), C_min in PF-days, as a power law in C.

        A run at the critical batch spends C = 2·C_min (Eq 5.5, §5.1;
        :func:`scaling_laws_lab.science.laws.kaplan_c_min` for any batch), so
        log C_min(PF-days) = log C − log 2 − log 8.64e19. At 1e21 FLOPs: 4.68B parameters,
        the value Hoffmann et al. 2022 (App. D.4) quote for Kaplan.
        """
        shift = -np.log1p(KAPLAN_BATCH_OVER_CRITICAL) - np.log(PF_DAY_FLOPS)
        return float(np.log(self.n_opt_coeff) + self.n_opt_exp * shift), self.n_opt_exp


KAPLAN_2020 = KaplanFit(
    citation=(
        "Kaplan et al. 2020, Scaling Laws for Neural Language Models, arXiv:2001.08361 "
        "(Eqs 1.1-1.5, 4.4, 6.1; Tables 2, 5, 6)"
    ),
    alpha_n=0.076,
    n_c=8.8e13,
    alpha_d=0.095,
    d_c=5.4e13,
    alpha_c_min=0.050,
    c_c_min_pf_days=3.1e8,
    nd_alpha_n=0.076,
    nd_alpha_d=0.103,
    nd_n_c=6.4e13,
    nd_d_c=1.8e13,
    overfit_coeff=5e3,
    overfit_exp=0.74,
    n_opt_coeff=1.3e9,
    n_opt_exp=0.73,
    d_opt_coeff=2e10,
    d_opt_exp=0.27,
    b_crit_coeff=2.0e6,
    b_crit_exp=0.24,
    s_min_coeff=5.4e3,
    s_min_exp=0.03,
)

#: Kaplan et al. 2020, §5.1: training at the critical batch size takes 2·S_min steps and
#: processes 2·E_min examples, so a compute-optimal run spends C = 2·C_min (§6.3 writes
#: "C = 2C_min"). Read this way, 1e21 FLOPs gives the 4.68B that Hoffmann et al. 2022 (App. D.4)
#: print for Kaplan; D.4 prints only that number, so their convention is our inference.
#: B / B_crit = 1: the run's batch over the critical batch.
KAPLAN_BATCH_OVER_CRITICAL = 1.0


@dataclass(frozen=True)
class ChinchillaFit(_Fit):
    """A fit of L(N, D) = E + A / N**alpha + B / D**beta (Hoffmann et al. 2022, Eq 2).

    Loss in nats/token on MassiveText; N parameters; D tokens.
    """

    name: str
    citation: str
    E: float  #: irreducible loss, nats/token
    A: float  #: parameter term coefficient, nats/token * params**alpha
    B: float  #: data term coefficient, nats/token * tokens**beta
    alpha: float  #: parameter exponent
    beta: float  #: data exponent
    short: str = ""  #: direct label on plots
    key: str = ""  #: key in menus and share links

    allocation_rule: ClassVar[str] = "eq4"  #: Hoffmann et al. 2022, Eq 4
    has_loss_surface: ClassVar[bool] = True

    def loss(self, n_params, n_tokens):
        """L(N, D) = E + A/N^α + B/D^β, nats/token (Eq 2), N parameters and D tokens.

        Computed in log space (the two power terms summed by logaddexp), so any N and D
        from 1e-10 to 1e40 give a finite loss. ``laws.chinchilla_loss`` is the same call.
        """
        log_n = np.log(positive("n_params", n_params))
        log_d = np.log(positive("n_tokens", n_tokens))
        terms = np.logaddexp(np.log(self.A) - self.alpha * log_n, np.log(self.B) - self.beta * log_d)
        return scalar_or_array(self.E + np.exp(terms))

    def allocation_constants(self) -> tuple[float, float, float]:
        """(G, a, b) of Eq 4: G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β).

        Then N_opt = G·(C/6)^a parameters and D_opt = G⁻¹·(C/6)^b tokens: the minimiser of
        Eq 2 under C = 6·N·D.
        """
        s = self.alpha + self.beta
        g = float(np.exp((np.log(self.alpha * self.A) - np.log(self.beta * self.B)) / s))
        return g, self.beta / s, self.alpha / s

    def allocation_power_law(self) -> tuple[float, float]:
        """Eq 4 as a power law in C: N_opt = G·(C/6)^a = (G / 6^a) · C^a."""
        g, a, _ = self.allocation_constants()
        return float(np.log(g) - a * _LOG6), a


HOFFMANN_2022 = ChinchillaFit(
    name="Chinchilla Eq 4, printed constants",
    citation=(
        "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, "
        "arXiv:2203.15556, Eq 2 (approach 3, §3.3), constants as printed in App. D.2"
    ),
    E=1.69,
    A=406.4,
    B=410.7,
    alpha=0.34,
    beta=0.28,
    short="Eq 4 printed",
    key="chinchilla",
)

# The TeX source of arXiv:2203.15556 carries the unrounded values, given as
# natural logs for A, B, E; Besiroglu et al. 2024 (Epoch AI) used these too.
_LN_A, _LN_B, _LN_E = 6.0073404, 6.0179186, 0.5267228

HOFFMANN_2022_EXACT = ChinchillaFit(
    name="Chinchilla Eq 4, unrounded",
    citation=(
        "Hoffmann et al. 2022, arXiv:2203.15556, approach 3, unrounded constants from the "
        "paper's TeX source (ln A 6.0073404, ln B 6.0179186, ln E 0.5267228), as used by "
        "Besiroglu et al. 2024"
    ),
    E=math.exp(_LN_E),
    A=math.exp(_LN_A),
    B=math.exp(_LN_B),
    alpha=0.33917084,
    beta=0.2849083,
    short="Eq 4 unrounded",
    key="chinchilla_exact",
)

BESIROGLU_2024 = ChinchillaFit(
    name="Epoch AI refit (Besiroglu 2024)",
    citation=(
        "Besiroglu et al. 2024 (Epoch AI), Chinchilla Scaling: A replication attempt, "
        "arXiv:2404.10102, refit on points extracted from Hoffmann et al. Fig 4"
    ),
    E=1.8172,
    A=482.01,
    B=2085.43,
    alpha=0.3478,
    beta=0.3658,
    short="Epoch",
    key="epoch",
)


@dataclass(frozen=True)
class AllocationFit(_Fit):
    """A compute-optimal allocation fitted directly as N_opt = n_coeff * C**a, in FLOPs.

    Used for Hoffmann et al.'s approaches 1 and 2, which fit the minima of
    training curves / IsoFLOP profiles instead of a loss surface.
    """

    name: str
    citation: str
    a: float  #: N_opt ∝ C**a (Table 2)
    b: float  #: D_opt ∝ C**b (Table 2)
    n_coeff: float  #: parameters per FLOP**a (calibrated on a table, or read from the paper)
    short: str = ""  #: direct label on plots
    key: str = ""  #: key in menus and share links

    allocation_rule: ClassVar[str] = "power_law"  #: N_opt = n_coeff · C^a (Table 2 exponent)
    has_loss_surface: ClassVar[bool] = False

    def allocation_power_law(self) -> tuple[float, float]:
        """N_opt = n_coeff · C^a, as fitted."""
        return float(np.log(self.n_coeff)), self.a


#: Hoffmann et al. 2022, Table 3 (approach 1): (parameters, FLOPs, tokens).
HOFFMANN_2022_TABLE3 = (
    (400e6, 1.92e19, 8.0e9),
    (1e9, 1.21e20, 20.2e9),
    (10e9, 1.23e22, 205.1e9),
    (67e9, 5.76e23, 1.5e12),
    (175e9, 3.85e24, 3.7e12),
    (280e9, 9.90e24, 5.9e12),
    (520e9, 3.43e25, 11.0e12),
    (1e12, 1.27e26, 21.2e12),
    (10e12, 1.30e28, 216.2e12),
)


#: Hoffmann et al. 2022, Appendix D.3, Table A3, approach 2 (IsoFLOP profiles):
#: (parameters, FLOPs, tokens), read from the paper's text.
HOFFMANN_2022_TABLE_A3_APPROACH2 = (
    (400e6, 1.84e19, 7.7e9),
    (1e9, 1.20e20, 20.0e9),
    (10e9, 1.32e22, 219.5e9),
    (67e9, 6.88e23, 1.7e12),
    (175e9, 4.54e24, 4.3e12),
    (280e9, 1.18e25, 7.1e12),
    (520e9, 4.19e25, 13.4e12),
    (1e12, 1.59e26, 26.5e12),
    (10e12, 1.75e28, 292.0e12),
)

#: The same table's approach 3 column (Eq 4 of the fitted loss): (parameters, FLOPs, tokens).
#: The 175B row prints 1.26e+24 FLOPs, which is below the 67B row's 1.71e24 and a tenth of
#: 6 x 175e9 x 12.0e12 = 1.26e25: a misprint of the exponent, corrected here (and said so in
#: notebook 02). Used only as a check of the unrounded Eq 2 constants, never as a fit.
HOFFMANN_2022_TABLE_A3_APPROACH3 = (
    (400e6, 2.21e19, 9.2e9),
    (1e9, 1.62e20, 27.1e9),
    (10e9, 2.46e22, 410.1e9),
    (67e9, 1.71e24, 4.1e12),
    (175e9, 1.26e25, 12.0e12),
    (280e9, 3.52e25, 20.1e12),
    (520e9, 1.36e26, 43.5e12),
    (1e12, 5.65e26, 94.1e12),
    (10e12, 8.55e28, 1425.5e12),
)
#: Hoffmann et al. 2022, App. D.4: at 1e21 FLOPs "From [Kaplan et al.] we find that the
#: optimal model size should be 4.68 billion parameters. From our approach 1, we estimate
#: a 2.86 billion parameter model should be optimal."
HOFFMANN_2022_D4 = {"flops": 1e21, "kaplan_n_opt": 4.68e9, "approach1_n_opt": 2.86e9}

#: The misprinted value, as the paper has it (175B row of approach 3).
TABLE_A3_MISPRINT = {"row": 175e9, "printed_flops": 1.26e24, "used_flops": 1.26e25}


def _table_coefficient(a: float, rows) -> float:
    # Geometric mean of N / C**a over the rows: the one-parameter power law with
    # Table 2's exponent that passes closest (in log space) through them.
    logs = [math.log(n) - a * math.log(c) for n, c, _ in rows]
    return math.exp(sum(logs) / len(logs))


HOFFMANN_2022_APPROACH1 = AllocationFit(
    name="Chinchilla approach 1 (C^0.50)",
    citation=(
        "Hoffmann et al. 2022, arXiv:2203.15556, approach 1: exponents a = 0.50, b = 0.50 "
        "(Table 2); coefficient calibrated on Table 3's nine rows"
    ),
    a=0.50,
    b=0.50,
    n_coeff=_table_coefficient(0.50, HOFFMANN_2022_TABLE3),
    short="approach 1",
    key="approach1",
)

HOFFMANN_2022_APPROACH2 = AllocationFit(
    name="Chinchilla approach 2 (C^0.49)",
    citation=(
        "Hoffmann et al. 2022, arXiv:2203.15556, approach 2 (IsoFLOP profiles): exponents "
        "a = 0.49, b = 0.51 (Table 2); coefficient calibrated on the approach-2 column of "
        "Table A3 (App. D.3), nine rows"
    ),
    a=0.49,
    b=0.51,
    n_coeff=_table_coefficient(0.49, HOFFMANN_2022_TABLE_A3_APPROACH2),
    short="approach 2",
    key="approach2",
)


#: Llama 3's IsoFLOP law as printed (Dubey et al. 2024, arXiv:2407.21783, §3.2.1):
#: N*(C) = A·C^α with (α, A) = (0.53, 0.29), where N* is the optimal number of training
#: TOKENS, not of parameters. As an allocation: D_opt = 0.29·C^0.53 tokens, so
#: N_opt = C / (6·D_opt) = C^0.47 / (6 × 0.29) parameters.
LLAMA3_TOKENS_A, LLAMA3_TOKENS_ALPHA = 0.29, 0.53

LLAMA3_2024 = AllocationFit(
    name="Llama 3 (D ∝ C^0.53, tokens)",
    citation=(
        "Dubey et al. 2024, The Llama 3 Herd of Models, arXiv:2407.21783, §3.2.1: "
        "N*(C) = A·C^α with (α, A) = (0.53, 0.29), N* the optimal number of training tokens; "
        "here N_opt = C / (6·N*(C))"
    ),
    a=1.0 - LLAMA3_TOKENS_ALPHA,
    b=LLAMA3_TOKENS_ALPHA,
    n_coeff=1.0 / (6.0 * LLAMA3_TOKENS_A),
    short="Llama 3",
    key="llama3",
)
#: What the paper says its law gives at the flagship's budget (§3.2.1): "a 402B parameter
#: model on 16.55T tokens" at 3.8e25 FLOPs. The printed constants give 10.5T tokens there.
LLAMA3_EXTRAPOLATION = {"flops": 3.8e25, "params": 402e9, "tokens": 16.55e12}


@dataclass(frozen=True)
class TransferFit:
    """Effective data transferred, D_T = k * D_F**alpha * N**beta (Hernandez et al. 2021, Eq 1.1).

    D_F and D_T in characters (of Python); N non-embedding parameters.
    """

    name: str
    citation: str
    k: float  #: characters**(1 - alpha) / params**beta
    alpha: float  #: fine-tuning data exponent
    beta: float  #: model size exponent


HERNANDEZ_2021_TEXT = TransferFit(
    name="text → python",
    citation=(
        "Hernandez et al. 2021, Scaling Laws for Transfer, arXiv:2102.01293, Eq 1.1 and "
        "Table 1 (pre-trained on text)"
    ),
    k=1.9e4,
    alpha=0.18,
    beta=0.38,
)

HERNANDEZ_2021_MIX = TransferFit(
    name="50% text + 50% code → python",
    citation=(
        "Hernandez et al. 2021, arXiv:2102.01293, Eq 1.1 and Table 1 (pre-trained on 50% "
        "text, 50% non-python code)"
    ),
    k=2.1e5,
    alpha=0.096,
    beta=0.38,
)

#: Every Chinchilla-form loss fit, for menus.
LOSS_FITS = (HOFFMANN_2022, HOFFMANN_2022_EXACT, BESIROGLU_2024)

#: Every published compute allocation, in menu and legend order: the one list of them.
ALLOCATION_FITS = (KAPLAN_2020, HOFFMANN_2022, HOFFMANN_2022_EXACT, HOFFMANN_2022_APPROACH1,
                   HOFFMANN_2022_APPROACH2, BESIROGLU_2024, LLAMA3_2024)


@dataclass(frozen=True)
class ReportedRun:
    """A training run as its paper reports it.

    ``reported_flops`` is the training compute the paper states (None where it
    reports only accelerator-hours); ``device_hours`` and ``hardware`` are the
    accelerator time it reports, where it does.
    """

    name: str
    short: str  #: label on plots
    n_params: float  #: parameters
    n_tokens: float  #: training tokens
    reported_flops: float | None  #: training compute as the paper states it, FLOPs
    citation: str
    device_hours: float | None = None  #: accelerator-hours, as reported
    hardware: str | None = None  #: key into ACCELERATORS
    note: str = ""


GPT3_175B = ReportedRun(
    name="GPT-3 175B", short="GPT-3",
    n_params=175e9, n_tokens=300e9, reported_flops=3.14e23,
    citation="Brown et al. 2020, Language Models are Few-Shot Learners, arXiv:2005.14165, Table D.1",
)

GOPHER_280B = ReportedRun(
    name="Gopher 280B", short="Gopher",
    n_params=280e9, n_tokens=300e9, reported_flops=5.76e23,
    citation=(
        "Rae et al. 2021, Scaling Language Models: Methods, Analysis & Insights from Training "
        "Gopher, arXiv:2112.11446; the budget as quoted by Hoffmann et al. 2022 (Table 3, App. F)"
    ),
    note="Hoffmann et al. 2022 (App. F) recount it more exactly as 6.3e23 FLOPs.",
)

CHINCHILLA_70B = ReportedRun(
    name="Chinchilla 70B", short="Chinchilla",
    n_params=70e9, n_tokens=1.4e12,
    # Chinchilla was trained with Gopher's budget, 5.76e23 FLOPs; 6·N·D gives 5.88e23.
    reported_flops=5.76e23,
    citation="Hoffmann et al. 2022, arXiv:2203.15556, §4 and Table 3 (Gopher's compute budget)",
)

PALM_540B = ReportedRun(
    name="PaLM 540B", short="PaLM",
    n_params=540e9, n_tokens=780e9, reported_flops=2.56e24,
    citation="Chowdhery et al. 2022, PaLM: Scaling Language Modeling with Pathways, arXiv:2204.02311, App. B",
    note=("PaLM counts 6N + 12·n_layer·n_ctx·d_attn FLOPs per token (n_layer 118, d_attn "
          "48·256 = 12288, n_ctx 2048): twice Kaplan's attention term."),
)

LLAMA_65B = ReportedRun(
    name="LLaMA-65B", short="LLaMA-65B",
    n_params=65.2e9, n_tokens=1.4e12, reported_flops=None,
    citation="Touvron et al. 2023, LLaMA: Open and Efficient Foundation Language Models, "
             "arXiv:2302.13971, Tables 2 and 15",
    device_hours=1_022_362, hardware="A100",
)

LLAMA2_70B = ReportedRun(
    name="Llama 2 70B", short="Llama 2 70B",
    n_params=70e9, n_tokens=2.0e12, reported_flops=None,
    citation="Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models, "
             "arXiv:2307.09288, Tables 1 and 2",
    device_hours=1_720_320, hardware="A100",
)

LLAMA3_70B = ReportedRun(
    name="Llama 3 70B", short="Llama 3 70B",
    n_params=70e9, n_tokens=15e12, reported_flops=None,
    citation="Meta 2024, Llama 3 model card (70B: over 15T tokens, 6.4M H100-80GB GPU-hours)",
    device_hours=6.4e6, hardware="H100",
)

LLAMA31_405B = ReportedRun(
    name="Llama 3.1 405B", short="Llama 3.1 405B",
    n_params=405e9, n_tokens=15.6e12, reported_flops=3.8e25,
    citation="Llama Team 2024, The Llama 3 Herd of Models, arXiv:2407.21783, §1; "
             "30.84M H100 GPU-hours from the Llama 3.1 model card",
    device_hours=30.84e6, hardware="H100",
)

LLAMA3_8B = ReportedRun(
    name="Llama 3 8B", short="Llama 3 8B",
    n_params=8e9, n_tokens=15e12, reported_flops=None,
    citation="Meta 2024, Llama 3 model card (8B and 70B: pretrained on over 15T tokens)",
)

#: The runs placed on the N–D plane in notebook 01, oldest first.
FAMOUS_RUNS = (GPT3_175B, GOPHER_280B, CHINCHILLA_70B, PALM_540B, LLAMA_65B, LLAMA2_70B,
               LLAMA3_70B, LLAMA31_405B)

#: The forum question's hypothetical brain-sized model (the LessWrong question *How do scaling
#: laws work for fine-tuning?*): 1e14 parameters, 1e13 tokens.
FORUM_BRAIN_MODEL = ReportedRun(
    name="forum question: brain-sized model (hypothetical)", short="10^14 (hypothetical)",
    n_params=1e14, n_tokens=1e13, reported_flops=None,
    citation=("LessWrong, How do scaling laws work for fine-tuning?: "
              "'for a 10^14 parameter model ... we'd need 10^13 data points'"),
)


@dataclass(frozen=True)
class Accelerator:
    """An accelerator's peak dense throughput, as its vendor's data sheet gives it."""

    name: str
    peak_flops: float  #: FLOP/s, dense (no structured sparsity), 16-bit tensor math
    precision: str
    citation: str


ACCELERATORS = {
    "V100": Accelerator("NVIDIA V100 SXM2", 125e12, "FP16 tensor",
                        "NVIDIA Tesla V100 data sheet: 125 TFLOPS tensor performance (SXM2)"),
    "A100": Accelerator("NVIDIA A100 SXM", 312e12, "BF16/FP16 tensor, dense",
                        "NVIDIA A100 data sheet: 312 TFLOPS BF16 tensor (624 with sparsity)"),
    "H100": Accelerator("NVIDIA H100 SXM", 989e12, "BF16/FP16 tensor, dense",
                        "NVIDIA H100 data sheet: 1,979 TFLOPS BF16 tensor with sparsity, i.e. "
                        "989 dense"),
    "TPUv4": Accelerator("Google TPU v4", 275e12, "BF16",
                         "Google Cloud TPU v4 documentation: 275 TFLOPS peak BF16 per chip"),
}


@dataclass(frozen=True)
class TransformerShape:
    """A GPT-2-style decoder's published configuration."""

    name: str
    n_layer: int  #: transformer blocks
    d_model: int  #: residual width
    n_ctx: int  #: context length, tokens (learned positional embeddings)
    vocab: int  #: vocabulary size (token embeddings, tied with the output head)
    citation: str
    paper_params: float | None = None  #: the count the paper prints, if it differs


_GPT2 = "Radford et al. 2019, Language Models are Unsupervised Multitask Learners, Table 2"
GPT2_SMALL = TransformerShape("GPT-2 small", 12, 768, 1024, 50257, _GPT2, 117e6)
GPT2_MEDIUM = TransformerShape("GPT-2 medium", 24, 1024, 1024, 50257, _GPT2, 345e6)
GPT2_LARGE = TransformerShape("GPT-2 large", 36, 1280, 1024, 50257, _GPT2, 762e6)
GPT2_XL = TransformerShape("GPT-2 XL", 48, 1600, 1024, 50257, _GPT2, 1542e6)
GPT3_175B_SHAPE = TransformerShape(
    "GPT-3 175B (GPT-2-style count)", 96, 12288, 2048, 50257,
    "Brown et al. 2020, arXiv:2005.14165, Table 2.1 (96 layers, d_model 12288, n_ctx 2048)",
    175e9,
)
SHAPES = {"gpt2-small": GPT2_SMALL, "gpt2-medium": GPT2_MEDIUM, "gpt2-large": GPT2_LARGE,
          "gpt2-xl": GPT2_XL, "gpt3-175b": GPT3_175B_SHAPE}

#: Hu et al. 2021 (LoRA, arXiv:2106.09685), §4.2 ("Practical benefits and limitations") and its
#: footnote 5, GPT-3 175B: training throughput per V100 with LoRA vs full fine-tuning, tokens/s.
#: The same paragraph: training memory 1.2 TB -> 350 GB, checkpoint 350 GB -> 35 MB (r = 4).
LORA_THROUGHPUT = {"lora": 43.1, "full": 32.5,
                   "citation": "Hu et al. 2021, LoRA: Low-Rank Adaptation of Large Language Models, "
                               "arXiv:2106.09685, §4.2 footnote 5 (GPT-3 175B, tokens/s per V100)",
                   "memory_gb": {"full": 1200, "lora": 350}}

#: Lu et al. 2021 (arXiv:2103.05247), frozen pretrained transformer (FPT): what trains.
FPT_CITATION = ("Lu et al. 2021, Pretrained Transformers as Universal Computation Engines, "
                "arXiv:2103.05247: input layer, output layer, positional embeddings and layer "
                "norms train; self-attention and feed-forward blocks are frozen")
