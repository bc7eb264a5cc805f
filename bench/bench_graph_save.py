"""Saving a model version while 20 clients save at once: the API's p50 and p95 latency.

What a team sharing one studio waits for on Save. A real `dlstudio serve --no-worker`
(SQLite by default; PostgreSQL with --database-url), 20 threads, each with its own
keep-alive connection, each saving versions of its own model in a loop. Two graphs: the
paper's (5 nodes) and the 307-node graph of bench_graph_validation.

Baseline, measured in the same run under the same 20-client load: reading one stored
version back (GET /api/graph-versions/{id}), the cheapest call that still goes through
routing, the database session and JSON encoding. The ratio says how much validation,
hashing and the write add on top. Every failed save is counted and printed (a save that
fails under load, e.g. "database is locked", is worse than a slow one).
    .venv/bin/python bench/bench_graph_save.py [--saves 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_graph_validation import big_graph  # noqa: E402
from bench.bench_upload import running_server  # noqa: E402
from tests.factories import paper_graph  # noqa: E402

CLIENTS = 20


def request(
    connection: http.client.HTTPConnection, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    payload = None if body is None else json.dumps(body)
    headers = {"Content-Type": "application/json"} if payload else {}
    connection.request(method, path, payload, headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def under_load(
    port: int, per_client: int, action: Callable[[http.client.HTTPConnection, int, int], int]
) -> tuple[list[float], int]:
    """Runs `action` per_client times in each of 20 threads at once; latencies and failures."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        for step in range(per_client):
            began = time.perf_counter()
            status = action(connection, number, step)
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                failures[0] += status >= 400
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def measure(port: int, document: dict[str, Any], label: str, saves: int) -> None:
    setup = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    graph_ids, version_ids = [], []
    for number in range(CLIENTS):
        status, body = request(setup, "POST", "/api/graphs",
                               {"name": f"{label} {number}", "graph": document})  # fmt: skip
        assert status == 201, body
        graph_ids.append(body["id"])
        version_ids.append(body["latest_version"]["id"])

    def read(connection: http.client.HTTPConnection, number: int, step: int) -> int:
        return request(connection, "GET", f"/api/graph-versions/{version_ids[number]}")[0]

    def save(connection: http.client.HTTPConnection, number: int, step: int) -> int:
        edited = copy.deepcopy(document)
        edited["nodes"][-1]["position"] = {"x": float(step), "y": 0.0}  # a new version each time
        body = {"graph": edited, "message": f"save {step}"}
        return request(connection, "POST", f"/api/graphs/{graph_ids[number]}/versions", body)[0]

    reads, read_failures = under_load(port, saves, read)
    writes, write_failures = under_load(port, saves, save)
    print(
        f"{label}: {len(document['nodes'])} nodes, {CLIENTS} clients x {saves} each\n"
        f"  baseline read: p50 {statistics.median(reads) * 1000:.1f} ms, "
        f"p95 {p95(reads) * 1000:.1f} ms, failures {read_failures}\n"
        f"  save version:  p50 {statistics.median(writes) * 1000:.1f} ms, "
        f"p95 {p95(writes) * 1000:.1f} ms, failures {write_failures}\n"
        f"  ratio p95 save / p95 read: {p95(writes) / p95(reads):.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=20, help="saves per client")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work_dir, \
            running_server(Path(work_dir), args.database_url) as (port, _pid):  # fmt: skip
        measure(port, paper_graph(3, size=224), "paper graph", args.saves)
        measure(port, big_graph(33), "307-node graph", args.saves)


if __name__ == "__main__":
    main()
