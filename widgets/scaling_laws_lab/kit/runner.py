"""Running a batch of training jobs from an explorer: Run, Cancel, two bars, a status line.

The jobs run in a background thread, so the page stays live while they train (Cancel works,
the bars move) and each finished job can be drawn at once. A job list is any function
``task(progress) -> (results, complete)`` that calls ``progress(i, n_jobs, done, size)``
during job ``i`` and lets :class:`~scaling_laws_lab.lab.trainer.Cancelled` stop it.
"""

from __future__ import annotations

import threading
import time

import ipywidgets as ipw

from ..lab.trainer import Cancelled
from . import looks


class Runner:
    """The run controls of an explorer that trains models (notebooks 07 and 08).

    Parameters
    ----------
    run_label, outer_label, inner_label : str
        The Run button's text and the two bars' names (the batch, the current job).
    on_job_done : callable
        Called (in the worker thread) each time a job finishes, to draw it.
    """

    def __init__(self, run_label: str, outer_label: str, inner_label: str, on_job_done):
        self.run_button = ipw.Button(description=run_label, button_style="primary", icon="play")
        self.cancel_button = ipw.Button(description="Cancel", icon="stop", disabled=True)
        self.outer_bar = ipw.IntProgress(min=0, max=1, value=0, description=outer_label,
                                         layout=looks.layout(width="24em"))
        self.inner_bar = ipw.FloatProgress(min=0, max=1, value=0, description=inner_label,
                                           layout=looks.layout(width="24em"))
        self.status = looks.html()
        self.cancel_button.on_click(lambda _: self.cancel())
        self._on_job_done = on_job_done
        self._thread = None
        self._stop = threading.Event()
        self._last_tick = 0.0

    def widgets(self, *extra) -> ipw.VBox:
        """The buttons, any ``extra`` widgets, the bars and the status line, in one column."""
        return ipw.VBox([ipw.HBox([self.run_button, self.cancel_button]), *extra,
                         self.outer_bar, self.inner_bar, self.status], layout=looks.layout())

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, task, n_jobs: int, n_done: int, *, wait: bool, what: str = "runs") -> None:
        """Run ``task`` (here if ``wait``, else in a thread); ``n_done`` jobs are already done."""
        if self.running:
            raise ValueError(f"the {what} are already running")
        self._stop.clear()
        self.run_button.disabled, self.cancel_button.disabled = True, False
        self.outer_bar.max, self.outer_bar.value = max(1, n_jobs), n_done
        self.status.value = f"Running {n_jobs} {what}…"
        if wait:
            self._work(task, n_done)
        else:
            self._thread = threading.Thread(target=self._work, args=(task, n_done), daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background batch ends."""
        if self._thread is not None:
            self._thread.join(timeout)

    def cancel(self) -> None:
        """Stop after the current step; the jobs already finished stay."""
        self._stop.set()

    def _work(self, task, n_done: int) -> None:
        started = time.perf_counter()
        last = [n_done]

        def progress(i, total, done, size):
            if self._stop.is_set():
                raise Cancelled
            now = time.perf_counter()
            if i != last[0]:  # a job finished: show it
                last[0] = i
                self._on_job_done()
            if now - self._last_tick > 0.2 or done == size:
                self._last_tick = now
                self.outer_bar.value = min(i, self.outer_bar.max)
                self.inner_bar.value = done / size if size else 1.0

        try:
            _, complete = task(progress)
        except Exception as err:  # shown, never swallowed silently in a thread
            self.status.value = f"<span style='color:#b00020'>⚠ the run stopped: {err}</span>"
        else:
            took = time.perf_counter() - started
            self.status.value = (f"Finished in {took:.1f} s." if complete else
                                 "Cancelled: the runs already finished are kept (Run resumes).")
        self._on_job_done()
        self.run_button.disabled, self.cancel_button.disabled = False, True


class RunsInBackground:
    """What an explorer that trains models offers around its :class:`Runner`: ``running``,
    ``wait()``, ``cancel()`` and the redraw after each finished job. The explorer sets
    ``self.runner`` and keeps the finished runs in ``self.view.runs``."""

    #: Its sliders set a plan and no figure moves until Run: ``make bench``'s slider-step
    #: latency does not apply (``bench.lab`` and ``bench.transfer`` measure these explorers).
    bench_latency = False

    @property
    def running(self) -> bool:
        return self.runner.running

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background batch ends (for a notebook cell that needs its runs)."""
        self.runner.wait(timeout)

    def cancel(self) -> None:
        """Stop after the current step; the runs already finished stay."""
        self.runner.cancel()

    def _redraw(self) -> None:
        with self._hold():
            self.draw(self.state)
            self._refresh_keys()
        self.runner.outer_bar.value = min(len(self.view.runs), self.runner.outer_bar.max)
