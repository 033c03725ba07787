# Solution: read the effective data transferred off the from-scratch curve by hand
# (Hernandez et al. 2021, §2): D_T = D_scratch(L_fine-tuned) − D_F, with D_scratch where the
# same-size from-scratch curve reaches the fine-tuned loss, interpolated in log D.
import numpy as np
from scaling_laws_lab import transfer_lab, transfer_study

target = transfer_study.target(0.8)
weights = transfer_study.pretrained(864)
d, curve = transfer_study.scratch_curve(0.8, 864)
envelope = np.minimum.accumulate(curve)  # more data never hurts: a run can stop early


def d_t(method, d_f=3162):
    loss = transfer_lab.train_on(target, method, 864, d_f, init=weights).loss  # a REAL run
    j = int(np.argmax(envelope <= loss))  # the first from-scratch point at or below it
    t = (envelope[j - 1] - loss) / (envelope[j - 1] - envelope[j])
    d_scratch = np.exp(np.log(d[j - 1]) + t * (np.log(d[j]) - np.log(d[j - 1])))
    return loss, d_scratch - d_f


for method in ("full", "biases"):
    loss, transferred = d_t(method)
    print(f"{method:>6}: loss {loss:.3f}, D_T = {transferred:,.0f} tokens, "
          f"D_E/D_F = {(transferred + 3162) / 3162:.1f}")
# The package's reading must agree (transfer_study.scratch_data_for does the same).
for method in ("full", "biases"):
    loss, transferred = d_t(method)
    ds, status = transfer_study.scratch_data_for(loss, d, curve)
    assert status == "measured" and abs((ds - 3162) - transferred) < 1e-6 * ds
assert d_t("full")[1] > d_t("biases")[1] > 0  # full fine-tuning transfers more
