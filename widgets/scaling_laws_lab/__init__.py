"""Scaling Laws Lab: the science and the explorers the notebooks use.

Two layers, one direction:

- ``scaling_laws_lab.science`` (``laws``, ``papers``, ``units``, ``transformer``,
  ``fitting``): numpy and scipy only, no ipywidgets or bqplot, so
  ``from scaling_laws_lab.science import laws`` works anywhere;
- ``scaling_laws_lab.kit`` (controls, figures, the ``Explorer`` protocol) and
  ``scaling_laws_lab.explorers`` (one explorer per idea), which use the science.

The explorers load on first use::

    from scaling_laws_lab import SixNDCalculator
    SixNDCalculator()

and the science modules are reachable from here too: ``from scaling_laws_lab import laws``.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"
#: The git tag of this release. Every Binder link (README, the static site, share links)
#: launches this tag, not HEAD, so a push during term neither rebuilds a class's image nor
#: changes what it shows (docs/teaching.md, "Before class").
RELEASE_TAG = f"v{__version__}"

#: Explorer name -> the module of explorers/ that holds it: the one table of explorers.
#: Kept here, not in explorers/__init__, so importing the science imports no UI package.
EXPLORER_MODULES = {
    "AllocationExplorer": "allocation",
    "AsymptoteExplorer": "asymptotes",
    "ComputeExplorer": "compute",
    "FinetuneExplorer": "finetune",
    "FitExplorer": "fit",
    "LabExplorer": "lab",
    "BudgetGame": "lab_game",
    "SixNDCalculator": "calculator",
    "TransferExplorer": "transfer",
    "TransferRecipeExplorer": "transfer",
    "TransferLabExplorer": "transfer_lab",
    "LifetimeExplorer": "lifetime",
    "DataLimitsExplorer": "data_limits",
    "DisagreementExplorer": "disagreement",
}
#: Every explorer, by its full module name: an app loads only its own explorer's module.
EXPLORERS = {name: f"{__name__}.explorers.{module}" for name, module in EXPLORER_MODULES.items()}
_KIT = {"SelfCheck": f"{__name__}.kit", "ChoiceCheck": f"{__name__}.kit", "check": f"{__name__}.kit",
        # scaling_laws_lab.projector(True): every explorer made afterwards sized for a room.
        "projector": f"{__name__}.kit.projector"}
#: The science layer's modules, importable as ``scaling_laws_lab.<name>`` attributes.
SCIENCE = ("laws", "papers", "units", "transformer", "fitting", "grids", "budget", "allocation",
           "finetuning", "transfer", "asymptotes", "fitted", "lab", "sweep", "lab_game", "datasets",
           "data_constrained", "inference", "post_chinchilla", "transfer_lab", "transfer_study",
           "disagreement")

__all__ = [*SCIENCE, *EXPLORERS, *_KIT]


def __getattr__(name: str):
    if name in EXPLORERS or name in _KIT:
        module = importlib.import_module(EXPLORERS.get(name) or _KIT[name])
        return getattr(module, name)
    if name in SCIENCE:
        return importlib.import_module(f"{__name__}.science.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
