"""A small MLP on the lecture's four samples, with mean squared error

MLP(3, [4, 4, 1]) with tanh, as in the lecture: three inputs, two hidden
layers of four, one output, 41 parameters. The loss is the mean of
(prediction - target)² over the four samples: a graph of a few hundred nodes.

Every weight is used by all four samples, so its grad is a sum of four
contributions; look for steps that say "use k of 4", and the total at the last.
"""

from micrograd import Value
from micrograd.losses import mse
from micrograd.nn import MLP

xs = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0]

model = MLP(3, [4, 4, 1], activation="tanh", seed=1337)
predictions = [model(x) for x in xs]
loss: Value = mse(predictions, ys)
loss.label = "loss"
