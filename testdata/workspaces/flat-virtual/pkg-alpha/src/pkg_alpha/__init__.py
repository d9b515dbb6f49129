"""pkg-alpha."""
