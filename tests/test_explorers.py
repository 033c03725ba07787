"""Every exported explorer honours the protocol: state, set_state, figures updated in place."""

import json
import math

import numpy as np
import pytest
import scaling_laws_lab
from scaling_laws_lab import SelfCheck
from scaling_laws_lab.kit import NumberControl, grade

EXPLORERS = sorted(scaling_laws_lab.EXPLORERS)
BAD_VALUES = [-1, 0, float("nan"), float("inf"), "abc", None, "1e400", 1e400]


def make(name):
    return getattr(scaling_laws_lab, name)()


def free_numeric(explorer, real=False):
    """The first number control that is set, not derived, in the start state (``real``: not integer)."""
    derived = explorer.derive(explorer.state)
    return next((k, c) for k, c in explorer.controls.items()
                if isinstance(c, NumberControl) and k not in derived and not (real and c.integer))


def numeric(data):
    """A mark's x or y as floats, or None for categorical data (bar labels)."""
    arr = np.asarray(data)
    return arr.astype(float) if arr.dtype.kind in "biuf" else None


def marks_data(explorer):
    """Every mark's x/y data (and text) and every scale's bounds, as plain lists."""
    out = []
    for fig in explorer.figures:
        for mark in fig.marks:
            out.append([np.asarray(getattr(mark, attr)).tolist() for attr in ("x", "y")])
            out.append(list(getattr(mark, "text", [])))
            out.append([(getattr(s, "min", None), getattr(s, "max", None))
                        for s in mark.scales.values()])
    return out


def assert_nothing_nan(explorer):
    for fig in explorer.figures:
        for mark in fig.marks:
            for attr in ("x", "y"):
                data = numeric(getattr(mark, attr))
                if data is not None:
                    assert np.all(np.isfinite(data)), f"{type(mark).__name__}.{attr} has NaN/inf"


@pytest.mark.parametrize("name", EXPLORERS)
def test_state_is_json_and_round_trips(name):
    explorer = make(name)
    state = explorer.state
    assert json.loads(json.dumps(state)) == state
    other = make(name)
    other.set_state(**state)
    assert other.state == state
    assert marks_data(other) == marks_data(explorer)


@pytest.mark.parametrize("name", EXPLORERS)
def test_set_state_moves_the_marks(name):
    explorer = make(name)
    figure_ids = [id(f) for f in explorer.figures]
    mark_ids = [id(m) for f in explorer.figures for m in f.marks]
    assert explorer.examples, "each explorer lists example states"
    for example in explorer.examples:
        before = marks_data(explorer)
        explorer.set_state(**example)
        for key, value in example.items():
            nested = isinstance(value, list) and any(isinstance(v, list) for v in value)
            assert explorer.state[key] == (value if nested else pytest.approx(value))
        assert marks_data(explorer) != before, f"{example} did not change any mark"
        assert_nothing_nan(explorer)
    # Updated in place: same figures, same marks.
    assert [id(f) for f in explorer.figures] == figure_ids
    assert [id(m) for f in explorer.figures for m in f.marks] == mark_ids


@pytest.mark.parametrize("name", EXPLORERS)
@pytest.mark.parametrize("bad", BAD_VALUES, ids=repr)
def test_bad_values_change_nothing(name, bad):
    explorer = make(name)
    numeric = [k for k, c in explorer.controls.items() if isinstance(c, NumberControl)]
    assert numeric
    for key in numeric:
        lo = explorer.controls[key].bounds[0]
        if isinstance(bad, (int, float)) and lo <= bad <= 0:
            continue  # 0 or -1 are meaningful here (a noise level, a seed, an exponent)
        state, data = explorer.state, marks_data(explorer)
        with pytest.raises(ValueError) as err:
            explorer.set_state(**{key: bad})
        assert len(str(err.value)) > 10
        assert explorer.state == state
        assert marks_data(explorer) == data


@pytest.mark.parametrize("name", EXPLORERS)
def test_bad_value_typed_in_the_ui_shows_message_and_keeps_plot(name):
    explorer = make(name)
    key, control = free_numeric(explorer)
    state, data = explorer.state, marks_data(explorer)
    control.entry.value = "-5"  # what the browser sends when someone types it
    assert explorer.message.level == "error" and "must be" in explorer.message.text
    assert "sll-invalid" in control.entry._dom_classes
    assert explorer.state == state and marks_data(explorer) == data
    # A good value, taken from the explorer's own examples, clears the message and applies.
    good_key, good = next((k, v) for ex in explorer.examples for k, v in ex.items()
                          if isinstance(explorer.controls[k], NumberControl)
                          and k not in explorer.derive(explorer.state))
    good_control = explorer.controls[good_key]
    good_control.entry.value = f"{good:.6g}"
    assert explorer.message.text == ""
    assert explorer.state[good_key] == pytest.approx(good, rel=1e-5)
    assert "sll-invalid" not in control.entry._dom_classes or good_key != key


@pytest.mark.parametrize("name", EXPLORERS)
def test_unknown_setting_is_refused(name):
    explorer = make(name)
    with pytest.raises(ValueError, match="unknown setting"):
        explorer.set_state(not_a_control=1)


@pytest.mark.parametrize("name", EXPLORERS)
def test_extreme_but_valid_values_plot(name):
    explorer = make(name)
    assert explorer.extremes, "each explorer lists extreme but valid states"
    for extreme in explorer.extremes:
        explorer.set_state(**extreme)
        assert_nothing_nan(explorer)
        # The axes widened to include the data instead of clipping it.
        for fig in explorer.figures:
            for mark in fig.marks:
                for axis, scale in mark.scales.items():
                    data = numeric(getattr(mark, axis))
                    if data is not None and data.size and hasattr(scale, "min"):
                        assert scale.min <= data.min() and data.max() <= scale.max, (
                            f"{extreme}: {type(mark).__name__}.{axis} leaves its axis")


def test_one_control_step_sends_one_batched_update(monkeypatch):
    explorer = make("SixNDCalculator")
    sent = []
    for fig in explorer.figures:
        for mark in fig.marks:
            monkeypatch.setattr(mark, "send_state",
                                lambda key=None, m=mark: sent.append((id(m), key)))
    explorer.controls["n_params"].slider.value = explorer.controls["n_params"].position_of(3e11)
    mark_ids = [i for i, _ in sent]
    assert sent and len(mark_ids) == len(set(mark_ids)), "each mark sends at most one message"


@pytest.mark.parametrize("name", EXPLORERS)
def test_a_typed_value_survives_its_slider_position(name):
    # The slider shows the nearest of its positions (whole numbers); the typed value stays
    # in the box and the state, and the browser sending that position again changes nothing.
    explorer = make(name)
    key, control = free_numeric(explorer, real=True)
    value = control.value_at(control.position_of(control.value) + 0.4)  # between two positions
    explorer.set_state(**{key: value})
    position = control.slider.value
    assert isinstance(position, int) and position == control.position_of(value)
    assert control.value_at(position) != value
    control.slider.value = position - 1
    control.slider.value = position  # the learner moves away and back: the position's value
    assert explorer.state[key] == pytest.approx(control.value_at(position), rel=1e-12)
    explorer.set_state(**{key: value})
    control.slider.value = position + 1  # one arrow key
    assert explorer.state[key] > value


def test_a_derived_slider_sends_nothing_that_counts():
    # A derived control's slider is hidden and disabled; whatever it might send is not input.
    explorer = make("ComputeExplorer")
    control = explorer.controls["d_model"]
    before = explorer.state
    assert control.slider.disabled  # derived from N in the default mode
    control.slider.value = control.slider.value + 5
    assert explorer.state == before and explorer.message.text == ""


def test_the_kernel_writes_only_whole_slider_positions_in_one_message(monkeypatch):
    # What keeps the browser from sending a value back (there is no echo to filter): the
    # IntSlider view sends only a position that differs from the model's, and a whole
    # position, inside the range sent in the same message, is held exactly and never clamped.
    explorer = make("ComputeExplorer")
    control = explorer.controls["n_params"]
    sent = []
    monkeypatch.setattr(control.slider, "send_state",
                        lambda key=None: sent.append(control.slider.get_state(key)))
    for value in (1e14, 175e9, 3.3e37, 2.0):  # the last two widen the range
        explorer.set_state(n_params=value)
    assert len(sent) == 4, "one message per move"
    for state in sent:
        assert isinstance(state["value"], int)
        assert control.slider.min <= state["value"] <= control.slider.max
    assert any("max" in s for s in sent) and any("min" in s for s in sent)
    assert control.slider.min <= control.position_of(2.0) and control.value_at(
        control.slider.max) >= 3.3e37 / 10 ** control.step


def test_calculator_readout_and_point():
    explorer = make("SixNDCalculator")
    explorer.set_state(n_params="175B", n_tokens="300B")
    assert explorer.point.y[0] == pytest.approx(3.15e23, rel=1e-3)
    assert "3.15e23 FLOPs" in explorer.readouts.value
    # The line passes through the point.
    x, y = np.log(explorer.line.x), np.log(explorer.line.y)
    assert math.exp(np.interp(math.log(300e9), x, y)) == pytest.approx(3.15e23, rel=1e-6)


def test_selfcheck_grades():
    box = SelfCheck("GPT-3's training FLOPs?", 3.15e23, "FLOPs", working="6 × 175e9 × 300e9")
    assert box.check("3.15e23") == "right"
    assert box.check("3.14e23 FLOPs") == "right"
    assert box.check("2e23") == "close"
    assert box.check("3e22") == "wrong"
    assert box.check("lots") == "invalid"
    assert grade(1.0, 1.0) == "right"
    box.reveal.value = True
    assert box.working.layout.display == "block"


def test_widgets_that_look_alike_share_one_layout_and_style():
    # Every widget is one more model for the browser to build when thirty students open a
    # page at once (bench.classroom); a layout or style per widget made most of them.
    from ipywidgets.widgets.widget import _instances
    from scaling_laws_lab.kit import NumberControl, looks

    before = set(_instances)
    e = scaling_laws_lab.ComputeExplorer()
    made = [w for k, w in _instances.items() if k not in before]
    numbers = [c for c in e.controls.values() if isinstance(c, NumberControl)]
    for part in ("slider", "entry", "readout"):
        assert len({id(getattr(c, part).layout) for c in numbers}) == 1, part
        assert len({id(getattr(c, part).style) for c in numbers}) == 1, part
    looks_made = [w for w in made if type(w).__name__.endswith(("Layout", "Style"))]
    assert len(looks_made) <= len(made) / 3, (len(looks_made), len(made))
    # A shared layout closed by Widget.close_all() is made afresh, never handed out dead.
    shared = looks.layout(width="26em")
    shared.close()
    again = looks.layout(width="26em")
    assert again is not shared and again.comm is not None and again.width == "26em"


def test_one_slider_step_moves_a_small_whole_number():
    # k = 1 on a log slider: one arrow key is 10^0.01 = 1.02, which rounds back to 1. From the
    # keyboard the control could never move; one step goes to the next whole number instead.
    explorer = scaling_laws_lab.FinetuneExplorer(method="top_k")
    control = explorer.controls["top_k"]

    def press(direction):  # what the browser sends for one arrow key from the current value
        control.slider.value = control.position_of(control.value) + direction

    assert control.value == 1
    press(+1)
    assert explorer.state["top_k"] == 2
    press(+1)
    assert explorer.state["top_k"] == 3
    press(-1)
    assert explorer.state["top_k"] == 2
    # A drag far from the value still lands where it was dropped.
    control.slider.value = control.position_of(10.0)
    assert explorer.state["top_k"] == 10


def test_quick_presses_each_move_a_small_whole_number_on_a_slow_server():
    # A browser that presses again before the kernel's reply arrives still counts from its own
    # position: k = 1 is position 0, and five quick presses send positions 1, 2, 3, 4, 5 while
    # the kernel has already moved k to 2 (position 30). Each press must count as one step,
    # not round back to k = 1 (a CI machine twice as slow as a laptop showed the bug).
    explorer = scaling_laws_lab.FinetuneExplorer(method="top_k")
    control = explorer.controls["top_k"]
    assert control.value == 1 and control.slider.value == 0
    for sent in range(1, 6):
        control.slider.value = sent
        assert explorer.state["top_k"] == 1 + sent, sent
    # Once the reply has arrived, the next press comes from where the kernel put the slider.
    control.slider.value = control.position_of(control.value) + 1
    assert explorer.state["top_k"] == 7
    # A drag that lands far away is a drag, not another quick press.
    control.slider.value = control.position_of(3.0)
    assert explorer.state["top_k"] == 3
    control.slider.value = control.position_of(3.0) - 1
    assert explorer.state["top_k"] == 2


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_number_comes_from_a_science_function(name):
    # draw = render(compute(state)): the explorer's compute is a function of a UI-free layer
    # (science, or the lab for explorers that train) that returns a frozen dataclass, and
    # rendering another state's result draws that state.
    import dataclasses

    cls = getattr(scaling_laws_lab, name)
    assert cls.compute.__module__.startswith(("scaling_laws_lab.science.",
                                              "scaling_laws_lab.lab.")), cls.compute
    explorer, other = make(name), make(name)
    example = explorer.examples[0]
    other.set_state(**example)
    result = cls.compute(other.state)
    assert dataclasses.is_dataclass(result) and type(result).__dataclass_params__.frozen
    explorer.set_state(**example)  # the controls follow; render the other's result again
    explorer.render(result, other.state)
    # (equal to the last digits, but for FitExplorer, whose step warm-starts the fit: there the
    # fresh fit and the warm-started one agree to about 1e-8)
    assert _close(marks_data(explorer), marks_data(other))


def _close(a, b, rel_tol=1e-6):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, rel_tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= rel_tol * max(abs(a), abs(b))
    return a == b


def test_no_explorer_module_evaluates_a_law():
    # Formulas live in the science layer: explorer modules never call laws' formulas directly
    # (a unit conversion for a readout is the one use allowed).
    import pathlib
    import re

    folder = pathlib.Path(scaling_laws_lab.__file__).parent / "explorers"
    for path in folder.glob("*.py"):
        calls = set(re.findall(r"\blaws\.(\w+)\(", path.read_text()))
        assert calls <= {"flops_to_pf_days"}, (path.name, calls)


def test_shared_figures_are_one_chart_class_each():
    # The N–D plane (equal-compute lines in 01, iso-loss contours in 06) and the IsoFLOP view
    # are composed from kit.charts, not rebuilt mark by mark in each explorer.
    from scaling_laws_lab.kit.charts import IsoFlopChart, NDPlane

    compute, fit = scaling_laws_lab.ComputeExplorer(), scaling_laws_lab.FitExplorer()
    assert isinstance(compute.plane, NDPlane) and isinstance(fit.plane, NDPlane)
    assert compute.plane.figure in compute.figures and fit.plane.figure in fit.figures
    assert np.asarray(compute.plane.lines.x).size and np.asarray(fit.plane.lines.x).size
    allocation = scaling_laws_lab.AllocationExplorer()
    assert isinstance(allocation.iso, IsoFlopChart) and allocation.iso.figure in allocation.figures


def test_a_step_sends_only_the_marks_that_changed():
    # kit.update is the one partial-redraw mechanism: a budget step in notebook 02 leaves the
    # allocation lines (which depend on the laws and the axis only) unsent.
    e = scaling_laws_lab.AllocationExplorer()
    sent = []
    e.n_lines.observe(lambda change: sent.append(change["name"]), names=["x", "y", "colors"])
    e.set_state(flops=2e23)
    assert sent == []
    e.set_state(laws=["kaplan", "epoch"])
    assert "y" in sent


def test_no_explorer_keeps_its_own_redraw_bookkeeping():
    import pathlib

    folder = pathlib.Path(scaling_laws_lab.__file__).parent / "explorers"
    for path in folder.glob("*.py"):
        text = path.read_text()
        assert "np.array_equal" not in text and "_drawn_lines" not in text, path.name


def test_a_step_sends_the_figures_before_the_readouts(monkeypatch):
    # The browser applies messages in order: a step's first message should move a mark, and
    # the readouts and tables (HTML) follow the figures.
    import ipywidgets as ipw

    e = scaling_laws_lab.AllocationExplorer()
    sent = []
    original = ipw.Widget.send_state

    def record(self, key=None):
        sent.append(type(self).__name__)
        return original(self, key)

    monkeypatch.setattr(ipw.Widget, "send_state", record)
    e.set_state(flops=2e23)
    html = [i for i, name in enumerate(sent) if name == "HTML"]
    marks = [i for i, name in enumerate(sent) if name in ("Lines", "Scatter", "Label")]
    assert marks and html and max(marks) < min(html), sent


def test_a_choice_check_explains_a_wrong_and_a_right_answer():
    from scaling_laws_lab import ChoiceCheck

    c = ChoiceCheck("q?", {"a": "A", "b": "B"}, "b", {"a": "misconception x", "b": "reason y"})
    assert c.choose("a") == "wrong" and "misconception x" in c.result.value
    assert c.choose("b") == "right" and "reason y" in c.result.value
    assert c.seen == ["a", "b"] and c.choose(None) == "invalid"
    with pytest.raises(ValueError, match="answer"):
        ChoiceCheck("q?", {"a": "A"}, "z", {"a": "x"})
    with pytest.raises(ValueError, match="explanation"):
        ChoiceCheck("q?", {"a": "A", "b": "B"}, "a", {"a": "x"})


@pytest.mark.parametrize("name", EXPLORERS)
def test_one_look_per_meaning(name):
    # Across explorers: the learner's own setting is an orange diamond of one size; published
    # runs are green; simulated or synthetic data says so in capitals; no bqplot legend is
    # drawn over the data (the key under the figure lists what is on show).
    import bqplot as bq
    from scaling_laws_lab.kit import PALETTE

    explorer = make(name)
    for fig in explorer.figures:
        for mark in fig.marks:
            assert not mark.display_legend, f"{name}: a legend would be drawn inside the plot"
            labels = [str(label) for label in (mark.labels or [])]
            if isinstance(mark, bq.Scatter) and labels and labels[0].startswith("your "):
                assert mark.marker == "diamond" and list(mark.colors) == [PALETTE[1]], labels
                assert mark.default_size == 120, labels
            if isinstance(mark, bq.Scatter) and labels and "published" in labels[0]:
                assert list(mark.colors) == [PALETTE[2]], labels
            for label in labels + [fig.title]:
                for word in ("simulated", "synthetic", "illustrative"):
                    assert word not in label or word.upper() in label, label


def test_a_predict_first_check_reveals_its_figure_only_after_a_commitment():
    from scaling_laws_lab import ChoiceCheck

    calc = scaling_laws_lab.SixNDCalculator(n_params=140e9, n_tokens=0.7e12)
    check = ChoiceCheck("C after doubling N and halving D?", {"same": "same", "double": "double"},
                        "same", {"same": "right", "double": "no"}, reveal=calc)
    assert calc not in check.revealed.children
    assert check.choose(None) == "invalid" and calc not in check.revealed.children
    assert check.choose("double") == "wrong" and check.revealed.children == (calc,)
    check.choose("same")
    assert check.revealed.children == (calc,)
