"""The `posapp` command's entry point: load the program with the garbage collector held off.

Loading SQLAlchemy, Qt and the screens makes hundreds of thousands of objects that all live as
long as the program; the collector's passes over them cost a tenth of the till's start. It is
held off from here until the work starts: ``main`` turns it back on before a subcommand runs,
and the screens do once they are built (after ``gc.freeze()`` has set the start-up objects
aside).
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    from ui.cli.main import main as posapp_main

    return posapp_main()
