"""A small server-sent-events reader over httpx, as a program (not a browser) would use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class SseEvent:
    id: int
    type: str
    data: dict[str, Any]


def read_events(
    client: httpx.Client,
    path: str,
    last_event_id: int | None = None,
    limit: int | None = None,
    timeout: float = 300,
    include_live: bool = False,
) -> Iterator[SseEvent]:
    """Yields events until the server closes the stream or ``limit`` events were read.

    Events without an id (batch progress: live only, never replayed) are skipped
    unless ``include_live``; they get id -1.
    """
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    count = 0
    with client.stream("GET", path, headers=headers, timeout=timeout) as response:
        response.raise_for_status()
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if line == "":
                if "data" in fields and ("id" in fields or include_live):
                    yield SseEvent(
                        int(fields.get("id", -1)),
                        fields.get("event", "message"),
                        json.loads(fields["data"]),
                    )
                    count += 1
                    if limit is not None and count >= limit:
                        return
                fields = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(":")
                fields[key] = value.removeprefix(" ")
