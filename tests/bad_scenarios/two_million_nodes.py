"""Two million nodes: far over the size limit, found without drawing anything."""

from micrograd import Value

x = Value(1.0)
total = x
for _ in range(2_000_000):
    total = total + x
