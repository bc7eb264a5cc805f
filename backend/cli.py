"""The `dlstudio` command: `serve` runs the whole studio from one process; `worker`, `migrate`,
`health` and `version` are the pieces a deployment runs on their own.

This module must not import Keras, TensorFlow or the `worker` package at import time: `serve`
and the API never load them; only the `worker` command does, in its own process.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import os
import signal
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit, urlunsplit

import typer

from backend.settings import Settings, get_settings

if TYPE_CHECKING:
    import uvicorn

    from backend.supervisor import Supervisor

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="dlstudio: a self-hosted visual DL studio."
)
log = logging.getLogger("dlstudio.serve")

ASGI_APP = "backend.main:create_app"
CELERY_APP = "worker.celery_app"
WORKER_ARGV = [sys.executable, "-m", "backend.cli", "worker"]
# How long a worker gets to finish its warm shutdown before its process group is killed.
WORKER_GRACE_S = 10.0
WATCH_INTERVAL_S = 0.5


@dataclass
class _ServeOptions:
    host: str
    port: int
    with_worker: bool


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

    _setup_logging()
    settings = get_settings()
    options = _ServeOptions(
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
        _run_stack(settings, options)
    finally:
        lock.release()


def _run_stack(settings: Settings, options: _ServeOptions) -> None:
    """Start broker, worker and web server in order; stop them in reverse, whatever happens."""
    from backend.db.migrate import upgrade_to_head
    from backend.embedded_broker import EmbeddedBroker
    from backend.supervisor import ManagedProcess, Supervisor

    broker: EmbeddedBroker | None = None
    supervisor = Supervisor()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        upgrade_to_head()
        _enable_our_loggers()
        if settings.embedded_broker:
            broker = EmbeddedBroker(settings.var_dir / "run" / "valkey")
            # Exported, so the API in this process and the worker child share the broker.
            valkey = broker.start()
            os.environ["DLSTUDIO_BROKER_URL"] = broker.url
            get_settings.cache_clear()
            log.info("embedded Valkey listening on %s", broker.url)
            # Restarted on the same port if it dies (its queue is lost: nothing is persisted).
            supervisor.add(valkey)
        if options.with_worker:
            # If serve dies unannounced, its broker dies with it, and Celery's warm or cold
            # shutdown then hangs retrying the connection (seen): only SIGKILL is sure.
            worker = ManagedProcess("worker", WORKER_ARGV, death_signal=signal.SIGKILL)
            supervisor.add(worker)
        banner = _banner(get_settings(), options, supervisor, embedded=broker is not None)
        _serve_http(options, supervisor, banner)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C must not cut the clean-up short and leave children behind;
        # the clean-up is bounded by WORKER_GRACE_S anyway.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop_all(WORKER_GRACE_S)
        if broker is not None:
            broker.stop()
        log.info("dlstudio stopped")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # SIGTERM gets the same orderly path as Ctrl-C. Uvicorn captures both while it serves
    # and raises them again once it has shut down, which lands here too.
    raise KeyboardInterrupt


def _serve_http(options: _ServeOptions, supervisor: Supervisor, banner: str) -> None:
    import uvicorn

    # Without a graceful-shutdown timeout an open event stream (SSE) would hold Ctrl-C forever.
    config = uvicorn.Config(
        ASGI_APP,
        factory=True,
        host=options.host,
        port=options.port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    asyncio.run(_serve_and_watch(server, supervisor, banner))


async def _serve_and_watch(server: uvicorn.Server, supervisor: Supervisor, banner: str) -> None:
    # The watch runs on the main thread's event loop, so restarted children are forked by the
    # main thread, which their parent-death signal is tied to.
    watch = asyncio.create_task(_watch(server, supervisor, banner))
    try:
        await server.serve()
    finally:
        watch.cancel()


async def _watch(server: uvicorn.Server, supervisor: Supervisor, banner: str) -> None:
    shown = False
    while True:
        supervisor.poll()
        if server.started and not shown:
            typer.echo(banner)
            shown = True
        await asyncio.sleep(WATCH_INTERVAL_S)


def _banner(
    settings: Settings, options: _ServeOptions, supervisor: Supervisor, embedded: bool
) -> str:
    workers = [f"pid {child.pid}" for child in supervisor.children if child.name == "worker"]
    return (
        f"\n  dlstudio is running at {_local_url(settings, options.host, options.port)}\n"
        f"    database  {redact_url(settings.resolved_database_url)}\n"
        f"    broker    {redact_url(settings.resolved_broker_url())}"
        f" ({'embedded Valkey' if embedded else 'external'})\n"
        f"    worker    {', '.join(workers) or 'none here (run `dlstudio worker` elsewhere)'}\n"
        f"    data      {settings.var_dir}\n"
        "  Press Ctrl-C to stop.\n"
    )


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
    celery_app = importlib.import_module(CELERY_APP).celery_app
    argv = _worker_argv(concurrency or settings.worker_concurrency, queues, loglevel)
    celery_app.worker_main(argv)


def _worker_argv(concurrency: int, queues: str, loglevel: str) -> list[str]:
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
    base = url or _local_url(get_settings())
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


def _local_url(settings: Settings, host: str | None = None, port: int | None = None) -> str:
    host = host or settings.host
    # A server bound to every address is reached, from this machine, on loopback.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port or settings.port}"


def redact_url(url: str) -> str:
    """The URL with any password replaced, fit for a banner or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _setup_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _enable_our_loggers()


def _enable_our_loggers() -> None:
    # Alembic's fileConfig() disables every logger that exists when migrations run, ours too.
    for name in ("dlstudio", "dlstudio.serve", "dlstudio.supervisor"):
        logging.getLogger(name).disabled = False
    logging.getLogger("dlstudio").setLevel(logging.INFO)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
