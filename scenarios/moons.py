"""Two moons: a small MLP learns to separate two interleaved half circles

The classic toy classification problem from micrograd's demo, generated here
(no download): 30 points on two noisy half moons, labels -1 and +1. An
MLP(2, [8, 8, 1]) with ReLU scores each point; the loss is the hinge loss
with a little L2 regularisation, as in the demo, and Adam moves the weights.

Adam is not plain gradient descent, so its update steps show each weight's
data before and after rather than lr · grad. The loss curve shows how fast
the moons come apart.
"""

import math
import random

from micrograd.losses import max_margin
from micrograd.nn import MLP
from micrograd.optim import Adam

rng = random.Random(7)
points, labels = [], []
for i in range(30):
    upper = i % 2 == 0
    angle = math.pi * rng.random()
    x = math.cos(angle) if upper else 1 - math.cos(angle)
    y = math.sin(angle) if upper else 0.5 - math.sin(angle)
    points.append([x + rng.gauss(0, 0.1), y + rng.gauss(0, 0.1)])
    labels.append(1.0 if upper else -1.0)

model = MLP(2, [8, 8, 1], activation="relu", seed=3)
optimizer = Adam(model.parameters(), lr=0.05)
iterations = 30


def loss():
    """The hinge loss over all points, plus L2, from the model's current weights."""
    scores = [model(p) for p in points]
    total = max_margin(scores, labels, model.parameters())
    total.label = "loss"
    return total
