# Solution: GPT-3 (175B parameters, 300B tokens) on H100s at 40% MFU.
from scaling_laws_lab import laws, papers

flops = laws.training_flops(175e9, 300e9)  # 6 · N · D
h100 = papers.ACCELERATORS["H100"].peak_flops  # dense peak, FLOP/s
device_days = laws.training_days(flops, h100, 0.40)  # on one device
print(f"{flops:.3g} FLOPs; {device_days:,.0f} H100-days at 40% MFU")
print(f"on 1,000 H100s: {device_days / 1000:.1f} days of wall-clock time")
assert abs(device_days - flops / (h100 * 0.40) / 86400) <= 1e-9 * device_days
