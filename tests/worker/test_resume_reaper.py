"""The reaper and the recorder's resume, in-process on the real database and Valkey."""

from __future__ import annotations

from datetime import timedelta

import redis
from sqlalchemy import select, update

from backend.db.base import utcnow
from backend.models import Run, RunMetric
from backend.models.run import RunStatus
from backend.queue import enqueue_train_run
from backend.runs.recorder import RunRecorder
from tests.factories import paper_hyperparameters
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import store_dataset, store_run
from tests.worker.resume_helpers import logged_events, sse_events
from worker.training import lease
from worker.training.reaper import reap_once, task_ids_in_broker


def runs(env: WorkerEnv, count: int, status: str = "queued") -> list[int]:
    with env.sessions() as session:
        dataset = store_dataset(session, env.storage, per_class=2, size=16)
        return [store_run(session, dataset, small_cnn(16), paper_hyperparameters(),
                          status=status).id for _ in range(count)]


def set_columns(env: WorkerEnv, run_id: int, **values: object) -> None:
    with env.sessions() as session:
        session.execute(update(Run).where(Run.id == run_id).values(**values))
        session.commit()


def test_a_run_whose_lease_expired_is_queued_again_once(worker_env: WorkerEnv) -> None:
    client = redis.Redis.from_url(worker_env.broker_url)
    dead, alive, cancelled = runs(worker_env, 3, status="running")
    past, future = utcnow() - timedelta(seconds=5), utcnow() + timedelta(seconds=60)
    set_columns(worker_env, dead, lease_owner="gone:1:x", lease_expires_at=past,
                checkpoint_epoch=2, worker="celery@gone")
    set_columns(worker_env, alive, lease_owner="here:2:y", lease_expires_at=future)
    set_columns(worker_env, cancelled, lease_owner="gone:3:z", lease_expires_at=past,
                cancel_requested_at=past)

    assert sorted(reap_once(client)) == sorted([dead, cancelled])
    assert reap_once(client) == []  # a second reaper (or pass) finds nothing to do

    with worker_env.sessions() as session:
        requeued = session.get_one(Run, dead)
        assert (requeued.status, requeued.attempt, requeued.lease_owner) == ("queued", 1, None)
        assert requeued.phase == "waiting for a worker to resume from epoch 2"
        assert requeued.task_id in task_ids_in_broker(client)
        assert session.get_one(Run, alive).status == "running"
        assert session.get_one(Run, cancelled).status == "cancelled"
    statuses = [e for e in logged_events(worker_env, dead) if e["type"] == "status"]
    assert statuses[-1]["status"] == "queued" and "resume from epoch 2" in statuses[-1]["message"]
    # The requeued run is claimable exactly once.
    with worker_env.sessions() as session:
        assert lease.claim(session, dead, "a") is not None
        assert lease.claim(session, dead, "b") is None


def test_a_queued_run_whose_message_was_lost_is_sent_again(worker_env: WorkerEnv) -> None:
    client = redis.Redis.from_url(worker_env.broker_url)
    lost, waiting, fresh = runs(worker_env, 3)
    old = utcnow() - timedelta(minutes=5)
    set_columns(worker_env, lost, task_id="never-sent", created_at=old)
    set_columns(worker_env, waiting, task_id=enqueue_train_run(waiting), created_at=old)
    set_columns(worker_env, fresh, task_id="just-now")  # the API's send may not have landed

    assert reap_once(client) == [lost]
    with worker_env.sessions() as session:
        resent = session.get_one(Run, lost)
        assert resent.task_id != "never-sent" and resent.task_id in task_ids_in_broker(client)
        assert resent.status == "queued" and resent.attempt == 0


def test_resuming_drops_epochs_recorded_after_the_checkpoint(worker_env: WorkerEnv) -> None:
    """The old worker recorded epoch 2 and died before its checkpoint: the new attempt
    trains epoch 2 again, and nobody sees it twice."""
    (run_id,) = runs(worker_env, 1, status="running")
    with worker_env.sessions() as session:
        recorder = RunRecorder(session, redis.Redis.from_url(worker_env.broker_url))
        run = session.get_one(Run, run_id)
        for epoch in (1, 2):
            recorder.epoch(run, epoch, 3, {"loss": 1.0 / epoch, "accuracy": 0.5})
        run.attempt = 1
        recorder.resumed(run, 1)
        recorder.epoch(run, 2, 3, {"loss": 0.4, "accuracy": 0.6})
        recorder.epoch(run, 3, 3, {"loss": 0.3, "accuracy": 0.7})
        assert run.epochs_completed == 3 and run.checkpoint_epoch == 1
        rows = session.scalars(select(RunMetric).where(RunMetric.run_id == run_id)).all()
        assert sorted((m.step, m.key, m.value) for m in rows if m.key == "loss") == [
            (1, "loss", 1.0), (2, "loss", 0.4), (3, "loss", 0.3)]
        recorder.status(run, RunStatus.SUCCEEDED)
    fresh = sse_events(run_id)
    assert [(kind, d.get("epoch") or d.get("from_epoch")) for _, kind, d in fresh
            if kind in ("epoch", "resumed")] == [("epoch", 1), ("resumed", 1), ("epoch", 2),
                                                 ("epoch", 3)]
    assert [d["metrics"]["loss"] for _, kind, d in fresh if kind == "epoch"] == [1.0, 0.4, 0.3]
