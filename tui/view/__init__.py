"""What the panels show of a trace, worked out as plain data: node names and marks,
the graph's layout, breakpoints. Imports no Textual, so it can be tested without a
screen; the widgets draw what it says."""
