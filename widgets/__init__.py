"""Scaling Laws Lab: the science (``laws``, ``papers``) and the explorers the notebooks use.

The science modules import only numpy, so ``import widgets.laws`` works without
ipywidgets or bqplot. The explorers load on first use::

    from widgets import SixNDCalculator
    SixNDCalculator()
"""

from __future__ import annotations

import importlib

from .explorers import MODULES as _MODULES

__version__ = "0.1.0"

#: Every explorer, by the module that holds it (one table, kept in widgets.explorers, which
#: imports nothing heavy): an app loads only its own explorer's module.
EXPLORERS = {name: f"widgets.explorers.{module}" for name, module in _MODULES.items()}
_KIT = {"SelfCheck": "widgets.kit"}

__all__ = ["laws", "papers", "units", *EXPLORERS, *_KIT]


def __getattr__(name: str):
    if name in EXPLORERS or name in _KIT:
        module = importlib.import_module(EXPLORERS.get(name) or _KIT[name])
        return getattr(module, name)
    if name in ("laws", "papers", "units"):
        return importlib.import_module(f"widgets.{name}")
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")
