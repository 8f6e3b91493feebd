"""A node built by hand whose _prev is a number, not a tuple of Values"""

from micrograd import Value

x = Value(2.0, label="x")
y = x * 3
y._prev = 5
root = y
