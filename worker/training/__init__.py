"""The training loop: data, optimiser, callbacks, artifacts; ``job.run_training`` runs a run."""
