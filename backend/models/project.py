from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, TimestampMixin

# Every stored object belongs to a project; the embedded mode has this one.
# Accounts and access control will attach to projects without reshaping tables.
DEFAULT_PROJECT_SLUG = "default"


class Project(TimestampMixin, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
