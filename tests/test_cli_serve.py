"""`dlstudio serve` as a user runs it: real processes, real signals, read back through /proc.

Each test starts its own serve on its own var dir with the embedded Valkey (whatever broker the
rest of the suite uses), because the embedded broker is part of what serve supervises.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DLSTUDIO, ROOT, free_port

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="walks /proc (Linux only)"),
    pytest.mark.timeout(300),
]

START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 30

# (pid, start time in clock ticks): a pid alone could be reused by an unrelated process.
ProcId = tuple[int, int]


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may itself hold spaces or parentheses.
    return raw[raw.rindex(")") + 2 :].split()


def is_alive(proc: ProcId) -> bool:
    fields = _stat(proc[0])
    # fields[0] is the state, fields[19] the start time; a zombie has finished running.
    return fields is not None and fields[0] != "Z" and int(fields[19]) == proc[1]


def descendants(root: int) -> set[ProcId]:
    children: dict[int, list[int]] = {}
    start: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            start[int(entry.name)] = int(fields[19])
    found: set[ProcId] = set()
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.add((pid, start[pid]))
        todo.extend(children.get(pid, []))
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@dataclass
class Serve:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def child_pid(self, word: str) -> int | None:
        """Serve's direct child with `word` in its command line (not a grandchild)."""
        for pid, _ in descendants(self.process.pid):
            fields = _stat(pid)
            is_child = fields is not None and int(fields[1]) == self.process.pid
            if is_child and any(part.endswith(word) for part in cmdline(pid).split()):
                return pid
        return None

    def worker_pid(self) -> int | None:
        """The worker's main process (the one serve started, not its pool)."""
        return self.child_pid("worker")

    def health(self) -> dict[str, Any]:
        try:
            body: dict[str, Any] = httpx.get(f"{self.url}/api/health", timeout=5).json()
            return body
        except (httpx.HTTPError, ValueError) as exc:
            return {"error": repr(exc)}

    def wait_all_up(self, timeout: float = START_TIMEOUT_S) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve exited early:\n{self.log()[-4000:]}"
            body = self.health()
            components = body.get("components", {})
            wanted = ("database", "broker", "worker")
            if all(components.get(name, {}).get("status") == "up" for name in wanted):
                return body
            time.sleep(0.5)
        raise AssertionError(f"not all up after {timeout} s: {body}\n{self.log()[-4000:]}")


def serve_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLSTUDIO_")}
    env.update(
        DLSTUDIO_VAR_DIR=str(var_dir),
        DLSTUDIO_DATABASE_URL=database_url,
        DLSTUDIO_ENVIRONMENT="test",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def start_serve(tmp_path: Path, database_url: str) -> Iterator[Any]:
    """Starts `dlstudio serve` in its own session; whatever a test leaves running is killed."""
    started: list[Serve] = []

    def start(var_dir: Path = tmp_path / "var") -> Serve:
        port = free_port()
        log_path = tmp_path / f"serve-{len(started)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(DLSTUDIO), "serve", "--port", str(port)],
                cwd=ROOT,
                env=serve_env(var_dir, database_url),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(Serve(process, port, log_path))
        return started[-1]

    yield start
    for serve in started:
        leftovers = descendants(serve.process.pid)
        if serve.process.poll() is None:
            serve.process.kill()
            serve.process.wait()
        for pid, _ in leftovers:
            _kill_quietly(pid)


def _kill_quietly(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def wait_gone(procs: set[ProcId], timeout: float) -> set[ProcId]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = {proc for proc in procs if is_alive(proc)}
        if not alive:
            return alive
        time.sleep(0.2)
    return {proc for proc in procs if is_alive(proc)}


def stop_with_sigint(serve: Serve) -> set[ProcId]:
    """Ctrl-C; returns the processes serve had started that are still alive afterwards."""
    tree = descendants(serve.process.pid)
    began = time.monotonic()
    serve.process.send_signal(signal.SIGINT)
    try:
        code = serve.process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve ignored SIGINT for {STOP_TIMEOUT_S} s:\n{serve.log()[-4000:]}")
    assert code == 0, serve.log()[-4000:]
    assert time.monotonic() - began < STOP_TIMEOUT_S
    return {proc for proc in tree if is_alive(proc)}


def test_serve_runs_the_stack_and_ctrl_c_stops_all_of_it(start_serve: Any) -> None:
    serve = start_serve()
    serve.wait_all_up()
    assert f"dlstudio is running at {serve.url}" in serve.log()
    tree = descendants(serve.process.pid)
    commands = " | ".join(cmdline(pid) for pid, _ in tree)
    # Valkey, the worker's main process and at least one pool process.
    assert len(tree) >= 3, commands
    assert "valkey-server" in commands and "worker" in commands

    assert stop_with_sigint(serve) == set(), "children outlived serve"

    # Same var dir again: the lock of the stopped serve must not block this one.
    again = start_serve()
    again.wait_all_up()
    assert stop_with_sigint(again) == set()


def test_a_second_serve_on_the_same_var_dir_refuses(start_serve: Any, tmp_path: Path) -> None:
    first = start_serve()
    first.wait_all_up()
    second = start_serve()
    code = second.process.wait(timeout=60)
    assert code != 0
    message = second.log()
    assert "already running" in message and f"pid {first.process.pid}" in message, message
    assert first.health().get("status") == "ok", "the refused serve disturbed the first"
    assert stop_with_sigint(first) == set()


def test_a_killed_worker_is_restarted(start_serve: Any) -> None:
    serve = start_serve()
    serve.wait_all_up()
    old_pid = serve.worker_pid()
    assert old_pid is not None, serve.log()[-4000:]
    old_group = {proc for proc in descendants(serve.process.pid) if os.getpgid(proc[0]) == old_pid}

    os.kill(old_pid, signal.SIGKILL)
    # Its pool process goes with it rather than lingering as an orphan.
    assert wait_gone(old_group, timeout=15) == set()
    deadline = time.monotonic() + START_TIMEOUT_S
    while (new_pid := serve.worker_pid()) in (None, old_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert new_pid not in (None, old_pid), serve.log()[-4000:]
    serve.wait_all_up()
    assert "restarting" in serve.log()
    assert stop_with_sigint(serve) == set()


def test_a_killed_embedded_broker_is_restarted_and_the_worker_reconnects(
    start_serve: Any,
) -> None:
    serve = start_serve()
    serve.wait_all_up()
    valkey = serve.child_pid("valkey-server")
    assert valkey is not None
    os.kill(valkey, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while serve.child_pid("valkey-server") in (None, valkey) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert serve.child_pid("valkey-server") not in (None, valkey), serve.log()[-4000:]
    serve.wait_all_up()
    assert stop_with_sigint(serve) == set()


def test_a_killed_serve_takes_its_children_and_leaves_no_stale_lock(start_serve: Any) -> None:
    serve = start_serve()
    serve.wait_all_up()
    tree = descendants(serve.process.pid)
    serve.process.kill()  # no chance to clean up: the kernel's parent-death signal must
    serve.process.wait()
    assert wait_gone(tree, timeout=15) == set(), [cmdline(pid) for pid, _ in tree]

    again = start_serve()
    again.wait_all_up()
    assert stop_with_sigint(again) == set()
