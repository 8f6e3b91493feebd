"""PyTorch's autograd graph, stepped the way a micrograd graph is.

A scalar loss tensor's ``grad_fn`` graph becomes nodes with the lecture's
attributes (``data``, ``grad``, ``_prev``, ``_op``, ``_backward``), so the
debugger records it as it records a learner's own Value class: one step per
``_backward()`` call. Each call runs PyTorch's own ``grad_fn`` on the node's
grad, as ``loss.backward()`` does inside it, so every number on screen is
PyTorch's. Grads meeting at a node are added in the order PyTorch's engine
adds them (its functions run by falling sequence number), so after the last
step each leaf's grad is ``loss.backward()``'s, bit for bit.

torch is imported only here, and this module only for a graph of tensors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

MAX_ELEMENTS = 1

_SET = (-math.inf, 0)
"""Where a grad set by assignment (the seed, a reset) sorts: before every arrival."""


def is_tensor(value: object) -> bool:
    """Whether ``value`` is a ``torch.Tensor``, asked without importing torch."""
    return any(
        cls.__module__ == "torch" and cls.__name__ == "Tensor" for cls in type(value).__mro__
    )


class NotScalar(ValueError):
    """A tensor of the graph holds more than one number."""


class UnknownData(ValueError):
    """A function's output value cannot be found (it is saved nowhere PyTorch keeps it)."""


def _torch() -> Any:
    import torch

    return torch


def _computations() -> dict[str, tuple[str, int, Callable[..., Any]]]:
    """For each function PyTorch records: micrograd's name for the op, how many operands
    it takes, and how to compute its output from them."""
    torch = _torch()
    return {
        "AddBackward0": ("+", 2, lambda fn, a, b: torch.add(a, b, alpha=fn._saved_alpha)),
        "SubBackward0": ("-", 2, lambda fn, a, b: torch.sub(a, b, alpha=fn._saved_alpha)),
        "RsubBackward1": ("-", 2, lambda fn, a, b: torch.sub(a, b, alpha=fn._saved_alpha)),
        "MulBackward0": ("*", 2, lambda fn, a, b: a * b),
        "DivBackward0": ("/", 2, lambda fn, a, b: a / b),
        "PowBackward1": ("**", 2, lambda fn, a, b: a**b),
        "PowBackward2": ("**", 2, lambda fn, a, b: a**b),
        "PowBackward0": ("**", 1, lambda fn, a: a**fn._saved_exponent),
        "NegBackward0": ("neg", 1, lambda fn, a: -a),
        "TanhBackward0": ("tanh", 1, lambda fn, a: torch.tanh(a)),
        "ExpBackward0": ("exp", 1, lambda fn, a: torch.exp(a)),
        "LogBackward0": ("log", 1, lambda fn, a: torch.log(a)),
        "ReluBackward0": ("ReLU", 1, lambda fn, a: torch.relu(a)),
        "SigmoidBackward0": ("sigmoid", 1, lambda fn, a: torch.sigmoid(a)),
    }


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _op_name(fn: Any, operands: int, known: tuple[str, int, Any] | None, number: Any) -> str:
    """micrograd's name for the op (``*``, ``tanh``, ``**2``), with a number the function
    took kept in it as ``**2`` keeps its exponent (``-1.0`` for ``o - 1.0``, ``2.0-`` for
    ``2.0 - x``); else PyTorch's name for the function (``reciprocal``), or the function's
    own (``AddBackward0``) where what it did cannot be written from its operands."""
    name = type(fn).__name__
    alpha = getattr(fn, "_saved_alpha", 1)
    if known is not None and alpha == 1:
        symbol, arity, _ = known
        if name == "PowBackward0":
            return f"**{_number_text(float(fn._saved_exponent))}"
        if arity == operands:
            return symbol
        if number is not None:
            position, value = number
            text = repr(float(value.item()))
            return f"{text}{symbol}" if position == 0 else f"{symbol}{text}"
    if operands == len(fn.next_functions) == 1 and name.endswith("Backward0"):
        return name.removesuffix("Backward0").lower()
    return name


class TensorNode:
    """One tensor of a scalar PyTorch graph, with the attributes of the lecture's Value.

    ``grad`` is the sum of what has arrived, added in PyTorch's order and in the
    tensor's own dtype; ``_backward()`` calls the tensor's ``grad_fn`` with it.
    """

    __slots__ = ("data", "label", "_prev", "_op", "grad_fn", "_sends", "_like", "_arrived")

    def __init__(self, data: float, label: str, op: str, fn: Any, like: Any) -> None:
        self.data = data
        self.label = label
        self._op = op
        self.grad_fn = fn
        """PyTorch's function that made this tensor; None for a leaf."""
        self._like = like
        """A tensor of this node's shape and dtype, for its grads."""
        self._sends: tuple[TensorNode | None, ...] = ()
        """Where each of ``grad_fn``'s outputs goes, in its order (None: to a number)."""
        self._prev: tuple[TensorNode, ...] = ()
        self._arrived: dict[tuple[float, int], Any] = {}

    @property
    def grad(self) -> float:
        total = self._total()
        return 0.0 if total is None else float(total.item())

    @grad.setter
    def grad(self, value: float) -> None:
        torch = _torch()
        self._arrived = {} if value == 0.0 else {_SET: torch.full_like(self._like, value)}

    def _total(self) -> Any:
        total = None
        for key in sorted(self._arrived):
            total = self._arrived[key] if total is None else total + self._arrived[key]
        return total

    def _backward(self) -> None:
        if self.grad_fn is None:
            return
        torch = _torch()
        upstream = self._total()
        with torch.no_grad():
            grads = self.grad_fn(torch.zeros_like(self._like) if upstream is None else upstream)
        if not isinstance(grads, tuple):
            grads = (grads,)
        order = -self.grad_fn._sequence_nr()
        for output, (grad, operand) in enumerate(zip(grads, self._sends)):
            if grad is not None and operand is not None:
                operand._arrive((order, output), grad)

    def _arrive(self, key: tuple[float, int], grad: Any) -> None:
        """Take one function output's grad, shaped and typed as PyTorch's engine does (its
        sum over broadcast dimensions is the one number itself: every tensor holds one)."""
        like = self._like
        self._arrived[key] = grad.reshape(like.shape).to(like.dtype)


def _number(tensor: Any, what: str) -> float:
    if tensor.numel() > MAX_ELEMENTS:
        shape = "×".join(map(str, tensor.shape))
        raise NotScalar(
            f"{what} is a tensor of {tensor.numel()} numbers ({shape}): "
            "only scalar graphs (one number per tensor) can be stepped through"
        )
    return float(tensor.detach().reshape(()).item())


def graph_of(root: Any, namespace: dict[str, Any], recorded: Any = None) -> TensorNode:
    """The graph of ``root``'s ``grad_fn`` as ``TensorNode``s, with ``root``'s node returned.

    The tensors in ``namespace`` name the graph's (see ``tensor_labels``) and give
    their values; ``recorded`` is the ``recorder()`` that was on while the graph
    was built, if one was: it knows the values and numbers no variable holds and
    PyTorch did not save.
    """
    labels = tensor_labels(namespace)
    values = {fn: tensor.detach() for fn, tensor in _computed(namespace)}
    values.update(recorded.values if recorded is not None else {})
    arguments = recorded.arguments if recorded is not None else {}
    _number(root, "the root")
    if root.grad_fn is None:
        raise UnknownData("the root tensor has no grad_fn: nothing computed it from a leaf")
    values[root.grad_fn] = root.detach()
    computations = _computations()
    made: dict[int, TensorNode] = {}
    order = functions_in_order(root.grad_fn)
    _fill_from_consumers(order, values)
    for fn in order:
        leaf = getattr(fn, "variable", None)
        if leaf is not None:  # AccumulateGrad: the grad's way into a leaf's .grad
            label = labels.get(leaf, "")
            made[id(fn)] = TensorNode(
                _number(leaf, label or "a leaf"), label, "", None, leaf.detach()
            )
            continue
        sends = tuple(made[id(f)] if f is not None else None for f, _ in fn.next_functions)
        operands = tuple(node for node in sends if node is not None)
        known = computations.get(type(fn).__name__)
        number = _number_taken(fn, sends, arguments.get(fn))
        inputs: list[Any] = [node._like.new_tensor(node.data) for node in operands]
        if number is not None:
            inputs.insert(number[0], number[1])
        output = values.get(fn)
        if output is None and known is not None and known[1] == len(inputs):
            output = known[2](fn, *inputs)
        if output is None:
            raise UnknownData(
                f"the value {type(fn).__name__} computed is kept nowhere "
                "(PyTorch does not save a number added or subtracted)"
            )
        label = labels.get(fn, "")
        node = TensorNode(
            _number(output, label or type(fn).__name__),
            label,
            _op_name(fn, len(operands), known, number),
            fn,
            output.detach(),
        )
        node._sends, node._prev = sends, operands
        made[id(fn)] = node
    return made[id(root.grad_fn)]


def _number_taken(fn: Any, sends: tuple[Any, ...], arguments: Any) -> tuple[int, Any] | None:
    """The number a two-operand function took in place of a tensor (``o - 1.0``), as
    (its position, a tensor), if PyTorch saved it or the recorder saw it."""
    name = type(fn).__name__
    if name in ("RsubBackward1", "PowBackward2"):  # 2.0 - x is x.__rsub__(2.0); 2.0 ** x
        taken = getattr(fn, "_saved_self", None)
        if taken is None and arguments is not None and len(arguments) > 1:
            taken = arguments[1]
        return None if taken is None else (0, _as_tensor(taken, sends[0]._like))
    if len(sends) != 2 or sends.count(None) != 1:
        return None
    position = sends.index(None)
    saved = _saved(fn, ("_saved_self", "_saved_other")[position])
    if saved is None and arguments is not None and len(arguments) > position:
        saved = arguments[position]
    return None if saved is None else (position, _as_tensor(saved, sends[1 - position]._like))


def _as_tensor(value: Any, like: Any) -> Any:
    return value.detach() if is_tensor(value) else like.new_tensor(value)


def functions_in_order(root_fn: Any) -> list[Any]:
    """Every function reachable from ``root_fn``, each after the functions it sends to."""
    order: list[Any] = []
    seen = {id(root_fn)}
    stack = [(root_fn, iter(root_fn.next_functions))]
    while stack:
        fn, nexts = stack[-1]
        for following, _ in nexts:
            if following is not None and id(following) not in seen:
                seen.add(id(following))
                stack.append((following, iter(following.next_functions)))
                break
        else:
            stack.pop()
            order.append(fn)
    return order


def _fill_from_consumers(order: Iterable[Any], values: dict[Any, Any]) -> None:
    """Outputs PyTorch saved for a later function: a product keeps both factors, a power
    its base, ``tanh`` its result; enough to know an ``x + 1.0`` no variable holds."""
    for fn in order:
        result = _saved(fn, "_saved_result")
        if result is not None:
            values.setdefault(fn, result)
        for (following, _), name in zip(fn.next_functions, ("_saved_self", "_saved_other")):
            saved = _saved(fn, name)
            if following is not None and saved is not None and saved.grad_fn is following:
                values.setdefault(following, saved)


def _saved(fn: Any, name: str) -> Any:
    try:
        saved = getattr(fn, name, None)
    except RuntimeError:  # freed by an earlier backward()
        return None
    return saved if is_tensor(saved) else None


def recorder() -> Any:
    """A ``TorchFunctionMode`` that keeps, by ``grad_fn``, the output and the arguments of
    every differentiable operation run while it is on: the values and numbers that no
    variable of the scenario holds and PyTorch does not save (``x + 1.0``)."""
    mode: Any = _torch().overrides.TorchFunctionMode

    class Recorder(mode):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.values: dict[Any, Any] = {}
            self.arguments: dict[Any, tuple[Any, ...]] = {}

        def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
            result = func(*args, **(kwargs or {}))
            fn = getattr(result, "grad_fn", None)
            if fn is not None and is_tensor(result) and result.numel() <= MAX_ELEMENTS:
                self.values[fn] = result.detach().clone()
                self.arguments[fn] = tuple(args)
            return result

    return Recorder()


def engine_order(nodes: Iterable[TensorNode]) -> list[TensorNode]:
    """The nodes in a topological order whose reverse is the order PyTorch's engine calls
    their functions in (by falling sequence number), each leaf just before the first
    function that uses it: the steps then come as ``loss.backward()`` takes them."""
    functions = sorted(
        (node for node in nodes if node.grad_fn is not None),
        key=lambda node: node.grad_fn._sequence_nr(),
    )
    order: list[TensorNode] = []
    placed: set[int] = set()
    for node in functions:
        for operand in node._prev:
            if operand.grad_fn is None and id(operand) not in placed:
                placed.add(id(operand))
                order.append(operand)
        order.append(node)
    return order


def function_names(nodes: Iterable[Any]) -> tuple[str, ...]:
    """Each node's ``grad_fn`` by name ("" for a leaf) if the nodes are a PyTorch graph's,
    else nothing."""
    nodes = list(nodes)
    if not nodes or not isinstance(nodes[0], TensorNode):
        return ()
    return tuple(type(n.grad_fn).__name__ if n.grad_fn is not None else "" for n in nodes)


def _computed(namespace: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The computed tensors of a namespace, by their ``grad_fn``."""
    return [
        (value.grad_fn, value)
        for value in namespace.values()
        if is_tensor(value) and value.grad_fn is not None
    ]


def tensor_labels(namespace: dict[str, Any]) -> dict[Any, str]:
    """Names for tensors from a namespace's variables, keyed by what the graph holds: a
    leaf by the tensor, a computed tensor by its ``grad_fn`` (a tensor hashes by identity,
    and holding the ``grad_fn`` keeps PyTorch handing out that same object)."""
    labels: dict[Any, str] = {}
    for name, value in namespace.items():
        if not name.startswith("_") and is_tensor(value):
            labels.setdefault(value.grad_fn if value.grad_fn is not None else value, name)
    return labels
