"""Prediction with stored models: a long-lived worker on its own queue keeps models loaded."""
