"""One error vocabulary for the API and the worker.

Every failure a user can cause is a ``DLStudioError`` with a list of
``Problem``s, each with a location (``["body", "graph", "nodes", "dense_1",
"params", "units"]``, ``["file", "emotion/x.png"]``, ``["csv", "row", 12]``) so
the user learns everything wrong at once. The HTTP body is always::

    {"error": {"code": "...", "message": "...", "problems": [{"loc": [...], "message": "..."}]}}

Exceptions pickle (they cross Celery's process boundary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "message": self.message}


@dataclass
class ProblemCollector:
    """Collects problems so a service can report all of them, then fail once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, loc: Sequence[str | int], message: str) -> None:
        self.problems.append(Problem(tuple(loc), message))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, message: str, error: type[DLStudioError] | None = None) -> None:
        if self.problems:
            raise (error or InvalidInput)(message, self.problems)


class DLStudioError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message, list(problems))
        self.message = message
        self.problems = list(problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.problems))

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "problems": [p.as_dict() for p in self.problems],
            }
        }


class InvalidInput(DLStudioError):
    status_code = 422
    code = "invalid_input"


class NotFound(DLStudioError):
    status_code = 404
    code = "not_found"


class Conflict(DLStudioError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(DLStudioError):
    status_code = 413
    code = "payload_too_large"


class ServiceUnavailable(DLStudioError):
    status_code = 503
    code = "service_unavailable"
