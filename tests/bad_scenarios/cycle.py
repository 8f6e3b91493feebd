from micrograd import Value

a = Value(1.0)
b = a + 1
a._prev = (b,)
