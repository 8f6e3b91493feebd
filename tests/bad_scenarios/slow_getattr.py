"""A module-level object whose __getattr__ takes forever."""
import time

from micrograd import Value


class Sloth:
    def __getattr__(self, name):
        time.sleep(3600)


sloth = Sloth()
x = Value(2.0)
y = x * 3
