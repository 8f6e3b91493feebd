"""b = a + a; c = b·b: a node reused downstream

a appears twice in b = a + a, and b twice in c = b·b. A naive recursive
backward that sets grads with = instead of += would lose half of each.

With a = 3: b = 6, c = 36. dc/db = 2b = 12 arrives as two steps of 6 each,
and da = 2 · dc/db = 24 arrives as two steps of 12: every use of a node adds
its own contribution, and the grad is final only when all have arrived.
"""

from micrograd import Value

a = Value(3.0)
b = a + a
c = b * b
