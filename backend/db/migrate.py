"""Run Alembic migrations from code (the CLI's `migrate` and serve's prestart step)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from backend.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str | None = None) -> Config:
    settings = get_settings()
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url or settings.resolved_database_url)
    return config


def upgrade_to_head(database_url: str | None = None) -> None:
    settings = get_settings()
    url = database_url or settings.resolved_database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
