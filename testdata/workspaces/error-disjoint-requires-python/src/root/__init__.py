"""root."""
