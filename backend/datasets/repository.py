from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.dataset import Dataset


def get(session: Session, project_id: int, dataset_id: int) -> Dataset | None:
    dataset = session.get(Dataset, dataset_id)
    return dataset if dataset is not None and dataset.project_id == project_id else None


def get_by_hash(session: Session, project_id: int, content_hash: str) -> Dataset | None:
    return session.scalar(
        select(Dataset).where(
            Dataset.project_id == project_id, Dataset.content_hash == content_hash
        )
    )


def list_for_project(session: Session, project_id: int) -> Sequence[Dataset]:
    return session.scalars(
        select(Dataset).where(Dataset.project_id == project_id).order_by(Dataset.id.desc())
    ).all()
