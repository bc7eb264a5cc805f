"""Evaluation on the held-out part: metrics (pure numpy), result files, and the API."""
