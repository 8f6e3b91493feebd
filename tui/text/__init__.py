"""Text about a trace: node names, numbers, the sentence each step says, and the
transcript and exports made of them. Imports no Textual: ``--print`` and
``--export`` use it without starting the app."""
