"""bird-feeder."""
