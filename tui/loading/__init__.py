"""Reading, running and checking a scenario file, and the errors it can give.
Imports no Textual: the command line loads scenarios with it too."""
