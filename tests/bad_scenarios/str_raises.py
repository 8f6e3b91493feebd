"""A label whose __str__ raises."""
from micrograd import Value


class BadLabel:
    def __str__(self):
        raise ValueError("this label cannot be written")


x = Value(2.0)
y = x * 3
y.label = BadLabel()
