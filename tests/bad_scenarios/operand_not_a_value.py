from micrograd import Value

x = Value(1.0, label="x")
y = Value(4.0, (x, 3.0), "+", label="y")
