"""Crashes the interpreter: reads memory at address 0."""
import ctypes

from micrograd import Value

x = Value(2.0)
ctypes.string_at(0)
