"""`python -m ui.cli` runs the `posapp` command."""

import sys

from ui.cli.launch import main

sys.exit(main())
