"""Server-sent events for one run: history from the DB after Last-Event-ID, then live.

The channel is subscribed *before* the history is read, so an event published
in between is not lost; sequence numbers drop the duplicates, and a gap in the
live feed (a missed publish) is filled from the table.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import redis
from fastapi.concurrency import run_in_threadpool
from redis.asyncio.client import PubSub

from backend.broker import new_async_redis
from backend.db.session import get_sessionmaker
from backend.events import progress_channel, run_channel
from backend.models.run import Run, RunStatus
from backend.runs import repository
from backend.settings import Settings

TERMINAL = {status.value for status in RunStatus if status.is_terminal}
DB_POLL_SECONDS = 1.0  # used only while Redis is unreachable


def format_event(payload: dict[str, object]) -> bytes:
    # Progress is live-only (not in the log): no id line, so it never moves the
    # browser's Last-Event-ID past an event the log holds.
    ident = "" if payload.get("type") == "progress" else f"id: {payload['seq']}\n"
    return (
        f"{ident}event: {payload['type']}\n"
        f"data: {json.dumps(payload, separators=(',', ':'))}\n\n"
    ).encode()


def _is_terminal(payload: dict[str, object]) -> bool:
    return payload.get("type") == "status" and payload.get("status") in TERMINAL


def _load_after(run_id: int, after: int) -> list[dict[str, object]]:
    with get_sessionmaker()() as session:
        return [dict(e.payload) for e in repository.events_after(session, run_id, after)]


def _load_progress(run_id: int, last: int) -> dict[str, object] | None:
    """The run row's latest batch progress, as a live event (training runs only)."""
    with get_sessionmaker()() as session:
        run = session.get(Run, run_id)
        if run is None or run.status != RunStatus.RUNNING.value or not run.progress:
            return None
        return {**run.progress, "type": "progress", "run_id": run_id, "seq": last}


class RunEventStream:
    def __init__(self, run_id: int, last_event_id: int, settings: Settings) -> None:
        self.run_id = run_id
        self.last = last_event_id
        self.settings = settings
        self.finished = False

    async def _catch_up(self) -> AsyncIterator[bytes]:
        for payload in await run_in_threadpool(_load_after, self.run_id, self.last):
            self.last = int(payload["seq"])  # type: ignore[call-overload]
            yield format_event(payload)
            if _is_terminal(payload):
                self.finished = True
                return

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield f"retry: {self.settings.sse_retry_ms}\n\n".encode()
        client = new_async_redis()
        pubsub: PubSub | None = client.pubsub()
        try:
            await pubsub.subscribe(  # type: ignore[union-attr]
                run_channel(self.run_id), progress_channel(self.run_id)
            )
        except (redis.RedisError, OSError):
            pubsub = None
        try:
            async for chunk in self._catch_up():
                yield chunk
            if not self.finished:
                # A page opened mid-epoch shows where the epoch is before the next update.
                current = await run_in_threadpool(_load_progress, self.run_id, self.last)
                if current is not None:
                    yield format_event(current)
            while not self.finished:
                async for chunk in self._next(pubsub):
                    yield chunk
        finally:
            if pubsub is not None:
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            await client.aclose()

    async def _next(self, pubsub: PubSub | None) -> AsyncIterator[bytes]:
        if pubsub is None:
            await asyncio.sleep(DB_POLL_SECONDS)
            async for chunk in self._catch_up():
                yield chunk
            return
        message = await pubsub.get_message(
            ignore_subscribe_messages=True, timeout=self.settings.sse_keepalive_seconds
        )
        if message is None:
            # Quiet period: re-read the table (covers a lost publish) and keep
            # proxies from closing an idle connection.
            async for chunk in self._catch_up():
                yield chunk
            yield b": keepalive\n\n"
            return
        payload = json.loads(message["data"])
        if payload.get("type") == "progress":
            yield format_event(payload)
        elif int(payload["seq"]) > self.last:
            async for chunk in self._catch_up():
                yield chunk
