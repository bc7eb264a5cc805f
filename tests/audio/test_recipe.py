from __future__ import annotations

import pickle

import pytest

from backend.audio_recipe import RECIPE_VERSION, SpectrogramRecipe, load_recipe
from backend.errors import InvalidInput


def messages(data: dict[str, object]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_recipe(data)
    return [p.message for p in caught.value.problems]


def test_defaults_are_the_papers_image_size_and_round_trip() -> None:
    recipe = load_recipe(None)
    assert (recipe.width, recipe.height, recipe.version) == (1200, 900, RECIPE_VERSION)
    assert load_recipe(recipe.model_dump()) == recipe
    assert load_recipe({"segment": {"length_s": None}}).segment.length_s is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"vad": {"aggressiveness": 4}}, "vad.aggressiveness"),
        ({"vad": {"frame_ms": 25}}, "vad.frame_ms"),
        ({"segment": {"length_s": 0.01}}, "segment.length_s"),
        ({"segment": {"length_s": 0.5, "min_length_s": 1.0}}, "segment.min_length_s"),
        ({"stft": {"n_fft": 256, "hop_length": 512}}, "stft.hop_length"),
        ({"stft": {"window": "kaiser"}}, "stft.window"),
        ({"colormap": "jet"}, "colormap"),
        ({"fmax": 9000}, "fmax"),
        ({"fmin": 5000, "fmax": 4000}, "fmin"),
        ({"n_mels": 300, "stft": {"n_fft": 512}}, "n_mels"),
        ({"width": 0}, "width"),
        ({"sampel_rate": 16000}, "sampel_rate"),
        ({"version": RECIPE_VERSION + 1}, "version"),
    ],
)
def test_each_bad_field_is_named(data: dict[str, object], field: str) -> None:
    found = messages(data)
    assert any(field in message for message in found), found


def test_every_problem_is_reported_at_once_and_the_error_pickles() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_recipe({"width": 0, "height": 0, "vad": {"aggressiveness": 9}})
    locs = {p.loc for p in caught.value.problems}
    assert {("recipe", "width"), ("recipe", "height"), ("recipe", "vad", "aggressiveness")} <= locs
    assert pickle.loads(pickle.dumps(caught.value)).problems == caught.value.problems


def test_a_stored_recipe_without_version_is_version_one() -> None:
    stored = SpectrogramRecipe().model_dump()
    del stored["version"]
    assert load_recipe(stored).version == 1
