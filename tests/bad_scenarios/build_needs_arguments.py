from micrograd import Value


def build(n):
    return Value(float(n))
