"""Speech to spectrogram images: load, keep voiced parts, cut, render (numpy, Pillow, soundfile).

No Keras here: conversion runs in plain worker processes, one recording per process task.
"""
