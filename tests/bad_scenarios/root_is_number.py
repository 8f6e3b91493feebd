from micrograd import Value

x = Value(2.0)
root = 3.0
