"""The worker's Celery app: the API's shared config plus the task modules.

Start with ``celery -A worker.celery_app worker --concurrency 1
--max-tasks-per-child 1``: TensorFlow keeps memory a task cannot give back.
This module never imports Keras; ``worker/__init__`` has already set the
backend environment by the time anything here runs.
"""

from __future__ import annotations

from backend.queue import make_celery
from worker.environment import configure_keras_environment

configure_keras_environment()

celery_app = make_celery()
celery_app.conf.include = ["worker.tasks", "worker.lifecycle", "worker.predict.heartbeat"]
