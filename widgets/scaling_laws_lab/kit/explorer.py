"""The explorer protocol: ``.state``, ``.set_state(**values)``, ``.figure`` / ``.figures``.

An explorer is an ipywidgets ``VBox``. Its model is its controls' values; its
view is a few bqplot figures whose marks are created once. Every change, from
the UI or from code, goes through :meth:`Explorer.set_state`:

1. each new value is validated by its control, then the whole new state by
   :meth:`Explorer.check` (cross-field rules);
2. only if everything passes are the controls updated and :meth:`Explorer.draw`
   called, once, with every mark held in one ``hold_sync()``;
3. ``draw`` asks the explorer's science function (:attr:`Explorer.compute`, in
   ``scaling_laws_lab.science``) for a plain result and hands it to
   :meth:`Explorer.render`, which only assigns marks and readouts: no formula lives in
   an explorer.

A rejected value raises ``ValueError`` from code; typed or slid in the UI, the
same message appears in the message line and the last good plot stays.
"""

from __future__ import annotations

import contextlib
import functools
import html
import math

import ipywidgets as ipw

from . import figures as figures_mod
from . import looks, projector, share
from .controls import ChoiceControl, Control, MultiChoiceControl, PairListControl, TextControl
from .messages import MessageLine

#: The kit's few style rules, shipped with every explorer (ipywidgets has no other way
#: to add CSS that works in JupyterLab, Voila and Binder alike).
STYLE = """<style>
.sll-columns { display: flex; flex-flow: row wrap; align-items: flex-start; gap: 8px 16px; }
.sll-side { flex: 0 1 420px; min-width: 300px; max-width: 460px; }
.sll-main { flex: 1 1 480px; min-width: 0; max-width: 760px; }
.sll-explorer .widget-button { width: auto !important; max-width: none !important; }
.sll-key { font-size: 12px; line-height: 1.6; margin: 0 0 10px 60px; }
.sll-key span.sll-key-item { white-space: nowrap; margin-right: 14px; display: inline-block; }
.sll-key svg { vertical-align: middle; margin-right: 4px; }
.sll-readout { color: #444; font-size: 12px; margin: -4px 0 4px 11.5em; }
.sll-derived .slider-container, .sll-derived .widget-slider { visibility: hidden; }
.sll-invalid input { border: 2px solid #b00020 !important; }
.sll-table td, .sll-table th { padding: 2px 10px; text-align: left; }
.sll-explorer .jupyter-widget-Collapse-header, .sll-explorer .jupyter-widget-Collapse-header span
  { color: #1a1a1a !important; }
/* A phone (forum links are opened on phones): one column as wide as the screen, each slider's
   name above a full-width track (a 65 px track cannot be dragged), the typed box under it. */
@media (max-width: 600px) {
  .sll-side, .sll-main { flex: 1 1 100%; min-width: 0; max-width: 100%; }
  .sll-control > .widget-hbox { flex-wrap: wrap; }
  .sll-control .widget-slider { width: 100% !important; flex-wrap: wrap; }
  .sll-control .widget-slider > .widget-label { width: 100% !important; max-width: 100% !important;
    flex: 0 0 100%; text-align: left; }
  .sll-control .widget-slider .slider-container { flex: 1 1 auto; margin: 0 12px; }
  .sll-control .widget-dropdown, .sll-control .widget-text, .sll-control .widget-textarea
    { max-width: 100% !important; }
  .sll-readout { margin-left: 0; }
  .sll-key { margin-left: 8px; }
}
/* Figures side by side (figure_rows): two to a row where there is room, one on a phone. */
.sll-pair { display: flex; flex-flow: row wrap; gap: 0 16px; width: 100%; }
.sll-pair > .sll-panel { flex: 1 1 320px; min-width: 0; }
.sll-pair .sll-key { margin-left: 8px; }
/* Projector mode (kit/projector.py says how the sizes were chosen): bqplot's text through its
   CSS variables, ipywidgets' through theirs (em widths grow with the font), the columns wider. */
.sll-projector { font-size: 22px; --jp-widgets-font-size: 22px; --jp-widgets-inline-height: 40px;
  --jp-widgets-slider-handle-size: 24px; --jp-widgets-slider-track-thickness: 6px;
  --jp-widgets-inline-label-width: 11em;
  --bq-axis-tick-text-font: 24px sans-serif; --bq-axislabel-font: 26px sans-serif;
  --bq-mainheading-font: 28px sans-serif; --bq-mainheading-font-size: 28px; }
.sll-projector h3 { font-size: 32px; }
/* The page around a projector-mode explorer too (the switch is page-wide): the notebook's text
   and every other widget on it (the checks), in Voila and in JupyterLab alike. */
body:has(.sll-projector) { --jp-content-font-size1: 22px; --jp-widgets-font-size: 22px;
  --jp-widgets-inline-height: 40px; }
.sll-projector .sll-side { flex: 0 1 720px; min-width: 300px; max-width: 720px; }
.sll-projector .sll-main { flex: 1 1 700px; max-width: 1200px; }
.sll-projector .sll-panel { max-width: 1200px !important; }
.sll-projector .sll-pair > .sll-panel { flex: 1 1 100%; }
.sll-projector .sll-key { font-size: 22px; margin-left: 150px; }
.sll-projector .sll-key svg { width: 33px; height: 18px; }
.sll-projector .sll-readout { font-size: 22px; color: #222; }
.sll-projector .sll-table { font-size: 22px; }
.sll-projector .widget-html-content, .sll-projector .widget-label,
  .sll-projector .jupyter-widget-Collapse-header, .sll-projector .widget-button,
  .sll-projector .widget-readout { font-size: 22px; }
.sll-projector .widget-button, .sll-projector .widget-upload { height: auto; min-height: 40px; }
.sll-projector .widget-upload { width: auto !important; max-width: none !important; }
.sll-projector .widget-checkbox input { width: 22px; height: 22px; }
</style>"""


class Explorer(ipw.VBox):
    """Base class. Subclasses build controls and figures, then call :meth:`_setup`."""

    #: Example states for "try this" prompts and the protocol tests.
    examples: tuple[dict, ...] = ()
    #: Extreme but valid states (1e40 parameters...): they must plot, axes widening to fit.
    extremes: tuple[dict, ...] = ()
    #: Constructor arguments under which the first visible slider moves a figure (make bench).
    bench_args: dict = {}
    #: Whether a slider step moves a figure at once (``make bench`` measures that latency).
    bench_latency: bool = True
    #: This explorer's Voila app, relative to notebooks/ (share links open it).
    app: str = ""
    #: The science function state -> result (a frozen dataclass) behind every number shown.
    #: Subclasses set it with ``staticmethod(...)``.
    compute = None

    def __init__(self, **kwargs):
        kwargs.setdefault("layout", looks.layout())
        super().__init__(_dom_classes=("sll-explorer",), **kwargs)

    def __init_subclass__(cls, **kwargs):
        # Every explorer takes ``projector=True/False`` (kit/projector.py) without each
        # subclass naming it: the option is taken off before the subclass's own __init__.
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None or getattr(init, "_takes_projector", False):
            return

        @functools.wraps(init)
        def __init__(self, *args, projector: bool | None = None, **kw):
            if projector is not None:
                self._projector_choice = bool(projector)
            init(self, *args, **kw)

        __init__._takes_projector = True
        cls.__init__ = __init__

    @property
    def projector(self) -> bool:
        """Whether this explorer is sized for a projector (its option, else the page's)."""
        choice = getattr(self, "_projector_choice", None)
        return projector.page_setting() if choice is None else choice

    def projector_labels(self) -> None:
        """Projector mode: give points named only in a tooltip a visible label.

        Called once, before the first draw, on an explorer in projector mode; a subclass
        whose marks name points only on hover adds label marks here (and fills them in
        :meth:`render`). The base class has none.
        """

    def _setup(self, title: str, controls: list[Control], figures: list, *, readouts=None,
               formula_html: str = "", extra=(), primary=None, actions=(),
               figure_rows=None) -> None:
        """Lay the explorer out: controls beside the figures, the main idea first.

        ``primary`` names the one or two controls the explorer opens with (default: all);
        the rest wait in a closed "More settings" group (a share link that changes one of
        them opens it). ``actions`` (buttons, progress bars) stand under the primary
        controls (a control's name among them places that control there). On a wide screen
        the controls, readouts and message stand in a column to the left of the figures; on a
        narrow one the two columns stack. ``figure_rows`` (lists of indices into ``figures``)
        puts figures side by side, e.g. ``[[0], [1, 2]]``: the first full width, then two
        halves (one above the other where there is no room, and in projector mode).
        """
        self.controls = {c.name: c for c in controls}
        self.figures = list(figures)
        self.message = MessageLine()
        self.readouts = readouts if readouts is not None else looks.html()
        self.readouts.add_class("sll-readouts")
        for control in controls:
            control.on_input = self._ui_input
        primary = list(self.controls) if primary is None else list(primary)
        unknown = set(primary) - set(self.controls)
        if unknown:
            raise ValueError(f"primary names unknown controls: {sorted(unknown)}")
        self.primary = tuple(primary)
        # An action may be a control's name: that control stands there, among the buttons.
        placed = {a for a in actions if isinstance(a, str)}
        side = [c.widget for c in controls if c.name in primary and c.name not in placed]
        side += [self.controls[a].widget if isinstance(a, str) else a for a in actions]
        secondary = [c.widget for c in controls if c.name not in primary]
        self.more = None
        if secondary:
            self.more = ipw.Accordion(
                children=[ipw.VBox(secondary, layout=looks.layout())],
                titles=(f"More settings ({len(secondary)})",), selected_index=None,
                layout=looks.layout(), _dom_classes=("sll-more",))
            side.append(self.more)
        # Serving concerns are composed in, not inherited: kit/share.py.
        self.share_bar = share.ShareBar(self)
        side += [self.readouts, self.message, self.share_bar]
        # Text that changes with the state (readouts, tables): held too, and released after the
        # figures, so a step's first message to the browser is a mark, not a table's HTML.
        self._held_text = [self.readouts, *(w for w in extra if isinstance(w, ipw.HTML))]
        self._keys = [figures_mod.FigureKey(fig) for fig in self.figures]
        # overflow visible: a box that scrolls must take keyboard focus (axe), and nothing here
        # needs to scroll.
        panels = [ipw.VBox([fig, key], layout=looks.layout(width="100%", max_width="760px",
                                                           overflow="visible"),
                           _dom_classes=("sll-panel",))
                  for fig, key in zip(self.figures, self._keys, strict=True)]
        if figure_rows is not None:
            if sorted(i for row in figure_rows for i in row) != list(range(len(panels))):
                raise ValueError("figure_rows must name every figure once")
            panels = [panels[row[0]] if len(row) == 1 else
                      ipw.Box([panels[i] for i in row], layout=looks.layout(overflow="visible"),
                              _dom_classes=("sll-pair",)) for row in figure_rows]
        columns = ipw.Box([ipw.VBox(side, _dom_classes=("sll-side",)),
                           ipw.VBox(panels, layout=looks.layout(overflow="visible"),
                                    _dom_classes=("sll-main",))],
                          layout=looks.layout(overflow="visible"), _dom_classes=("sll-columns",))
        children = [looks.html(f"{STYLE}<h3 style='margin:4px 0'>{html.escape(title)}</h3>"),
                    columns, *extra]
        if formula_html:
            formula = ipw.Accordion(children=[looks.html(formula_html)],
                                    titles=("Show the formula and its source",), selected_index=None,
                                    layout=looks.layout())
            children.append(formula)
        self.children = children
        if self.projector:
            self._size_for_projector()
        state = self.state
        for name, value in self.derive(state).items():
            self.controls[name].show(value)
            state[name] = value
        with self._hold():
            self.draw(state)
            self._refresh_keys()
        share.apply_page_query(self)

    def _size_for_projector(self) -> None:
        """Projector mode, once, before the first draw: the root's CSS class, every figure and
        mark sized (kit/projector.py), and visible labels where names needed a hover."""
        self.add_class("sll-projector")
        self.projector_labels()
        for fig in self.figures:
            projector.size_figure(fig)

    def reveal(self, names) -> None:
        """Open "More settings" if any of ``names`` is in it (a share link set it)."""
        if self.more is not None and set(names) - set(self.primary):
            self.more.selected_index = 0

    # ------------------------------------------------------------------ protocol
    @property
    def figure(self):
        """The first (main) figure."""
        return self.figures[0]

    @property
    def state(self) -> dict:
        """The controls' values as a JSON-able dict."""
        return {name: c.value for name, c in self.controls.items()}

    def set_state(self, **values) -> None:
        """Validate ``values`` and apply them all, or raise ValueError and change nothing."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            known = ", ".join(self.controls)
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; this explorer has {known}")
        new = dict(self.state)
        # Choices first: they decide which numbers are set and which derived.
        choices = (ChoiceControl, MultiChoiceControl, TextControl, PairListControl)
        ordered = sorted(values, key=lambda k: not isinstance(self.controls[k], choices))
        for name in ordered:
            if isinstance(self.controls[name], choices):
                new[name] = self.controls[name].validate(values[name])
        derived_keys = set(self.derive(new))
        for name in ordered:
            if name not in derived_keys and not isinstance(self.controls[name], choices):
                new[name] = self.controls[name].validate(values[name])
        derived = self.derive(new)
        for name in derived_keys & set(values):
            # A derived value may be passed back (a state round trip) but not changed.
            given = values[name]
            same = isinstance(given, (int, float)) and math.isclose(given, derived[name], rel_tol=1e-9)
            if not same:
                raise ValueError(f"{self.controls[name].label} is computed from the other settings "
                                 f"here ({self.derived_reason(new)}); it cannot be set directly")
        new.update(derived)
        self.check(new)
        # Plot first, then echo the values into the controls' text: the figure
        # is what the learner watches, so its message leaves the kernel first.
        with self._hold():
            self.draw(new)
            self._refresh_keys()
        for name in set(values) | derived_keys:
            if new[name] != self.controls[name].value or name in values:
                self.controls[name].show(new[name])

    # ------------------------------------------------------------------ for subclasses
    def derive(self, state: dict) -> dict:
        """Values computed from other settings in ``state`` (shown, not settable)."""
        return {}

    def derived_reason(self, state: dict) -> str:
        """Why some values are derived, for the error message."""
        return "derived"

    def check(self, state: dict) -> None:
        """Cross-field validation: raise ValueError to refuse ``state``."""

    def draw(self, state: dict) -> None:
        """Update marks, scales and readouts in place for ``state``: compute, then render."""
        self.render(type(self).compute(state), state)

    def _refresh_keys(self) -> None:
        for key in getattr(self, "_keys", ()):
            key.refresh()

    def render(self, result, state: dict) -> None:
        """Show ``result`` (from :attr:`compute`): assign marks, scales and readouts only."""
        raise NotImplementedError

    def held_widgets(self):
        """Widgets whose changes are batched in one ``hold_sync()``, in the order they are sent:
        marks, scales and figures first, then the readouts and tables."""
        for fig in self.figures:
            for mark in fig.marks:
                yield mark
                yield from mark.scales.values()
            yield fig
        yield from getattr(self, "_held_text", ())
        yield from getattr(self, "_keys", ())

    # ------------------------------------------------------------------ internals
    def _hold(self):
        widgets, seen = [], set()
        for widget in self.held_widgets():
            if id(widget) not in seen:
                seen.add(id(widget))
                widgets.append(widget)
        stack = contextlib.ExitStack()
        # ExitStack releases last-in first: enter in reverse so the first
        # figure's first mark (the main curve) is sent first.
        for widget in reversed(widgets):
            stack.enter_context(widget.hold_sync())
        return stack

    def _ui_input(self, name: str, raw) -> None:
        control = self.controls[name]
        try:
            self.set_state(**{name: raw})
        except ValueError as err:
            control.mark_invalid(True)
            self.message.error(f"{err}. The plot still shows the last accepted value.")
        else:
            self.message.clear()


def attach_more(explorer: Explorer, more: ipw.HTML, title: str = "More numbers") -> None:
    """Put ``more`` in a closed "More" group under ``explorer``'s readouts (after ``_setup``).

    The default readout stays at three short lines (the answer for the current setting and
    what to look at); everything else waits here, one click away, and is held and sent with
    the readouts (after the figures). ``render`` fills ``more`` from the first draw on.
    """
    box = ipw.Accordion(children=[more], titles=(title,), selected_index=None,
                        layout=looks.layout(), _dom_classes=("sll-more-readouts",))
    side = explorer.children[1].children[0]  # the controls' column, which holds the readouts
    kids = list(side.children)
    kids.insert(kids.index(explorer.readouts) + 1, box)
    side.children = tuple(kids)
    explorer._held_text.append(more)
