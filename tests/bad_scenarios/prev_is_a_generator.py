"""A hand-built node whose _prev is a generator, not a tuple of Values."""
from micrograd import Value

x = Value(2.0)
y = x * 3
y._prev = (operand for operand in [x])
