"""Uploaded backbone weights files, stored once by content hash (``weights/<sha256>``)."""
