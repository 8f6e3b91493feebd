"""Ends its own process with os._exit, which skips every handler."""
import os

from micrograd import Value

x = Value(2.0)
os._exit(0)
