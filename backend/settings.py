"""The one Settings class, shared by the API, the CLI and the worker.

Every field can be set from the environment with the ``DLSTUDIO_`` prefix
(``DLSTUDIO_DATABASE_URL``, ``DLSTUDIO_BROKER_URL`` ...). Defaults are the
embedded stack: a SQLite file and a storage folder under ``var/``, and an
embedded Valkey server started by ``dlstudio serve`` when no broker URL is set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KerasBackend = Literal["tensorflow", "torch", "jax"]
PLACEHOLDER_SECRET = "change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DLSTUDIO_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    var_dir: Path = Path("var")
    database_url: str | None = None
    broker_url: str | None = None
    storage_dir: Path | None = None
    frontend_dist: Path = Path(__file__).resolve().parent.parent / "frontend" / "dist"

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = PLACEHOLDER_SECRET

    keras_backend: KerasBackend = "tensorflow"
    worker_concurrency: int = Field(default=1, ge=1)
    embedded_worker: bool = True

    # Limits: a dataset zip is streamed to disk, never held in memory.
    max_upload_bytes: int = Field(default=8 * 1024**3, gt=0)
    max_zip_members: int = Field(default=200_000, gt=0)
    max_uncompressed_bytes: int = Field(default=32 * 1024**3, gt=0)
    max_image_pixels: int = Field(default=64_000_000, gt=0)

    sse_keepalive_seconds: float = Field(default=15.0, gt=0)
    sse_retry_ms: int = Field(default=2000, gt=0)

    @field_validator("var_dir", "storage_dir", "frontend_dist")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return value.expanduser().resolve() if value is not None else None

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        # A production deployment with the default secret would sign sessions
        # anyone can forge once accounts exist; refuse to start instead.
        if self.environment == "production" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError("DLSTUDIO_SECRET_KEY must be set to a real secret in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'dlstudio.db'}"

    @property
    def resolved_storage_dir(self) -> Path:
        return self.storage_dir or self.var_dir / "storage"

    @property
    def embedded_broker(self) -> bool:
        return self.broker_url is None

    def resolved_broker_url(self) -> str:
        # `dlstudio serve` starts the embedded Valkey and exports its URL as
        # DLSTUDIO_BROKER_URL to itself and its worker, so this only fails for a
        # process started on its own without a broker.
        if self.broker_url:
            return self.broker_url
        raise RuntimeError(
            "No broker: set DLSTUDIO_BROKER_URL, or start the embedded stack with `dlstudio serve`"
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
