"""Rows and files for worker tests: a stored image dataset, a graph version, a run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Dataset, DatasetItem, Graph, GraphVersion, Project, Run
from tests.factories import CLASS_COLOURS, png_bytes

CLASSES = ("anger", "neutral", "stress")


def store_dataset(
    session: Session, storage: Path, per_class: int = 8, size: int = 32,
    classes: tuple[str, ...] = CLASSES,
) -> Dataset:
    """Writes ``<storage>/datasets/<n>/<class>/<i>.png`` and the matching rows."""
    relative = f"datasets/{len(session.scalars(select(Dataset)).all()) + 1}"
    folder = storage / relative
    items = []
    for label in classes:
        (folder / label).mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            path = f"{label}/{label}_{index:03d}.png"
            (folder / path).write_bytes(png_bytes(CLASS_COLOURS[label], size, seed=index))
            items.append(DatasetItem(path=path, label=label))
    dataset = Dataset(
        project_id=_project_id(session), name="emotion", content_hash=relative,
        source_filename="emotion.zip", num_items=len(items), classes=sorted(classes),
        class_counts={label: per_class for label in classes}, storage_path=relative,
        items=items,
    )
    session.add(dataset)
    session.commit()
    return dataset


def store_run(
    session: Session, dataset: Dataset, graph: dict[str, Any], hyperparameters: dict[str, Any],
    status: str = "queued",
) -> Run:
    project_id = _project_id(session)
    owner = Graph(project_id=project_id, name="graph")
    content = json.dumps(graph, sort_keys=True)
    version = GraphVersion(graph=owner, version=1, schema_version=1, spec=graph,
                           content_hash=hashlib.sha256(content.encode()).hexdigest())
    session.add(version)
    session.flush()
    run = Run(project_id=project_id, graph_version_id=version.id, dataset_id=dataset.id,
              name="run", status=status, hyperparameters=hyperparameters)
    session.add(run)
    session.commit()
    return run


def new_images(count: int, size: int) -> list[Image.Image]:
    """Images the model never saw, one colour per class in turn."""
    colours = [CLASS_COLOURS[label] for label in CLASSES]
    return [Image.new("RGB", (size, size), colours[i % len(colours)]) for i in range(count)]


def _project_id(session: Session) -> int:
    return session.scalars(select(Project.id)).one()
