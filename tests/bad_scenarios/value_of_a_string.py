from micrograd import Value

x = Value(1.0)
y = x * Value("2")
