import os

from micrograd import Value

os.chdir("/")
x = Value(2.0)
y = x * x
