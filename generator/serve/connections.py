"""The editor's connections under clients that never finish: a deadline for a request's headers
(and, read by the app, for its body) and a cap on open connections, the oldest idle one closed to
make room.

Why: uvicorn times out a connection only between requests (keep-alive), never one that sends a
request's headers a byte at a time. 300 such clients held 300 descriptors until the process ran
out ("Too many open files"), after which no request was answered and every accept logged a
traceback. Here a connection has HEADER_SECONDS to deliver its headers (again after each
response), and past the cap the connection that has waited longest without a request is closed:
a person's request always gets in, and descriptors never run out.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0
"""Seconds a connection has to send a request's headers (a browser sends them at once)."""

BODY_SECONDS = 60.0
"""Seconds a request has to deliver its body once its headers are in (this machine's browser sends
the largest data file in well under a second): a body sent a byte a minute is not waited on forever."""

MAX_CONNECTIONS = 200
"""Open connections at most; lowered to a quarter of the process's descriptor limit when that is
smaller (LibreOffice, previews and uploads need descriptors too)."""


def connection_cap() -> int:
    """MAX_CONNECTIONS within this process's descriptor limit, raised to its hard limit first."""
    try:
        import resource
    except ImportError:  # not a Unix: the cap as it is
        return MAX_CONNECTIONS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft // 4))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and the connection cap (see the module)."""

    cap = MAX_CONNECTIONS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._awaited: Any = None
        self._since = self.loop.time()
        self._arm()
        self._make_room()

    def _arm(self) -> None:
        """Start waiting for the next request's headers."""
        self._disarm()
        self._awaited = self.cycle
        self._since = self.loop.time()
        self._deadline = self.loop.call_later(HEADER_SECONDS, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    def waiting(self) -> bool:
        """No request under way: connected, or kept alive after a response, with no headers yet."""
        return getattr(self, "_deadline", None) is not None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._deadline is not None and self.cycle is not self._awaited:
            self._disarm()  # a new request's headers are in: it is being answered

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def _make_room(self) -> None:
        """Past the cap, close the connection that has waited longest without a request; when
        every one has a request under way (bodies sent a byte a minute), the oldest of those."""
        if len(self.connections) <= self.cap:
            return
        others = [c for c in self.connections if c is not self and isinstance(c, GuardedH11Protocol)
                  and not c.transport.is_closing()]
        idle = [c for c in others if c.waiting()]
        if idle or others:
            oldest = min(idle or others, key=lambda c: c._since)
            oldest._disarm()
            oldest.transport.close()
