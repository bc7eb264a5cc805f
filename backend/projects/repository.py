from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models.project import DEFAULT_PROJECT_SLUG, Project


def get_default_project(session: Session) -> Project:
    """The embedded studio's project (seeded by the first migration; recreated if deleted)."""
    project = session.scalar(select(Project).where(Project.slug == DEFAULT_PROJECT_SLUG))
    if project is None:
        project = Project(slug=DEFAULT_PROJECT_SLUG, name="Default project")
        session.add(project)
        session.flush()
    return project
