"""Layouts and styles shared between widgets, so that a page has fewer models to build.

ipywidgets gives every widget a ``Layout`` and, for most kinds, a ``Style`` of its own:
each one more model that the kernel sends and the browser builds when a page opens. The
ComputeExplorer was 180 widgets, 101 of them layouts and styles. Widgets that look alike
share one instead.

A shared layout or style is never changed once made: a widget that shows and hides
itself through its layout (``layout.display``) must be given a layout of its own.
"""

from __future__ import annotations

import ipywidgets as ipw

_made: dict[tuple, ipw.Widget] = {}


def _shared(kind: type, css: dict) -> ipw.Widget:
    key = (kind, tuple(sorted(css.items())))
    widget = _made.get(key)
    if widget is None or widget.comm is None:  # never made, or closed (Widget.close_all())
        widget = _made[key] = kind(**css)
    return widget


def layout(**css) -> ipw.Layout:
    """The shared ``Layout`` with these CSS properties (none: the default layout)."""
    return _shared(ipw.Layout, css)


def style(widget_kind: type, **css) -> ipw.Widget:
    """The shared style for widgets of this kind (``ipw.Text``: a ``TextStyle``) with ``css``."""
    return _shared(widget_kind.class_traits()["style"].klass, css)


def html(value: str = "", *classes: str, **kwargs) -> ipw.HTML:
    """An HTML widget with the shared default layout and style, and these CSS classes."""
    kwargs.setdefault("layout", layout())
    return ipw.HTML(value, style=style(ipw.HTML), _dom_classes=classes, **kwargs)
