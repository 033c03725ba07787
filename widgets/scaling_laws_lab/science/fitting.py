"""Fitting scaling laws to data: pure numpy/scipy, no widgets.

So far: the transfer law of Hernandez et al. 2021 fitted in log space, and a seeded
simulation of the estimation recipe the transfer summary describes (fine-tune on 1% and 10% of
a dataset, at several model sizes). Everything simulated is labelled as such by
the callers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .papers import TransferFit


@dataclass(frozen=True)
class TransferEstimate:
    """k, α, β of D_T = k·D_F^α·N^β with confidence intervals (from a log-linear fit)."""

    k: float
    alpha: float
    beta: float
    k_ci: tuple[float, float]
    alpha_ci: tuple[float, float]
    beta_ci: tuple[float, float]
    level: float  #: confidence level of the intervals, e.g. 0.9
    n_runs: int

    def as_fit(self, name: str = "fitted") -> TransferFit:
        return TransferFit(name=name, citation="fitted to runs", k=self.k, alpha=self.alpha,
                           beta=self.beta)


def fit_transfer_law(d_finetune, n_params, d_transferred, level: float = 0.9) -> TransferEstimate:
    """Least squares of log D_T = log k + α·log D_F + β·log N, with t-based intervals.

    The law is linear in logs, so ordinary least squares is exact and fast; the
    intervals come from the residual variance and the design's covariance
    (Student t with n − 3 degrees of freedom), mapped to k by exponentiation.

    Parameters
    ----------
    d_finetune, n_params, d_transferred : arrays
        Fine-tuning characters, non-embedding parameters and measured effective
        data transferred (characters), one entry per run; all > 0.
    level : float
        Confidence level of the intervals (0 < level < 1).
    """
    cols = [np.asarray(v, dtype=float).ravel() for v in (d_finetune, n_params, d_transferred)]
    if len({c.size for c in cols}) != 1:
        raise ValueError("d_finetune, n_params and d_transferred must have the same length")
    n_runs = cols[0].size
    if n_runs < 4:
        raise ValueError(f"need at least 4 runs to fit 3 parameters with an error estimate; got {n_runs}")
    for name, c in zip(("d_finetune", "n_params", "d_transferred"), cols, strict=True):
        if not np.all(np.isfinite(c)) or np.any(c <= 0):
            raise ValueError(f"{name} must be finite and > 0 in every run")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1; got {level}")
    x = np.column_stack([np.ones(n_runs), np.log(cols[0]), np.log(cols[1])])
    if np.linalg.matrix_rank(x) < 3:
        raise ValueError("the runs must vary both D_F and N to separate α from β")
    y = np.log(cols[2])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    dof = n_runs - 3
    sigma2 = float(resid @ resid) / dof if dof > 0 else 0.0
    cov = sigma2 * np.linalg.inv(x.T @ x)
    half = stats.t.ppf(0.5 + level / 2, dof) * np.sqrt(np.diag(cov))
    lo, hi = coef - half, coef + half
    return TransferEstimate(
        k=float(np.exp(coef[0])), alpha=float(coef[1]), beta=float(coef[2]),
        k_ci=(float(np.exp(lo[0])), float(np.exp(hi[0]))),
        alpha_ci=(float(lo[1]), float(hi[1])), beta_ci=(float(lo[2]), float(hi[2])),
        level=level, n_runs=n_runs,
    )


def bootstrap_transfer_law(d_finetune, n_params, d_transferred, *, n_boot: int = 400,
                           seed: int = 0, level: float = 0.9) -> TransferEstimate:
    """:func:`fit_transfer_law` with percentile bootstrap intervals instead of t-based ones.

    Resamples the runs with replacement ``n_boot`` times and refits; a resample that no
    longer varies both D_F and N (rank < 3) is drawn again. The point estimate is the fit to
    all the runs. Used on the lab's measured D_T (notebook 08), whose few points and
    uneven spread make the t intervals' normal errors a poor assumption.
    """
    full = fit_transfer_law(d_finetune, n_params, d_transferred, level)
    x = np.column_stack([np.ones(full.n_runs), np.log(np.asarray(d_finetune, float)),
                         np.log(np.asarray(n_params, float))])
    y = np.log(np.asarray(d_transferred, float))
    rng = np.random.default_rng(seed)
    coefs, tries = [], 0
    while len(coefs) < n_boot and tries < 20 * n_boot:
        tries += 1
        idx = rng.integers(0, full.n_runs, full.n_runs)
        if np.linalg.matrix_rank(x[idx]) < 3:
            continue
        coefs.append(np.linalg.lstsq(x[idx], y[idx], rcond=None)[0])
    coefs = np.array(coefs)
    lo, hi = np.quantile(coefs, [0.5 - level / 2, 0.5 + level / 2], axis=0)
    return TransferEstimate(
        k=full.k, alpha=full.alpha, beta=full.beta,
        k_ci=(float(np.exp(lo[0])), float(np.exp(hi[0]))),
        alpha_ci=(float(lo[1]), float(hi[1])), beta_ci=(float(lo[2]), float(hi[2])),
        level=level, n_runs=full.n_runs)


def simulate_transfer_runs(fit: TransferFit, dataset_chars: float, model_sizes,
                           fractions=(0.01, 0.1), noise: float = 0.1, seed: int = 0):
    """SIMULATED measurements of D_T for the transfer summary's recipe.

    For each model size and each fraction of the dataset, D_T = k·D_F^α·N^β
    multiplied by log-normal noise of standard deviation ``noise`` (in natural
    log units: 0.1 ≈ 10% scatter). Returns arrays (d_finetune, n_params,
    d_transferred). Nothing here is data from a paper.
    """
    if noise < 0 or not np.isfinite(noise):
        raise ValueError(f"noise must be a finite number >= 0; got {noise}")
    rng = np.random.default_rng(seed)
    sizes = np.asarray(model_sizes, dtype=float)
    fr = np.asarray(fractions, dtype=float)
    d_f = np.repeat(fr[None, :] * dataset_chars, sizes.size, axis=0).ravel()
    n = np.repeat(sizes, fr.size)
    d_t = fit.k * d_f**fit.alpha * n**fit.beta * np.exp(noise * rng.standard_normal(d_f.size))
    return d_f, n, d_t


@dataclass(frozen=True)
class PowerLawFit:
    """y = E + a·x^(−b) (E = 0 for a pure power law), with the fit's RMS residual in y units."""

    E: float
    a: float
    b: float
    rms: float

    def predict(self, x):
        x = np.asarray(x, dtype=float)
        return self.E + np.exp(np.log(self.a) - self.b * np.log(x))


def _xy(x, y, minimum: int):
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if x.size != y.size:
        raise ValueError("x and y must have the same length")
    if x.size < minimum:
        raise ValueError(f"need at least {minimum} points; got {x.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))) or np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be finite and > 0")
    if np.ptp(np.log(x)) == 0:
        raise ValueError("x must take at least two different values")
    return x, y


def fit_power_law(x, y) -> PowerLawFit:
    """Least squares of log y = log a − b·log x: the pure power law y = a·x^(−b).

    What Kaplan et al. 2020 fitted (Eqs 1.1-1.3), and a straight line on log–log axes.
    """
    x, y = _xy(x, y, 3)
    design = np.column_stack([np.ones(x.size), -np.log(x)])
    (log_a, b), *_ = np.linalg.lstsq(design, np.log(y), rcond=None)
    fit = PowerLawFit(0.0, float(np.exp(log_a)), float(b), 0.0)
    return PowerLawFit(0.0, fit.a, fit.b, float(np.sqrt(np.mean((fit.predict(x) - y) ** 2))))


def fit_power_law_with_constant(x, y) -> PowerLawFit:
    """Least squares of y = E + a·x^(−b) with 0 ≤ E < min(y) (Henighan et al. 2020's form).

    Non-linear in E, so it starts from several E (0 to 99% of min y), solves the rest
    linearly in log space for each start, refines all three with bounded
    ``scipy.optimize.least_squares`` and keeps the best: the objective has flat valleys
    (E and a trade off) where a single start stalls.
    """
    from scipy.optimize import least_squares

    x, y = _xy(x, y, 4)
    log_x = np.log(x)
    y_min = float(y.min())

    def model(p):
        e, log_a, b = p
        return e + np.exp(log_a - b * log_x)

    best = None
    for frac in (0.0, 0.5, 0.8, 0.9, 0.95, 0.99):
        e0 = frac * y_min
        start = fit_power_law(x, y - e0) if frac else fit_power_law(x, y)
        p0 = np.array([e0, np.log(start.a), max(start.b, 1e-6)])
        res = least_squares(lambda p: model(p) - y, p0,
                            bounds=([0.0, -np.inf, 0.0], [y_min * (1 - 1e-9), np.inf, 10.0]),
                            x_scale="jac", xtol=1e-14, ftol=1e-14, gtol=1e-14)
        if best is None or res.cost < best.cost:
            best = res
    e, log_a, b = best.x
    fit = PowerLawFit(float(e), float(np.exp(log_a)), float(b), 0.0)
    return PowerLawFit(fit.E, fit.a, fit.b, float(np.sqrt(np.mean((fit.predict(x) - y) ** 2))))


# --------------------------------------------------------------------------- Chinchilla form
#: Hoffmann et al. 2022, App. D.2: the grid of initialisations for L-BFGS.
PUBLISHED_GRID = {
    "alpha": np.arange(0.0, 2.0 + 1e-9, 0.5),
    "beta": np.arange(0.0, 2.0 + 1e-9, 0.5),
    "e": np.arange(-1.0, 1.0 + 1e-9, 0.5),
    "a": np.arange(0.0, 25.0 + 1e-9, 5.0),
    "b": np.arange(0.0, 25.0 + 1e-9, 5.0),
}


@dataclass(frozen=True)
class ChinchillaEstimate:
    """A fit of L = E + A/N^α + B/D^β, with its objective value (Hoffmann et al. 2022, Eq 3)."""

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    objective: float  #: sum of Huber losses of log-loss residuals at the optimum
    n_runs: int
    delta: float

    @property
    def G(self) -> float:
        """Eq 4: G = (αA / (βB))^(1/(α+β))."""
        return float(np.exp((np.log(self.alpha * self.A) - np.log(self.beta * self.B))
                            / (self.alpha + self.beta)))

    @property
    def a(self) -> float:
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def tokens_per_param(self, flops: float) -> float:
        """D_opt / N_opt at a budget of ``flops`` (Eq 4)."""
        from . import laws

        n, d = laws.compute_optimal(flops, self.as_fit())
        return float(d / n)

    def as_fit(self, name: str = "your fit"):
        from .papers import ChinchillaFit

        return ChinchillaFit(name, "fitted with scaling_laws_lab.fitting.fit_chinchilla", self.E, self.A,
                             self.B, self.alpha, self.beta)

    def predict(self, n_params, n_tokens):
        from . import laws

        return laws.chinchilla_loss(n_params, n_tokens, self.as_fit())

    def to_dict(self) -> dict:
        return {"E": self.E, "A": self.A, "B": self.B, "alpha": self.alpha, "beta": self.beta,
                "objective": self.objective, "n_runs": self.n_runs, "huber_delta": self.delta,
                "G": self.G, "a": self.a, "b": self.b}


def _huber(r, delta):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))


def _objective_many(theta, log_n, log_d, log_l, delta):
    """Objective for many parameter vectors at once: theta (k, 5) = (a, b, e, α, β)."""
    a, b, e, alpha, beta = (theta[:, i:i + 1] for i in range(5))
    terms = np.stack([a - alpha * log_n, b - beta * log_d, np.broadcast_to(e, (theta.shape[0],
                                                                                log_n.size))])
    lse = np.logaddexp.reduce(terms, axis=0)
    return _huber(lse - log_l, delta).sum(axis=1)


def _objective_and_grad(theta, log_n, log_d, log_l, delta, hessian=False):
    """The objective, its gradient and (``hessian``) its Hessian in (a, b, e, α, β).

    With t = (a − α log N, b − β log D, e) and softmax weights w of t, the residual
    r = LSE(t) − log L has gradient g = Jᵀw and Hessian Jᵀ(diag w − wwᵀ)J, where J is
    dt/dθ. The Huber loss adds ψ(r)·∇²r for every run and g gᵀ for those within δ
    (where ψ' = 1).
    """
    a, b, e, alpha, beta = theta
    t1, t2 = a - alpha * log_n, b - beta * log_d
    t3 = np.full_like(t1, e)
    m = np.maximum(np.maximum(t1, t2), t3)
    w1, w2, w3 = np.exp(t1 - m), np.exp(t2 - m), np.exp(t3 - m)
    s = w1 + w2 + w3
    lse = m + np.log(s)
    r = lse - log_l
    inside = np.abs(r) <= delta
    h = np.where(inside, r, delta * np.sign(r))  # Huber'(r)
    w1, w2, w3 = w1 / s, w2 / s, w3 / s
    g = np.stack([w1, w2, w3, -w1 * log_n, -w2 * log_d], axis=1)  # dr/dθ, one row per run
    value, grad = float(_huber(r, delta).sum()), h @ g
    if not hessian:
        return value, grad
    hw1, hw2 = h * w1, h * w2
    hess = np.zeros((5, 5))
    hess[0, 0], hess[1, 1], hess[2, 2] = hw1.sum(), hw2.sum(), (h * w3).sum()
    hess[0, 3] = hess[3, 0] = -(hw1 * log_n).sum()
    hess[3, 3] = (hw1 * log_n * log_n).sum()
    hess[1, 4] = hess[4, 1] = -(hw2 * log_d).sum()
    hess[4, 4] = (hw2 * log_d * log_d).sum()
    hess -= (g * h[:, None]).T @ g
    hess += g[inside].T @ g[inside]
    return value, grad, hess


def _runs(n_params, n_tokens, loss, minimum=6):
    cols = [np.asarray(v, dtype=float).ravel() for v in (n_params, n_tokens, loss)]
    if len({c.size for c in cols}) != 1:
        raise ValueError("n_params, n_tokens and loss must have the same length")
    if cols[0].size < minimum:
        raise ValueError(f"need at least {minimum} runs to fit 5 parameters; got {cols[0].size}")
    for name, c in zip(("n_params", "n_tokens", "loss"), cols, strict=True):
        if not np.all(np.isfinite(c)) or np.any(c <= 0):
            raise ValueError(f"{name} must be finite and > 0 in every run")
    return np.log(cols[0]), np.log(cols[1]), np.log(cols[2])


def _refine(theta0, log_n, log_d, log_l, delta):
    from scipy.optimize import minimize

    res = minimize(_objective_and_grad, theta0, args=(log_n, log_d, log_l, delta), jac=True,
                   method="L-BFGS-B", options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-12})
    return res


def _refine_newton(theta0, log_n, log_d, log_l, delta):
    """Refine a start that is already near the optimum (a warm step) by trust-region Newton.

    From the last fit after a small change in the data, L-BFGS takes about 55 evaluations
    to meet its tolerance on this nearly-L1 objective (δ = 1e-3 is below the noise); Newton
    with the exact Hessian takes about 7 (make bench; the tests compare the objective it
    reaches with the full grid fit's). Far from the optimum it may stop early, so the
    caller keeps L-BFGS's answer as well when Newton does not report success.
    """
    from scipy.optimize import minimize

    last = {}

    def fun(theta, *args):
        value, grad, hess = _objective_and_grad(theta, *args, hessian=True)
        last["theta"], last["hess"] = theta.copy(), hess
        return value, grad

    def hess(theta, *args):
        if "theta" in last and np.array_equal(last["theta"], theta):
            return last["hess"]
        return _objective_and_grad(theta, *args, hessian=True)[2]

    return minimize(fun, theta0, args=(log_n, log_d, log_l, delta), jac=True, hess=hess,
                    method="trust-ncg", options={"gtol": 1e-10, "maxiter": 200})


def fit_chinchilla(n_params, n_tokens, loss, *, delta: float = 1e-3, refine: int = 8,
                   starts=None) -> ChinchillaEstimate:
    """Fit L = E + A/N^α + B/D^β by the published method, to its global optimum.

    Hoffmann et al. 2022 (Eq 3, App. D.2): minimise Σ Huber_δ(LSE(a − α log N,
    b − β log D, e) − log L) over (a, b, e, α, β), with A = e^a, B = e^b, E = e^e,
    by L-BFGS from a grid of 4,500 starts. Written plainly that takes minutes.
    Here the objective is evaluated at every start in one vectorised pass, and
    L-BFGS with the analytic gradient refines only the ``refine`` best distinct
    starts; the benchmark (make bench) checks the result is no worse than the
    plain grid method's.

    Parameters
    ----------
    n_params, n_tokens, loss : arrays
        Parameters, training tokens and final loss (nats/token) of each run.
    delta : float
        Huber threshold (1e-3 in the paper and in Besiroglu et al. 2024).
    refine : int
        How many of the best grid starts L-BFGS refines. 0, with ``starts``, skips the grid
        and refines only those starts (a warm step; callers check it against the grid).
    starts : array (k, 5), optional
        Extra starting points (a, b, e, α, β), e.g. a previous fit to warm-start from.
    """
    log_n, log_d, log_l = _runs(n_params, n_tokens, loss)
    if not delta > 0:
        raise ValueError(f"delta must be > 0; got {delta}")
    candidates = []
    if refine > 0 or starts is None:
        g = PUBLISHED_GRID
        grid = np.array(np.meshgrid(g["a"], g["b"], g["e"], g["alpha"], g["beta"],
                                    indexing="ij")).reshape(5, -1).T
        values = np.concatenate([_objective_many(chunk, log_n, log_d, log_l, delta)
                                 for chunk in np.array_split(grid, 10)])
        candidates = list(grid[np.argsort(values)[: max(refine, 1)]])
    if starts is not None:
        candidates.extend(np.atleast_2d(np.asarray(starts, dtype=float)))
    best = None
    if refine == 0 and starts is not None:  # a warm step: Newton first, L-BFGS if it fails
        best = _refine_newton(candidates[0], log_n, log_d, log_l, delta)
        if not (best.success and np.all(np.isfinite(best.x))):
            best = None
    for theta0 in candidates if best is None else ():
        res = _refine(theta0, log_n, log_d, log_l, delta)
        if best is None or res.fun < best.fun:
            best = res
    a, b, e, alpha, beta = best.x
    return ChinchillaEstimate(E=float(np.exp(e)), A=float(np.exp(a)), B=float(np.exp(b)),
                              alpha=float(alpha), beta=float(beta), objective=float(best.fun),
                              n_runs=log_n.size, delta=delta)


def theta_of(est: ChinchillaEstimate) -> np.ndarray:
    """(a, b, e, α, β) of an estimate: a warm start for the next fit."""
    return np.array([np.log(est.A), np.log(est.B), np.log(est.E), est.alpha, est.beta])


def fit_chinchilla_reference(n_params, n_tokens, loss, *, delta: float = 1e-3, points=3):
    """The straightforward published method, for benchmarks: L-BFGS from every grid start.

    ``points`` values per coordinate (3 gives the 243-start grid the benchmark times);
    numerical gradients, as a plain scipy implementation would use.
    """
    from scipy.optimize import minimize

    log_n, log_d, log_l = _runs(n_params, n_tokens, loss)
    g = PUBLISHED_GRID
    pick = {k: np.linspace(v[0], v[-1], points) for k, v in g.items()}
    best = None
    for theta0 in np.array(np.meshgrid(pick["a"], pick["b"], pick["e"], pick["alpha"],
                                       pick["beta"], indexing="ij")).reshape(5, -1).T:
        f = lambda t: _objective_and_grad(t, log_n, log_d, log_l, delta)[0]  # noqa: E731
        res = minimize(f, theta0, method="L-BFGS-B")
        if best is None or res.fun < best.fun:
            best = res
    a, b, e, alpha, beta = best.x
    return ChinchillaEstimate(float(np.exp(e)), float(np.exp(a)), float(np.exp(b)), float(alpha),
                              float(beta), float(best.fun), log_n.size, delta)


def bootstrap_chinchilla(n_params, n_tokens, loss, *, n_boot: int = 100, seed: int = 0,
                         delta: float = 1e-3, level: float = 0.8, progress=None) -> dict:
    """Bootstrap intervals: refit on runs resampled with replacement, ``n_boot`` times.

    Each refit warm-starts from the full-data fit plus the best grid starts.
    ``progress(i, n_boot)`` is called after each refit (the notebook's progress bar).
    Returns {parameter: (low, high)} percentile intervals at ``level``, and the
    per-resample estimates under "samples".
    """
    n_params, n_tokens, loss = (np.asarray(v, dtype=float).ravel()
                                for v in (n_params, n_tokens, loss))
    full = fit_chinchilla(n_params, n_tokens, loss, delta=delta)
    rng = np.random.default_rng(seed)
    samples = []
    for i in range(n_boot):
        idx = rng.integers(0, n_params.size, n_params.size)
        est = fit_chinchilla(n_params[idx], n_tokens[idx], loss[idx], delta=delta, refine=2,
                             starts=theta_of(full)[None, :])
        samples.append(est.to_dict())
        if progress is not None:
            progress(i + 1, n_boot)
    out = {"samples": samples, "level": level}
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    for key in ("E", "A", "B", "alpha", "beta", "a", "b"):
        lo, hi = np.percentile([s[key] for s in samples], q)
        out[key] = (float(lo), float(hi))
    return out


# --------------------------------------------------------------------------- users' runs
MAX_CSV_CHARS = 2_000_000  # ~50k runs; a bigger paste is refused before any parsing
_COLUMNS = {
    "n_params": ("n", "params", "parameters", "n_params", "model size", "model_size", "size"),
    "n_tokens": ("d", "tokens", "n_tokens", "data", "training tokens", "train_tokens"),
    "flops": ("c", "flops", "flop", "compute", "training flop", "training flops",
              "training_flop", "training_flops"),
    "loss": ("l", "loss", "final loss", "final_loss", "eval loss", "eval_loss"),
}


@dataclass(frozen=True)
class Runs:
    """Training runs read from a CSV: parameters, tokens (or derived from FLOPs), loss."""

    n_params: np.ndarray
    n_tokens: np.ndarray
    loss: np.ndarray
    notes: tuple[str, ...] = ()

    def to_csv(self) -> str:
        lines = ["n_params,n_tokens,loss"]
        lines += [f"{n!r},{d!r},{v!r}" for n, d, v in
                  zip(self.n_params.tolist(), self.n_tokens.tolist(), self.loss.tolist(),
                      strict=True)]
        return "\n".join(lines) + "\n"


def read_runs_csv(text: str, minimum: int = 6) -> Runs:
    """Read runs from CSV text, refusing anything doubtful with a message naming row and column.

    Columns (case-insensitive, any order, extra columns ignored): parameters (``N``,
    ``params``, ``Model Size``, …), tokens (``D``, ``tokens``, …) or FLOPs (``C``,
    ``FLOPs``, ``Training FLOP``, …, then D = C / 6N), and ``loss``. Rows are
    numbered as a spreadsheet shows them (the header is row 1).
    """
    import csv
    import io

    if not isinstance(text, str):
        raise ValueError("the data must be CSV text")
    if len(text) > MAX_CSV_CHARS:
        raise ValueError(f"that is {len(text):,} characters; the limit is {MAX_CSV_CHARS:,} "
                         "(about 50,000 runs). Fit a sample, or fit offline with "
                         "scaling_laws_lab.fitting.fit_chinchilla")
    rows = [r for r in csv.reader(io.StringIO(text.strip())) if any(cell.strip() for cell in r)]
    if not rows:
        raise ValueError("no data: paste CSV with a header row, e.g. 'params,tokens,loss'")
    header = [h.strip().lower() for h in rows[0]]
    where = {}
    for key, names in _COLUMNS.items():
        hits = [i for i, h in enumerate(header) if h in names]
        if len(hits) > 1:
            raise ValueError(f"two columns could be {key}: {', '.join(rows[0][i] for i in hits)}")
        if hits:
            where[key] = hits[0]
    missing = [k for k in ("n_params", "loss") if k not in where]
    if "n_tokens" not in where and "flops" not in where:
        missing.append("n_tokens (or flops)")
    if missing:
        raise ValueError(f"missing column(s): {', '.join(missing)}; the header has "
                         f"{', '.join(rows[0]) or 'nothing'}")
    data_key = "n_tokens" if "n_tokens" in where else "flops"
    values = {k: [] for k in ("n_params", data_key, "loss")}
    seen = {}
    for row_no, row in enumerate(rows[1:], start=2):
        record = []
        for key in values:
            col = where[key]
            if col >= len(row) or not row[col].strip():
                raise ValueError(f"row {row_no}, column '{rows[0][col]}': empty cell")
            cell = row[col].strip()
            try:
                v = float(cell)
            except ValueError:
                raise ValueError(f"row {row_no}, column '{rows[0][col]}': {cell!r} is not a "
                                 "number") from None
            if not np.isfinite(v) or v <= 0:
                raise ValueError(f"row {row_no}, column '{rows[0][col]}': {cell} must be a "
                                 "finite number > 0")
            record.append(v)
        key = tuple(record)
        if key in seen:
            raise ValueError(f"row {row_no} repeats row {seen[key]}: remove the duplicate")
        seen[key] = row_no
        for k, v in zip(values, record, strict=True):
            values[k].append(v)
    n = np.array(values["n_params"])
    if n.size < minimum:
        raise ValueError(f"{n.size} runs; fitting five constants needs at least {minimum}")
    notes = ()
    if data_key == "flops":
        tokens = np.array(values["flops"]) / (6 * n)
        notes = ("tokens computed as D = C / (6N) from the FLOPs column",)
    else:
        tokens = np.array(values["n_tokens"])
    return Runs(n, tokens, np.array(values["loss"]), notes)


def demo_runs(fit, n_runs: int = 60, noise: float = 0.01, seed: int = 0) -> Runs:
    """SYNTHETIC runs from a known law: IsoFLOP-style sweeps (5 budgets, sizes around the
    optimum), loss = L(N, D) × exp(noise · z). For the demo and the tests; not data."""
    from . import laws

    rng = np.random.default_rng(seed)
    budgets = np.logspace(18, 22, 5)
    per = max(n_runs // budgets.size, 2)
    n_list, d_list = [], []
    for c in budgets:
        n_opt, _ = laws.compute_optimal(c, fit)
        sizes = n_opt * np.logspace(-1, 1, per)
        n_list.append(sizes)
        d_list.append(c / (6 * sizes))
    n, d = np.concatenate(n_list), np.concatenate(d_list)
    loss = laws.chinchilla_loss(n, d, fit) * np.exp(noise * rng.standard_normal(n.size))
    return Runs(n, d, loss, ("SYNTHETIC runs drawn from a known law",))


def drop_highest_loss(runs: Runs, count: int = 5) -> Runs:
    """The runs without the ``count`` highest-loss ones (Besiroglu et al. 2024 drop five)."""
    keep = runs.loss < np.sort(runs.loss)[-count] if count else np.ones(runs.loss.size, bool)
    return Runs(runs.n_params[keep], runs.n_tokens[keep], runs.loss[keep],
                runs.notes + (f"the {count} highest-loss runs left out",))
