"""The `dlstudio` command: `serve` runs the whole studio from one process; `worker`, `migrate`,
`health` and `version` are the pieces a deployment runs on their own.

This module must not import Keras, TensorFlow or the `worker` package at import time: `serve`
and the API never load them; only the `worker` command does, in its own process.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import urllib.error
import urllib.request
from importlib import metadata
from typing import Annotated, Any

import typer

from backend.dataset_cli import dataset_app
from backend.queue import PREDICT_QUEUE
from backend.serve import ServeOptions, local_url, redact_url, run_stack, setup_logging
from backend.settings import get_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="dlstudio: a self-hosted visual DL studio."
)

app.add_typer(dataset_app, name="dataset")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind [DLSTUDIO_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind [DLSTUDIO_PORT].")] = None,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run a training worker alongside.")
    ] = True,
) -> None:
    """Run the studio: migrations, broker (embedded unless configured), worker and web API."""
    from backend.supervisor import AlreadyRunning, ServeLock

    setup_logging()
    settings = get_settings()
    options = ServeOptions(
        host=host or settings.host,
        port=port or settings.port,
        with_worker=worker and settings.embedded_worker,
    )
    lock = ServeLock(settings.var_dir / "run" / "serve.lock")
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        typer.echo(f"dlstudio serve: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        run_stack(settings, options)
    finally:
        lock.release()


@app.command("worker")
def worker_command(
    concurrency: Annotated[
        int | None, typer.Option(help="Parallel training jobs [DLSTUDIO_WORKER_CONCURRENCY].")
    ] = None,
    queues: Annotated[str, typer.Option(help="Comma-separated queues to consume.")] = "dlstudio",
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "info",
) -> None:
    """Run a Celery training worker (imports Keras; one job per pool process)."""
    settings = get_settings()
    try:
        settings.resolved_broker_url()
    except RuntimeError as exc:
        typer.echo(f"dlstudio worker: {exc}", err=True)
        raise typer.Exit(2) from None
    # Keras reads its backend once, at import: set it before the worker package is imported.
    # As in worker.environment, an operator's explicit KERAS_BACKEND wins over the settings.
    os.environ.setdefault("KERAS_BACKEND", settings.keras_backend)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _pool_children_die_with_worker()
    celery_app = importlib.import_module("worker.celery_app").celery_app
    argv = _worker_argv(concurrency or settings.worker_concurrency, queues, loglevel)
    celery_app.worker_main(argv)


@app.command("predictor")
def predictor_command(
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "info",
) -> None:
    """Run the predict worker (`dlstudio worker --queues predict`): models stay loaded."""
    worker_command(concurrency=1, queues=PREDICT_QUEUE, loglevel=loglevel)


def _worker_argv(concurrency: int, queues: str, loglevel: str) -> list[str]:
    if {q.strip() for q in queues.split(",")} == {PREDICT_QUEUE}:
        # Predictions only: one long-lived process (solo pool) whose loaded models stay warm
        # between requests; its own node name, so it never clashes with a training worker.
        return [
            "worker", "--pool=solo", "--hostname=predict@%h", "--without-mingle",
            "--without-gossip", f"--queues={queues}", f"--loglevel={loglevel}",
        ]  # fmt: skip
    # One task per pool process: TensorFlow's memory only grows in a long-lived process, so
    # each job gets a fresh one. Mingle and gossip only slow a lone worker's start.
    return [
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "--max-tasks-per-child=1",
        "--without-mingle",
        "--without-gossip",
        f"--queues={queues}",
        f"--loglevel={loglevel}",
    ]


def _pool_children_die_with_worker() -> None:
    """A pool process must not keep training after its worker's main process is killed.

    Pool processes are forked from the worker's main thread (the Redis transport uses the
    thread-less async pool), so the parent-death signal fires only when the worker dies.
    """
    from celery.signals import worker_process_init

    from backend.supervisor import die_with_parent

    def _on_child_init(**_: Any) -> None:
        die_with_parent(signal.SIGKILL)

    worker_process_init.connect(_on_child_init, weak=False)


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest revision."""
    from backend.db.migrate import upgrade_to_head

    settings = get_settings()
    upgrade_to_head()
    typer.echo(f"database is up to date: {redact_url(settings.resolved_database_url)}")


@app.command()
def health(
    url: Annotated[str | None, typer.Option(help="Server base URL [from settings].")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for an answer.")] = 5.0,
) -> None:
    """Print the health report of a running server; exit 1 unless it reports ok."""
    base = url or local_url(get_settings())
    try:
        with urllib.request.urlopen(f"{base.rstrip('/')}/api/health", timeout=timeout) as resp:
            body = json.loads(resp.read())
    except urllib.error.HTTPError as exc:  # 503 still carries the report
        body = json.loads(exc.read() or b"{}")
    except (urllib.error.URLError, OSError) as exc:
        typer.echo(f"dlstudio health: no server at {base}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(body, indent=2))
    if body.get("status") != "ok":
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the installed dlstudio version."""
    try:
        typer.echo(f"dlstudio {metadata.version('dlstudio')}")
    except metadata.PackageNotFoundError:
        typer.echo("dlstudio (not installed: running from a source tree)")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
