import sys

from micrograd import Value

sys.setrecursionlimit(60)
x = Value(2.0)
y = x * x
