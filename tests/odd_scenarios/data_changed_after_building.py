"""Nudging a leaf after the graph is built, as in the lecture's numerical-gradient cells"""

from micrograd import Value

a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b
c.label = "c"
h = 0.001
a.data += h
