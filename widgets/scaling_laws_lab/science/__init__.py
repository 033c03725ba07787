"""The science layer: formulas, published constants, units, transformer counts and fitting.

Pure numpy/scipy: nothing here imports ipywidgets or bqplot (a test checks it), so the
science can be used, tested and benchmarked without a browser. Every formula's docstring
cites its paper and equation or table.
"""
