"""Controls: a log slider with a typed entry and unit readout, and a choice menu.

A control holds one validated value. It never applies what the learner did by
itself: it hands the raw input to its explorer (``on_input``), which validates
the whole new state and either commits it or shows the message.
"""

from __future__ import annotations

import contextlib
import html
import math
from collections.abc import Callable

import ipywidgets as ipw
import numpy as np

from ..science.units import format_quantity, parse_quantity, si
from . import looks


def _label(text: str) -> ipw.Label:
    """A control's title in the 11em column where the sliders' descriptions sit."""
    return ipw.Label(text, layout=looks.layout(width="11em", flex="0 0 11em"),
                     style=looks.style(ipw.Label))


class Control:
    """What every control offers the explorer."""

    name: str
    widget: ipw.Widget
    on_input: Callable[[str, object], None] | None = None
    _muted = False

    @contextlib.contextmanager
    def _quietly(self):
        """Changes made to the widgets in here are shown, not taken as the learner's input."""
        self._muted = True
        try:
            yield
        finally:
            self._muted = False

    def _emit(self, raw) -> None:
        """Hand the learner's raw input to the explorer (unless it is our own change)."""
        if not self._muted and self.on_input:
            self.on_input(self.name, raw)

    @property
    def value(self):
        raise NotImplementedError

    def validate(self, raw):
        """The value ``raw`` would become, or ValueError with a learner-facing message."""
        raise NotImplementedError

    def show(self, value) -> None:
        """Display an already validated value without calling back."""
        raise NotImplementedError

    def mark_invalid(self, invalid: bool) -> None:
        """Flag the control after rejected input (a class, styled in the page)."""

    def set_enabled(self, enabled: bool) -> None:
        """Grey the control out when it does not apply (derived, or irrelevant to the state)."""
        if getattr(self.widget, "disabled", None) == enabled:
            self.widget.disabled = not enabled


class NumberControl(Control):
    """A number on a slider, with a text box that takes ``70B``, ``3e23``, ``10^14``, and a unit readout.

    The slider is an ``IntSlider`` over grid positions: position ``i`` stands for
    ``i × step`` on the control's axis (log10 of the value for :class:`LogControl`, the
    value itself for :class:`LinearControl`). The kernel only ever writes whole
    positions, which the browser's slider holds exactly, so it never sends them back
    (ipywidgets' ``IntSliderView`` sends a value only when it differs from the
    model's). A float slider cannot promise that: its browser view snaps every value the
    kernel writes to its own grid, in floating point, and sends the snapped value
    back, so the kernel had to tell those echoes from the learner's moves. The exact
    value (a typed ``1.4T``) lives in the text box and in ``.state``; the slider shows
    the nearest position.

    Parameters
    ----------
    name : str
        The key in the explorer's ``state``.
    label : str
        What the learner reads, e.g. ``"N, parameters"``.
    unit : str
        ``params``, ``tokens``, ``characters``, ``FLOPs``, ``%``, ... (shown, and
        accepted when typed after the number).
    value : float
        Starting value.
    slider_range : (float, float)
        Where the slider runs. Typed values outside it widen it.
    bounds : (float, float)
        The values accepted at all; anything outside is refused with a message.
    step : float
        One slider position, on the control's axis (decades for a log control).
    readout : callable, optional
        ``value -> str`` for the readout next to the box (default: value + unit).
    integer : bool
        Round accepted values to whole numbers (layers, devices).
    """

    _stepping = None  #: (the browser's last position, ±1) while it steps ahead of the kernel

    def __init__(self, name, label, unit, value, slider_range, bounds, *, step=0.02,
                 readout=None, integer=False):
        self.name, self.label, self.unit = name, label, unit
        self.bounds = (float(bounds[0]), float(bounds[1]))
        self.integer = integer
        self.step = float(step)
        self._readout_fn = readout or (lambda v: format_quantity(v, unit))
        self._value = float(self.validate(value))
        lo, hi = (self._axis(v) / self.step for v in slider_range)
        lo, hi = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
        here = self.position_of(self._value)
        # Everything is passed at construction: each change made afterwards is one more
        # message for the page, and layouts and styles are shared (see looks.py).
        self.slider = ipw.IntSlider(
            value=here, min=min(lo, here), max=max(hi, here), step=1, description=label,
            readout=False, continuous_update=True, layout=looks.layout(width="21.5em"),
            style=looks.style(ipw.IntSlider, description_width="11em"))
        # A visible label tied to the box (not only a tooltip): screen readers name it.
        self.entry = ipw.Text(
            value=si(value), continuous_update=False, description="or type",
            style=looks.style(ipw.Text, description_width="3.6em"),
            layout=looks.layout(width="9.5em"), _dom_classes=("sll-entry",),
            tooltip=f"type a value in {unit}, e.g. 70B, 1.4T, 3e23 or 10^14",
        )
        # The readout (value in words and units) on its own line under the slider, so the
        # control fits the explorer's side column.
        self.readout = looks.html(self._readout_fn(self._value), "sll-readout")
        self.widget = ipw.VBox([ipw.HBox([self.slider, self.entry], layout=looks.layout()),
                                self.readout], layout=looks.layout(),
                               _dom_classes=("sll-control",))
        self.slider.observe(self._slider_moved, "value")
        self.entry.observe(self._entry_typed, "value")

    # -------------------------------------------------------------- the slider's grid
    def _axis(self, value: float) -> float:
        """Where ``value`` sits on the slider's axis (log10 for log sliders)."""
        raise NotImplementedError

    def _from_axis(self, x: float) -> float:
        raise NotImplementedError

    def position_of(self, value: float) -> int:
        """The slider position nearest ``value``."""
        return round(self._axis(value) / self.step)

    def value_at(self, position: int) -> float:
        """The value slider ``position`` stands for, kept within the accepted bounds."""
        lo, hi = self.bounds
        return min(max(self._from_axis(position * self.step), lo), hi)

    # -------------------------------------------------------------- protocol
    @property
    def value(self) -> float:
        return self._value

    def validate(self, raw) -> float:
        try:
            value = parse_quantity(raw, self.unit)
        except ValueError as err:
            raise ValueError(f"{self.label}: {err}") from None
        lo, hi = self.bounds
        if not lo <= value <= hi:
            raise ValueError(
                f"{self.label} must be between {si(lo)} and {si(hi)} {self.unit}; got {si(value)}"
            )
        if self.integer:
            # Whole numbers, never below the smallest accepted one (a seed may be 0; a count
            # of layers may not).
            value = float(max(round(value), math.ceil(lo)))
        return value

    def show(self, value) -> None:
        self._value = float(value)
        with self._quietly():
            if not self.slider.disabled:
                self._move_slider()
            self.entry.value = si(self._value)
            self.readout.value = self._readout_fn(self._value)
            self.mark_invalid(False)

    def mark_invalid(self, invalid: bool) -> None:
        (self.entry.add_class if invalid else self.entry.remove_class)("sll-invalid")

    def _move_slider(self) -> None:
        position = self.position_of(self._value)
        if position == self.slider.value:
            return
        # One message: the browser's view clamps a value outside its range and sends the
        # clamped one back, so a widened range must arrive with the value, not after it.
        with self.slider.hold_sync():
            if position > self.slider.max:  # reach a typed value rather than clamp it
                self.slider.max = position
            if position < self.slider.min:
                self.slider.min = position
            self.slider.value = position

    def set_enabled(self, enabled: bool) -> None:
        """Disable the control when its value is derived from other controls.

        A derived control keeps its text box and readout but hides its slider:
        moving a slider from the kernel costs the browser tens of milliseconds
        of layout, paid before the figure can repaint (measured by make bench).
        """
        if self.slider.disabled != enabled:
            return
        with self._quietly():
            self.slider.disabled = self.entry.disabled = not enabled
            # The kit's stylesheet hides the track of a derived slider; its label stays.
            (self.slider.remove_class if enabled else self.slider.add_class)("sll-derived")
            if enabled:
                self._move_slider()

    def _slider_moved(self, change):
        # A derived control's slider cannot be moved by hand (it is hidden and disabled).
        if self._muted or not self.on_input or self.slider.disabled:
            return
        position, here = change["new"], self.position_of(self._value)
        stepping, self._stepping = self._stepping, None
        # The browser pressed again before it heard where the last step went: it still counts
        # from its own position (k = 1 -> position 1, then 2, 3, ... while the kernel has k = 2
        # at position 30). Read each such press as the next step, or position 2 would round
        # back to k = 1 and quick presses would end where they began.
        continuing = stepping is not None and position == stepping[0] + stepping[1]
        if continuing:
            direction = stepping[1]
            position = here + direction
        elif position == here:
            return  # the value shown already sits here (a typed 1.4T at 10^12.14)
        else:
            direction = 1 if position > here else -1
        raw = self.value_at(position)
        if self.integer and abs(position - here) == 1 and max(round(raw), 1) == self._value:
            # One step of a log slider at a small whole number (k = 1 -> 10^0.02 = 1.05) rounds
            # back to where it was, and the arrow keys could never move it: one step moves to
            # the next whole number that way instead.
            nudged = self._value + direction
            if not self.bounds[0] <= nudged <= self.bounds[1]:
                return
            raw = nudged
            continuing = True
        if continuing:
            self._stepping = (change["new"], direction)
        self.on_input(self.name, raw)

    def _entry_typed(self, change):
        self._emit(change["new"])


class LogControl(NumberControl):
    """A positive quantity on a log slider; ``step`` is in decades (0.02: 50 per decade)."""

    def _axis(self, value):
        return math.log10(value)

    def _from_axis(self, x):
        return 10.0 ** x


def seed_control(label: str = "Random seed", value: int = 0) -> LinearControl:
    """The one seed control: a whole number from 0 to 2³² − 1 (what numpy's generators take),
    its slider over 0–50; state key ``seed``."""
    return LinearControl("seed", label, "", value, (0, 50), (0, 2**32 - 1), step=1,
                         integer=True)


class LinearControl(NumberControl):
    """A quantity on a linear slider, e.g. a utilisation in percent; ``step`` in its unit."""

    def _axis(self, value):
        return value

    def _from_axis(self, x):
        return float(f"{x:.12g}")  # position 7 × step 0.01 is 0.07, not 0.07000000000000001


class _OneWidgetControl(Control):
    """A control that is a single widget whose ``value`` is the state's value (menu, text)."""

    def _bind(self, widget) -> None:
        self.widget = widget
        widget.observe(lambda change: self._emit(change["new"]), "value")

    @property
    def value(self):
        return self._value

    def show(self, value) -> None:
        self._value = value
        with self._quietly():
            self.widget.value = value


class ChoiceControl(_OneWidgetControl):
    """One of a fixed set of options (a dropdown); state holds the option's key."""

    def __init__(self, name, label, options: dict[str, str], value: str):
        self.name, self.label, self.options = name, label, dict(options)
        self.dropdown = ipw.Dropdown(
            options=[(text, key) for key, text in self.options.items()], value=value,
            description=label, style=looks.style(ipw.Dropdown, description_width="11em"),
            layout=looks.layout(width="31em", max_width="100%"),
        )
        self._value = self.validate(value)
        self._bind(self.dropdown)

    def validate(self, raw) -> str:
        if not isinstance(raw, str) or raw not in self.options:
            choices = ", ".join(repr(k) for k in self.options)
            raise ValueError(f"{self.label} must be one of {choices}; got {raw!r}")
        return raw


class MultiChoiceControl(Control):
    """Any non-empty subset of fixed options, as checkboxes; state holds the keys in option order."""

    def __init__(self, name, label, options: dict[str, str], value):
        self.name, self.label, self.options = name, label, dict(options)
        look = {"layout": looks.layout(width="auto", margin="0 12px 0 0"),
                "style": looks.style(ipw.Checkbox)}
        self.boxes = {key: ipw.Checkbox(value=False, description=text, indent=False, **look)
                      for key, text in self.options.items()}
        # The title above, the boxes one per line: long option names stay whole in the
        # explorer's side column.
        self.widget = ipw.VBox([ipw.Label(label, style=looks.style(ipw.Label)),
                                ipw.VBox(list(self.boxes.values()),
                                         layout=looks.layout(margin="0 0 0 2em"))],
                               layout=looks.layout(), _dom_classes=("sll-control",))
        self._value = self.validate(value)
        self.show(self._value)
        for box in self.boxes.values():
            box.observe(self._changed, "value")

    @property
    def value(self) -> list:
        return list(self._value)

    def validate(self, raw) -> list:
        if isinstance(raw, str) or not isinstance(raw, (list, tuple, set)):
            raise ValueError(f"{self.label} must be a list of options from "
                             f"{', '.join(map(repr, self.options))}; got {raw!r}")
        unknown = [k for k in raw if k not in self.options]
        if unknown:
            raise ValueError(f"{self.label}: unknown option(s) {unknown!r}; choose from "
                             f"{', '.join(map(repr, self.options))}")
        if not raw:
            raise ValueError(f"{self.label}: choose at least one")
        return [k for k in self.options if k in raw]

    def show(self, value) -> None:
        self._value = list(value)
        with self._quietly():
            for key, box in self.boxes.items():
                box.value = key in self._value

    def mark_invalid(self, invalid: bool) -> None:
        if invalid:  # a refused click (unticking the last box): tick it again
            self.show(self._value)

    def _changed(self, change):
        self._emit([k for k, box in self.boxes.items() if box.value])


class TextControl(_OneWidgetControl):
    """Free text (a CSV paste): the explorer parses it; here only its size is checked."""

    def __init__(self, name, label, value: str = "", *, max_chars: int = 2_000_000,
                 placeholder: str = "", rows: int = 6):
        self.name, self.label, self.max_chars = name, label, max_chars
        self.area = ipw.Textarea(value=value, placeholder=placeholder, continuous_update=False,
                                 description=label, rows=rows,
                                 style=looks.style(ipw.Textarea, description_width="11em"),
                                 layout=looks.layout(width="30em", max_width="100%"))
        self._value = self.validate(value)
        self._bind(self.area)

    def validate(self, raw) -> str:
        if not isinstance(raw, str):
            raise ValueError(f"{self.label} must be text; got {type(raw).__name__}")
        if len(raw) > self.max_chars:
            raise ValueError(f"{self.label}: {len(raw):,} characters is over the limit of "
                             f"{self.max_chars:,}")
        return raw


class IndexSetControl(Control):
    """A set of item indices (runs left out of a fit), toggled by clicking points; no slider."""

    def __init__(self, name, label, value=()):
        self.name, self.label = name, label
        self._value = self.validate(list(value))
        self.summary = looks.html()
        self.reset = ipw.Button(description="Include all runs", layout=looks.layout(width="12em"),
                                style=looks.style(ipw.Button))
        self.reset.on_click(lambda _: self.on_input and self.on_input(self.name, []))
        self.widget = ipw.HBox([_label(label), self.summary, self.reset], layout=looks.layout())
        self.show(self._value)

    @property
    def value(self) -> list:
        return list(self._value)

    def validate(self, raw) -> list:
        if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple, set)):
            raise ValueError(f"{self.label} must be a list of run numbers; got {raw!r}")
        out = set()
        for item in raw:
            if isinstance(item, bool) or not isinstance(item, (int, np.integer)) or item < 0:
                raise ValueError(f"{self.label}: {item!r} is not a run number (0, 1, 2, …)")
            out.add(int(item))
        return sorted(out)

    def show(self, value) -> None:
        self._value = sorted(value)
        n = len(self._value)
        self.summary.value = (f"{n} run{'s' if n != 1 else ''} left out (click a point to "
                              "toggle it)" if n else "all runs in (click a point to leave it out)")

    def toggle(self, index: int) -> None:
        if self.on_input:
            self.on_input(self.name, sorted(set(self._value) ^ {int(index)}))


class PairListControl(Control):
    """A list of number pairs (the budget game's screening runs, [N, D] each), shown as a
    short summary; explorers add and remove pairs with buttons, and the list is validated by
    the explorer's science (``validator``)."""

    def __init__(self, name, label, value=(), *, validator=None, describe=None):
        self.name, self.label = name, label
        self._validator = validator
        self._describe = describe or (lambda pairs: f"{len(pairs)} item(s)")
        self._value = self.validate(list(value))
        self.summary = looks.html()
        self.widget = self.summary
        self.show(self._value)

    @property
    def value(self) -> list:
        return [list(p) for p in self._value]

    def validate(self, raw) -> list:
        if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple)):
            raise ValueError(f"{self.label} must be a list of [N, D] pairs; got {raw!r}")
        out = []
        for pair in raw:
            if isinstance(pair, (str, bytes)) or not isinstance(pair, (list, tuple)) \
                    or len(pair) != 2:
                raise ValueError(f"{self.label}: each item must be a pair [N, D]; got {pair!r}")
            try:
                a, b = (float(parse_quantity(v, "")) for v in pair)
            except (TypeError, ValueError):
                raise ValueError(f"{self.label}: {pair!r} is not a pair of numbers") from None
            out.append([a, b])
        if self._validator is not None:
            self._validator(out)
        return out

    def show(self, value) -> None:
        self._value = [list(p) for p in value]
        self.summary.value = f"<b>{html.escape(self.label)}</b>: {self._describe(self._value)}"
