"""The API process must never import Keras or TensorFlow (start-up time, memory, and a
GPU-less API host); only the worker does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECK = """
import sys
from backend.main import create_app
from backend.cli import app as cli_app
app = create_app()
app.openapi()
banned = {'keras', 'tensorflow', 'torch', 'jax', 'worker'}
heavy = sorted(m for m in sys.modules if m.split('.')[0] in banned)
print(','.join(heavy))
"""


def test_the_api_never_imports_keras_or_the_worker() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""


def test_the_api_process_serving_requests_has_no_keras(stack: object) -> None:
    # The running server's own process: read its loaded modules' files via /proc maps.
    from tests.conftest import Stack

    assert isinstance(stack, Stack)
    api_pid = stack.process.pid
    maps = Path(f"/proc/{api_pid}/maps").read_text()
    assert "tensorflow" not in maps and "/keras/" not in maps
