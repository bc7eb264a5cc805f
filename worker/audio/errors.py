"""Audio errors cross process boundaries (pool workers, Celery), so they pickle by message."""

from __future__ import annotations


class AudioError(Exception):
    """A recording that cannot be used, with the file named in the message."""
