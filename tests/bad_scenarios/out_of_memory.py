from micrograd import Value

x = Value(1.0)
table = [0.0] * 10**12
