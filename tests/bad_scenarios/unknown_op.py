"""A node built by hand with an op micrograd has no rule for."""

from micrograd import Value

x = Value(2.0, label="x")
y = Value(0.909, (x,), "sin", label="y")
