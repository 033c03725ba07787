"""The science layer: what the papers say, and what each explorer computes from it.

What the papers say: ``papers`` (every published constant and fit, with its citation; each
fit holds its own allocation rule), ``laws/`` (the formulas in four chapters: compute,
allocation, transfer, asymptotes), ``units``, ``grids``, ``transformer``, ``fitting`` and
``datasets``; ``arguments`` holds the argument checks the formulas share.
What the explorers compute from it: one module per idea (``budget``, ``allocation``,
``finetuning``, ``transfer``, ``asymptotes``, ``fitted``, ``inference``, ``data_constrained``,
``disagreement``, ``post_chinchilla``). Real training is not here: it is
:mod:`scaling_laws_lab.lab`.

Pure numpy/scipy: nothing here imports ipywidgets or bqplot (a test checks it), so the
science can be used, tested and benchmarked without a browser. Every formula's docstring
cites its paper and equation or table.
"""
