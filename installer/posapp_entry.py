"""The frozen `posapp` command: the same entry point as the installed one (ui.cli.launch:main)."""

import sys

from ui.cli.launch import main

if __name__ == "__main__":
    sys.exit(main())
