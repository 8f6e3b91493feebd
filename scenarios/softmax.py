"""Softmax and cross-entropy over three logits

p_i = exp(l_i) / Σ exp(l_j), and the loss is -ln(p_target) for the right
class (here class 0). The gradient on each logit works out to p_i - 1 for
the target and p_i for the others: the network is pushed up on the right
answer and down on the rest, in proportion to how sure it was.

Every exp feeds the shared total, so the total's grad fans back to all three.
"""

from micrograd import Value

l0 = Value(2.0)
l1 = Value(1.0)
l2 = Value(0.1)

e0, e1, e2 = l0.exp(), l1.exp(), l2.exp()
total = e0 + e1 + e2
p0, p1, p2 = e0 / total, e1 / total, e2 / total
loss = -p0.log()

root = loss
