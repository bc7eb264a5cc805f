"""The training worker: Celery task, Keras compiler and training loop.

Importing any part of this package fixes the Keras backend first, because Keras
reads ``KERAS_BACKEND`` once, on its own first import, and never again.
"""

from worker.environment import configure_keras_environment

configure_keras_environment()
