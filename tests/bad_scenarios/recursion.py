from micrograd import Value


def deeper(n):
    return deeper(n + 1)


x = Value(1.0)
deeper(0)
