"""A run-level lease: who trains a run, renewed while it trains.

Celery's Redis transport only redelivers a lost message after its visibility
timeout, which must exceed the longest run (days). The lease is how the rest
of the system learns sooner that a run's worker died: the training process
renews ``lease_expires_at`` from a background thread; when it stops renewing
(process killed, machine gone), the lease expires and a reaper (reaper.py)
queues the run again, and the next worker resumes it from its checkpoint.

The claim is one conditional UPDATE (queued -> running, with our lease), so two
deliveries of one run's message never both train it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.db.base import utcnow
from backend.db.session import get_sessionmaker
from backend.models.run import Run, RunStatus

logger = logging.getLogger(__name__)


def lease_seconds() -> float:
    """How long a lease lasts unrenewed; renewed every third of it. Tests shorten it."""
    return float(os.environ.get("DLSTUDIO_LEASE_SECONDS", "30"))


def new_owner() -> str:
    # Host and pid for people reading the row; the uuid so a restarted process
    # that reuses a pid never mistakes an old lease for its own.
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def expiry(now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(seconds=lease_seconds())


def claim(session: Session, run_id: int, owner: str) -> Run | None:
    """QUEUED -> RUNNING with our lease, in one statement; None when another delivery,
    another worker or a cancel got there first."""
    claimed = session.execute(
        update(Run)
        .where(Run.id == run_id, Run.status == RunStatus.QUEUED.value,
               Run.cancel_requested_at.is_(None))
        .values(status=RunStatus.RUNNING.value, lease_owner=owner, lease_expires_at=expiry())
    )
    session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        logger.info("run %s is missing or not queued; skipping this delivery", run_id)
        return None
    return session.get(Run, run_id)


class LeaseKeeper:
    """Renews the lease from a daemon thread with its own session.

    ``lost`` is set when a renewal finds the lease no longer ours (the run was
    reaped and handed to another worker after we stalled past the expiry, or it
    ended elsewhere): training must then stop without recording anything more.
    """

    def __init__(self, run_id: int, owner: str) -> None:
        self.run_id = run_id
        self.owner = owner
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"lease-run-{run_id}", daemon=True
        )

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def renew(self) -> bool:
        with get_sessionmaker()() as session:
            renewed = session.execute(
                update(Run)
                .where(Run.id == self.run_id, Run.lease_owner == self.owner,
                       Run.status == RunStatus.RUNNING.value)
                .values(lease_expires_at=expiry())
            )
            session.commit()
        return bool(renewed.rowcount == 1)  # type: ignore[attr-defined]

    def _loop(self) -> None:
        interval = lease_seconds() / 3
        while not self._stop.wait(interval):
            try:
                if not self.renew():
                    logger.warning("run %s: lease lost; this worker stops training it",
                                   self.run_id)
                    self.lost.set()
                    return
            except Exception:  # a database hiccup: try again next tick, the lease has slack
                logger.exception("run %s: could not renew the lease", self.run_id)
