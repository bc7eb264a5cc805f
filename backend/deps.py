"""FastAPI dependencies shared by the domain routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from backend.db.session import get_db
from backend.models.project import Project
from backend.projects.repository import get_default_project
from backend.settings import Settings, get_settings

DbSession = Annotated[Session, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def current_project(session: DbSession) -> Project:
    # One project until accounts arrive; then this resolves the caller's project.
    return get_default_project(session)


CurrentProject = Annotated[Project, Depends(current_project)]
