"""micrograd-tui: step through backpropagation in the terminal.

The layers, from the bottom up (``lint-imports`` checks the order; see the
contracts in ``pyproject.toml``):

- ``loading/``: read, run and check a scenario file; ``ScenarioError``.
- ``text/``: node names, numbers, each step's sentence, the transcript and
  the exports.
- ``view/``: what the panels show of a trace, as plain data, and the
  graph's layout.
- ``widgets/`` and ``screens/``: the Textual parts, one widget or screen a
  module; ``messages.py`` holds what screens ask of the app.
- ``app.py`` (loading and switching screens), ``cli.py`` (the command),
  ``serve.py`` (the browser mode), ``attach.py`` (``debug()``),
  ``notebook.py`` (``debug()`` in a notebook's cell) and ``options.py`` on top.

Only the widgets, the screens and the app import Textual.
"""

from __future__ import annotations

import sys
from typing import Any


def debug(root: Any, *, backward: bool = False, optimizer: Any = None) -> None:
    """Open the step-through debugger on ``root``'s graph here, as ``breakpoint()`` opens
    pdb, and go on when the learner quits: ``from tui import debug; debug(loss)``.

    The graph's data, grads and labels are left as they were, unless
    ``backward=True`` asks for the grads ``root.backward()`` gives from zero.
    ``optimizer`` adds its one step to the end. See ``tui.attach.debug``.
    """
    from tui.attach import debug as open_debugger

    open_debugger(root, backward=backward, optimizer=optimizer, caller=sys._getframe(1))
