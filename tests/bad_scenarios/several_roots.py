from micrograd import Value

x = Value(2.0)
a = x * 2
b = x + 1
