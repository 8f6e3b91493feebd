"""``python -m tui`` runs the ``micrograd-tui`` command."""

from tui.cli import main

raise SystemExit(main())
