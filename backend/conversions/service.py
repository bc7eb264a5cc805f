"""Audio datasets become spectrogram image datasets through a job on the worker."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.audio_recipe import load_recipe
from backend.errors import InvalidInput, NotFound, Problem, ServiceUnavailable
from backend.models.conversion import Conversion
from backend.models.dataset import Dataset
from backend.models.project import Project
from backend.queue import CONVERT_AUDIO_TASK, enqueue

logger = logging.getLogger(__name__)


def start(
    session: Session,
    project: Project,
    source: Dataset,
    recipe_data: dict[str, Any],
    name: str | None,
) -> Conversion:
    if source.kind != "audio":
        raise InvalidInput(
            f"Dataset '{source.name}' holds images already; only audio datasets are converted",
            [Problem(("path", "dataset_id"), f"dataset {source.id} is a {source.kind} dataset")],
        )
    recipe = load_recipe(recipe_data)
    conversion = Conversion(
        project_id=project.id, source_dataset_id=source.id,
        name=name or f"{source.name} spectrograms", recipe=recipe.model_dump(mode="json"),
        status="queued", total=source.num_items,
    )  # fmt: skip
    session.add(conversion)
    session.commit()
    try:  # after the commit, so the worker finds the row
        conversion.task_id = enqueue(CONVERT_AUDIO_TASK, conversion.id)
    except Exception as exc:
        logger.exception("could not enqueue conversion %s", conversion.id)
        conversion.status, conversion.error_message = "failed", "the broker is unreachable"
        session.commit()
        raise ServiceUnavailable(f"Conversion {conversion.id} could not be queued") from exc
    session.commit()
    return conversion


def get_or_404(session: Session, project: Project, conversion_id: int) -> Conversion:
    conversion = session.get(Conversion, conversion_id)
    if conversion is None or conversion.project_id != project.id:
        raise NotFound(f"Conversion {conversion_id} does not exist")
    return conversion


def list_for_project(session: Session, project: Project) -> Sequence[Conversion]:
    query = select(Conversion).where(Conversion.project_id == project.id)
    return session.scalars(query.order_by(Conversion.id.desc())).all()
