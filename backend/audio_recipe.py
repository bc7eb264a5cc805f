"""How speech becomes spectrogram images: one recipe, stored with the dataset version.

Pure Python (the API validates recipes; the worker renders them). ``recipe.model_dump()`` is
what gets stored, so the exact rendering can be applied to a raw recording at prediction time.
Stored recipes carry ``version``; ``load_recipe`` upgrades older ones step by step before
validating, so a stored dataset keeps meaning what it meant when it was made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backend.errors import InvalidInput, Problem

RECIPE_VERSION = 1
# WebRTC VAD accepts only these rates; other recipe rates are resampled for the VAD alone.
VAD_RATES = (8000, 16000, 32000, 48000)
Colormap = Literal["viridis", "magma", "gray"]
Window = Literal["hann", "hamming", "blackman", "rectangular"]


class _Strict(BaseModel):
    # A misspelt key in a stored recipe must fail loudly, not fall back to a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class VadRecipe(_Strict):
    enabled: bool = True
    # "energy" is the documented fallback: frames within `energy_range_db` of the loudest
    # frame count as voiced. It needs no native wheel but mistakes steady noise for speech.
    method: Literal["webrtc", "energy"] = "webrtc"
    aggressiveness: int = Field(2, ge=0, le=3, description="WebRTC VAD mode, 0 (lenient) to 3")
    frame_ms: Literal[10, 20, 30] = 30
    min_voiced_ms: int = Field(60, ge=0, le=5000, description="shorter voiced runs are noise")
    padding_ms: int = Field(90, ge=0, le=2000, description="kept around each voiced run")
    energy_range_db: float = Field(35.0, gt=0, le=120)


class SegmentRecipe(_Strict):
    # None keeps the whole (voiced) utterance as one segment; 0.03 s is the paper's shortest.
    length_s: float | None = Field(1.0, ge=0.03, le=600)
    hop_s: float | None = Field(0.5, gt=0, le=600, description="None means hop = length")
    min_length_s: float = Field(0.5, ge=0, le=600, description="shorter tails are dropped")

    @model_validator(mode="after")
    def _tail_fits(self) -> SegmentRecipe:
        if self.length_s is not None and self.min_length_s > self.length_s:
            raise ValueError(
                f"segment.min_length_s ({self.min_length_s}) must not exceed "
                f"segment.length_s ({self.length_s})"
            )
        return self


class StftRecipe(_Strict):
    n_fft: int = Field(512, ge=16, le=16384)
    hop_length: int = Field(160, ge=1, le=16384)
    window: Window = "hann"

    @model_validator(mode="after")
    def _hop_within_frame(self) -> StftRecipe:
        if self.hop_length > self.n_fft:
            raise ValueError(
                f"stft.hop_length ({self.hop_length}) must not exceed stft.n_fft ({self.n_fft}):"
                " samples between frames would be skipped"
            )
        return self


class SpectrogramRecipe(_Strict):
    version: int = Field(RECIPE_VERSION, ge=1)
    sample_rate: int = Field(16000, ge=4000, le=192000)
    mono: Literal[True] = True  # the models take one channel; stereo is mixed down
    vad: VadRecipe = VadRecipe()
    segment: SegmentRecipe = SegmentRecipe()
    stft: StftRecipe = StftRecipe()
    scale: Literal["linear", "mel"] = "mel"
    n_mels: int = Field(128, ge=1, le=1024)
    fmin: float = Field(0.0, ge=0)
    fmax: float | None = Field(None, gt=0, description="None means sample_rate / 2")
    top_db: float = Field(80.0, gt=0, le=200, description="dB floor below the loudest bin")
    colormap: Colormap = "viridis"
    width: int = Field(1200, ge=8, le=8192)
    height: int = Field(900, ge=8, le=8192)

    @model_validator(mode="after")
    def _cross_field(self) -> SpectrogramRecipe:
        if self.version > RECIPE_VERSION:
            raise ValueError(
                f"version {self.version} is newer than this studio understands ({RECIPE_VERSION})"
            )
        nyquist = self.sample_rate / 2
        fmax = self.fmax if self.fmax is not None else nyquist
        if fmax > nyquist:
            raise ValueError(
                f"fmax ({fmax:g} Hz) must not exceed half of sample_rate ({nyquist:g} Hz)"
            )
        if self.fmin >= fmax:
            raise ValueError(f"fmin ({self.fmin:g} Hz) must be below fmax ({fmax:g} Hz)")
        bins = self.stft.n_fft // 2 + 1
        if self.scale == "mel" and self.n_mels > bins:
            raise ValueError(
                f"n_mels ({self.n_mels}) must not exceed the {bins} frequency bins of "
                f"stft.n_fft ({self.stft.n_fft})"
            )
        return self

    @property
    def max_frequency(self) -> float:
        return self.fmax if self.fmax is not None else self.sample_rate / 2


# Registered upgrades: UPGRADES[n] turns a version-n dict into a version-(n + 1) dict.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def upgrade_recipe_data(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored recipe dict up to RECIPE_VERSION (a missing version means 1)."""
    upgraded = dict(data)
    version = int(upgraded.get("version", 1))
    while version < RECIPE_VERSION:
        upgraded = UPGRADES[version](upgraded)
        version += 1
        upgraded["version"] = version
    return upgraded


def recipe_problems(error: ValidationError) -> list[Problem]:
    """Pydantic errors as Problems located at ("recipe", field, ...)."""
    problems = []
    for item in error.errors():
        loc = ("recipe", *(str(part) for part in item["loc"]))
        field = ".".join(loc[1:]) or "recipe"
        message = item["msg"].removeprefix("Value error, ")
        problems.append(Problem(loc, f"{field}: {message}"))
    return problems


def load_recipe(data: dict[str, Any] | None) -> SpectrogramRecipe:
    """Upgrade and validate a recipe; every problem is reported at once, each naming its field."""
    try:
        return SpectrogramRecipe.model_validate(upgrade_recipe_data(data or {}))
    except ValidationError as error:
        problems = recipe_problems(error)
        summary = "; ".join(p.message for p in problems)
        raise InvalidInput(f"Invalid spectrogram recipe: {summary}", problems) from None
