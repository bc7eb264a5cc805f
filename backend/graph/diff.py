"""What changed between two graph documents: nodes added, removed and changed, edges too."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class FieldChange(BaseModel):
    field: str  # dotted: "type", "params.units"
    before: Any
    after: Any


class NodeChange(BaseModel):
    id: str
    changes: list[FieldChange]


class GraphDiff(BaseModel):
    nodes_added: list[str]
    nodes_removed: list[str]
    nodes_changed: list[NodeChange]
    edges_added: list[tuple[str, str]]
    edges_removed: list[tuple[str, str]]

    @property
    def empty(self) -> bool:
        return not (
            self.nodes_added
            or self.nodes_removed
            or self.nodes_changed
            or self.edges_added
            or self.edges_removed
        )


def diff_graphs(before: dict[str, Any], after: dict[str, Any]) -> GraphDiff:
    # Positions are layout, not model: moving a node is not a change worth listing.
    old = {node["id"]: node for node in before.get("nodes", [])}
    new = {node["id"]: node for node in after.get("nodes", [])}
    changed = []
    for node_id in sorted(old.keys() & new.keys()):
        changes = _field_changes(_model_fields(old[node_id]), _model_fields(new[node_id]))
        if changes:
            changed.append(NodeChange(id=node_id, changes=changes))
    old_edges, new_edges = _edges(before), _edges(after)
    return GraphDiff(
        nodes_added=sorted(new.keys() - old.keys()),
        nodes_removed=sorted(old.keys() - new.keys()),
        nodes_changed=changed,
        edges_added=sorted(new_edges - old_edges),
        edges_removed=sorted(old_edges - new_edges),
    )


def _model_fields(node: dict[str, Any]) -> dict[str, Any]:
    fields = {"type": node.get("type")}
    fields.update({f"params.{k}": v for k, v in (node.get("params") or {}).items()})
    return fields


def _field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(field=key, before=before.get(key), after=after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


def _edges(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(edge["source"], edge["target"]) for edge in document.get("edges", [])}
