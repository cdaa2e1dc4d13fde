"""Allow ``python -m copylint``."""

from copylint.cli import console

console()
