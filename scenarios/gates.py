"""Gates: how +, ·, ** and / each route the gradient

- add routes: s = a + b gives both a and b exactly s's grad.
- mul swaps: m = s · c gives s the grad times c, and c the grad times s.
- pow brings the exponent down: p = m² gives m the grad times 2m.
- div: q = p / d gives p the grad times 1/d, and d the grad times -p/d².

Step through one gate at a time and check each local derivative by hand.
"""

from micrograd import Value

a = Value(2.0)
b = Value(-1.0)
c = Value(3.0)
d = Value(4.0)

s = a + b
m = s * c
p = m**2
q = p / d
