"""Activations: relu's dead gradient, sigmoid and tanh saturation

- relu passes the gradient only where its input is positive: at -1.5 its
  local derivative is 0, so `dead` gets no gradient at all.
- sigmoid and tanh flatten out for large inputs: at 4.0 their local
  derivatives are σ(1-σ) ≈ 0.018 and 1 - tanh² ≈ 0.0013, so almost nothing
  flows back. Near 0 (`alive`) tanh passes about 0.79 of it.

This is why deep networks of saturating units learn slowly, and why relu's
dead units stop learning.
"""

from micrograd import Value

dead = Value(-1.5)
live = Value(2.0)
big = Value(4.0)
alive = Value(0.5)

r_dead = dead.relu()
r_live = live.relu()
s_big = big.sigmoid()
t_big = big.tanh()
t_alive = alive.tanh()
relus = r_dead + r_live
curves = s_big + t_big + t_alive
out = relus + curves
