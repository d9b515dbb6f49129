"""other."""
