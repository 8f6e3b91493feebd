import numpyy

from micrograd import Value

x = Value(1.0)
