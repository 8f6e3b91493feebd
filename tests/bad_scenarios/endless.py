from micrograd import Value

x = Value(1.0)
while True:
    pass
