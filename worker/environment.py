"""Process environment the worker needs before Keras is imported."""

from __future__ import annotations

import os

from backend.settings import get_settings


def configure_keras_environment() -> None:
    # setdefault: an operator's explicit KERAS_BACKEND wins over the settings file.
    os.environ.setdefault("KERAS_BACKEND", get_settings().keras_backend)
    # TensorFlow's C++ start-up chatter drowns the worker log otherwise.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
