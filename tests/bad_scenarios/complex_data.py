"""A node whose data is set to a complex number after it was built."""
from micrograd import Value

x = Value(2.0)
y = x * 3
x.data = 1 + 2j
