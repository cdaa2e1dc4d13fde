"""copylint: a copy-editing linter for news and wire copy."""

__version__ = "0.1.0"
