"""The real command from outside: the CLI in a subprocess, the app in tmux, and --serve
over a websocket."""
