"""What the worker's parent process does when a training child dies without a word.

A pool child killed outright (the kernel's OOM killer sends SIGKILL) cannot
record its own failure. Celery then reports ``WorkerLostError`` in the parent,
which runs this handler: the run is marked failed with a message a user can act
on, instead of staying "running" forever. (The message is acknowledged, not
redelivered: a run that exhausted memory once would do so again.)
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from billiard.exceptions import WorkerLostError
from celery.signals import task_failure, worker_process_init, worker_ready

from backend.db.session import get_engine, session_scope
from backend.models.run import Run, RunStatus
from backend.queue import TRAIN_RUN_TASK
from backend.runs.recorder import RunRecorder
from backend.settings import get_settings

logger = logging.getLogger(__name__)

LOST_MESSAGE = (
    "The training process was killed before it could finish ({reason}). Unless its worker was "
    "being stopped, the usual cause is running out of memory: try a smaller batch size, a "
    "smaller input size or a lighter backbone."
)


@worker_ready.connect  # type: ignore[untyped-decorator]
def start_run_reaper(sender: Any = None, **_: Any) -> None:
    """Every worker watches for runs whose worker died (expired lease) and for queued
    runs whose message was lost, and queues them again (see worker.training.reaper).
    Keras-free, so the parent process stays small."""
    from worker.training.reaper import start_reaper_thread

    start_reaper_thread(getattr(sender, "hostname", None))
    logger.info("run reaper started")


@worker_process_init.connect  # type: ignore[untyped-decorator]
def forget_parent_connections(**_: Any) -> None:
    # A forked pool child must not share the parent's pooled database connections
    # (mark_lost below uses them); close=False leaves the parent's own intact.
    get_engine().dispose(close=False)


@task_failure.connect  # type: ignore[untyped-decorator]
def fail_run_of_lost_worker(
    sender: Any = None, exception: BaseException | None = None, args: Any = None, **_: Any
) -> None:
    if getattr(sender, "name", None) != TRAIN_RUN_TASK or not args:
        return
    if not isinstance(exception, WorkerLostError):
        return  # the task recorded its own failure
    mark_lost(int(args[0]), str(exception))


def mark_lost(run_id: int, reason: str) -> None:
    client = redis.Redis.from_url(get_settings().resolved_broker_url())
    try:
        with session_scope() as session:
            run = session.get(Run, run_id)
            if run is None or RunStatus(run.status).is_terminal:
                return
            run.log = (run.log or "") + f"\nWorker lost: {reason}\n"
            RunRecorder(session, client).status(
                run, RunStatus.FAILED, LOST_MESSAGE.format(reason=reason)
            )
            logger.error("run %s failed: its training process was lost (%s)", run_id, reason)
    finally:
        client.close()
