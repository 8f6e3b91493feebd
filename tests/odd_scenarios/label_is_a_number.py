from micrograd import Value

x = Value(2.0, label=7)
y = x * x
