from micrograd import Value

x = Value(2.0)
raise KeyboardInterrupt
