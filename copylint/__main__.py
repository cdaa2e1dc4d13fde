"""Allow ``python -m copylint``."""

import sys

from copylint.cli import main

sys.exit(main())
