"""Prints three megabytes: kept up to a limit, never drawn over the screen."""

from micrograd import Value

for _ in range(3000):
    print("x" * 1000)
x = Value(2.0)
y = x * x
