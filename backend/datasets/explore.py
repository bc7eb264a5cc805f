"""Read-side views of a stored dataset: metadata groups, item pages, thumbnails, images."""

from __future__ import annotations

import csv
import io
import os
import uuid
import zipfile
from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.errors import NotFound
from backend.models.dataset import Dataset, DatasetItem

MAX_GROUP_VALUES = 50
THUMBNAIL_SIDE = 128


def groups(dataset: Dataset) -> dict[str, dict[str, dict[str, int]]]:
    """Class mix per value of every metadata column with few values (speaker, split...)."""
    by_column: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for item in dataset.items:
        for column, value in (item.extra or {}).items():
            by_column[column][str(value)][item.label] += 1
    return {
        column: {value: dict(sorted(mix.items())) for value, mix in sorted(values.items())}
        for column, values in sorted(by_column.items())
        if len(values) <= MAX_GROUP_VALUES
    }


def item_page(
    session: Session, dataset: Dataset, label: str | None, offset: int, limit: int
) -> tuple[list[DatasetItem], int]:
    query = select(DatasetItem).where(DatasetItem.dataset_id == dataset.id)
    if label is not None:
        query = query.where(DatasetItem.label == label)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(DatasetItem.id).offset(offset).limit(limit)).all()
    return list(rows), total


def get_item(session: Session, dataset: Dataset, item_id: int) -> DatasetItem:
    item = session.get(DatasetItem, item_id)
    if item is None or item.dataset_id != dataset.id:
        raise NotFound(f"Dataset {dataset.id} has no item {item_id}")
    return item


def image_path(storage: Path, dataset: Dataset, item: DatasetItem) -> Path:
    root = (storage / dataset.storage_path).resolve()
    path = (root / item.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(f"The image of item {item.id} ('{item.path}') is missing from storage")
    return path


def thumbnail_path(storage: Path, dataset: Dataset, item: DatasetItem) -> Path:
    """Made once, on first request, then served from storage."""
    target = storage / "thumbnails" / str(dataset.id) / f"{item.id}.png"
    if target.is_file():
        return target
    source = image_path(storage, dataset, item)
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        temporary = target.with_name(f".{uuid.uuid4().hex}.png")
        image.convert("RGBA" if "A" in image.mode else "RGB").save(temporary, format="PNG")
    os.replace(temporary, target)  # concurrent requests: the last complete file wins
    return target


def export_zip(storage: Path, dataset: Dataset) -> Path:
    """The dataset in the paper's layout: ``<name>/<label>/<file>`` plus ``<name>/labels.csv``
    with every metadata column. Written to a temporary file the caller deletes after sending."""
    root = (storage / dataset.storage_path).resolve()
    folder = safe_name(dataset.name)
    columns = sorted({key for item in dataset.items for key in (item.extra or {})})
    target = storage / "tmp" / f"export-{uuid.uuid4().hex}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["path", "label", *columns])
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for item in dataset.items:
            name = f"{safe_name(item.label)}/{PurePosixPath(item.path).name}"
            archive.write(root / item.path, f"{folder}/{name}")
            writer.writerow([name, item.label, *((item.extra or {}).get(c, "") for c in columns)])
        archive.writestr(f"{folder}/labels.csv", rows.getvalue())
    return target


def safe_name(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_. " else "_" for c in text).strip(" .")
    return cleaned or "dataset"
