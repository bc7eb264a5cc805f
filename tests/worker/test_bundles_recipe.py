"""A bundle for a model trained on spectrograms carries the recipe that rendered them, even
when the dataset it trained on was relabelled from the converted one; and a run with no test
part and no evaluation says so in its card instead of inventing numbers."""

from __future__ import annotations

import json
import zipfile

import keras

from backend.audio_recipe import SpectrogramRecipe
from backend.model_versions.bundle import build_zip
from backend.models.conversion import Conversion
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import store_dataset, store_run
from worker.training.artifacts import save_model


def test_an_audio_derived_models_bundle_has_its_recipe(worker_env: WorkerEnv) -> None:
    recipe = SpectrogramRecipe(n_mels=64, width=32, height=32).model_dump(mode="json")
    with worker_env.sessions() as session:
        audio = store_dataset(session, worker_env.storage, per_class=1)
        audio.kind = "audio"
        spectrograms = store_dataset(session, worker_env.storage, per_class=2)
        conversion = Conversion(project_id=audio.project_id, source_dataset_id=audio.id,
                                result_dataset_id=spectrograms.id, name="mels", recipe=recipe,
                                status="succeeded")
        relabelled = store_dataset(session, worker_env.storage, per_class=2)
        relabelled.parent_id = spectrograms.id
        session.add(conversion)
        session.commit()
        run = store_run(session, relabelled, small_cnn(32), {"epochs": 1}, status="succeeded")
        inputs = keras.Input((32, 32, 3))
        model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(
            keras.layers.GlobalAveragePooling2D()(inputs)))
        save_model(model, run, worker_env.storage)
        session.commit()

        path = build_zip(session, run, worker_env.storage, "keras")
        folder = f"dlstudio-model-{run.id}-keras"
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            stored = json.loads(archive.read(f"{folder}/recipe.json"))
            card = json.loads(archive.read(f"{folder}/model_card.json"))
            text = archive.read(f"{folder}/model_card.md").decode()
        path.unlink()

    assert {f"{folder}/{name}" for name in ("model.keras", "labels.json", "preprocessing.json",
                                            "model_card.md", "predict.py")} <= names
    assert stored == {"source_dataset_id": audio.id, "conversion_id": conversion.id,
                      "recipe": recipe}
    assert card["dataset"]["from_audio"] is True
    assert card["metrics"]["source"] == "test_metrics"
    assert "No held-out metrics" in text and "recipe.json" in text
    assert card["software"]["keras_backend"] and card["software"]["keras"]
