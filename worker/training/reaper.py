"""Finds runs whose worker died and queues them again; runs in every worker's parent.

Two kinds of orphan:

* a RUNNING run whose lease expired (its worker stopped renewing): queued again
  with ``attempt + 1`` and a new task, so the next free worker resumes it from
  its checkpoint (or cancelled, when a cancel was asked for meanwhile);
* a QUEUED run whose task message is gone from the broker (lost with a Redis
  that was not persisted, or never sent): sent again.

Every change is a conditional UPDATE, so several workers' reapers may run at
once and only one acts on each run. A task sent twice is harmless too: the
claim (lease.claim) lets exactly one delivery train. Keras-free: this runs in
the Celery parent process.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import timedelta

import redis
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db.base import utcnow
from backend.db.session import get_sessionmaker, make_engine
from backend.models.run import Run, RunStatus
from backend.queue import TASK_QUEUE, enqueue_train_run
from backend.runs.recorder import RunRecorder
from backend.settings import get_settings
from worker.devices import report, visible_devices

logger = logging.getLogger(__name__)
# A queued run is only judged lost this long after it was queued: time for the
# API's send to land.
LOST_QUEUED_AFTER = timedelta(seconds=60)


def reaper_interval() -> float:
    return float(os.environ.get("DLSTUDIO_REAPER_INTERVAL_S", "15"))


def resume_phase(checkpoint_epoch: int) -> str:
    if checkpoint_epoch <= 0:
        return "waiting for a worker to start again (no checkpoint yet)"
    return f"waiting for a worker to resume from epoch {checkpoint_epoch}"


def reap_once(
    client: redis.Redis | None, sessions: sessionmaker[Session] | None = None
) -> list[int]:
    """One pass; returns the ids of the runs it queued again or ended."""
    acted: list[int] = []
    with (sessions or get_sessionmaker())() as session:
        recorder = RunRecorder(session, client)
        now = utcnow()
        expired = session.scalars(
            select(Run).where(Run.status == RunStatus.RUNNING.value,
                              Run.lease_expires_at < now)
        ).all()
        for run in expired:
            if _requeue_expired(session, recorder, run):
                acted.append(run.id)
        if client is not None:
            acted.extend(_resend_lost_queued(session, client))
    return acted


def _requeue_expired(session: Session, recorder: RunRecorder, run: Run) -> bool:
    cancelled = run.cancel_requested_at is not None
    values = (
        {"status": RunStatus.CANCELLED.value, "phase": "cancelled (its worker stopped)"}
        if cancelled else
        {"status": RunStatus.QUEUED.value, "attempt": Run.attempt + 1,
         "phase": resume_phase(run.checkpoint_epoch), "progress": None}
    )
    won = session.execute(
        update(Run)
        .where(Run.id == run.id, Run.status == RunStatus.RUNNING.value,
               Run.lease_owner == run.lease_owner, Run.lease_expires_at < utcnow())
        .values(lease_owner=None, lease_expires_at=None, **values)
        # SQLite hands back naive datetimes: let the database compare, not Python.
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if won.rowcount != 1:  # type: ignore[attr-defined]
        return False  # another reaper, or the worker renewed after all
    session.refresh(run)
    if cancelled:
        recorder.status(run, RunStatus.CANCELLED,
                        f"Cancelled; its worker stopped, the checkpoint of epoch "
                        f"{run.checkpoint_epoch} is kept")
        return True
    logger.warning("run %s: worker %s stopped renewing its lease; queued again (attempt %s)",
                   run.id, run.worker, run.attempt)
    recorder.status(run, RunStatus.QUEUED,
                    f"The worker training it ({run.worker}) stopped answering; queued again "
                    f"to resume from epoch {run.checkpoint_epoch} (attempt {run.attempt + 1})")
    _send(session, run)
    return True


def _resend_lost_queued(session: Session, client: redis.Redis) -> list[int]:
    cutoff = utcnow() - LOST_QUEUED_AFTER
    queued = session.scalars(
        select(Run).where(Run.status == RunStatus.QUEUED.value, Run.created_at < cutoff)
    ).all()
    if not queued:
        return []
    known = task_ids_in_broker(client)
    resent = []
    for run in queued:
        if run.task_id in known:
            continue
        # Conditional on the task id we judged lost: one reaper resends it.
        mark = session.execute(
            update(Run).where(Run.id == run.id, Run.status == RunStatus.QUEUED.value,
                              Run.task_id.is_(None) if run.task_id is None
                              else Run.task_id == run.task_id)
            .values(task_id=f"resending-{run.id}")
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if mark.rowcount == 1:  # type: ignore[attr-defined]
            logger.warning("run %s: its queued task is not in the broker; sending it again",
                           run.id)
            session.refresh(run)
            _send(session, run)
            resent.append(run.id)
    return resent


def _send(session: Session, run: Run) -> None:
    run.task_id = enqueue_train_run(run.id)
    session.commit()


def task_ids_in_broker(client: redis.Redis) -> set[str]:
    """Ids of train tasks waiting in the queue or delivered but not yet acknowledged.

    Reads kombu's Redis layout (a list per queue, the ``unacked`` hash): if it
    ever changes, every queued run looks lost and is sent again, which the
    claim makes harmless.
    """
    ids: set[str] = set()
    raw: list[bytes] = list(client.lrange(TASK_QUEUE, 0, -1))  # type: ignore[arg-type]
    raw += [_first(v) for v in client.hvals("unacked")]  # type: ignore[union-attr,unused-ignore]
    for item in raw:
        try:
            ids.add(str(json.loads(item)["headers"]["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids


def _first(value: bytes | str) -> bytes:
    # An unacked entry is [message, exchange, routing_key].
    try:
        return json.dumps(json.loads(value)[0]).encode()
    except (ValueError, IndexError, TypeError):
        return b""


def start_reaper_thread(hostname: str | None = None) -> threading.Thread:
    """A daemon thread that reaps every reaper_interval() seconds, for the worker's life,
    and keeps this worker's device report (``hostname``) fresh for /api/health."""
    devices = visible_devices()

    def loop() -> None:
        settings = get_settings()
        client = redis.Redis.from_url(settings.resolved_broker_url())
        # Its own engine: the pool children forked from this process must never
        # inherit connections (or a pool lock) that this thread is using.
        sessions = sessionmaker(bind=make_engine(settings.resolved_database_url),
                                expire_on_commit=False)
        stop = threading.Event()
        while True:
            try:
                if hostname:
                    report(client, hostname, devices, ttl_s=int(3 * reaper_interval()) + 5)
                reap_once(client, sessions)
            except Exception:  # the database or broker is down: try again next tick
                logger.exception("the run reaper failed; trying again later")
            stop.wait(reaper_interval())

    thread = threading.Thread(target=loop, name="dlstudio-run-reaper", daemon=True)
    thread.start()
    return thread
