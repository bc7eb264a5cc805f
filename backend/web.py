"""Serves the built front end: static assets, and a Jinja2 page shell for every app route."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from backend.settings import Settings

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
ENTRY = "src/main.tsx"


@lru_cache(maxsize=4)
def _read_manifest(path: Path, mtime_ns: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _manifest(dist: Path) -> dict[str, Any]:
    # Keyed on the file's mtime: a rebuild (new hashed file names) is picked up without a
    # restart, and an unchanged manifest is read once.
    path = dist / ".vite" / "manifest.json"
    return _read_manifest(path, path.stat().st_mtime_ns) if path.is_file() else {}


def _assets(dist: Path) -> dict[str, Any]:
    entry = _manifest(dist).get(ENTRY)
    if entry is None:
        return {"built": False, "script": None, "styles": []}
    return {"built": True, "script": entry["file"], "styles": entry.get("css", [])}


def install_frontend(app: FastAPI, settings: Settings) -> None:
    dist = settings.frontend_dist
    # Mounted even before the first build, so building while the server runs just works.
    assets = StaticFiles(directory=dist / "assets", check_dir=False)
    app.mount("/static/assets", assets, name="assets")
    router = APIRouter(include_in_schema=False)

    async def shell(request: Request) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, "shell.html", {"assets": _assets(dist)})

    # Client-side routes; anything else under /api is a JSON 404.
    for path in (
        "/",
        "/runs",
        "/runs/{run_id}",
        "/datasets",
        "/datasets/{dataset_id}",
        "/graphs",
        "/models",
        "/models/new",
        "/models/{graph_id}",
        "/train",
        "/compare",
    ):
        router.add_api_route(path, shell, methods=["GET"], response_class=HTMLResponse)
    app.include_router(router)
