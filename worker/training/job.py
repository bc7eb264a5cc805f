"""One attempt at a run: claim it with a lease, train it (resuming from its
checkpoint if an earlier attempt died), record how it ended.

Every outcome is written through the RunRecorder (DB row, then Redis event), so
the browser's chart and the run page see exactly what the database holds.
Nothing escapes to Celery except a failure to record the failure itself, and
the task has no retry policy: a broken run fails once, loudly, and stays failed.
"""

from __future__ import annotations

import logging
import socket
import traceback

import redis
from sqlalchemy.orm import Session

from backend.db.session import session_scope
from backend.errors import DLStudioError
from backend.models.run import Run, RunStatus
from backend.runs.recorder import RunRecorder
from backend.settings import Settings, get_settings
from worker.compiler.errors import CompileError
from worker.training import lease
from worker.training.loop import train
from worker.training.progress import describe_device

logger = logging.getLogger(__name__)
MAX_ERROR_TEXT = 300


def run_training(run_id: int, worker_name: str | None = None) -> None:
    settings = get_settings()
    redis_client = _redis_client(settings)
    owner = lease.new_owner()
    try:
        with session_scope() as session:
            run = lease.claim(session, run_id, owner)
            if run is None:
                return
            recorder = RunRecorder(session, redis_client)
            run.worker = worker_name or socket.gethostname()
            run.device = describe_device()
            recorder.status(run, RunStatus.RUNNING, _started_message(run))
            with lease.LeaseKeeper(run_id, owner) as keeper:
                try:
                    train(session, recorder, run, settings.resolved_storage_dir, keeper)
                except Exception as exc:
                    logger.exception("run %s failed", run_id)
                    if not keeper.lost.is_set():  # else it belongs to another worker now
                        _record_failure(session, recorder, run_id, exc)
    finally:
        if redis_client is not None:
            redis_client.close()


def _started_message(run: Run) -> str:
    if run.attempt > 0:
        return (f"Resumed on {run.worker} ({run.device}) from epoch {run.checkpoint_epoch}, "
                f"retry {run.attempt}")
    return f"Started on {run.worker} ({run.device})"


def _record_failure(session: Session, recorder: RunRecorder, run_id: int, exc: Exception) -> None:
    # The failure may have left the session mid-transaction (a failed flush);
    # start clean, and keep only what the failure itself needs to say.
    session.rollback()
    run = session.get(Run, run_id)
    if run is None:
        return
    run.log = (run.log or "") + "".join(traceback.format_exception(exc))
    if RunStatus(run.status).is_terminal:
        # Ended elsewhere meanwhile (cancelled): keep that outcome, keep the trace.
        session.commit()
        return
    recorder.status(run, RunStatus.FAILED, user_message(exc))


def user_message(exc: Exception) -> str:
    if isinstance(exc, CompileError):
        return exc.user_message()
    if isinstance(exc, DLStudioError):
        return exc.message
    text = " ".join(str(exc).split()) or "(no details)"
    if len(text) > MAX_ERROR_TEXT:
        text = text[: MAX_ERROR_TEXT - 1] + "…"
    return f"Training failed: {type(exc).__name__}: {text}"


def _redis_client(settings: Settings) -> redis.Redis | None:
    # Events reach the browser through Redis, but the DB is the truth (SSE
    # replays it), so a worker with no usable broker URL still trains.
    try:
        return redis.Redis.from_url(settings.resolved_broker_url())
    except (RuntimeError, ValueError) as exc:
        logger.warning("no Redis for live run events (%s); the DB still records them", exc)
        return None
