"""Canvas positions for an imported graph: top to bottom by depth, branches side by side.

A node's depth is the longest path from the input to it, so every edge points down and
the layers of a branch line up level by level.
"""

from __future__ import annotations

from collections import defaultdict

ROW_GAP = 120.0  # the templates' spacing (backend/graphs/templates.py)
COLUMN_GAP = 220.0


def positions(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """``ids`` in topological order (as Keras lists a model's layers)."""
    sources: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        sources[target].append(source)
    depth: dict[str, int] = {}
    for node_id in ids:
        depth[node_id] = 1 + max((depth.get(s, 0) for s in sources[node_id]), default=-1)
    rows: dict[int, list[str]] = defaultdict(list)
    for node_id in ids:
        rows[depth[node_id]].append(node_id)
    result: dict[str, dict[str, float]] = {}
    for level, row in rows.items():
        for column, node_id in enumerate(row):
            x = (column - (len(row) - 1) / 2) * COLUMN_GAP
            result[node_id] = {"x": x, "y": level * ROW_GAP}
    return result
