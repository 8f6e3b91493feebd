"""A module-level object whose __getattr__ raises when the loader looks for nodes."""
from micrograd import Value


class Trap:
    def __getattr__(self, name):
        raise RuntimeError(f"no {name} here")


trap = Trap()
x = Value(2.0)
y = x * 3
