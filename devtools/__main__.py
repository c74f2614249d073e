"""``python -m devtools eval|bench``."""

import sys

from devtools.cli import main

sys.exit(main())
