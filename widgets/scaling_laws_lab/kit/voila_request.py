"""The one adapter to Voila's private request-info endpoint, for pre-heated kernels.

Voila (``--preheat_kernel=True``) runs an app before anyone asks for it, so the page's
query string (a share link's settings) is not in the kernel's environment yet. Voila 0.5
hands it over later on a websocket of its own, ``voila/query/<kernel id>``, which is not a
public API. This module is the only place that talks to it; if it fails, :data:`failure`
says why, and the explorer reports it in its message line instead of silently opening
with defaults.
"""

from __future__ import annotations

import os

#: Why the last attempt to read the request failed (None: no failure).
failure: str | None = None
_request_received = False


def page_query() -> str:
    """The query string Voila gave this kernel ('' outside Voila).

    A pre-heated kernel (``voila --preheat_kernel=True``) runs the app before anyone asks
    for it, so the query is not there yet: the first call waits here, once per kernel,
    until Voila hands over the student's request. Everything before it (kernel start,
    imports, building the explorer) is done ahead of time.
    """
    global _request_received, failure
    if os.environ.get("VOILA_PREHEAT") == "True" and not _request_received:
        try:
            os.environ.update(_wait_for_voila_request())
        except RequestUnavailable as err:
            failure = str(err)
        _request_received = True
    return os.environ.get("QUERY_STRING", "")


class RequestUnavailable(Exception):
    """Voila's request-info socket did not answer (Voila changed, or the socket is blocked)."""


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

    errors: list[str] = []

    def run():
        try:
            asyncio.run(receive())
        except (OSError, TimeoutError, ValueError, websockets.exceptions.WebSocketException) as err:
            errors.append(f"{type(err).__name__}: {err}"[:200])

    # In its own thread and event loop: the kernel's loop is busy running this very cell.
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise RequestUnavailable(f"Voila's request socket {url}: {errors[0]}")
    return {str(k): str(v) for k, v in received.items()}
