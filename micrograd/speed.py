"""Speed-ups that keep the engine's reading path plain, each with its measured reason.

``engine.py`` and ``steps.py`` are texts a learner reads; what is here only
makes them fast enough for graphs of 10^5 nodes and more, and tests check
that each builds exactly what the plain code would.
"""

from __future__ import annotations

from typing import Any, TypeVar

_new = object.__new__
V = TypeVar("V")


def new_value(cls: type[V], data: float, operands: tuple[Any, ...], op: Any) -> V:
    """``cls(data, operands, op.name)`` for an op's result, without ``__init__``.

    The operands are already Values and the op's forward rule gives a float,
    so ``__init__``'s checks and its look-up of the op by name would only
    cost time: a third of building a big graph.
    """
    value: Any = _new(cls)
    value.data = data
    value.grad = 0.0
    value.label = ""
    value._prev = operands
    value._op = op.name
    value._rule = op
    return value  # type: ignore[no-any-return]


def slot_filler(cls: type[Any], *names: str) -> Any:
    """A function that builds the frozen slotted dataclass ``cls`` from its fields ``names``.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, and creating a step cost more than the pass's
    arithmetic (2.5x ``backward()`` in ``benchmarks/engine.py``). Setting the
    slots through their descriptors builds the same frozen object at under
    half the cost. The function is written out for ``names`` (a loop over
    the setters would give back a third of the gain).
    """
    setters = {f"_set_{name}": cls.__dict__[name].__set__ for name in names}
    body = "".join(f"    _set_{name}(step, {name})\n" for name in names)
    source = f"def build({', '.join(names)}):\n    step = _new(cls)\n{body}    return step\n"
    namespace: dict[str, Any] = {"_new": _new, "cls": cls, **setters}
    exec(source, namespace)
    build = namespace["build"]
    build.__doc__ = f"``{cls.__name__}({', '.join(names)})``, built fast."
    return build
