"""Runs a request and pushes its one reply, success or error body, where the API waits."""

from __future__ import annotations

import json
import logging
from typing import Any

import redis

from backend.errors import DLStudioError
from backend.queue import PREDICT_REPLY_TTL_S, predict_reply_key
from backend.settings import get_settings

logger = logging.getLogger(__name__)


def outcome(payload: dict[str, Any]) -> dict[str, Any]:
    from worker.predict.service import predict_request

    try:
        return {"status": 200, "body": predict_request(payload)}
    except DLStudioError as exc:
        return {"status": exc.status_code, "body": exc.body()}
    except Exception as exc:
        logger.exception("prediction for model %s failed", payload.get("run_id"))
        text = " ".join(str(exc).split())[:300]
        message = f"Prediction failed: {type(exc).__name__}: {text}"
        return {
            "status": 500,
            "body": {"error": {"code": "prediction_failed", "message": message, "problems": []}},
        }


def answer(task_id: str, payload: dict[str, Any]) -> None:
    reply = json.dumps(outcome(payload))
    key = predict_reply_key(task_id)
    client = redis.Redis.from_url(get_settings().resolved_broker_url(), socket_timeout=10)
    try:
        with client.pipeline() as pipe:
            pipe.rpush(key, reply)
            pipe.expire(key, PREDICT_REPLY_TTL_S)
            pipe.execute()
    finally:
        client.close()
