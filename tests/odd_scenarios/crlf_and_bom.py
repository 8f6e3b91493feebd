"""Saved on Windows: a byte-order mark and CRLF line ends."""

from micrograd import Value

x = Value(2.0)
y = x * x
