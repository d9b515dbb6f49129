"""thirdparty."""
