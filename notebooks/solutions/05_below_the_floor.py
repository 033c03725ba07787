# Solution: where the pure power law of the post *A Quick Note on AI Scaling Asymptotes*,
# L(c) = 26.387 / 10^(0.05c), falls below 1.69 nats, the constant term E of its Chinchilla
# curve. A power law inverts in closed form:
# 26.387 / 10^(0.05c) = L  =>  c = log10(26.387 / L) / 0.05. No root-finder needed.
import math

from scaling_laws_lab import laws

floor = 1.69  # nats/token: Chinchilla's E, the loss no amount of compute goes below
c = math.log10(26.387 / floor) / 0.05
print(f"the post's Kaplan curve reaches {floor} nats at c = {c:.2f}, C = {10 ** c:.2g} FLOPs")
print(f"there its Chinchilla curve still says {laws.post_chinchilla_curve(c):.3f} nats")
assert abs(laws.post_kaplan_curve(c) - floor) < 1e-9
