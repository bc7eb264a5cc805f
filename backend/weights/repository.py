from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.weights_file import WeightsFile


def get(session: Session, project_id: int, weights_id: int) -> WeightsFile | None:
    row = session.get(WeightsFile, weights_id)
    return row if row is not None and row.project_id == project_id else None


def get_by_sha(session: Session, project_id: int, sha256: str) -> WeightsFile | None:
    return session.scalars(
        select(WeightsFile).where(
            WeightsFile.project_id == project_id, WeightsFile.sha256 == sha256
        )
    ).first()


def by_sha(session: Session, project_id: int, hashes: Iterable[str]) -> dict[str, WeightsFile]:
    rows = session.scalars(
        select(WeightsFile).where(
            WeightsFile.project_id == project_id, WeightsFile.sha256.in_(set(hashes))
        )
    )
    return {row.sha256: row for row in rows}


def list_for_project(session: Session, project_id: int) -> Sequence[WeightsFile]:
    return session.scalars(
        select(WeightsFile).where(WeightsFile.project_id == project_id).order_by(WeightsFile.id)
    ).all()
