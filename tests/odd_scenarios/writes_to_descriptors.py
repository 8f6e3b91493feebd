"""Writes to the process's file descriptors and to sys.__stdout__, not through print()."""

import os
import sys

from micrograd import Value

os.write(1, b"straight to descriptor 1\n")
os.system("echo from a shell")
sys.__stdout__.write("to sys.__stdout__\n")
sys.__stdout__.flush()
x = Value(2.0)
y = x * 3
