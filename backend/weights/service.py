"""Weights uploads: streamed to disk while hashed, stored once per content, one row per project.

The bytes never sit in memory whole: they go from the request to a temp file under
storage in chunks, then move to ``weights/<sha256>``. The same bytes uploaded again give
back the project's existing row.
"""

from __future__ import annotations

import os
from typing import BinaryIO, get_args

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import NotFound, ProblemCollector
from backend.graph.schema import BackboneName
from backend.models.project import Project
from backend.models.weights_file import WeightsFile
from backend.settings import Settings
from backend.uploads.staging import Staged, stage
from backend.weights import repository, storage

# The worker converts torchvision state dicts only for the networks built from torchvision.
TORCHVISION_ARCHITECTURES = ("SqueezeNet11", "WideResNet50_2")
KINDS_TEXT = "a Keras .weights.h5 file or a torchvision .pth state dict"


# What the upload staging hands over: temp path, sha256, size and the first bytes.
Received = Staged


def check_names(filename: str, architecture: str | None) -> storage.Format:
    """What the name and the form say, before any byte is read."""
    problems = ProblemCollector()
    kind = storage.format_for_name(filename)
    if kind is None:
        problems.add(["body", "file"], f"'{filename}' is not {KINDS_TEXT} (by its name)")
    if architecture is not None and architecture not in get_args(BackboneName):
        problems.add(
            ["body", "architecture"],
            f"'{architecture}' is not a backbone; choose one of "
            + ", ".join(get_args(BackboneName)),
        )
    elif kind == "torchvision" and architecture not in (None, *TORCHVISION_ARCHITECTURES):
        problems.add(
            ["body", "architecture"],
            f"torchvision state dicts load into {' or '.join(TORCHVISION_ARCHITECTURES)} only, "
            f"not {architecture}",
        )
    problems.raise_if_any("The weights file cannot be stored")
    assert kind is not None
    return kind


def receive(source: BinaryIO, settings: Settings) -> Received:
    """Streams the upload to a temp file under storage, hashing as it goes."""
    return stage(source, settings, "The weights file")


def check_content(received: Received, filename: str, kind: storage.Format) -> None:
    problems = ProblemCollector()
    if received.size == 0:
        problems.add(["body", "file"], f"'{filename}' is empty")
    elif storage.sniff(received.head) != kind:
        what = "an HDF5 file" if kind == "keras" else "a torch.save file (zip or pickle)"
        problems.add(["body", "file"], f"'{filename}' is named like {KINDS_TEXT} but is not {what}")
    problems.raise_if_any("The weights file cannot be stored")


def store(
    session: Session,
    project: Project,
    received: Received,
    filename: str,
    kind: storage.Format,
    architecture: str | None,
    settings: Settings,
) -> tuple[WeightsFile, bool]:
    """Returns (row, created). Always consumes the temp file."""
    try:
        existing = repository.get_by_sha(session, project.id, received.sha256)
        if existing is not None:
            return existing, False
        _keep_bytes(received, settings)
        row = WeightsFile(
            project_id=project.id,
            sha256=received.sha256,
            filename=filename,
            size=received.size,
            format=kind,
            architecture=architecture,
        )
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # the same bytes arrived twice at once: keep the first row
            session.rollback()
            return _existing(session, project, received.sha256), False
        session.refresh(row)  # as a later read gives it (SQLite drops the time zone)
        return row, True
    finally:
        received.path.unlink(missing_ok=True)


def _keep_bytes(received: Received, settings: Settings) -> None:
    target = storage.weights_path(settings.resolved_storage_dir, received.sha256)
    if target.is_file():  # another project stored these bytes already
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.path, target)


def _existing(session: Session, project: Project, sha256: str) -> WeightsFile:
    row = repository.get_by_sha(session, project.id, sha256)
    assert row is not None
    return row


def get_or_404(session: Session, project: Project, weights_id: int) -> WeightsFile:
    row = repository.get(session, project.id, weights_id)
    if row is None:
        raise NotFound(f"Weights file {weights_id} does not exist")
    return row
