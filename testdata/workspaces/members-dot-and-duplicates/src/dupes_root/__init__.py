"""dupes-root."""
