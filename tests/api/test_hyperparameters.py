"""The hyperparameter panel's API: presets, the check endpoint, warnings on runs."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Run
from tests.factories import image_zip, paper_hyperparameters
from tests.helpers import create_graph, problem_map, start_run, upload_dataset
from tests.worker.graphs import small_cnn

HP = ("body", "hyperparameters")
ADADELTA_WARNING = "adadelta_low_learning_rate"


def check(client: httpx.Client, hyperparameters: Any, **extra: Any) -> dict[str, Any]:
    response = client.post("/api/hyperparameters/check",
                           json={"hyperparameters": hyperparameters, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def problems_of(body: dict[str, Any]) -> dict[tuple[object, ...], str]:
    return {tuple(p["loc"]): p["message"] for p in body["problems"]}


def presets(client: httpx.Client) -> dict[str, dict[str, Any]]:
    response = client.get("/api/hyperparameter-presets")
    assert response.status_code == 200, response.text
    return {preset["key"]: preset for preset in response.json()}


def test_the_paper_preset_keeps_the_papers_values_and_says_what_to_expect(
    client: httpx.Client,
) -> None:
    found = presets(client)
    assert {"paper", "adam"} <= set(found)
    paper = found["paper"]
    optimizer = paper["hyperparameters"]["optimizer"]
    assert (optimizer["type"], optimizer["learning_rate"], optimizer["rho"],
            optimizer["epsilon"], optimizer["decay"]) == ("adadelta", 1e-4, 0.95, 1e-8, 0.0)
    assert "flat" in paper["description"] and "1.0" in paper["description"]
    assert found["adam"]["hyperparameters"]["optimizer"] == {
        **found["adam"]["hyperparameters"]["optimizer"], "type": "adam", "learning_rate": 1e-3
    }
    for preset in found.values():  # every preset passes its own check
        assert check(client, preset["hyperparameters"])["valid"], preset["key"]


def test_the_paper_preset_warns_and_its_fix_clears_the_warning(client: httpx.Client) -> None:
    paper = presets(client)["paper"]["hyperparameters"]
    body = check(client, paper)
    assert body["valid"] and body["problems"] == []
    warning = next(w for w in body["warnings"] if w["code"] == ADADELTA_WARNING)
    assert "designed for learning rate 1.0" in warning["message"]
    assert "flat for 5 epochs" in warning["message"]
    assert warning["fix"] == {"optimizer.learning_rate": 1.0}
    fixed = {**paper, "optimizer": {**paper["optimizer"], "learning_rate": 1.0}}
    assert ADADELTA_WARNING not in {w["code"] for w in check(client, fixed)["warnings"]}


def test_every_bad_field_is_named_at_its_location(client: httpx.Client) -> None:
    body = check(client, {
        "epochs": 0,
        "batch_size": "eight",
        "optimizer": {"type": "adadelta", "rho": 1.5, "decay": -1},
        "loss": {"type": "focal", "gamma": -1},
        "schedule": {"type": "step", "every_epochs": 0},
        "early_stopping": {"enabled": True, "monitor": "val_f1"},
        "class_weights": "inverse",
        "mixed_precision": "sometimes",
    })
    assert not body["valid"] and body["hyperparameters"] is None
    problems = problems_of(body)
    assert problems[(*HP, "optimizer", "rho")] == "Input should be less than 1 (received: 1.5)"
    assert "greater than or equal to 0" in problems[(*HP, "optimizer", "decay")]
    assert "greater than or equal to 1" in problems[(*HP, "epochs")]
    for loc in [("batch_size",), ("loss", "gamma"), ("schedule", "every_epochs"),
                ("early_stopping", "monitor"), ("class_weights",), ("mixed_precision",)]:
        assert (*HP, *loc) in problems, loc
    assert "'val_f1'" in problems[(*HP, "early_stopping", "monitor")]


def test_unknown_optimizer_and_extra_fields_are_refused(client: httpx.Client) -> None:
    problems = problems_of(check(client, {"optimizer": {"type": "lion"}}))
    assert "adadelta" in problems[(*HP, "optimizer")] and "lion" in problems[(*HP, "optimizer")]
    problems = problems_of(check(client, {"optimizer": {"type": "sgd", "rho": 0.9}}))
    assert (*HP, "optimizer", "rho") in problems  # SGD has no rho


def test_cross_field_rules_have_their_own_messages(client: httpx.Client) -> None:
    body = check(client, {
        "validation_fraction": 0,
        "optimizer": {"type": "adam", "decay": 0.001, "clipnorm": 1.0, "clipvalue": 0.5},
        "schedule": {"type": "reduce_on_plateau", "monitor": "val_accuracy"},
        "early_stopping": {"enabled": True, "monitor": "val_loss"},
    })
    problems = problems_of(body)
    assert problems[(*HP, "optimizer", "decay")].startswith("choose one: decay or a schedule")
    assert "validation_fraction is 0" in problems[(*HP, "schedule", "monitor")]
    assert "validation_fraction is 0" in problems[(*HP, "early_stopping", "monitor")]
    assert "at most one of clipnorm" in problems[(*HP, "optimizer", "clipvalue")]
    warmup = problems_of(check(client, {"epochs": 3,
                                        "schedule": {"type": "cosine", "warmup_epochs": 3}}))
    assert "fewer than 3" in warmup[(*HP, "schedule", "warmup_epochs")]


def test_warnings_name_their_fix(client: httpx.Client) -> None:
    body = check(client, {"epochs": 1, "optimizer": {"type": "adam", "learning_rate": 0.5},
                          "early_stopping": {"enabled": True}})
    assert body["valid"]
    fixes = {w["code"]: w["fix"] for w in body["warnings"]}
    assert fixes["high_learning_rate"] == {"optimizer.learning_rate": 1e-3}
    assert fixes["early_stopping_single_epoch"] == {"early_stopping.enabled": False}


def test_a_dataset_gives_batch_size_and_balance_warnings(client: httpx.Client) -> None:
    dataset = upload_dataset(client, image_zip(per_class=4, size=16, salt=9100))
    assert dataset.status_code in (200, 201), dataset.text
    body = check(client, {"batch_size": 64, "validation_fraction": 0.25},
                 dataset_id=dataset.json()["id"])
    warning = next(w for w in body["warnings"] if w["code"] == "batch_larger_than_training_set")
    assert "9 training images" in warning["message"]  # 3 classes x (4 - 1 held out)
    assert warning["fix"] == {"batch_size": 9}
    missing = problems_of(check(client, {}, dataset_id=999999))
    assert missing[("body", "dataset_id")] == "dataset 999999 does not exist"
    assert ("body", "dataset_id") in problems_of(check(client, {}, dataset_id="x"))


def test_a_body_that_is_not_an_object_is_422_and_a_bad_hyperparameters_value_is_named(
    client: httpx.Client,
) -> None:
    response = client.post("/api/hyperparameters/check", json=[1, 2])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    problems = problems_of(check(client, "fast"))
    assert HP in problems
    assert check(client, {})["valid"]  # every field has a default


def run_count(db: sessionmaker[Session]) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(Run)) or 0


def test_a_run_with_decay_and_a_schedule_is_refused_naming_the_field(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    hp = {**paper_hyperparameters(decay=0.01), "schedule": {"type": "cosine"}}
    before = run_count(db)
    problems = problem_map(start_run(client, 1, 1, hp))
    assert problems[(*HP, "optimizer", "decay")].startswith("choose one: decay or a schedule")
    assert run_count(db) == before


def test_a_run_carries_its_warnings(client: httpx.Client) -> None:
    dataset = upload_dataset(client, image_zip(per_class=2, size=16, salt=9200))
    graph = create_graph(client, small_cnn(16), name="hp-warnings")
    assert graph.status_code == 201, graph.text
    paper = paper_hyperparameters(epochs=1, learning_rate=1e-4)
    run = start_run(client, graph.json()["latest_version"]["id"], dataset.json()["id"], paper)
    assert run.status_code == 201, run.text
    assert ADADELTA_WARNING in {w["code"] for w in run.json()["warnings"]}
    stored = client.get(f"/api/runs/{run.json()['id']}").json()
    assert stored["warnings"] == run.json()["warnings"]
    assert stored["hyperparameters"]["loss"] == {"type": "categorical_crossentropy",
                                                 "label_smoothing": 0.0}
