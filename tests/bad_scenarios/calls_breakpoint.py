from micrograd import Value

x = Value(1.0)
breakpoint()
y = x * 2
