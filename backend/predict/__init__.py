"""Prediction with a model version (a succeeded run): the API checks and stages; the predict
worker computes (the API never loads Keras)."""
