"""PyTorch's autograd, stepped like micrograd: the lecture's neuron as tensors

The same neuron as `neuron`, o = tanh(x1·w1 + x2·w2 + b), written as the lecture
writes it in PyTorch. Each step here is PyTorch's own code: the node's grad_fn
(MulBackward0 for *, TanhBackward0 for tanh) called with its grad, as
o.backward() calls it inside. Step through it beside `neuron` and the numbers
are the same: n.grad = 1 - o² = 0.5, x1.grad = w1 · 0.5 = -1.5, w1.grad =
x1 · 0.5 = 1.0.

- micrograd's `_backward` closure is PyTorch's `grad_fn`: the local derivative
  times the output's grad, for each input.
- micrograd's `_prev` is `grad_fn.next_functions`; a leaf's is an
  AccumulateGrad, which adds the grad into the leaf's `.grad`.
- PyTorch runs its functions from the last made to the first, and adds the
  grads that meet at a tensor in that order, as `+=` does in micrograd.

Needs PyTorch: pip install 'micrograd-tui[torch]'.
"""

import torch

x1 = torch.tensor([2.0], dtype=torch.double, requires_grad=True)
x2 = torch.tensor([0.0], dtype=torch.double, requires_grad=True)
w1 = torch.tensor([-3.0], dtype=torch.double, requires_grad=True)
w2 = torch.tensor([1.0], dtype=torch.double, requires_grad=True)
b = torch.tensor([6.8813735870195432], dtype=torch.double, requires_grad=True)

x1w1 = x1 * w1
x2w2 = x2 * w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = torch.tanh(n)
