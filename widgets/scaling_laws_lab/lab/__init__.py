"""Your own lab: real small networks trained in the kernel (notebooks 07, 08 and 10).

Numpy only, no UI (tests/test_packaging.py enforces it, as for ``science``). Where
``science`` says what the papers found, this package measures it again on models you train:

- :mod:`.trainer`: the Zipf fact source (its best loss known exactly) and the numpy trainer,
  every FLOP counted; runs are cached by what decides their numbers;
- :mod:`.sweep`: IsoFLOP plans, the runs, their minima and the Eq 2 fit (notebook 07);
- :mod:`.budget_game`: the budget game, screening runs, a fit, then the hero run (07);
- :mod:`.transfer`: a related target and fine-tuning by method (full, biases, LoRA, a small
  net), FLOPs counted matmul by matmul (08);
- :mod:`.transfer_study`: the study plan, the shipped curves, D_T read off them and the
  bootstrap fit of D_T = k·D_F^α·N^β (08, 10).

The trainer's names are the lab's front door: ``from scaling_laws_lab import lab`` then
``lab.FactSource()``, ``lab.train(source, width=64, n_tokens=500_000)``.
"""

from .trainer import (
    ADAM_FLOPS_PER_PARAM,
    Cancelled,
    FactSource,
    Run,
    blas_kernel,
    cached_run,
    default_lr,
    entropy_nats,
    flop_breakdown,
    flops_per_token,
    key_codes,
    mlp_params,
    train,
    train_weights,
    tune_lr,
)

__all__ = ["ADAM_FLOPS_PER_PARAM", "Cancelled", "FactSource", "Run", "blas_kernel", "cached_run",
           "default_lr", "entropy_nats", "flop_breakdown", "flops_per_token", "key_codes",
           "mlp_params", "train", "train_weights", "tune_lr"]
