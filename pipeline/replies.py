"""POST to a server we do not control and read its reply with a size cap and an overall deadline.

Kibana's saved-objects reply and a webhook's acknowledgement are small; a hostile or broken server may answer
with gigabytes (read whole, a 2 GB body took 7.9 GB of memory) or trickle one byte at a time (httpx's timeout is
per read, so that never ends). Callers get at most `max_bytes` and an error once `deadline` seconds have passed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

T = TypeVar("T")
MAX_REPLY_BYTES = 1024 * 1024  # plenty for a saved-objects import result or a webhook acknowledgement


class ReplyError(Exception):
    """The reply was cut short (too large or too slow); the message is one sentence naming the URL. `status_code`
    is the status the server had already sent (None when not even the status line came in time): a 2xx means the
    request was accepted, whatever its body does after."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass
class Reply:
    status_code: int
    reason_phrase: str
    content: bytes
    retry_after: str | None = None  # the Retry-After header as sent (a receiver rate-limiting us)
    location: str | None = None  # the Location header as sent (a receiver that moved)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def post_capped(url: str, *, timeout: float, deadline: float | None = None, max_bytes: int = MAX_REPLY_BYTES,
                shown: str | None = None, **kwargs) -> Reply:
    """httpx.post, streamed: raises ReplyError past `max_bytes` of body or `deadline` seconds (default 2 x timeout)
    in all, and httpx.HTTPError when the server cannot be reached. `shown` names the URL in messages when the URL
    itself is a secret (a Slack webhook)."""
    shown = shown or url
    deadline = deadline if deadline is not None else 2 * timeout
    # identity: httpx inflates a whole compressed chunk before we can count it (see fetch.py)
    kwargs["headers"] = {"Accept-Encoding": "identity", **(kwargs.get("headers") or {})}
    end = time.monotonic() + deadline
    client = httpx.Client(timeout=min(timeout, deadline))
    seen: dict = {}

    def post() -> Reply:
        with client.stream("POST", url, **kwargs) as response:
            seen["status"] = response.status_code
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ReplyError(f"{shown} answered HTTP {response.status_code} with a body over "
                                     f"{max_bytes // 1024} KB; it was not read further.", response.status_code)
                if time.monotonic() > end:
                    raise ReplyError(f"{shown} did not finish its reply within {deadline:.0f} s; it was cut off.",
                                     response.status_code)
                chunks.append(chunk)
            return Reply(response.status_code, response.reason_phrase, b"".join(chunks),
                         response.headers.get("retry-after"), response.headers.get("location"))

    try:
        # httpx's timeout is per read: a server sending its status line a byte a second never times out
        done, reply = finished_within(max(0.0, end - time.monotonic()) + 0.5, post, "post-capped")
    finally:
        client.close()  # ends the connection of a request still running
    if not done:
        raise ReplyError(f"{shown} did not finish its reply within {deadline:.0f} s; it was cut off.",
                         seen.get("status"))
    return reply


def finished_within(seconds: float, work: Callable[[], T], name: str) -> tuple[bool, T | None]:
    """`work()` in a daemon thread the caller stops waiting for after `seconds`: (True, its result) when it ended in
    time, its exception raised here; (False, None) when not — the caller then closes what `work` is blocked on.
    For the libraries whose timeouts are per read (httpx, smtplib), where a peer sending a byte a second never
    times out."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        return False, None
    if "error" in outcome:
        raise outcome["error"]
    return True, outcome["result"]
