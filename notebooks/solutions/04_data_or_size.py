# Solution: for a 100M-parameter model fine-tuned on 1e7 characters of Python (text pre-training),
# is it cheaper to double the effective data with more fine-tuning data or with a bigger model?
from scaling_laws_lab import laws, papers

fit = papers.HERNANDEZ_2021_TEXT
n, d_f = 1e8, 1e7
d_e = d_f + laws.transferred_data(d_f, n, fit)
more_data = 2.0 ** (1 / fit.alpha)  # D_T ∝ D_F^α: D_F × x gives D_T × x^α
bigger = 2.0 ** (1 / fit.beta)  # D_T ∝ N^β
print(f"effective data now {d_e:.3g} characters ({d_e / d_f:.0f}x D_F)")
print(f"to double D_T: {more_data:.0f}x more fine-tuning data, or a {bigger:.1f}x bigger model")
assert abs(laws.transferred_data(d_f * more_data, n, fit)
           / laws.transferred_data(d_f, n, fit) - 2) < 1e-9
