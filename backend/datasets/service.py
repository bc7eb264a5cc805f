"""Dataset ingestion: an uploaded zip becomes a stored, immutable dataset, or nothing at all."""

from __future__ import annotations

import hashlib
import shutil
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from backend.datasets import repository
from backend.datasets.archive import ArchiveLimits, extract, member_files, open_zip
from backend.datasets.audio_files import check_audio
from backend.datasets.csv_table import ColumnChoice, decode
from backend.datasets.images import check_images
from backend.datasets.layout import Layout, find_layout
from backend.errors import NotFound, ProblemCollector
from backend.models.dataset import Dataset, DatasetItem
from backend.models.project import Project
from backend.settings import Settings
from backend.uploads.staging import stage

CHUNK = 1024 * 1024


def receive_upload(source: BinaryIO, settings: Settings) -> tuple[Path, str]:
    """Streams an upload to a temp file under storage, hashing as it goes."""
    staged = stage(source, settings, "The upload", suffix=".zip")
    return staged.path, staged.sha256


@dataclass(frozen=True)
class Upload:
    path: Path  # the received zip, on disk
    content_hash: str
    filename: str
    name: str | None = None
    columns: ColumnChoice = field(default_factory=ColumnChoice)


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(
    session: Session, project: Project, upload: Upload, settings: Settings
) -> tuple[Dataset, bool]:
    """Returns (dataset, created). The same zip twice gives back the stored dataset."""
    existing = repository.get_by_hash(session, project.id, upload.content_hash)
    if existing is not None:
        return existing, False
    storage = settings.resolved_storage_dir
    relative = Path("datasets") / uuid.uuid4().hex
    staging = storage / "tmp" / relative.name
    try:
        with open_zip(upload.path, upload.filename) as archive:
            layout, report = _unpack_and_check(archive, upload, staging, settings)
        final = storage / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        dataset = _store(session, project, layout, report, upload, relative)
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    return dataset, True


def _unpack_and_check(
    archive: zipfile.ZipFile, upload: Upload, staging: Path, settings: Settings
) -> tuple[Layout, dict[str, object]]:
    filename = upload.filename
    limits = ArchiveLimits(settings.max_zip_members, settings.max_uncompressed_bytes)
    members = member_files(archive, limits)
    problems = ProblemCollector()
    names = [m.filename for m in members]
    layout = find_layout(names, lambda n: decode(archive.read(n)), problems, upload.columns)
    problems.raise_if_any(f"'{filename}' has {len(problems.problems)} problem(s)")
    wanted = {item.path for item in layout.items}
    extract(archive, [m for m in members if m.filename in wanted], staging)
    files = sorted(wanted)
    if layout.kind == "audio":
        summary = {"audio": check_audio(staging, files, problems)}
    else:
        summary = {"images": check_images(staging, files, settings.max_image_pixels, problems)}
    labels = {item.label for item in layout.items}
    if len(labels) < 2:
        problems.add(
            ["labels"],
            f"found only the class {sorted(labels)}; a classifier needs at least two classes",
        )
    problems.raise_if_any(f"'{filename}' has {len(problems.problems)} problem(s)")
    warnings = layout.warnings + _mixed_warnings(summary)
    report: dict[str, object] = {"source": layout.source, "columns": layout.columns, **summary}
    return layout, report | {"warnings": warnings}


def _mixed_warnings(summary: dict[str, dict[str, Any]]) -> list[str]:
    images, audio = summary.get("images"), summary.get("audio")
    if images and (len(images["sizes"]) > 1 or len(images["modes"]) > 1):
        return [
            f"images differ in size {images['sizes']} or mode {images['modes']}; they are "
            "resized and converted to the model's input when training"
        ]
    if audio and len(audio["sample_rates"]) > 1:
        return [
            f"recordings differ in sample rate {audio['sample_rates']}; conversion "
            "resamples them to the recipe's rate"
        ]
    return []


def _store(
    session: Session,
    project: Project,
    layout: Layout,
    report: dict[str, object],
    upload: Upload,
    relative: Path,
) -> Dataset:
    counts = Counter(item.label for item in layout.items)
    dataset = Dataset(
        project_id=project.id,
        name=upload.name or Path(upload.filename).stem,
        kind=layout.kind,
        content_hash=upload.content_hash,
        source_filename=upload.filename,
        num_items=len(layout.items),
        classes=sorted(counts),
        class_counts=dict(sorted(counts.items())),
        storage_path=relative.as_posix(),
        report=report,
        items=[DatasetItem(path=i.path, label=i.label, extra=i.extra) for i in layout.items],
    )
    session.add(dataset)
    session.commit()
    return dataset


def get_or_404(session: Session, project: Project, dataset_id: int) -> Dataset:
    dataset = repository.get(session, project.id, dataset_id)
    if dataset is None:
        raise NotFound(f"Dataset {dataset_id} does not exist")
    return dataset
