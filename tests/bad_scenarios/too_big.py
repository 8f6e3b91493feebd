from micrograd import Value

x = Value(1.0)
y = x
for _ in range(200):
    y = y + x
