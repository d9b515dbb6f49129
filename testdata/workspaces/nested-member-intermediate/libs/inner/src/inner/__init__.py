"""inner."""
