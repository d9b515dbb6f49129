"""hidden-member."""
