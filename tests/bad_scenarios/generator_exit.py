"""Raises GeneratorExit at module level, a BaseException that is not an Exception."""
from micrograd import Value

x = Value(2.0)
raise GeneratorExit
