"""A worker that consumes the predict queue says so in Redis, with a TTL, while it runs.

The API reads it to answer 503 at once when no predict worker is up (a task on a queue nobody
consumes would only time out).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import redis
from celery.signals import worker_ready, worker_shutdown

from backend.queue import PREDICT_HEARTBEAT_TTL_S, PREDICT_QUEUE, predict_heartbeat_key
from backend.settings import get_settings

logger = logging.getLogger(__name__)
_stop = threading.Event()


def consumed_queues(sender: Any) -> set[str]:
    try:
        return set(sender.app.amqp.queues.consume_from)
    except AttributeError:
        return set()


@worker_ready.connect  # type: ignore[untyped-decorator]
def start_heartbeat(sender: Any = None, **_: Any) -> None:
    if PREDICT_QUEUE not in consumed_queues(sender):
        return
    key = predict_heartbeat_key(getattr(sender, "hostname", None) or "predict")
    thread = threading.Thread(target=_beat, args=(key,), name="predict-heartbeat", daemon=True)
    thread.start()
    logger.info("predict worker ready (%s)", key)


@worker_shutdown.connect  # type: ignore[untyped-decorator]
def stop_heartbeat(**_: Any) -> None:
    _stop.set()


def _beat(key: str) -> None:
    client = redis.Redis.from_url(get_settings().resolved_broker_url(), socket_timeout=5)
    try:
        while not _stop.is_set():
            try:
                client.set(key, "1", ex=PREDICT_HEARTBEAT_TTL_S)
            except redis.RedisError as exc:  # the broker restarts; try again next beat
                logger.warning("predict heartbeat: %s", exc)
            _stop.wait(PREDICT_HEARTBEAT_TTL_S / 3)
        client.delete(key)
    finally:
        client.close()
