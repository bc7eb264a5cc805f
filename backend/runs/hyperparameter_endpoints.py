"""The hyperparameter panel's API: presets, and a check that answers, never refuses.

``POST /api/hyperparameters/check`` returns 200 for any JSON object, listing
what a run would refuse (``problems``) and what would probably disappoint
(``warnings``, each with the fields that fix it); only a body that is not a
JSON object is a 422.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from pydantic import BaseModel

from backend.datasets import repository as datasets
from backend.deps import CurrentProject, DbSession
from backend.errors import Problem
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.hyperparameters.checks import HyperparameterWarning
from backend.runs.hyperparameters.presets import PRESETS, HyperparameterPreset
from backend.runs.hyperparameters.validate import check, parse

router = APIRouter(tags=["hyperparameters"])


class ProblemPublic(BaseModel):
    loc: list[str | int]
    message: str


class HyperparameterCheck(BaseModel):
    valid: bool
    problems: list[ProblemPublic]
    warnings: list[HyperparameterWarning]
    hyperparameters: Hyperparameters | None  # with every default filled in, when valid


@router.get("/api/hyperparameter-presets", response_model=list[HyperparameterPreset])
def list_presets() -> list[HyperparameterPreset]:
    return list(PRESETS)


@router.post("/api/hyperparameters/check", response_model=HyperparameterCheck)
def check_hyperparameters(
    session: DbSession, project: CurrentProject, body: dict[str, Any] = Body(...)
) -> HyperparameterCheck:
    found: list[Problem] = []
    class_counts = None
    dataset_id = body.get("dataset_id")
    if dataset_id is not None:
        if not isinstance(dataset_id, int) or isinstance(dataset_id, bool):
            found.append(Problem(("body", "dataset_id"),
                                 f"dataset_id must be an integer (received: {dataset_id!r})"))
        elif (dataset := datasets.get(session, project.id, dataset_id)) is None:
            found.append(Problem(("body", "dataset_id"), f"dataset {dataset_id} does not exist"))
        else:
            class_counts = dict(dataset.class_counts or {})
    hp, field_problems = parse(body.get("hyperparameters", {}))
    found.extend(field_problems)
    warnings: list[HyperparameterWarning] = []
    if hp is not None:
        cross, warnings = check(hp, class_counts)
        found.extend(cross)
    return HyperparameterCheck(
        valid=not found,
        problems=[ProblemPublic(loc=list(p.loc), message=p.message) for p in found],
        warnings=warnings,
        hyperparameters=hp if not found else None,
    )
