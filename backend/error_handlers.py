"""Maps every error to the one body shape documented in backend/errors.py."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import DLStudioError, InvalidInput, Problem


def _pydantic_problems(errors: list[dict[str, Any]], body: Any) -> list[Problem]:
    problems = []
    for error in errors:
        loc = _clean_loc(tuple(error.get("loc", ())), body)
        message = str(error.get("msg", "invalid value"))
        if "input" in error and error.get("type") != "missing":
            shown = repr(error["input"])
            if len(shown) <= 80:
                message = f"{message} (received: {shown})"
        problems.append(Problem(loc, message))
    return problems


def _clean_loc(loc: tuple[Any, ...], body: Any) -> tuple[str | int, ...]:
    """Drops the union arms Pydantic puts in locations ("adadelta", "function-after[...]").

    Walks the request body along the location: a step that is not a key of the
    object there but equals its ``type`` is a discriminator tag, not a field.
    """
    if not loc or loc[0] != "body":
        return tuple(p for p in loc if not str(p).startswith("function-"))
    cleaned: list[str | int] = ["body"]
    current = body
    for part in loc[1:]:
        if str(part).startswith("function-"):
            continue
        if isinstance(current, dict) and isinstance(part, str):
            if part not in current and current.get("type") == part:
                continue
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            current = None
        cleaned.append(part)
    return tuple(cleaned)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DLStudioError)
    async def _dlstudio(_: Request, exc: DLStudioError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = _pydantic_problems(list(exc.errors()), exc.body)
        error = InvalidInput(f"The request has {len(problems)} problem(s)", problems)
        return JSONResponse(error.body(), status_code=error.status_code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"error": {"code": "http_error", "message": str(exc.detail), "problems": []}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
