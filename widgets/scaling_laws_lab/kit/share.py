"""Share links: an explorer's state in a URL's query string, and back, parsed strictly.

A link opens the explorer's Voila app (``notebooks/apps/…``), which hands the query
string to the kernel (``QUERY_STRING``). Parsing never evaluates anything: known keys
only, each value through the same validation as the control, numbers as plain
numerals; whatever is refused is named in the explorer's message line.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, quote, urlencode

from .controls import ChoiceControl, MultiChoiceControl, NumberControl

#: The public repository Binder builds (see README).
BINDER = "https://mybinder.org/v2/gh/scaling-laws-lab/scaling-laws-lab/HEAD"
MAX_VALUE_CHARS = 100
MAX_FIELDS = 40
#: Query keys that belong to the server, not to an explorer: passed over without a word
#: (``jupyter lab`` prints its URLs with ``?token=…``, and Voila inside it keeps it).
SERVER_KEYS = frozenset({"token"})
_NUMERAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")


def shareable(control) -> bool:
    return isinstance(control, (NumberControl, ChoiceControl, MultiChoiceControl))


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
    if ignored:
        explorer.message.error("From the link, ignored: " + "; ".join(ignored))
    elif values:
        explorer.message.info("Restored from the link: " + ", ".join(values))
    return ignored


_request_received = False


def page_query() -> str:
    """The query string Voila gave this kernel ('' outside Voila).

    A pre-heated kernel (``voila --preheat_kernel=True``) runs the app before anyone asks
    for it, so the query is not there yet: the first call waits here, once per kernel,
    until Voila hands over the student's request. Everything before it (kernel start,
    imports, building the explorer) is done ahead of time.
    """
    global _request_received
    if os.environ.get("VOILA_PREHEAT") == "True" and not _request_received:
        os.environ.update(_wait_for_voila_request())
        _request_received = True
    return os.environ.get("QUERY_STRING", "")


def _wait_for_voila_request() -> dict[str, str]:
    """The student's request, as environment variables, from Voila's request-info socket.

    What ``voila.utils.wait_for_request`` (Voila 0.5) does, without importing Voila: that
    import loads the Jupyter server and costs 1.8 s of CPU in every pre-heated kernel.
    One JSON message arrives on ``ws://VOILA_APP_IP:VOILA_APP_PORT{base}voila/query/{kernel
    id}`` when a page takes this kernel. The browser test with a pre-heated Voila checks it.
    """
    import asyncio
    import json
    import threading

    import websockets  # Voila's own dependency: present wherever VOILA_PREHEAT is set

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID')}")
    received: dict[str, str] = {}

    async def receive():
        async with websockets.connect(url, open_timeout=5) as socket:
            received.update(json.loads(await socket.recv()))

    def run():
        try:
            asyncio.run(receive())
        except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
            pass  # no request info: the page opens without its link's settings

    # In its own thread and event loop: the kernel's loop is busy running this very cell.
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return {str(k): str(v) for k, v in received.items()}
