"""The production compose file: valid for Debian's docker-compose 1.29, and wired as documented.

No Docker engine here: `docker-compose config -q` validates the file against its schema without
one; the structural checks below read the YAML itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = {"postgres", "redis", "api", "worker", "predictor"}
# Keys newer than docker-compose 1.29 understands; it rejects the whole file over them.
TOO_NEW = {"start_interval"}


def compose_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLSTUDIO_")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def named_volumes(service: dict[str, Any]) -> dict[str, str]:
    """Mount target -> volume name, for the named volumes (not bind mounts) of a service."""
    mounts = {}
    for entry in service.get("volumes", []):
        source, target = str(entry).split(":")[:2]
        if not source.startswith((".", "/", "~")):
            mounts[target] = source
    return mounts


def command_text(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else " ".join(command)


def walk_keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {key for value in node.values() for key in walk_keys(value)}
    if isinstance(node, list):
        return {key for value in node for key in walk_keys(value)}
    return set()


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose (Debian's 1.29) is not installed: `apt-get install docker-compose`",
)
def test_docker_compose_accepts_the_file_and_demands_a_secret() -> None:
    command = ["docker-compose", "-f", str(COMPOSE), "config", "-q"]
    ok = subprocess.run(
        command,
        cwd=ROOT,
        env=compose_env(DLSTUDIO_SECRET_KEY="a-real-secret"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    # Without a secret the file refuses to render rather than deploy the placeholder.
    missing = subprocess.run(
        command, cwd=ROOT, env=compose_env(), capture_output=True, text=True, timeout=60
    )
    assert missing.returncode != 0
    assert "DLSTUDIO_SECRET_KEY" in missing.stderr


def test_services_and_their_healthchecks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == SERVICES
    assert services["postgres"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:7")
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])
    api_check = " ".join(services["api"]["healthcheck"]["test"])
    assert "health" in api_check and "8000" in api_check
    assert not walk_keys(compose) & TOO_NEW


def test_data_lives_in_named_volumes(compose: dict[str, Any]) -> None:
    services, declared = compose["services"], set(compose["volumes"])
    for name in ("postgres", "redis", "api", "worker"):
        mounts = named_volumes(services[name])
        assert mounts, f"{name} keeps its data in the container"
        assert set(mounts.values()) <= declared
    storage = "/data/storage"
    assert named_volumes(services["api"])[storage] == named_volumes(services["worker"])[storage]


def test_api_migrates_before_serving_and_waits_for_healthy_services(
    compose: dict[str, Any],
) -> None:
    api = compose["services"]["api"]
    assert api["build"]["dockerfile"] == "docker/api.Dockerfile"
    command = command_text(api)
    # `&&`: a failed migration must stop the server from starting on an old schema.
    migrate, serve = command.index("dlstudio migrate"), command.index("dlstudio serve")
    assert migrate < serve and "&&" in command[migrate:serve]
    assert "--no-worker" in command and "0.0.0.0" in command
    for dependency in ("postgres", "redis"):
        assert api["depends_on"][dependency]["condition"] == "service_healthy"
        assert "restart" not in api["depends_on"][dependency]


def test_api_and_worker_share_configuration(compose: dict[str, Any]) -> None:
    api, worker = compose["services"]["api"], compose["services"]["worker"]
    for env in (api["environment"], worker["environment"]):
        assert env["DLSTUDIO_ENVIRONMENT"] == "production"
        assert env["DLSTUDIO_SECRET_KEY"].startswith("${DLSTUDIO_SECRET_KEY")
        assert env["DLSTUDIO_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in env["DLSTUDIO_DATABASE_URL"]
        assert env["DLSTUDIO_BROKER_URL"].startswith("redis://redis:6379/")
    names = ("DLSTUDIO_DATABASE_URL", "DLSTUDIO_BROKER_URL", "DLSTUDIO_STORAGE_DIR")
    assert {n: api["environment"][n] for n in names} == {n: worker["environment"][n] for n in names}


def test_worker_runs_the_worker_on_a_gpu(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert worker["build"]["dockerfile"] == "docker/worker.Dockerfile"
    assert command_text(worker).split()[-1] == "worker"
    devices = worker["deploy"]["resources"]["reservations"]["devices"]
    gpu = next(device for device in devices if device["driver"] == "nvidia")
    assert gpu["capabilities"] == ["gpu"]
    assert gpu.get("count") in ("all", 1) or gpu.get("device_ids")


def test_images_split_the_api_from_keras() -> None:
    api = (ROOT / "docker" / "api.Dockerfile").read_text()
    worker = (ROOT / "docker" / "worker.Dockerfile").read_text()
    assert "python:3.11-slim" in api and "npm run build" in api
    api_installs = " ".join(line for line in api.splitlines() if "pip install" in line).lower()
    assert "pip install" in api_installs
    assert not [word for word in ("worker]", "tensorflow", "keras") if word in api_installs]
    worker_installs = " ".join(line for line in worker.splitlines() if "pip install" in line)
    assert "tensorflow" in worker_installs and "keras" in worker_installs
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "frontend/node_modules/"} <= set(ignored)


def test_a_predict_worker_shares_storage_and_configuration(compose: dict[str, Any]) -> None:
    predictor, api = compose["services"]["predictor"], compose["services"]["api"]
    assert predictor["build"]["dockerfile"] == "docker/worker.Dockerfile"
    assert command_text(predictor).split()[-1] == "predictor"
    assert named_volumes(predictor)["/data/storage"] == named_volumes(api)["/data/storage"]
    names = ("DLSTUDIO_DATABASE_URL", "DLSTUDIO_BROKER_URL", "DLSTUDIO_STORAGE_DIR")
    assert {n: predictor["environment"][n] for n in names} == {
        n: api["environment"][n] for n in names
    }


def test_the_gpu_worker_image_installs_everything_the_worker_extra_names() -> None:
    # The image repeats the `worker` extra by hand (its TensorFlow must be the GPU build), so
    # a package added to the extra and forgotten here would fail only on the GPU machines.
    import re
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["worker"]
    names = {re.split(r"[<>=;\[ ]", requirement, maxsplit=1)[0] for requirement in extra}
    dockerfile = (ROOT / "docker" / "worker.Dockerfile").read_text()
    missing = [name for name in sorted(names - {"tensorflow", "tensorflow-cpu"})
               if f'"{name}' not in dockerfile]  # fmt: skip
    assert not missing, f"docker/worker.Dockerfile does not install {missing}"
