from micrograd import Value

x = Value(2.0)
y = x * (3.0
