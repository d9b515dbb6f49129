"""helpers-io."""
