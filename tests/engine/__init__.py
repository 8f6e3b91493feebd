"""The engine: every op, the backward pass and its steps, the trace, against finite
differences and PyTorch."""
