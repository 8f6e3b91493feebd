"""Stops Python switching threads, then loops forever in one long C call."""
import sys

from micrograd import Value

sys.setswitchinterval(1e6)
x = Value(2.0)
sum(range(10**13))
