# Solution: the thread's three numbers for LoRA (rank 8 on W_q and W_v) on GPT-3 175B.
from scaling_laws_lab import laws, papers, transformer

setup = transformer.finetune_setup(papers.GPT3_175B_SHAPE, "lora", lora_rank=8)
n, n_small = setup["n_forward"], setup["n_trainable"]
per_n = transformer.flops_per_token(setup) / n
print(f"1. compute: LoRA trains {n_small / setup['n_total']:.3%} of the weights "
      f"but costs {per_n:.2f} N per token (full fine-tuning: 6 N)")

d_f = 3e5  # characters of fine-tuning data; the ratio below does not depend on it
less = laws.transferred_data(d_f, n) / laws.transferred_data(d_f, n_small)
print(f"2. data: a network of LoRA's size would get {less:.0f}x less from pre-training")

big, small = (laws.kaplan_compute_efficient_training(
    laws.optimal_budget_for_params(x, papers.KAPLAN_2020)[0]) for x in (n, n_small))
steps, tokens = big["steps"] / small["steps"], big["tokens_table6"] / small["tokens_table6"]
print(f"3. steps: {n / n_small:,.0f}x smaller, compute-optimal (Kaplan): "
      f"{steps:.2f}x fewer steps, {tokens:.0f}x fewer tokens")

# The forward pass and the gradients down to block 1 stay: at least 4N of 6N per token.
assert 4.0 <= per_n < 4.01
# D_T = k·D_F^α·N^β: the smaller network's share falls as the size ratio to the power β.
assert abs(less - (n / n_small) ** papers.HERNANDEZ_2021_TEXT.beta) < 1e-6 * less
# Steps fall as the size ratio to 0.03/0.73, tokens as 0.27/0.73 (Kaplan, Table 6).
kaplan = papers.KAPLAN_2020
assert abs(steps - (n / n_small) ** (kaplan.s_min_exp / kaplan.n_opt_exp)) < 1e-6 * steps
assert abs(tokens - (n / n_small) ** (kaplan.d_opt_exp / kaplan.n_opt_exp)) < 1e-6 * tokens
assert steps < 2 < tokens
