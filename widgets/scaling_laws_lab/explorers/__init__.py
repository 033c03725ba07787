"""One explorer per idea; each is an ipywidgets container built from :mod:`scaling_laws_lab.kit`.

Each explorer loads on first use, with only what it needs: a Voila app for the 6ND
calculator does not import SciPy's optimisers for the fitting explorer. That is kernel
start-up time a classroom pays thirty times over (see ``bench.classroom``).
"""

from __future__ import annotations

import importlib

from .. import EXPLORER_MODULES as MODULES

__all__ = list(MODULES)


def __getattr__(name: str):
    if name in MODULES:
        return getattr(importlib.import_module(f"{__name__}.{MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
