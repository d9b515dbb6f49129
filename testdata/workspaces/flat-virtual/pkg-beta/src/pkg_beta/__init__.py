"""pkg-beta."""
