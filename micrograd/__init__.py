"""micrograd: an exact scalar autodiff engine whose backward pass can be stepped through.

``from micrograd import Value`` (or ``from micrograd.engine import Value``, as
in Karpathy's micrograd), then ``root.backward()``, ``root.backward_steps()``
or ``Trace(root, forward=True)``.
"""

from micrograd.engine import GraphCycleError, UnknownOpError, Value
from micrograd.graph import edges, nodes, to_dot, topological_order
from micrograd.steps import CallStep, ChainStep, ForwardStep, SeedStep, Step, UpdateStep
from micrograd.trace import Trace

__version__ = "0.1.0"

__all__ = [
    "CallStep",
    "ChainStep",
    "ForwardStep",
    "GraphCycleError",
    "SeedStep",
    "Step",
    "Trace",
    "UnknownOpError",
    "UpdateStep",
    "Value",
    "edges",
    "nodes",
    "to_dot",
    "topological_order",
]
