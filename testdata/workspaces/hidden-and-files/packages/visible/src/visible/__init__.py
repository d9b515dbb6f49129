"""visible."""
