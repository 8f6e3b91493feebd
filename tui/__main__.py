"""Where the ``micrograd-tui`` command and ``python -m tui`` start.

Python's cycle collector is held off from here until the app has drawn its
first screen (``heap.hold_for_launch``), so that importing the program is
not slowed by collections that find nothing to free.
"""

from __future__ import annotations

import sys

from micrograd import heap


def main() -> int:
    heap.hold_for_launch()
    from tui.cli import main as command  # the rest of the program, imported with it held

    return command()


if __name__ == "__main__":
    sys.exit(main())
