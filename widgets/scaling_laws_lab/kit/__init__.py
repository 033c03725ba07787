"""The explorer kit: every explorer is built from these few pieces."""

from . import looks
from .controls import (
    ChoiceControl,
    Control,
    IndexSetControl,
    LinearControl,
    LogControl,
    MultiChoiceControl,
    NumberControl,
    PairListControl,
    TextControl,
    seed_control,
)
from .explorer import Explorer, attach_more
from .figures import (
    PALETTE,
    decade_cover,
    decade_ticks,
    end_label_mark,
    end_labels,
    fit_scale,
    linear_scale,
    log_grid,
    log_scale,
    make_figure,
    pad_rows,
    set_limits,
    update,
)
from .messages import MessageLine
from .selfcheck import ChoiceCheck, SelfCheck, check, grade

__all__ = [
    "PALETTE",
    "ChoiceControl",
    "Control",
    "Explorer",
    "IndexSetControl",
    "LinearControl",
    "LogControl",
    "NumberControl",
    "PairListControl",
    "MessageLine",
    "MultiChoiceControl",
    "ChoiceCheck",
    "SelfCheck",
    "TextControl",
    "attach_more",
    "check",
    "decade_cover",
    "decade_ticks",
    "end_label_mark",
    "end_labels",
    "fit_scale",
    "grade",
    "linear_scale",
    "log_grid",
    "log_scale",
    "looks",
    "make_figure",
    "pad_rows",
    "seed_control",
    "set_limits",
    "update",
]
