"""Vanishing gradient through 20 sigmoids

h = σ(σ(…σ(x)…)), twenty deep. Each sigmoid multiplies the gradient by its
local derivative σ(1-σ), which is at most 0.25, so by the time it reaches x
the gradient has shrunk below 0.25^20 ≈ 1e-12: x.grad ends near 1e-13.

Step back from the top and watch the grad shrink by a constant factor at
every layer: this is why deep sigmoid networks were hard to train.
"""

from micrograd import Value

x = Value(1.0)
h = x
for layer in range(1, 21):
    h = h.sigmoid()
    h.label = f"h{layer}"
