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
  ``serve.py`` (the browser mode) and ``options.py`` on top.

Only the widgets, the screens and the app import Textual.
"""
