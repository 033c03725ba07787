"""The worksheets' answer keys, and the printable worksheets.

``python -m harness.worksheets --keys`` writes ``docs/worksheets/session-N-key.md`` (every number
computed here by ``scaling_laws_lab``, never typed in; a test checks the committed keys are what
this makes). ``python -m harness.worksheets --out build/worksheets`` (``make worksheets``) turns
the worksheets and their keys into printable HTML: A4, blank answer lines as boxes to write in,
no page break inside an item, the session's name in the header. Markdown goes through
nbconvert's mistune, already in the stack.
"""

from __future__ import annotations

import argparse
import html
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHEETS = ROOT / "docs" / "worksheets"
SESSIONS = ("session-1", "session-2")

#: A numbered item of a worksheet: "12. text", continuation lines indented.
_ITEM = re.compile(r"^(\d+)\. ", re.M)
#: A blank to write in: four or more underscores.
_BLANK = re.compile(r"_{4,}")


def _sci(x: float, digits: int = 2) -> str:
    """``x`` as a × 10ⁿ with ``digits`` significant figures (as a reader writes it)."""
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    exp = math.floor(math.log10(abs(x)))
    mant = x / 10 ** exp
    if round(mant, digits - 1) >= 10:
        mant, exp = mant / 10, exp + 1
    return f"{mant:.{digits - 1}f} × 10{str(exp).translate(sup)}"


def _pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}%"


# ---------------------------------------------------------------------------------------------
# Session 1: every answer, its working and the wrong answers to expect, computed.
# ---------------------------------------------------------------------------------------------

def _markdown(fragment: str) -> str:
    """A bank working's HTML as Markdown: bold kept, any other tag dropped."""
    return re.sub(r"<[^>]+>", "", re.sub(r"</?b>", "**", fragment))


def _session_1() -> dict[int, tuple[str, str, str]]:
    """Session 1's key: item number (as on the sheet) -> answer, working, wrong answers."""
    from scaling_laws_lab.science import laws, papers, transfer, transformer
    from scaling_laws_lab.science.allocation import allocation_table
    from scaling_laws_lab.teaching import bank
    from scaling_laws_lab.teaching.questions import session as exit_ticket
    keys: dict[int, tuple[str, str, str]] = {}

    chin = papers.CHINCHILLA_70B
    c1 = laws.training_flops(chin.n_params, chin.n_tokens)
    c2 = laws.training_flops(2 * chin.n_params, chin.n_tokens / 2)
    keys[1] = ("It stays the same.",
               f"C = 6·(2N)·(D/2) = 6·N·D. Chinchilla, 70B on 1.4T tokens: {_sci(c1)} FLOPs; 140B on "
               f"0.7T: {_sci(c2)} FLOPs.",
               "\"Doubles\" (a bigger model costs more, forgetting it reads half the tokens); "
               "\"halves\" (compute read as following the data); \"depends on the split\" (as if "
               "6·N·D held only at the optimum). The same options as check `00.same-compute`.")

    gpt3 = papers.GPT3_175B
    c = laws.training_flops(gpt3.n_params, gpt3.n_tokens)
    gap = c / gpt3.reported_flops - 1
    keys[2] = (f"{_sci(c, 3)} FLOPs, within 1% ({_pct(gap)} above the reported "
               f"{_sci(gpt3.reported_flops, 3)}). Left out: attention over the context "
               "(6·n_layer·n_ctx·d_model per token), the embeddings' lookups, softmax and optimizer "
               "arithmetic, restarts and evaluation.",
               f"6 × 175 × 10⁹ × 300 × 10⁹ = 6 × 5.25 × 10²² = {_sci(c, 3)}.",
               "An order of magnitude off (3.15 × 10²² or 10²⁴: exponents added wrongly); \"within "
               "50%\" (a rule of thumb expected to be rough). \"Hardware speed\" as the missing cost "
               "confuses FLOPs with FLOP/s.")

    n = gpt3.n_params
    train = laws.training_flops_per_token(n) / n
    fwd = laws.forward_flops_per_token(n) / n
    keys[3] = (f"{train + fwd:g}N per token, because the recomputed forward pass adds another "
               f"{fwd:g}N to the {train:g}N; serving costs {fwd:g}N per token.",
               f"Training: forward {fwd:g}N + activation gradients 2N + weight gradients 2N = "
               f"{train:g}N; checkpointing repeats the forward pass once, + {fwd:g}N. Serving is "
               f"the forward pass alone.",
               "6N (memory tricks taken as free); 12N (both passes repeated: only the forward pass "
               "is); 6N for serving (training's cost per token used for inference). Check "
               "`01.backward-4n` names checkpointing as its tempting wrong option.")

    def share(n_layer: int, n_ctx: int, d_model: int) -> float:
        n_params = laws.non_embedding_params(n_layer, d_model)
        return (laws.attention_flops_per_token(n_layer, n_ctx, d_model)
                / laws.training_flops_per_token(n_params, n_layer, n_ctx, d_model))

    small = share(12, 131_072, 768)
    llama = share(80, 32_768, 8192)
    keys[4] = (f"Over 90% for GPT-2 small ({_pct(small)}); Llama 2 70B's width at a hypothetical "
               f"32,768-token context: {_pct(llama)}. Check `01.attention-share`.",
               f"Attention's share is n_ctx / (12·d_model + n_ctx): 131,072 / (9,216 + 131,072) = "
               f"{_pct(small)}; 32,768 / (98,304 + 32,768) = {_pct(llama)}.",
               "\"1%\" (6·N·D taken as always complete); \"10%\" (GPT-3's width remembered, not "
               "GPT-2 small's); for Llama, 4% (Llama 2's own 4,096-token context, the exercise "
               "`01.llama2-attention`, copied instead of recomputed).")

    gopher = papers.GOPHER_280B
    rows = {r.key: r for r in allocation_table(gopher.reported_flops, gopher.n_params)}
    epoch, kaplan, printed = rows["epoch"], rows["kaplan"], rows["chinchilla"]

    def tokens(n: float) -> str:
        d = gopher.reported_flops / (6 * n)
        per = f"{d / n:.0f}" if d / n >= 10 else f"{d / n:.2g}"
        return f"{n / 1e9:.0f}B → {_sci(d)} tokens, {per} per parameter"

    keys[5] = (f"About 70B: Epoch's refit puts the optimum at {epoch.n_opt / 1e9:.1f}B parameters on "
               f"{_sci(epoch.d_opt, 3)} tokens, {epoch.tokens_per_param:.0f} per parameter, and "
               "Chinchilla's approaches 1–2 agree. DeepMind trained Chinchilla (70B on 1.4T tokens) "
               "on this budget, and it beat Gopher. Check `02.gopher-size`.",
               "D = C/6N with C = 5.76 × 10²³: "
               + "; ".join(tokens(n) for n in (30e9, 70e9, 280e9, 500e9)) + ".",
               "280B (Gopher's own size, the 2020 practice: about 1.2 tokens per parameter); 500B "
               f"(Kaplan's 2020 law, {kaplan.n_opt / 1e9:.0f}B); 30B (Chinchilla's Eq 4 with its "
               f"printed constants, {printed.n_opt / 1e9:.0f}B, a fit that describes its own runs "
               "poorly).")

    k_growth = 10 ** papers.KAPLAN_2020.n_opt_exp
    e_growth = 10 ** laws.chinchilla_allocation_constants(papers.BESIROGLU_2024)[1]
    keys[7] = (f"N_opt: {k_growth:.1f}× (Kaplan), {e_growth:.1f}× (Epoch); tokens: "
               f"{10 / k_growth:.1f}× and {10 / e_growth:.1f}×.",
               f"10^0.73 = {k_growth:.2f}; 10^0.513 = {e_growth:.2f}; D = C/6N grows 10 ÷ that: "
               f"{10 / k_growth:.2f}× and {10 / e_growth:.2f}×. Under Epoch's refit both grow "
               "about √10: 10× the parameters goes with about 10× the data.",
               "10× for N (all of the compute into parameters); 2.3× for Kaplan's N (that is D's "
               "growth per 10× parameters, from 02's short answer); 0.73× (the exponent read as "
               "the factor).")

    d20 = 20 * 1e14
    c20 = laws.training_flops(1e14, d20)
    llama405 = laws.training_flops(papers.LLAMA31_405B.n_params, papers.LLAMA31_405B.n_tokens)
    a1_flops, a1_tokens = laws.optimal_budget_for_params(1e14, papers.HOFFMANN_2022_APPROACH1)
    keys[8] = (f"D ≈ {_sci(d20, 1)} tokens, C ≈ {_sci(c20)} FLOPs, about "
               f"{_sci(c20 / llama405, 1)}× Llama 3.1 405B.",
               f"20 × 10¹⁴ = 2 × 10¹⁵ tokens; 6 × 10¹⁴ × 2 × 10¹⁵ = {_sci(c20)}; ÷ {_sci(llama405)} "
               f"(6·N·D for 405B on 15.6T) ≈ {_sci(c20 / llama405, 1)}. Chinchilla's approach 1 exactly: "
               f"{_sci(a1_tokens)} tokens ({a1_tokens / 1e14:.0f} per parameter), "
               f"{_sci(a1_flops)} FLOPs.",
               "10¹³ tokens (the thread's number); 6 × 10²⁷ FLOPs (01's brain-sized run, with the "
               "thread's D); 2 × 10¹⁴ tokens (a factor of 10 dropped in 20 × 10¹⁴).")

    def emb_share(shape) -> float:
        counts = transformer.param_counts(shape)
        return counts["token embeddings (tied output head)"] / sum(counts.values())

    s_small, s_gpt3 = emb_share(papers.GPT2_SMALL), emb_share(papers.GPT3_175B_SHAPE)
    total_small = sum(transformer.param_counts(papers.GPT2_SMALL).values())
    keys[6] = (f"About {_pct(s_small, 0)} of GPT-2 small, {_pct(s_gpt3, 2)} of GPT-3. The counted "
               "part grows faster than the whole model, so Kaplan's exponent comes out higher "
               "(0.73 against Chinchilla's about 0.5).",
               f"50,257 × 768 = {50257 * 768:,} of GPT-2 small's {total_small:,}; "
               f"50,257 × 12,288 = {50257 * 12288:,} of GPT-3's 175B. The table is a third of a small "
               "model and a sliver of a large one, so the non-embedding count rises faster than N, "
               "and the fitted slope of log N against log C rises with it (Pearce & Song 2024; "
               "check `02.why-kaplan-bigger`).",
               "\"Lookups cost no FLOPs, so small models got more tokens\" (a statement about FLOPs, "
               "not about how N is counted); \"the vocabulary grew with size\" (it was fixed at "
               "50,257); \"it pushes the exponent down\".")

    def per_n(shape, method: str, k: int = 1) -> float:
        s = transformer.finetune_setup(shape, method, top_k=k)
        return transformer.flops_per_token(s) / s["n_forward"]

    top, bottom = per_n(papers.GPT2_SMALL, "top_k"), per_n(papers.GPT2_SMALL, "bottom_k")
    keys[9] = (f"The top block: about {top:.2f}N per token; the bottom block about {bottom:.1f}N.",
               f"Forward 2N for both. Gradients flow down from the loss and must reach the lowest "
               f"block that trains: for the top block they stop just below it ({top:.2f}N), for the "
               f"bottom block they cross all twelve ({bottom:.1f}N). Check `03.top-or-bottom`.",
               "\"The same: the same number of weights train\" (the thread's view); \"the bottom "
               "block: the frozen blocks above need no gradients\" (they need activation gradients "
               "to pass down); 6 × 6% ≈ 0.36N (cost taken as proportional to the trainable share).")

    beta = papers.HERNANDEZ_2021_TEXT.beta
    keys[13] = (f"About {1000 ** beta:.0f}× less. So the small-network view predicts it needs *more* "
               "data, not less; a fine-tune needs little data because pre-training already "
               "supplied the equivalent of D_T characters.",
               f"D_T ∝ N^{beta}: 1000^{beta} = {1000 ** beta:.1f}, the \"1000× smaller network\" "
               "of the forum question and notebook 03.",
               "1000× less (D_T taken as proportional to N); \"few weights move, so little data\" "
               "(the thread; Hernandez et al. tune every weight). Check `04.why-little-data`; "
               "item 11 (`04.ten-x-model`) is the same law for 10×.")

    lora = transformer.finetune_setup(papers.GPT3_175B_SHAPE, "lora")
    frac = transformer.flops_per_token(lora) / (6 * lora["n_forward"])
    mem = papers.LORA_THROUGHPUT["memory_gb"]
    speedup = papers.LORA_THROUGHPUT["lora"] / papers.LORA_THROUGHPUT["full"]
    keys[10] = (f"About two thirds ({frac:.2f}). It is chosen for memory and storage: training "
                f"memory {mem['full'] / 1000:.1f} TB → {mem['lora']} GB (no optimizer state for "
                "frozen weights), and a per-task checkpoint of megabytes, not the whole model.",
                "Forward 2N and the activation gradients 2N still run through every frozen "
                "weight; only the weight gradients (the third 2N) shrink to the adapters' 2 × "
                f"{lora['n_trainable'] / 1e6:.1f}M: ≈ 4N of 6N. Hu et al. 2021 §4.2; check "
                "`03.lora-why`.",
                "0.1% or less of the FLOPs (cost as the trainable share); \"speed\" (FLOPs allow at "
                f"most 1.5×; Hu et al. measured {speedup:.2f}×); "
                "\"quality\" or \"less data\" (neither is a reliable effect).")

    ex = transfer.EXAMPLE
    m0 = laws.effective_data_multiplier(ex["d_finetune"], ex["n_params"])
    m1 = laws.effective_data_multiplier(100 * ex["d_finetune"], ex["n_params"])
    alpha = papers.HERNANDEZ_2021_TEXT.alpha
    keys[12] = (f"About {m1:.0f} (from {m0:.0f}): pre-training matters most when fine-tuning data "
                "is scarce.",
                f"D_T grows 100^{alpha} = {100 ** alpha:.2f}× while D_F grows 100×, so D_T/D_F falls "
                f"100^{1 - alpha:.2f} ≈ {100 ** (1 - alpha):.0f}×: D_E/D_F = 1 + D_T/D_F goes "
                f"{m0:.0f} → {m1:.0f}. Check `04.more-data`.",
                f"\"Stays {m0:.0f}\" (a fixed multiplier); about {m0 * 100 ** alpha:,.0f} (the multiplier "
                f"taken to follow D_T); about {m0 / 100 ** alpha:.0f} (falls 2.3×: the direction "
                "right, the size not).")

    we = transfer.worked_example()
    ten_x = laws.transferred_data(ex["d_finetune"], 10 * ex["n_params"]) / ex["d_finetune"]
    keys[11] = (f"About {10 ** beta:.1f}×, to about {ten_x:,.0f} × D_F. Not 10×: D_T grows as "
                f"N^{beta}, not in proportion to N. Check `04.ten-x-model`.",
                f"D_T = k·D_F^α·N^β with β = {beta}: 10^{beta} = {10 ** beta:.2f}, and "
                f"{we.ratio:.0f} × {10 ** beta:.2f} ≈ {ten_x:,.0f}. By hand: 10^0.38 = 10^0.3 × "
                "10^0.08 ≈ 2 × 1.2.",
                "10× (D_T taken as proportional to N); about 100× (the summary's trade: 10× the "
                "model is worth about 100× the fine-tuning data, not 100× the D_T); about "
                f"{10 ** alpha:.1f}× (α = {alpha}, the exponent on D_F, used for N).")

    keys[17] = (f"About {ten_x:,.0f}× for 400M (item 11), so the law reaches 1000× between 40M and "
                f"400M (at about {we.params_for_figure / 1e6:.0f}M non-embedding parameters, as "
                "notebook 04's cell under \"475× or 1000×?\" prints). Counting embeddings in "
                "\"40M\" widens the gap: the law's "
                "non-embedding N would be below 40M, and the law's ratio lower still.",
                f"10^{beta} = {10 ** beta:.2f}, so {we.ratio:.0f} × {10 ** beta:.2f} ≈ {ten_x:,.0f}. "
                f"Exactly: N must grow (1000/{we.ratio:.0f})^(1/{beta}) = "
                f"{(1000 / we.ratio) ** (1 / beta):.1f}×. Why the figure and the law differ is not "
                "known (04, \"475× or 1000×?\", and its Going deeper block).",
                f"4,750× (10× the model taken as 10× the D_T); about {we.ratio * 10 ** alpha:,.0f}× "
                f"(α = {alpha} used for N); \"closes the gap\" (embeddings counted make the "
                "non-embedding N smaller, not larger).")

    c_floor = math.log10(26.387 / 1.69) / 0.05
    assert abs(float(laws.post_kaplan_curve(c_floor)) - 1.69) < 1e-9
    keys[15] = (f"c ≈ {c_floor:.1f}, C ≈ {_sci(10 ** c_floor)} FLOPs, about Chinchilla's own "
                f"{_sci(c1)}. Beyond it the pure law promises losses below the text's entropy, "
                "which no model can reach.",
                f"10^(0.05c) = 26.387 / 1.69 = {26.387 / 1.69:.2f}; c = log₁₀({26.387 / 1.69:.2f}) / "
                f"0.05 = {c_floor:.2f}. Check `05.kaplan-floor`.",
                "\"Never\" (true only for a law with a constant; a pure power law crosses every "
                "positive loss); around 10²¹ (where the two curves still nearly agree); around 10²⁷.")

    keys[14] = ("No, not necessarily. Henighan et al. (2020) read the floor as the entropy of the "
                "data and the loss above it as the model's distance from the truth; their image "
                "models, fine-tuned as classifiers, kept improving as the generative loss levelled "
                "off. Check `05.floor-stops`.",
                "The floor E is the entropy of the text; the loss approaches it without reaching "
                "it, and the last hundredths of a nat can still carry much downstream.",
                "\"Yes: at the floor there is nothing left to learn\"; \"yes, in practice: near "
                "the floor each 10× of compute buys hundredths of a nat\" (the loss is an average "
                "over every token: what the model still gets wrong can matter far more than its "
                "share of the average); \"not necessarily: a bigger model lowers the floor itself\" "
                "(the floor is the entropy of the text, a property of the data; Chinchilla sits "
                f"{laws.chinchilla_loss(70e9, 1.4e12) - papers.HOFFMANN_2022.E:.2f} nats above it by "
                "its own law). The same options as check `05.floor-stops`.")

    # The exit ticket is the session's own check: its number and working are the bank's.
    ticket = bank.get("s1.lora-70b")
    full = laws.training_flops(exit_ticket.EXIT_N, exit_ticket.EXIT_TOKENS)
    forward = laws.forward_flops_per_token(exit_ticket.EXIT_N) * exit_ticket.EXIT_TOKENS
    keys[16] = (f"About {_sci(ticket.expected_value())} FLOPs (the check accepts "
                f"±{ticket.rel_tol:.0%}). Check `s1.lora-70b`.",
                _markdown(ticket.working_html()),
                f"{_sci(full)} (6·N·D: full fine-tuning, as if frozen weights cost the same); "
                f"{_sci(full * exit_ticket.EXIT_TRAINABLE_SHARE)} (0.05% of that: the forum "
                f"question's view, cost as the trainable share); {_sci(forward)} (the forward pass "
                "alone, or the activation gradients forgotten).")
    return keys


# ---------------------------------------------------------------------------------------------
# Session 2 (in class: 07, 08; homework: 00–06, 09): computed where the package fixes the
# number; where learners measure (their own fits and fine-tunes), the key says what to expect
# and which check pins it.
# ---------------------------------------------------------------------------------------------

def _session_2() -> dict[int, tuple[str, str, str]]:
    from scaling_laws_lab import transfer_lab
    from scaling_laws_lab.science import data_constrained as dc
    from scaling_laws_lab.science import disagreement as dis
    from scaling_laws_lab.science import inference, laws, papers, transformer

    keys: dict[int, tuple[str, str, str]] = {}
    l3 = papers.LLAMA3_70B
    c = laws.training_flops(l3.n_params, l3.n_tokens)
    gpt3 = laws.training_flops(papers.GPT3_175B.n_params, papers.GPT3_175B.n_tokens)
    keys[1] = (f"{_sci(c)} FLOPs = {laws.flops_to_pf_days(c):,.0f} PF-days, about "
               f"{c / gpt3:.0f}× GPT-3.",
               f"6 × 70 × 10⁹ × {l3.n_tokens / 1e12:.1f} × 10¹² = {_sci(c)}; ÷ 8.64 × 10¹⁹.",
               "A power of ten off (tokens typed as 15B); PF-days taken as PF/s × seconds "
               "(÷ 10¹⁵ only).")

    peak = papers.ACCELERATORS["H100"].peak_flops
    h100_days = laws.training_days(gpt3, peak, 0.4, 1)
    days = laws.training_days(gpt3, peak, 0.3, 2048)
    keys[2] = (f"{h100_days:,.0f} H100-days; 2,048 H100s at 30% MFU: {days:.1f} days.",
               f"{_sci(gpt3, 3)} FLOPs ÷ ({peak / 1e12:.0f} × 10¹² FLOP/s × 0.4) ÷ 86,400 s; then "
               f"÷ (2,048 × 0.3 / 0.4).",
               "Forgetting the MFU (2.5× too few days); the notebook's 1,000 H100s at 40% copied "
               "(about 9 days).")

    fits = {f.name: f for f in papers.ALLOCATION_FITS}
    rows = []
    for label, name in (("Chinchilla Eq 4", "Chinchilla Eq 4, printed constants"),
                        ("Epoch refit", "Epoch AI refit (Besiroglu 2024)"),
                        ("Kaplan", "Kaplan 2020 (N ∝ C^0.73)")):
        ratios = [d / n for n, d in (fits[name].allocation(x) for x in (1e21, 1e24, 1e27))]
        rows.append(f"{label}: " + " / ".join(f"{r:,.3g}" for r in ratios))
    keys[3] = ("; ".join(rows) + ". The Epoch refit stays near 20.",
               "`fit.allocation(C)` for each of `papers.ALLOCATION_FITS`, D/N at each budget. Eq 4's "
               "printed constants have a < 0.5, so their ratio rises; Kaplan's falls fast.",
               "20 for every law (one number quoted as universal); Eq 4's printed constants named "
               "as the one near 20.")

    floor = min(transformer.flops_per_token(s) / s["n_forward"] for s in
                (transformer.finetune_setup(papers.GPT2_SMALL, "bottom_k", top_k=k)
                 for k in range(1, 13)))
    keys[4] = (f"About {floor:.1f}N (bottom one block); the forward pass (2N) and the activation "
               "gradients through every block above the lowest trained one (about 2N) remain.",
               "`transformer.finetune_setup(papers.GPT2_SMALL, 'bottom_k', top_k=k)` for k = 1…12: "
               "the least is at k = 1.",
               "6 × the trainable share (cost as the trainable share); 2N (forgetting the "
               "activation gradients).")

    h = papers.HERNANDEZ_2021_TEXT
    more_data, bigger = 2 ** (1 / h.alpha), 2 ** (1 / h.beta)
    base = laws.transferred_data(1e7, 1e8)
    assert abs(laws.transferred_data(1e7 * more_data, 1e8) / base - 2) < 1e-6
    keys[5] = (f"{more_data:.0f}× more data, or a {bigger:.1f}× bigger model.",
               f"D_T = k·D_F^{h.alpha}·N^{h.beta}: doubling needs 2^(1/{h.alpha}) = {more_data:.1f} "
               f"in D_F, or 2^(1/{h.beta}) = {bigger:.2f} in N (D_T now {_sci(base)} characters).",
               "2× either way (D_T taken as proportional); the exponents swapped (6.2× data, "
               "47× model).")

    c15 = math.log10(26.387 / 1.5) / 0.05
    keys[6] = (f"C ≈ {_sci(10 ** c15)} FLOPs (c = {c15:.2f}); the Chinchilla curve there gives "
               f"{float(laws.post_chinchilla_curve(c15)):.2f} nats. Believe the curve with a floor: "
               "1.5 nats is below Chinchilla's E = 1.69, a loss under the text's entropy.",
               f"c = log₁₀(26.387 / 1.5) / 0.05 = {c15:.2f}.",
               "\"The two curves agree\" (they were measured on different data; compare shapes, "
               "not levels); C = 10^1.5.")

    epoch = papers.BESIROGLU_2024
    n_e, d_e = fits["Epoch AI refit (Besiroglu 2024)"].allocation(5.9e23)
    keys[7] = (f"Measured; the true law gives {d_e / n_e:.1f} tokens per parameter at 5.9 × 10²³, "
               f"and the bootstrap interval at noise 0.05 should contain the true α = {epoch.alpha}.",
               "Each learner's fit differs with the random seed and noise; read it from the readout.",
               "An interval taken as certain (\"α is exactly the fitted value\").")
    keys[8] = ("Measured in class: no fixed number. Ask which constant moved and whether the "
               "tokens per parameter moved with it.",
               "The Huber loss keeps single runs from dragging the fit (check `06.huber`).",
               "\"Nothing moves\" or \"everything moves\" without reading the readout.")
    keys[9] = ("The learner's own data: no fixed answer.", "—",
               "A fit on a few bunched runs quoted to many digits (see `07.hero-miss`).")
    keys[10] = ("Any of: the fitting recipe (Huber δ, the grid of starts, several basins); which "
                "runs are kept; how parameters are counted; noise in the runs.",
                "Checks `06.huber`, `06.drift`, `02.why-kaplan-bigger`.",
                "\"One of them made an arithmetic error.\"")

    keys[11] = ("The bias tune wins, by about a third of a nat in the default run: the small "
                "network starts from nothing, the tune from everything pre-training learned.",
                "Measured each run (read both lines at D_F = 10⁴ in the first figure); check "
                "`08.small-vs-tune`.",
                "\"A few hundredths of a nat: the same number of weights learn\" (the thread's "
                "reading).")
    keys[12] = (f"Measured; the paper's (text → python) exponents are α = {h.alpha}, β = "
                f"{h.beta}. D_T turns negative for the smallest network at the largest D_F "
                "(ossification).",
                "Checks `08.negative` and `08.paper-three-times`.",
                "\"Negative D_T is a bug\" or \"overfitting\".")

    parts = {m: transfer_lab.flop_parts(m, 12, 864, 64)["total"] for m in ("biases", "lora", "full")}
    keys[13] = (f"Biases {parts['biases']:,.0f}, LoRA {parts['lora']:,.0f}, full {parts['full']:,.0f} "
                "FLOPs per token. The biases need the gradient carried back through the output "
                "layer (2·H·M more); the adapter sits above it.",
                "`transfer_lab.flop_parts(method, 12, 864, 64)`; check `08.cost`.",
                "\"The same: both train 928 weights\".")

    opt = inference.lifetime_optimum(2.0, 1e15)
    keys[14] = (f"Smaller. N* ≈ {_sci(opt.n_params)} parameters, {opt.train_tokens / opt.n_params:,.0f} "
                f"tokens per parameter (compute-optimal: {_sci(opt.chinchilla_n)}, "
                f"{opt.chinchilla_train_tokens / opt.chinchilla_n:.0f}).",
                "`inference.lifetime_optimum(2.0, 1e15)` (Chinchilla's printed law); check "
                "`09.lifetime-limit`.",
                "\"Bigger\" (serving taken as free); \"the same\".")

    u = 100e9
    d4, d40 = dc.effective_data(u, 3), dc.effective_data(u, 39)
    ceiling = u * (1 + dc.MUENNIGHOFF_2023.r_star_d)
    n_b, d_b = (float(x[0]) if hasattr(x, "__len__") else float(x) for x in dc.best_split(1e22, u))
    keys[15] = (f"4 epochs: {_sci(d4)} fresh tokens; 40 epochs: {_sci(d40)}; ceiling "
                f"{_sci(ceiling)}; best at 10²² FLOPs: about {d_b / u:.0f} epochs.",
                "D′ = U(1 + R*(1 − e^(−R/R*))), R = epochs − 1, R* = "
                f"{dc.MUENNIGHOFF_2023.r_star_d:.2f}; ceiling U(1 + R*); `data_constrained.best_split`. "
                "Check `09.forty-epochs`.",
                "40 × 100B (repeats as fresh); 0.08 of fresh (the 40th pass's marginal worth).")

    def window(lo: float, hi: float) -> float:
        return dis.disagreement({"fit": "chinchilla", "n_min": lo, "n_max": hi,
                                 "vocab": float(dis.VOCAB)}).fitted_non_embedding

    kaplan_sizes, wide = window(*dis.KAPLAN_SIZES), window(dis.KAPLAN_SIZES[0], 1e12)
    keys[16] = (f"About {kaplan_sizes:.2f}; with the largest at 10¹²: {wide:.2f}. The embeddings "
                "are most of a small model and a sliver of a large one, so the non-embedding "
                "count grows faster than the whole.",
                "Chinchilla's printed law, fitted without embeddings (09's disagreement explorer); "
                "checks `09.large-window`, `09.window-to-1e12`.",
                "\"0.75 at any window\"; \"close to 1\".")

    # In class first (07, then 08 in the order of its block), homework after: renumber.
    from scaling_laws_lab import lab
    from scaling_laws_lab.teaching import bank

    flops = lab.flop_breakdown(n_in=12, width=64, n_values=64)
    ordered = [
        (f"A few per cent below: counted {flops['total']:,.0f} per token, 6N "
         f"{flops['six_n']:,.0f}, ratio {flops['total'] / flops['six_n']:.3f}.",
         "`lab.flop_breakdown(n_in=12, width=64, n_values=64)`; check `07.flop-count`.",
         "\"Above 6N\" (the optimizer's and loss's FLOPs taken as large)."),
        ("Measured, one value per random seed; a near 0.4–0.5, tokens per parameter growing with "
         "compute (not fixed at 20).",
         "Read off the sweep's readout; check `07.best-size`.",
         "a near 1 (\"a hundred times the budget, a hundred times bigger\"); 20 tokens per "
         "parameter at every budget."),
        (f"Measured; the true entropy is {bank.get('07.entropy').expected_value():.3f} nats, "
         "and the fit lands within a few hundredths of it.",
         "Check `07.entropy` (in notebook 07) computes it.",
         "E near zero (a fit on bunched runs)."),
        ("Measured: spread screening runs (over N and D) miss by less than six small, alike runs.",
         "The budget game's readout; check `07.hero-miss`.",
         "\"More runs always help\", whatever their spread."),
        keys[11], keys[13], keys[12],
        *(keys[n] for n in range(1, 11)), keys[14], keys[15], keys[16],
    ]
    return {n: item for n, item in enumerate(ordered, start=1)}


def items(markdown: str) -> dict[int, str]:
    """The numbered items of a worksheet: number -> its text, on one line."""
    parts = _ITEM.split(markdown)
    out = {}
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        text = body.split("\n\n")[0].split("\n**")[0]
        out[int(number)] = " ".join(text.split())
    return out


def render_key(session: str) -> str:
    """The answer key of ``session`` (``"session-1"``) as Markdown, every number computed."""
    sheet = (SHEETS / f"{session}.md").read_text(encoding="utf-8")
    title = sheet.splitlines()[0].lstrip("# ").replace("worksheet", "answer key")
    keys = {"session-1": _session_1, "session-2": _session_2}[session]()
    asked = items(sheet)
    if set(asked) != set(keys):
        raise ValueError(f"{session}: the worksheet asks {sorted(asked)}, the key answers {sorted(keys)}")
    lines = [f"# {title}", "",
             "Generated by `python -m harness.worksheets --keys` from `scaling_laws_lab`; do not edit",
             "by hand. Every number is computed by the package. Check ids (`03.top-or-bottom`) point",
             "to the [answer key for the checks](../answer-key.md).", ""]
    for number in sorted(asked):
        answer, working, wrong = keys[number]
        lines += [f"## Item {number}", "", f"> {_BLANK.sub('___', asked[number])}", "",
                  f"- **Answer:** {answer}", f"- **Working:** {working}",
                  f"- **Wrong answers to expect:** {wrong}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Printable HTML
# ---------------------------------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm;
        @top-center { content: "%(title)s"; font: 9pt sans-serif; color: #444; } }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; max-width: 180mm; margin: 0 auto; color: #000; }
header.sheet { border-bottom: 1.5pt solid #000; margin-bottom: 4mm; font: bold 10pt sans-serif; }
h1 { font-size: 16pt; margin: 0 0 3mm; }
h2 { font-size: 12pt; break-after: avoid; page-break-after: avoid; }
p > strong:first-child, p:has(> strong:first-child) { break-after: avoid; page-break-after: avoid; }
ol { padding-left: 7mm; }
li, .item { break-inside: avoid; page-break-inside: avoid; margin-bottom: 3mm; }
.blank { display: inline-block; min-width: 28mm; border-bottom: 0.8pt solid #000; height: 1.1em; }
.write-in { border: 0.8pt solid #555; border-radius: 1.5mm; min-height: 22mm; margin: 2mm 0 1mm; }
.write-in.working { min-height: 50mm; }
.anchor-link { display: none; }
blockquote { margin: 0 0 2mm 4mm; color: #333; font-style: italic; }
@media print { a { color: #000; text-decoration: none; } }
"""


def _separate_lists(markdown: str) -> str:
    """A blank line before each list that follows a paragraph directly.

    In CommonMark a list starting at 3 cannot interrupt a paragraph, so "**01 · …**" followed by
    "3. …" on the next line would print as one paragraph instead of numbered items.
    """
    out: list[str] = []
    for line in markdown.split("\n"):
        prev = out[-1] if out else ""
        if _ITEM.match(line) and prev.strip() and not (_ITEM.match(prev) or prev.startswith(" ")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def to_html(markdown: str, title: str, *, write_in: bool) -> str:
    """One worksheet (or key) as a printable HTML page."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    text = _BLANK.sub("\u27e6blank\u27e7", _separate_lists(markdown))
    # An anchor per numbered item, so each item can be found (and linked) in the page.
    text = _ITEM.sub(lambda m: f'{m.group(1)}. <span class="item-no" id="item-{m.group(1)}"></span>',
                     text)
    body = markdown2html_mistune(text).replace("\u27e6blank\u27e7", '<span class="blank"></span>')
    if write_in:
        # An item that asks for its working ("Show your working", the exit ticket) gets room for it.
        body = re.sub(r"(<li>.*?)</li>",
                      lambda m: m.group(1) + ('<div class="write-in working"></div></li>'
                                              if "Show your working" in m.group(1)
                                              else '<div class="write-in"></div></li>'),
                      body, flags=re.S)
    css = PRINT_CSS % {"title": title.replace('"', "'")}
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{css}</style></head>\n"
            f'<body><header class="sheet">{html.escape(title)}</header>\n{body}</body></html>\n')


def build(out: Path) -> list[Path]:
    """Write every worksheet and its key as HTML into ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for session in SESSIONS:
        sheet = (SHEETS / f"{session}.md").read_text(encoding="utf-8")
        title = sheet.splitlines()[0].lstrip("# ")
        for name, text, write_in in ((session, sheet, True),
                                     (f"{session}-key", render_key(session), False)):
            path = out / f"{name}.html"
            head = title if write_in else title.replace("worksheet", "answer key")
            path.write_text(to_html(text, head, write_in=write_in), encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", action="store_true", help="write docs/worksheets/*-key.md")
    parser.add_argument("--out", type=Path, help="build the printable HTML into this folder")
    args = parser.parse_args(argv)
    if args.keys:
        for session in SESSIONS:
            (SHEETS / f"{session}-key.md").write_text(render_key(session), encoding="utf-8")
    if args.out:
        for path in build(args.out):
            print(path)


if __name__ == "__main__":
    main()
