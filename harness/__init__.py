"""Servers and a browser for the browser tests and the benchmarks: JupyterLab and Voila on
loopback ports with throwaway Jupyter dirs, and Debian's Chromium. Shared by ``tests/`` and
``bench/``, so neither imports the other."""
