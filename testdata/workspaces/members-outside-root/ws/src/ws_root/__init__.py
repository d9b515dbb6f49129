"""ws-root."""
