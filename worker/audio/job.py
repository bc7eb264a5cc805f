"""One conversion, start to finish: claim it, render every recording, store the image dataset.

The spectrograms land in a staging folder and become a dataset only when all is
done, so a failed conversion leaves nothing half-stored. The new dataset points
at its audio parent and carries the recipe, so prediction can render a raw WAV
exactly as training saw it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.process import AuthenticationString  # type: ignore[attr-defined]
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.audio_recipe import SpectrogramRecipe, load_recipe
from backend.db.base import utcnow
from backend.db.session import session_scope
from backend.errors import DLStudioError
from backend.models.conversion import Conversion
from backend.models.dataset import Dataset, DatasetItem
from backend.settings import get_settings
from worker.audio.convert import ConversionReport, convert_recordings
from worker.audio.items import AudioItem

logger = logging.getLogger(__name__)
PROGRESS_EVERY_S = 0.5
OWN_COLUMNS = {"path", "label"}
IDENTITY_COLUMNS = {"speaker", "recording"}


def run_conversion(conversion_id: int) -> None:
    with session_scope() as session:
        conversion = _claim(session, conversion_id)
        if conversion is None:
            return
        try:
            _convert(session, conversion)
        except Exception as exc:
            logger.exception("conversion %s failed", conversion_id)
            session.rollback()
            conversion.status, conversion.finished_at = "failed", utcnow()
            conversion.error_message = _user_message(exc)
            conversion.log = "".join(traceback.format_exception(exc))
            session.commit()


def _claim(session: Session, conversion_id: int) -> Conversion | None:
    claimed = session.execute(
        update(Conversion)
        .where(Conversion.id == conversion_id, Conversion.status == "queued")
        .values(status="running", started_at=utcnow())
    )
    session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        logger.info("conversion %s is missing or not queued; skipping", conversion_id)
        return None
    return session.get(Conversion, conversion_id)


def _convert(session: Session, conversion: Conversion) -> None:
    storage = get_settings().resolved_storage_dir
    source = session.get_one(Dataset, conversion.source_dataset_id)
    recipe = load_recipe(conversion.recipe)
    relative = Path("datasets") / uuid.uuid4().hex
    staging = storage / "tmp" / relative.name
    try:
        items = audio_items(source, storage)
        with _may_start_processes():
            report = convert_recordings(
                items, recipe, staging, os.cpu_count(), _progress_writer(session, conversion)
            )
        if report.segments == 0:
            raise DLStudioError("No recording gave a voiced segment: check the VAD settings")
        (storage / relative).parent.mkdir(parents=True, exist_ok=True)
        staging.rename(storage / relative)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    dataset = _store(session, conversion, source, recipe, report, relative)
    conversion.result_dataset_id = dataset.id
    conversion.status, conversion.finished_at = "succeeded", utcnow()
    conversion.done = conversion.total
    conversion.report = _summary(report)
    session.commit()


@contextmanager
def _may_start_processes() -> Iterator[None]:
    """Lets a Celery prefork child start the conversion's process pool.

    Its children are daemonic, and multiprocessing refuses to start a pool from a daemonic
    process; the pool is joined before the task returns, so nothing can outlive this one.
    Their authkey is billiard's type, which multiprocessing's spawn cannot pickle: give the
    process a fresh key of multiprocessing's own type for that long."""
    process = multiprocessing.current_process()
    config = process._config  # type: ignore[attr-defined]
    saved = dict(config)
    config["daemon"] = False
    config["authkey"] = AuthenticationString(os.urandom(32))
    try:
        yield
    finally:
        config.clear()
        config.update(saved)


def audio_items(source: Dataset, storage: Path) -> list[AudioItem]:
    root = storage / source.storage_path
    return [
        AudioItem(
            path=root / item.path, name=item.path, label=item.label,
            speaker=str(item.extra.get("speaker", "")),
            recording=str(item.extra.get("recording") or PurePosixPath(item.path).stem),
            metadata={k: str(v) for k, v in item.extra.items() if k not in IDENTITY_COLUMNS},
        )
        for item in source.items
    ]  # fmt: skip


def _progress_writer(session: Session, conversion: Conversion) -> Any:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_EVERY_S or done == total:
            last[0] = time.monotonic()
            conversion.done, conversion.total = done, total
            session.commit()

    return progress


def _store(
    session: Session,
    conversion: Conversion,
    source: Dataset,
    recipe: SpectrogramRecipe,
    report: ConversionReport,
    relative: Path,
) -> Dataset:
    recipe_json = recipe.model_dump(mode="json")
    canonical = json.dumps(recipe_json, sort_keys=True, separators=(",", ":"))
    stored_csv = get_settings().resolved_storage_dir / relative / report.csv_path.name
    with stored_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    items = [
        DatasetItem(path=row["path"], label=row["label"],
                    extra={k: v for k, v in row.items() if k not in OWN_COLUMNS and v != ""})
        for row in rows
    ]  # fmt: skip
    counts = Counter(item.label for item in items)
    dataset = Dataset(
        project_id=source.project_id, name=conversion.name, kind="image",
        content_hash=hashlib.sha256(
            f"{source.content_hash}|spectrograms|{canonical}|{conversion.id}".encode()
        ).hexdigest(),
        source_filename=source.source_filename, num_items=len(items), classes=sorted(counts),
        class_counts=dict(sorted(counts.items())), storage_path=relative.as_posix(),
        report={"source": "spectrograms", "columns": {"path": "path", "label": "label"},
                "images": {"sizes": {f"{recipe.width}x{recipe.height}": len(items)},
                           "modes": {"P" if recipe.colormap != "gray" else "L": len(items)}},
                "warnings": [f"{name}: {reason}" for name, reason in report.skipped[:50]]},
        items=items, parent_id=source.id,
        derivation={"type": "spectrograms", "recipe": recipe_json, "conversion_id": conversion.id},
    )  # fmt: skip
    session.add(dataset)
    session.flush()
    return dataset


def _summary(report: ConversionReport) -> dict[str, Any]:
    return {
        "recordings": report.recordings, "segments": report.segments,
        "audio_seconds": round(report.audio_seconds, 2), "skipped": len(report.skipped),
        "per_class": dict(report.per_class), "per_speaker": dict(report.per_speaker),
    }  # fmt: skip


def _user_message(exc: Exception) -> str:
    if isinstance(exc, DLStudioError):
        return exc.message
    return f"Conversion failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
