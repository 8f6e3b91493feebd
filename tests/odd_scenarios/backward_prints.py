"""A learner's own Value class whose _backward() prints while the pass is recorded."""


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._prev = set(_children)
        self._op = _op
        self._backward = lambda: None

    def __mul__(self, other):
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            print("backward of", out._op)
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out


a = Value(2.0)
b = Value(3.0)
c = a * b
