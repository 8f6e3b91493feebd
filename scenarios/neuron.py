"""The lecture's neuron: o = tanh(x1·w1 + x2·w2 + b)

Two inputs, two weights and a bias, squashed by tanh, exactly as in the
micrograd lecture. The bias is chosen so that n = 0.8814 and o = 0.7071,
where tanh's local derivative 1 - o² is exactly 0.5.

Things to notice: a + node passes its grad through unchanged to both inputs;
a · node hands each input the *other* input's value times the upstream grad,
so w2.grad is 0 because x2 = 0, and x1.grad = w1 · 0.5 = -1.5.
"""

from micrograd import Value

x1 = Value(2.0)
x2 = Value(0.0)
w1 = Value(-3.0)
w2 = Value(1.0)
b = Value(6.8813735870195432)

x1w1 = x1 * w1
x2w2 = x2 * w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = n.tanh()
