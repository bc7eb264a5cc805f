"""New dataset versions derived from a stored one: relabel, merge or drop classes.

The original stays as it was. The new version shares the original's files (they
are immutable) and records its parent and the mapping, so a run on it can always
say what data it saw. The same mapping of the same dataset is recognised by hash.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from sqlalchemy.orm import Session

from backend.datasets import repository
from backend.errors import InvalidInput, ProblemCollector
from backend.models.dataset import Dataset, DatasetItem
from backend.models.project import Project

LabelMapping = dict[str, str | None]  # old label -> new label, or None to drop the class


def relabel(
    session: Session, project: Project, parent: Dataset, mapping: LabelMapping, name: str | None
) -> tuple[Dataset, bool]:
    _check(parent, mapping)
    canonical = json.dumps(mapping, sort_keys=True, separators=(",", ":"))
    content_hash = hashlib.sha256(f"{parent.content_hash}|relabel|{canonical}".encode()).hexdigest()
    existing = repository.get_by_hash(session, project.id, content_hash)
    if existing is not None:
        return existing, False
    items = [
        DatasetItem(path=item.path, label=new, extra=item.extra)
        for item in parent.items
        if (new := _mapped(mapping, item.label)) is not None
    ]
    counts = Counter(item.label for item in items)
    dataset = Dataset(
        project_id=project.id,
        name=name or f"{parent.name} (relabelled)",
        kind=parent.kind,
        content_hash=content_hash,
        source_filename=parent.source_filename,
        num_items=len(items),
        classes=sorted(counts),
        class_counts=dict(sorted(counts.items())),
        storage_path=parent.storage_path,
        report=parent.report,
        items=items,
        parent_id=parent.id,
        derivation={"type": "relabel", "mapping": mapping},
    )
    session.add(dataset)
    session.commit()
    return dataset, True


def _mapped(mapping: LabelMapping, label: str) -> str | None:
    return mapping.get(label, label)


def _check(parent: Dataset, mapping: LabelMapping) -> None:
    problems = ProblemCollector()
    if not mapping:
        problems.add(["body", "mapping"], "name at least one class to rename, merge or drop")
    for old, new in mapping.items():
        if old not in parent.class_counts:
            problems.add(
                ["body", "mapping", old],
                f"'{old}' is not a class of '{parent.name}' ({', '.join(parent.classes)})",
            )
        elif new is not None and not new.strip():
            problems.add(["body", "mapping", old], "the new name is empty; use null to drop it")
    remaining = {_mapped(mapping, label) for label in parent.classes} - {None}
    if not problems and len(remaining) < 2:
        problems.add(
            ["body", "mapping"],
            f"leaves {len(remaining)} class(es); a classifier needs at least two",
        )
    problems.raise_if_any("The new version cannot be made", InvalidInput)
