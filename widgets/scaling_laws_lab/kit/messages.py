"""The message line: where an explorer says why it refused an input."""

from __future__ import annotations

import html

import ipywidgets as ipw

from . import looks


class MessageLine(ipw.HTML):
    """One line of text under the controls; empty when all is well.

    ``error`` is for rejected input (the plot keeps its last good state),
    ``info`` for neutral notes such as "the axis widened to show 1e40".
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("layout", looks.layout())
        super().__init__(value="", style=looks.style(ipw.HTML), _dom_classes=("sll-message",),
                         **kwargs)
        self.text = ""
        self.level = ""

    def error(self, text: str) -> None:
        self._show(text, "error", "#b00020", "⚠")

    def info(self, text: str) -> None:
        self._show(text, "info", "#333", "ℹ")

    def clear(self) -> None:
        self.text, self.level, self.value = "", "", ""

    def _show(self, text: str, level: str, colour: str, icon: str) -> None:
        self.text, self.level = text, level
        # Icon plus words, so the meaning never rests on colour alone.
        self.value = (
            f'<span class="sll-{level}" style="color:{colour}">{icon} {html.escape(text)}</span>'
        )
