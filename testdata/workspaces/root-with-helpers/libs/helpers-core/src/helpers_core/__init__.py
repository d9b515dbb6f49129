"""helpers-core."""
