"""`dlstudio serve`: the embedded stack in one process tree.

Migrations, then the broker (an embedded Valkey unless DLSTUDIO_BROKER_URL is set),
a supervised training worker and predict worker, and the web server; stopped in reverse order on
Ctrl-C or SIGTERM, leaving no child behind. Never imports Keras or ``worker``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import typer

from backend.settings import Settings, get_settings

if TYPE_CHECKING:
    import uvicorn

    from backend.supervisor import Supervisor

log = logging.getLogger("dlstudio.serve")

ASGI_APP = "backend.main:create_app"
WORKER_ARGV = [sys.executable, "-m", "backend.cli", "worker"]
# The predict worker (`dlstudio worker --queues predict`): one process that keeps models loaded.
PREDICTOR_ARGV = [sys.executable, "-m", "backend.cli", "predictor"]
# How long a worker gets to finish its warm shutdown before its process group is killed.
WORKER_GRACE_S = 10.0
WATCH_INTERVAL_S = 0.5


@dataclass
class ServeOptions:
    host: str
    port: int
    with_worker: bool


def run_stack(settings: Settings, options: ServeOptions) -> None:
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
            supervisor.add(
                ManagedProcess("predictor", PREDICTOR_ARGV, death_signal=signal.SIGKILL)
            )
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


def _serve_http(options: ServeOptions, supervisor: Supervisor, banner: str) -> None:
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
    settings: Settings, options: ServeOptions, supervisor: Supervisor, embedded: bool
) -> str:
    workers = [f"pid {child.pid}" for child in supervisor.children if child.name == "worker"]
    predictors = [f"pid {c.pid}" for c in supervisor.children if c.name == "predictor"]
    return (
        f"\n  dlstudio is running at {local_url(settings, options.host, options.port)}\n"
        f"    database  {redact_url(settings.resolved_database_url)}\n"
        f"    broker    {redact_url(settings.resolved_broker_url())}"
        f" ({'embedded Valkey' if embedded else 'external'})\n"
        f"    worker    {', '.join(workers) or 'none here (run `dlstudio worker` elsewhere)'}\n"
        f"    predictor {', '.join(predictors) or 'none here (`dlstudio predictor` elsewhere)'}\n"
        f"    data      {settings.var_dir}\n"
        "  Press Ctrl-C to stop.\n"
    )


def local_url(settings: Settings, host: str | None = None, port: int | None = None) -> str:
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


def setup_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _enable_our_loggers()


def _enable_our_loggers() -> None:
    # Alembic's fileConfig() disables every logger that exists when migrations run, ours too.
    for name in ("dlstudio", "dlstudio.serve", "dlstudio.supervisor"):
        logging.getLogger(name).disabled = False
    logging.getLogger("dlstudio").setLevel(logging.INFO)
