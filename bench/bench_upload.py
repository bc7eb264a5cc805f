"""Resumable upload of a large zip through the API: throughput and the server's memory.

Baseline, measured in the same run on the same bytes: a plain file copy
(shutil.copyfile) on the same disk. The server is a real `dlstudio serve
--no-worker`. Two clients: Python's http.client sending 8 MiB chunks as the browser
does, and curl streaming the file as one chunk (a native client; shows the server's
own ceiling). Prints MB/s, the ratios (target >= 0.5) and the server's peak RSS growth
(target < 150 MB).
    .venv/bin/python bench/bench_upload.py [--size-mb 1024]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import free_port, stack_env  # noqa: E402

CHUNK = 8 * 1024 * 1024  # the browser's default chunk
CHUNK_TYPE = "application/offset+octet-stream"


def make_file(path: Path, size_mb: int) -> None:
    block = os.urandom(CHUNK)  # incompressible, like image data
    with path.open("wb") as sink:
        for _ in range(size_mb * 1024 * 1024 // CHUNK):
            sink.write(block)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, rss_mb(pid), True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.02)


def upload_chunks(port: int, path: Path, chunk_size: int = CHUNK) -> None:
    """As the browser does: declare, then PATCH fixed-size chunks at offsets."""
    size = path.stat().st_size
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    upload_id = _declare(connection, path.name, size)
    with path.open("rb") as source:
        offset = 0
        while chunk := source.read(chunk_size):
            headers = {"Upload-Offset": str(offset), "Content-Type": CHUNK_TYPE}
            connection.request("PATCH", f"/api/uploads/{upload_id}", chunk, headers)
            offset = json.loads(connection.getresponse().read())["offset"]
    assert offset == size
    _discard(connection, upload_id)


def upload_with_curl(port: int, path: Path) -> None:
    """A native client streaming the whole file as one chunk (what the server itself allows)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    upload_id = _declare(connection, path.name, path.stat().st_size)
    subprocess.run(
        ["curl", "-sf", "-o", "/dev/null", "-X", "PATCH", "-T", str(path),
         "-H", "Upload-Offset: 0", "-H", f"Content-Type: {CHUNK_TYPE}",
         f"http://127.0.0.1:{port}/api/uploads/{upload_id}"], check=True)  # fmt: skip
    _discard(connection, upload_id)


def _declare(connection: http.client.HTTPConnection, name: str, size: int) -> str:
    body = json.dumps({"filename": name, "size": size})
    connection.request("POST", "/api/uploads", body, {"Content-Type": "application/json"})
    return str(json.loads(connection.getresponse().read())["id"])


def _discard(connection: http.client.HTTPConnection, upload_id: str) -> None:
    connection.request("DELETE", f"/api/uploads/{upload_id}")
    connection.getresponse().read()


def best_seconds(action: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of a few runs: noise on a shared machine only ever adds time."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dlstudio-upload-bench-"))
    try:
        source = work / "big.zip"
        make_file(source, args.size_mb)
        copy_s = best_seconds(lambda: shutil.copyfile(source, work / "copy.zip"))
        (work / "copy.zip").unlink()
        with running_server(work) as (port, pid):
            before = rss_mb(pid)
            peak = PeakRss(pid)
            peak.start()
            chunks_s = best_seconds(lambda: upload_chunks(port, source))
            curl_s = (
                best_seconds(lambda: upload_with_curl(port, source))
                if shutil.which("curl")
                else None
            )
            peak.running = False
            peak.join()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(args.size_mb, copy_s, chunks_s, curl_s, before, peak.peak)


def report(
    size_mb: int, copy_s: float, chunks_s: float, curl_s: float | None, before: float, peak: float
) -> None:
    copy_rate = size_mb / copy_s
    print(f"size: {size_mb} MB, loopback, best of 3 runs each")
    print(f"baseline plain file copy:               {copy_rate:,.0f} MB/s")
    rates = [("resumable, 8 MiB chunks (http.client)", size_mb / chunks_s)]
    if curl_s is not None:
        rates.append(("resumable, one chunk (curl)", size_mb / curl_s))
    for label, rate in rates:
        print(f"dlstudio {label:<31} {rate:,.0f} MB/s: ratio {rate / copy_rate:.2f} of the copy")
    print(
        f"server RSS: {before:.0f} MB before, peak {peak:.0f} MB during all uploads: "
        f"growth {peak - before:.0f} MB (target < 150 MB)"
    )


@contextmanager
def running_server(work: Path, database_url: str | None = None) -> Iterator[tuple[int, int]]:
    port = free_port()
    env = stack_env(work / "var", database_url or f"sqlite:///{work / 'db.sqlite'}")
    command = [str(Path(sys.executable).parent / "dlstudio"), "serve", "--no-worker",
               "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for_api(f"http://127.0.0.1:{port}", server)
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def _wait_for_api(base: str, server: subprocess.Popen[bytes]) -> None:
    # No worker in this stack, so health stays "degraded"; the API answering is enough.
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/datasets", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
