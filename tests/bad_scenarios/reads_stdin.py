from micrograd import Value

x = Value(float(input("x? ")))
