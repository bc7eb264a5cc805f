"""Child processes of `dlstudio serve`: start, watch, restart, and stop them leaving nothing behind.

Each child is started in a session (and so a process group) of its own, for two reasons: the
terminal's Ctrl-C reaches only `serve`, which then stops the children in order, and a child's
own children (Celery's pool processes) can be killed together with it by signalling the group.
On Linux each child also asks the kernel to signal it when `serve` dies, so even a SIGKILLed
`serve` leaves no worker or broker running.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("dlstudio.supervisor")

PR_SET_PDEATHSIG = 1
BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 30.0
# A child that ran this long before dying is treated as healthy again: its back-off restarts.
STABLE_AFTER_S = 60.0


# Loaded here, in the parent: die_with_parent runs between fork and exec, where loading a
# library could deadlock on a lock another thread of the parent held at fork time.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask the kernel to send `sig` to this process when its parent thread exits (Linux only).

    The signal fires when the *thread* that forked us ends, so children must be started from
    a thread that lives as long as `serve` (the main thread).
    """
    if _LIBC is not None and _LIBC.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


@dataclass
class ManagedProcess:
    """One child in its own process group, stopped TERM-then-KILL as a whole group."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    log_path: Path | None = None  # None: share serve's own stdout and stderr
    death_signal: int = signal.SIGTERM
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_at: float = 0.0

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> None:
        death_signal = self.death_signal
        with contextlib.ExitStack() as stack:
            log = stack.enter_context(self.log_path.open("ab")) if self.log_path else None
            self.popen = subprocess.Popen(
                list(self.argv),
                env=dict(self.env) if self.env is not None else None,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT if log is not None else None,
                start_new_session=True,
                preexec_fn=lambda: die_with_parent(death_signal),
            )
        self.started_at = time.monotonic()

    def returncode(self) -> int | None:
        """None while running; the exit status (negative: killed by that signal) once dead."""
        return self.popen.poll() if self.popen else None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, grace_s: float = 10.0) -> None:
        """TERM the whole group, KILL it after `grace_s`, and reap the leader."""
        if self.popen is None:
            return
        pgid = self.popen.pid
        if self.popen.poll() is None:
            _kill_group(pgid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %.0f s; killing it", self.name, grace_s)
        # Even when the leader exited cleanly, stragglers in its group (a pool process that
        # missed the TERM) must not outlive it.
        _kill_group(pgid, signal.SIGKILL)
        self.popen.wait()
        self.popen = None


@dataclass
class _Restart:
    due: float
    delay: float


class Supervisor:
    """Keeps restartable children running, with an exponential back-off between restarts."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.children: list[ManagedProcess] = []
        self._clock = clock
        self._pending: dict[str, _Restart] = {}
        self._delays: dict[str, float] = {}

    def add(self, child: ManagedProcess) -> ManagedProcess:
        """Start `child` (unless it already runs) and keep it running from now on."""
        self.children.append(child)
        if not child.alive():
            child.start()
        log.info("supervising %s (pid %s)", child.name, child.pid)
        return child

    def poll(self) -> None:
        """Notice dead children and restart those whose back-off has run out. Never blocks long."""
        now = self._clock()
        for child in self.children:
            pending = self._pending.get(child.name)
            if pending is not None:
                if now >= pending.due:
                    del self._pending[child.name]
                    child.start()
                    log.warning("restarted %s (pid %s)", child.name, child.pid)
                continue
            code = child.returncode()
            if child.popen is not None and code is not None:
                self._schedule_restart(child, code, now)

    def _schedule_restart(self, child: ManagedProcess, code: int, now: float) -> None:
        ran_for = now - child.started_at
        delay = self._delays.get(child.name, 0.0)
        delay = BACKOFF_FIRST_S if ran_for >= STABLE_AFTER_S else max(BACKOFF_FIRST_S, delay * 2)
        delay = min(delay, BACKOFF_MAX_S)
        self._delays[child.name] = delay
        how = f"signal {-code}" if code < 0 else f"code {code}"
        log.warning(
            "%s (pid %s) exited with %s after %.0f s; restarting in %.0f s",
            *(child.name, child.pid, how, ran_for, delay),
        )
        child.stop(grace_s=0)  # reap it and kill what is left of its group
        self._pending[child.name] = _Restart(due=now + delay, delay=delay)

    def stop_all(self, grace_s: float = 10.0) -> None:
        """Stop children in reverse start order (dependents before what they depend on)."""
        self._pending.clear()
        for child in reversed(self.children):
            if child.popen is not None:
                log.info("stopping %s (pid %s)", child.name, child.pid)
            child.stop(grace_s)
        self.children.clear()


class AlreadyRunning(RuntimeError):
    """Another `serve` holds the lock on this var dir."""


class ServeLock:
    """An exclusive flock on `var/run/serve.lock`, with the holder's pid inside.

    The kernel drops a flock when its holder dies, however it dies, so a lock file left by a
    killed `serve` never blocks the next one: the file's presence means nothing, only the flock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(
                f"another `dlstudio serve` (pid {holder}) is already running on "
                f"{self.path.parent.parent}; stop it first, "
                "or set DLSTUDIO_VAR_DIR to another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        # The file stays: unlinking it could let a waiter lock the old inode while a third
        # process creates and locks a new one. An empty file reads as "not running".
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ServeLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
