"""Foo_Bar."""
