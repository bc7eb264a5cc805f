"""One path from untrusted JSON to (hyperparameters, problems, warnings).

Shared by the check endpoint (answers 200 with the problems) and run creation
(refuses with 422), so a form shows exactly what the run would refuse, at the
same locations (``["body", "hyperparameters", "optimizer", "rho"]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from backend.error_handlers import _pydantic_problems
from backend.errors import Problem
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.hyperparameters.checks import HyperparameterWarning, problems, warnings

PREFIX = ("body", "hyperparameters")


def parse(data: Any) -> tuple[Hyperparameters | None, list[Problem]]:
    """Field-level validation, reported exactly as a run-creation request's would be."""
    try:
        return Hyperparameters.model_validate(data), []
    except ValidationError as exc:
        errors = [{**err, "loc": (*PREFIX, *err["loc"])} for err in exc.errors(include_url=False)]
        return None, _pydantic_problems(errors, {"hyperparameters": data})


def check(
    hp: Hyperparameters, class_counts: Mapping[str, int] | None = None
) -> tuple[list[Problem], list[HyperparameterWarning]]:
    """Cross-field problems (located under PREFIX) and warnings."""
    found = [Problem((*PREFIX, *p.loc), p.message) for p in problems(hp)]
    return found, warnings(hp, class_counts)
