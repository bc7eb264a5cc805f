from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, TimestampMixin


class WeightsFile(TimestampMixin, Base):
    """A backbone weights file a project uploaded; the bytes live once at ``weights/<sha256>``."""

    __tablename__ = "weights_files"
    __table_args__ = (UniqueConstraint("project_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger)
    # "keras" (.weights.h5) or "torchvision" (.pth state dict), read from the bytes.
    format: Mapped[str] = mapped_column(String(20))
    # The architecture the uploader said it is for; None when not said.
    architecture: Mapped[str | None] = mapped_column(String(40))
