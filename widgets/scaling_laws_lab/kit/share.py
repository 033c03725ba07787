"""Share links and figure export: serving concerns, composed into an explorer, not part of it.

A link opens the explorer's Voila app (``notebooks/apps/…``), which hands the query
string to the kernel (``QUERY_STRING``; a pre-heated kernel gets it through
:mod:`.voila_request`). Parsing never evaluates anything: known keys only, each value
through the same validation as the control, numbers as plain numerals; whatever is
refused is named in the explorer's message line. :class:`ShareBar` is the row of
buttons (share this setting, save the figure) under an explorer.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, urlencode

import ipywidgets as ipw

from .. import RELEASE_TAG
from . import looks, voila_request
from .controls import ChoiceControl, MultiChoiceControl, NumberControl, PairListControl

#: The public repository Binder builds, at this release's tag (see README).
BINDER = f"https://mybinder.org/v2/gh/scaling-laws-lab/scaling-laws-lab/{RELEASE_TAG}"
MAX_VALUE_CHARS = 100
MAX_FIELDS = 40
#: Query keys that belong to the server or the page, not to an explorer: passed over without a
#: word (``jupyter lab`` prints its URLs with ``?token=…``, and Voila inside it keeps it;
#: ``projector=1`` sizes the page for a room, kit/projector.py).
SERVER_KEYS = frozenset({"token", "projector"})
_NUMERAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")


def shareable(control) -> bool:
    return isinstance(control, (NumberControl, ChoiceControl, MultiChoiceControl,
                                PairListControl))


def share_query(explorer) -> str:
    """The explorer's shareable state as a query string (``explorer=…&n_params=7e+10…``)."""
    items = [("explorer", type(explorer).__name__)]
    derived = explorer.derive(explorer.state)  # they follow from the rest
    for name, control in explorer.controls.items():
        if not shareable(control) or name in derived:
            continue
        value = control.value
        if isinstance(control, MultiChoiceControl):
            items.append((name, ",".join(value)))
        elif isinstance(control, PairListControl):  # "2000:3e5,5000:2e5"
            items.append((name, ",".join(f"{a!r}:{b!r}" for a, b in value)))
        elif isinstance(control, NumberControl):
            items.append((name, repr(float(value))))
        else:
            items.append((name, value))
    return urlencode(items)


def share_links(explorer) -> dict[str, str]:
    """``local``: a path under a running Voila (``voila notebooks/``); ``binder``: a Binder URL."""
    query = share_query(explorer)
    binder_path = f"voila/render/notebooks/{explorer.app}?{query}"
    return {"local": f"voila/render/{explorer.app}?{query}",
            "binder": f"{BINDER}?urlpath={quote(binder_path, safe='')}"}


def parse_query(explorer, query: str) -> tuple[dict, list[str]]:
    """(values to apply, reasons for everything ignored) for ``query`` and this explorer.

    Returns ({}, []) if the link names another explorer.
    """
    ignored: list[str] = []
    if not isinstance(query, str) or not query.strip("?& "):
        return {}, []
    if len(query) > MAX_FIELDS * (MAX_VALUE_CHARS + 30):
        return {}, [f"the link's query is {len(query):,} characters long: ignored"]
    try:
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        return {}, [f"the link has more than {MAX_FIELDS} settings: ignored"]
    counts: dict[str, int] = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    target = [v for k, v in pairs if k == "explorer"]
    if target and target[0] != type(explorer).__name__:
        return {}, []  # the link is for another explorer on the page
    values = {}
    for key, raw in pairs:
        if key == "explorer" or key in SERVER_KEYS:
            continue
        shown = key[:40]
        if counts[key] > 1:
            if f"{shown} (given more than once)" not in ignored:
                ignored.append(f"{shown} (given more than once)")
            continue
        control = explorer.controls.get(key)
        if control is None or not shareable(control):
            ignored.append(f"{shown} (not a setting of this explorer)")
            continue
        if len(raw) > MAX_VALUE_CHARS:
            ignored.append(f"{shown} (value {len(raw):,} characters long)")
            continue
        try:
            if isinstance(control, NumberControl):
                if not _NUMERAL.match(raw.strip()):
                    raise ValueError("not a plain number")
                value = control.validate(float(raw))
            elif isinstance(control, MultiChoiceControl):
                value = control.validate(raw.split(","))
            elif isinstance(control, PairListControl):
                items = [item.split(":") for item in raw.split(",") if item]
                if any(len(i) != 2 or not all(_NUMERAL.match(x.strip()) for x in i)
                       for i in items):
                    raise ValueError("not a list of N:D pairs")
                value = control.validate([[float(a), float(b)] for a, b in items])
            else:
                value = control.validate(raw)
        except ValueError as err:
            ignored.append(f"{shown} ({str(err)[:120]})")
            continue
        values[key] = value
    return values, ignored


def apply_query(explorer, query: str) -> list[str]:
    """Apply a share link's query to ``explorer``; returns (and shows) what was ignored.

    Values that pass on their own but clash together (an inverted range) are applied
    one by one, skipping the ones that clash.
    """
    values, ignored = parse_query(explorer, query)
    try:
        explorer.set_state(**values)
    except ValueError:
        for key, value in values.items():
            try:
                explorer.set_state(**{key: value})
            except ValueError as err:
                ignored.append(f"{key} ({str(err)[:120]})")
    # A link that changed a setting kept in "More settings" opens the group, so the learner
    # sees what the link set.
    reveal = getattr(explorer, "reveal", None)
    if reveal is not None:
        reveal(values)
    if ignored:
        explorer.message.error("From the link, ignored: " + "; ".join(ignored))
    elif values:
        explorer.message.info("Restored from the link: " + ", ".join(values))
    return ignored


#: Whether an explorer in this kernel has already taken the page's share-link query.
_query_claimed = False


def apply_page_query(explorer) -> None:
    """Apply the Voila page's link to ``explorer``: the one it names, or else the first built.

    If a pre-heated kernel could not read the student's request from Voila, say so in the
    explorer's message line (the page opens with its defaults).
    """
    global _query_claimed
    query = voila_request.page_query()
    if voila_request.failure and not _query_claimed:
        explorer.message.error(f"This link's settings could not be read from Voila "
                               f"({voila_request.failure}); the explorer opened with its defaults.")
    if not query:
        return
    named = "explorer=" in query
    if not named and _query_claimed:
        return
    _query_claimed = _query_claimed or not named
    apply_query(explorer, query)


class ShareBar(ipw.VBox):
    """The row under an explorer: "Share this setting" (links to its Voila app) and figure export."""

    def __init__(self, explorer):
        self.explorer = explorer
        self.html = looks.html()
        look = {"layout": looks.layout(), "style": looks.style(ipw.Button)}
        buttons = []
        if explorer.app:
            share_button = ipw.Button(description="Share this setting", icon="link",
                                      tooltip="a link that opens this explorer as set now", **look)
            share_button.on_click(lambda _: self.show_links())
            buttons.append(share_button)
        for kind in ("png", "svg"):
            button = ipw.Button(description=f"Save figure as {kind.upper()}", icon="download",
                                tooltip=f"download the main figure as {kind.upper()}", **look)
            button.on_click(lambda _, k=kind: self.save_figure(k))
            buttons.append(button)
        # Buttons as wide as their captions, wrapping in a narrow column, never cut.
        super().__init__([ipw.HBox(buttons, layout=looks.layout(flex_flow="row wrap")), self.html],
                         layout=looks.layout(), _dom_classes=("sll-share",))

    def show_links(self) -> dict:
        """Show (and return) the local and Binder links to the explorer as set now."""
        links = share_links(self.explorer)
        self.html.value = (
            f"<div>Local Voila (run <code>voila notebooks/</code>): "
            f"<a href='/{html.escape(links['local'])}' target='_blank'>"
            f"{html.escape(links['local'])}</a></div><div>Binder: <a href='"
            f"{html.escape(links['binder'])}' target='_blank'>{html.escape(links['binder'])}"
            f"</a></div>"
        )
        return links

    def save_figure(self, kind: str = "png") -> str:
        """Ask the browser to download the main figure as PNG or SVG (bqplot draws it)."""
        filename = f"{type(self.explorer).__name__}.{kind}"
        figure = self.explorer.figure
        (figure.save_png if kind == "png" else figure.save_svg)(filename)
        return filename
