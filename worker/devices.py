"""What a worker can train on, told without importing a deep-learning framework.

The Celery parent process stays free of TensorFlow and torch (their GPU state
must not be forked into pool children), so it asks ``nvidia-smi`` for GPU
names. The run itself records what Keras saw (worker.training.progress).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import redis

from backend.queue import worker_devices_key


def visible_devices() -> dict[str, object]:
    gpus: list[str] = []
    smi = shutil.which("nvidia-smi")
    if smi and os.environ.get("CUDA_VISIBLE_DEVICES") != "":
        try:
            done = subprocess.run([smi, "--query-gpu=name", "--format=csv,noheader"],
                                  capture_output=True, text=True, timeout=10, check=False)
            gpus = [line.strip() for line in done.stdout.splitlines() if line.strip()]
        except (OSError, subprocess.SubprocessError):
            gpus = []
    return {"gpus": gpus, "cpus": os.cpu_count() or 1,
            "backend": os.environ.get("KERAS_BACKEND", "tensorflow")}


def report(client: redis.Redis, hostname: str, devices: dict[str, object], ttl_s: int) -> None:
    """Kept for ``ttl_s`` (the caller renews it): a stopped worker's entry goes away."""
    client.set(worker_devices_key(hostname), json.dumps(devices), ex=ttl_s)
