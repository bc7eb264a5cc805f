"""Maps every error to the one body shape documented in backend/errors.py."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import DLStudioError, InvalidInput, Problem


def _pydantic_problems(errors: list[dict[str, Any]]) -> list[Problem]:
    problems = []
    for error in errors:
        loc = tuple(part for part in error.get("loc", ()) if not _is_union_tag(part))
        message = str(error.get("msg", "invalid value"))
        if "input" in error and error.get("type") not in ("missing",):
            shown = repr(error["input"])
            if len(shown) <= 80:
                message = f"{message} (received: {shown})"
        problems.append(Problem(loc, message))
    return problems


def _is_union_tag(part: Any) -> bool:
    # Pydantic adds the discriminator value ("Dense") and function-validator
    # names to locations; users want the path to the field, not the union arm.
    return isinstance(part, str) and (part[:1].isupper() or part.startswith("function-"))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DLStudioError)
    async def _dlstudio(_: Request, exc: DLStudioError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = _pydantic_problems(list(exc.errors()))
        error = InvalidInput(f"The request has {len(problems)} problem(s)", problems)
        return JSONResponse(error.body(), status_code=error.status_code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"error": {"code": "http_error", "message": str(exc.detail), "problems": []}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
