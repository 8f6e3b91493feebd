"""NaN and infinity flow through the graph as they would in PyTorch."""

from micrograd import Value

a = Value(float("nan"), label="a")
b = Value(float("inf"), label="b")
c = Value(0.0, label="c")
d = a * b + c.log()
e = (b - b) + d.tanh()
