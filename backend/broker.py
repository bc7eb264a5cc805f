"""Redis clients for the API: run-event pub/sub and health checks."""

from __future__ import annotations

from functools import lru_cache

import redis
import redis.asyncio as aioredis

from backend.settings import get_settings


@lru_cache
def get_redis() -> redis.Redis:
    return redis.Redis.from_url(
        get_settings().resolved_broker_url(), socket_timeout=5, socket_connect_timeout=2
    )


def new_async_redis() -> aioredis.Redis:
    # One per SSE stream: a pub/sub connection is held for the stream's life.
    return aioredis.Redis.from_url(get_settings().resolved_broker_url(), socket_connect_timeout=2)
