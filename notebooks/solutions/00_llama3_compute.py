# Solution: training compute of Llama 3 70B (70B parameters, 15T tokens) by C = 6·N·D.
from scaling_laws_lab import laws, papers

run = papers.LLAMA3_70B
flops = laws.training_flops(run.n_params, run.n_tokens)  # 6 · N · D
pf_days = laws.flops_to_pf_days(flops)
print(f"Llama 3 70B: C = {flops:.3g} FLOPs = {pf_days:,.0f} PF-days")
print(f"That is {flops / laws.training_flops(175e9, 300e9):.1f}x GPT-3's compute, "
      f"with {run.n_tokens / run.n_params:.0f} tokens per parameter")
assert abs(flops - 6 * run.n_params * run.n_tokens) <= 1e-9 * flops
