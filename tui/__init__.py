"""micrograd-tui: step through backpropagation in the terminal.

The package is split so that the command line can print and export without
importing Textual: ``scenario`` loads files, ``naming`` and ``numbers`` make
text, ``transcript`` and ``export`` write it, ``heap`` keeps Python's cycle
collector out of the way of big graphs, ``cli`` is the command. The app
is ``app`` (loading and screen changes), ``view`` (what the panels show of a
trace), ``layout`` (where the graph's boxes and edges go), ``screens/`` and
``widgets/``; only those import Textual.
"""
