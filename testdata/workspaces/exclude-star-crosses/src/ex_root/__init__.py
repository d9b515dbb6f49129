"""ex-root."""
