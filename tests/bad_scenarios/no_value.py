"""A file with numbers but no Value."""

x = 2.0
y = x * 3
