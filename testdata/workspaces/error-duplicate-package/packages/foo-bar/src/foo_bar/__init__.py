"""foo-bar."""
