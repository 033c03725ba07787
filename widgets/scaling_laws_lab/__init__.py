"""Scaling Laws Lab: the science, your own lab, and the explorers the notebooks use.

Three rooms, one direction (UI-free rooms never import the UI; a test enforces it):

- ``scaling_laws_lab.science``: what the papers say (``papers``, the ``laws`` chapters,
  ``units``, ``transformer``, ``fitting``, ``datasets``) and what each explorer computes from
  it (``allocation``, ``transfer``, ...): numpy and scipy only;
- ``scaling_laws_lab.lab``: real small networks trained in the kernel (the trainer, sweeps,
  the budget game, the transfer study): numpy only;
- ``scaling_laws_lab.kit`` (controls, figures, the ``Explorer`` protocol) and
  ``scaling_laws_lab.explorers`` (one explorer per idea), which use the two above;
  ``scaling_laws_lab.teaching`` holds the question bank and the answer key (UI-free too).

The explorers load on first use::

    from scaling_laws_lab import SixNDCalculator
    SixNDCalculator()

and the UI-free modules are reachable from here too: ``from scaling_laws_lab import laws, lab``.
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
           "finetuning", "transfer", "asymptotes", "fitted", "datasets", "data_constrained",
           "inference", "post_chinchilla", "disagreement")
#: The lab's modules by their public names (``lab_game`` and ``transfer_lab`` are the names
#: notebooks knew them by): name -> module inside ``scaling_laws_lab.lab``.
LAB = {"trainer": "trainer", "sweep": "sweep", "budget_game": "budget_game",
       "lab_game": "budget_game", "transfer_lab": "transfer", "transfer_study": "transfer_study"}
#: Every UI-free module reachable as ``scaling_laws_lab.<name>``: name -> full module name.
MODULES = {**{name: f"{__name__}.science.{name}" for name in SCIENCE},
           **{name: f"{__name__}.lab.{module}" for name, module in LAB.items()},
           "lab": f"{__name__}.lab", "teaching": f"{__name__}.teaching"}

__all__ = [*MODULES, *EXPLORERS, *_KIT]


def __getattr__(name: str):
    if name in EXPLORERS or name in _KIT:
        module = importlib.import_module(EXPLORERS.get(name) or _KIT[name])
        return getattr(module, name)
    if name in MODULES:
        return importlib.import_module(MODULES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
