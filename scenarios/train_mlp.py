"""Training the lecture's MLP: forward, backward, then the optimizer, twenty times over

MLP(3, [4, 4, 1]) with tanh on the lecture's four samples, mean squared error,
plain gradient descent with a learning rate of 0.05. Each iteration is the
forward pass, the backward pass and then the update of all 41 parameters,
one step each: w.data -= lr · w.grad.

] and [ move a whole iteration; → at the end of one goes on to the next. The
loss curve below the graph marks the iteration on show: watch it fall as the
predictions move towards the targets 1, -1, -1, 1.
"""

from micrograd.losses import mse
from micrograd.nn import MLP
from micrograd.optim import SGD

xs = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0]

model = MLP(3, [4, 4, 1], activation="tanh", seed=1337)
optimizer = SGD(model.parameters(), lr=0.05)
iterations = 20


def loss():
    """This iteration's loss, built from the model's current parameters."""
    predictions = [model(x) for x in xs]
    total = mse(predictions, ys)
    total.label = "loss"
    return total
