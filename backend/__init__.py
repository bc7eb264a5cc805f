"""dlstudio API: datasets, model graphs and runs. Never imports Keras or TensorFlow."""
