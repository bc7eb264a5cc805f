"""A download bundle: one zip with the model in one format and everything needed to use it."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backend.model_versions import card as cards
from backend.model_versions import service
from backend.model_versions.card_text import render
from backend.model_versions.formats import Format
from backend.model_versions.predict_template import predict_script
from backend.models.run import Run


def bundle_name(run: Run, fmt: Format) -> str:
    return f"dlstudio-model-{run.id}-{fmt}"


def build_zip(session: Session, run: Run, storage_root: Path, fmt: Format) -> Path:
    """Writes the bundle to a temporary file (the caller deletes it after sending)."""
    folder = bundle_name(run, fmt)
    handle, name = tempfile.mkstemp(prefix=f"{folder}-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for arcname, text in _documents(session, run, storage_root, fmt).items():
                archive.writestr(f"{folder}/{arcname}", text)
            for source, arcname in _model_files(run, storage_root, fmt):
                # Weights barely compress; storing them keeps a large download quick to build.
                archive.write(source, f"{folder}/{arcname}", compress_type=zipfile.ZIP_STORED)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _documents(session: Session, run: Run, storage_root: Path, fmt: Format) -> dict[str, str]:
    card = cards.model_card(session, run, storage_root)
    documents = {
        "labels.json": _json(list(run.dataset.classes)),
        "preprocessing.json": _json(cards.preprocessing(run)),
        "model_card.json": _json({**card, "format": fmt}),
        "model_card.md": render(card, fmt),
        "predict.py": predict_script(fmt),
    }
    recipe = cards.audio_recipe(session, run.dataset)
    if recipe is not None:
        documents["recipe.json"] = _json(recipe)
    evaluation = service.read_run_json(run, storage_root, "evaluation.json")
    if evaluation is not None:
        documents["evaluation.json"] = _json(evaluation)
    return documents


def _model_files(run: Run, storage_root: Path, fmt: Format) -> list[tuple[Path, str]]:
    if fmt == "keras":
        assert run.model_path is not None
        return [(storage_root / run.model_path, "model.keras")]
    source = service.export_path(run, storage_root, fmt)
    if source.is_file():
        return [(source, source.name)]
    return [(file, f"{source.name}/{file.relative_to(source).as_posix()}")
            for file in sorted(source.rglob("*")) if file.is_file()]


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, default=str) + "\n"
