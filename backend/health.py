"""GET /api/health: is each part of the pipe up? Checked live, each with a short timeout."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import text

from backend.broker import get_redis
from backend.db.session import get_engine
from backend.queue import celery_client, worker_devices_key

router = APIRouter(prefix="/api", tags=["health"])


class ComponentHealth(BaseModel):
    status: Literal["up", "down"]
    detail: str | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    components: dict[str, ComponentHealth]


def _database() -> ComponentHealth:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return ComponentHealth(status="up", detail=get_engine().dialect.name)
    except Exception as exc:
        return ComponentHealth(status="down", detail=f"{type(exc).__name__}: {exc}")


def _broker() -> ComponentHealth:
    try:
        get_redis().ping()
        return ComponentHealth(status="up")
    except Exception as exc:
        return ComponentHealth(status="down", detail=f"{type(exc).__name__}: {exc}")


def _workers() -> ComponentHealth:
    try:
        replies = celery_client().control.ping(timeout=1.0)
    except Exception as exc:
        return ComponentHealth(status="down", detail=f"{type(exc).__name__}: {exc}")
    if not replies:
        return ComponentHealth(status="down", detail="no worker answered within 1 s")
    names = sorted(name for reply in replies for name in reply)
    shown = ", ".join(f"{name}{_devices(name)}" for name in names)
    return ComponentHealth(status="up", detail=f"{len(names)} worker(s): {shown}")


def _devices(worker: str) -> str:
    """' (GPU: NVIDIA H100; tensorflow)' from the worker's own report, '' without one."""
    try:
        raw = get_redis().get(worker_devices_key(worker))
        devices = json.loads(raw) if raw else None
    except Exception:
        return ""
    if not isinstance(devices, dict):
        return ""
    gpus = devices.get("gpus") or []
    where = f"GPU: {', '.join(map(str, gpus))}" if gpus else f"CPU, {devices.get('cpus')} cores"
    return f" ({where}; {devices.get('backend')})"


@router.get("/health", response_model=Health)
async def health(response: Response) -> Health:
    components = {
        "database": await run_in_threadpool(_database),
        "broker": await run_in_threadpool(_broker),
        "worker": await run_in_threadpool(_workers),
    }
    healthy = all(c.status == "up" for c in components.values())
    if not healthy:
        response.status_code = 503
    return Health(status="ok" if healthy else "degraded", components=components)
