"""outer."""
