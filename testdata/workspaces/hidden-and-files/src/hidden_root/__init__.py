"""hidden-root."""
