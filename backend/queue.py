"""The Celery client the API uses to enqueue work, and the config the worker shares.

The API sends tasks by name, so it never imports ``worker`` (and so never Keras).
"""

from __future__ import annotations

from celery import Celery

from backend.settings import Settings, get_settings

TRAIN_RUN_TASK = "dlstudio.train_run"
CONVERT_AUDIO_TASK = "dlstudio.convert_audio"
PREDICT_TASK = "dlstudio.predict"
# Predictions have a queue of their own, consumed by a small long-lived worker that keeps
# models loaded: a training run that takes hours on the default queue never delays them.
PREDICT_QUEUE = "predict"
# How long a predict worker's heartbeat lives; it renews it every third of that.
PREDICT_HEARTBEAT_TTL_S = 15
# A reply nobody collected (the API gave up waiting) is dropped after this long.
PREDICT_REPLY_TTL_S = 300
# Longer than any training job, or Redis redelivers a running job to a second
# worker (kombu's default is one hour).
VISIBILITY_TIMEOUT_S = 7 * 24 * 3600
# Also the name of kombu's Redis list that holds the waiting messages (the
# worker's reaper reads it to tell a waiting run from one whose message was lost).
TASK_QUEUE = "dlstudio"


def worker_devices_key(hostname: str) -> str:
    """Where each worker keeps its devices ({gpus, cpus, backend}) for /api/health."""
    return f"dlstudio:worker-devices:{hostname}"


def predict_heartbeat_key(hostname: str) -> str:
    """Set (with a TTL) by every worker that consumes PREDICT_QUEUE, so the API can answer 503
    at once when none runs, instead of waiting for a reply that will never come."""
    return f"dlstudio:predict-worker:{hostname}"


def predict_reply_key(task_id: str) -> str:
    """The Redis list a predict task pushes its one JSON reply to; the API BLPOPs it.

    Not Celery's result backend: AsyncResult.get() shares one pub/sub connection per backend,
    which is not safe from the API's many request threads; a BLPOP per request is.
    """
    return f"dlstudio:predict-reply:{task_id}"


def make_celery(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    broker = settings.resolved_broker_url()
    app = Celery("dlstudio", broker=broker)
    app.conf.update(
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        # A killed training child is failed by worker.lifecycle, not redelivered:
        # whatever killed it (usually memory) would kill the next attempt too.
        task_reject_on_worker_lost=False,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_S},
        worker_hijack_root_logger=False,
        task_default_queue=TASK_QUEUE,
        task_routes={PREDICT_TASK: {"queue": PREDICT_QUEUE}},
    )
    return app


_client: Celery | None = None


def celery_client() -> Celery:
    global _client
    if _client is None:
        _client = make_celery()
    return _client


def enqueue(task_name: str, object_id: int) -> str:
    """Sends a task by name with the id of the row it works on; returns the task id."""
    result = celery_client().send_task(task_name, args=[object_id])
    return str(result.id)


def enqueue_train_run(run_id: int) -> str:
    return enqueue(TRAIN_RUN_TASK, run_id)
