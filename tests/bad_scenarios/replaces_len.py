"""Replaces builtins.len with a function that never returns."""
import builtins

from micrograd import Value


def slow_len(anything):
    while True:
        pass


builtins.len = slow_len
x = Value(2.0)
y = x * 3
