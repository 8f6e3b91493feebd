"""z = x·y + x²: one variable used twice

x feeds both the product and the square, so x's grad is built from two
contributions that add up: dz/dx = y + 2x = -3 + 4 = 1. Step through and watch
x.grad go from 4 (the square's share, 2x) to 1 once the product adds y = -3.
y is used once, so dz/dy = x = 2 arrives in a single step.
"""

from micrograd import Value

x = Value(2.0)
y = Value(-3.0)
z = x * y + x**2
