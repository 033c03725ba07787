# Solution: FLOPs per token (in units of N) when only the bottom k blocks of GPT-2 small train.
from scaling_laws_lab import papers, transformer

shape = papers.GPT2_SMALL
per_n = {}
for k in range(1, shape.n_layer + 1):
    setup = transformer.finetune_setup(shape, "bottom_k", top_k=k)
    per_n[k] = transformer.flops_per_token(setup) / setup["n_forward"]
    print(f"bottom {k:>2} blocks: {per_n[k]:.3f} N per token")
print(f"cheapest: k = {min(per_n, key=per_n.get)}; never below {min(per_n.values()):.2f} N")
# Gradients must reach the lowest trainable block, so even k = 1 pays for almost the whole
# backward pass: more than 4N, against 6N for full fine-tuning.
assert min(per_n.values()) > 4.0
