"""Two people (or two tabs) saving the same model at the same moment lose nothing.

The version number is taken inside the save, so simultaneous saves race for it.
"""

from __future__ import annotations

import copy
import threading

import httpx

from tests.conftest import Stack
from tests.factories import paper_graph
from tests.helpers import create_graph

SAVERS = 8


def test_simultaneous_saves_all_keep_their_work_as_distinct_versions(
    client: httpx.Client, stack: Stack
) -> None:
    graph_id = create_graph(client, paper_graph(3), name="shared head").json()["id"]
    start = threading.Barrier(SAVERS)
    responses: list[httpx.Response] = []

    def save(number: int) -> None:
        graph = copy.deepcopy(paper_graph(3, hidden=100 + number))
        with httpx.Client(base_url=stack.base_url, timeout=60) as own:
            body = {"graph": graph, "message": f"tab {number}"}
            start.wait()
            responses.append(own.post(f"/api/graphs/{graph_id}/versions", json=body))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [201] * SAVERS, [r.text for r in responses]
    saved = {r.json()["message"] for r in responses}
    history = client.get(f"/api/graphs/{graph_id}/versions").json()["data"]
    assert sorted(v["version"] for v in history) == list(range(1, len(history) + 1))
    assert {v["message"] for v in history[:-1]} == saved  # every accepted save is kept
