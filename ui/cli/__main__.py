"""`python -m ui.cli` runs the `posapp` command."""

import sys

from ui.cli.main import main

sys.exit(main())
