"""albatross."""
