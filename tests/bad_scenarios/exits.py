import sys

from micrograd import Value

x = Value(2.0)
sys.exit(3)
