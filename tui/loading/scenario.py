"""Loading a scenario: an ordinary Python file that builds a graph of Values.

A learner can open any micrograd script they already have, unchanged. The
file runs in a fresh namespace with its folder importable, inside
``tui.loading.sandbox`` (output captured, no input), in the worker process
that ``tui.loading.worker`` is (the app enforces the time and memory
limits from outside it); this module then finds the root and checks the
graph. Whatever goes wrong comes back as one ``ScenarioError`` naming the
file, the line and what to do. ``read_source`` also serves the app itself,
which reads a file only to show its title or to notice that it changed.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import inspect
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

import micrograd
from micrograd import GraphCycleError, Value, heap
from micrograd.graph import GraphTooLargeError, topological_index
from micrograd.steps import BackwardCallError
from micrograd.trace import Progress, Update
from micrograd.training import train
from tui.loading import torch_graph
from tui.loading.errors import ScenarioError
from tui.loading.sandbox import Sandbox, scenario_line
from tui.loading.summary import StaleData, Summary
from tui.loading.training_scenario import DEFAULT_ITERATIONS, MAX_ITERATIONS, Training

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_NODES = 1_000_000
MAX_SOURCE_BYTES = 1_000_000
"""Larger than any hand-written scenario: a bigger file is data opened by mistake."""


@dataclass
class Scenario:
    """A loaded scenario, live in the worker process: its graph, its module's namespace
    (through ``training``) and what the file says about itself."""

    path: Path
    title: str
    notes: str
    root: Any
    """A ``micrograd.Value``, or a node of the learner's own Value class."""
    output: str
    grads_were_reset: bool
    nodes: list[Any]
    """The graph's nodes in topological order, as ``micrograd.topological_index`` gives them."""
    ids: dict[int, int]
    """Each node's position in ``nodes``, by ``id(node)``."""
    training: Training | None = None
    """For a training scenario: its iterations; ``root`` is the first one's loss."""
    updates: list[Update] = field(default_factory=list)
    """For ``debug(loss, optimizer=...)``: the optimizer's one step, recorded beforehand."""
    stale: StaleData | None = None
    """Set by ``record`` when the graph's data is not what its ops give: the pass is
    then recorded on the values the graph holds, without a forward phase."""
    functions: tuple[str, ...] = ()
    """For a PyTorch graph, each node's ``grad_fn`` by name ("" for a leaf)."""

    @property
    def size(self) -> int:
        return len(self.nodes)

    def summary(self) -> Summary:
        """What the app is told of this scenario: plain data, none of the live graph."""
        training = self.training
        return Summary(
            path=self.path,
            title=self.title,
            notes=self.notes,
            output=self.output,
            grads_were_reset=self.grads_were_reset,
            stale=self.stale,
            losses=tuple(training.losses) if training is not None else None,
            functions=self.functions,
        )


def read_source(path: Path) -> str:
    """The file's text, or a ScenarioError for a missing, special, binary, non-UTF-8 or
    empty file."""
    return decode_source(path, read_capped(path))


def read_capped(path: Path) -> bytes:
    """At most ``MAX_SOURCE_BYTES`` of a regular file, without ever waiting on it.

    A FIFO or a device is refused before it is read (opened without blocking,
    so a FIFO with no writer cannot hang the app), and the read stops at the
    cap whatever ``stat`` says: ``/proc`` files and growing files report
    sizes that are not what a read gets.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError(
                "Not a file", path, "is a folder, not a Python file", "Name a .py file inside it"
            )
        if not stat.S_ISREG(mode):
            raise ScenarioError(
                "Not a regular file",
                path,
                f"is not a regular file (it is {_kind_of(mode)})",
                "Open the .py file that builds the graph",
            )
        raw = _read_at_most(descriptor, MAX_SOURCE_BYTES + 1)
    except OSError as error:
        raise _unreadable(path, error) from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_SOURCE_BYTES:
        raise ScenarioError(
            "File too large",
            path,
            f"is more than a scenario's limit of {MAX_SOURCE_BYTES / 1e6:g} MB",
            "Open the .py file that builds the graph; read data files from it",
        )
    return raw


def _read_at_most(descriptor: int, limit: int) -> bytes:
    parts, size = [], 0
    while size < limit and (part := os.read(descriptor, limit - size)):
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _kind_of(mode: int) -> str:
    kinds = {
        stat.S_ISFIFO: "a named pipe (FIFO)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    return next((kind for test, kind in kinds.items() if test(mode)), "a special file")


def _unreadable(path: Path, error: OSError) -> ScenarioError:
    if error.errno == errno.ENOENT:
        return ScenarioError(
            "File not found",
            path,
            "no such file",
            "Check the path, or run --list for bundled names",
        )
    if error.errno == errno.ELOOP:
        return ScenarioError(
            "Symbolic link loop",
            path,
            "has too many levels of symbolic links",
            "Point the link at the .py file itself",
        )
    if error.errno == errno.EISDIR:
        return ScenarioError(
            "Not a file", path, "is a folder, not a Python file", "Name a .py file inside it"
        )
    return ScenarioError(
        "Cannot read", path, f"cannot be read ({error.strerror})", "Check its permissions"
    )


def decode_source(path: Path, raw: bytes) -> str:
    """A scenario file's bytes as text, or a ScenarioError for binary, non-UTF-8 or empty."""
    if b"\0" in raw:
        raise ScenarioError(
            "Not Python", path, "is a binary file, not Python source", "Open a .py file"
        )
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError(
            "Not UTF-8", path, "is not UTF-8 text", "Save the file as UTF-8", line
        ) from None
    if not source.strip():
        raise ScenarioError(
            "Empty scenario", path, "is empty", "Build a graph in it, e.g. z = x * y"
        )
    return source


NODE_ATTRIBUTES = ("data", "grad", "_prev", "_op", "_backward")


def is_node(value: object) -> bool:
    """Whether ``value`` is a graph node: a ``micrograd.Value``, or an instance of a
    learner's own class with the lecture's attributes (``data``, ``grad``, ``_prev``,
    ``_op``, ``_backward``)."""
    if isinstance(value, Value):
        return True
    if torch_graph.is_tensor(value):  # asking a tensor for .grad warns; it is no node
        return False
    return not isinstance(value, type) and all(hasattr(value, a) for a in NODE_ATTRIBUTES)


def label_by_variable(namespace: dict[str, Any]) -> list[tuple[str, Any]]:
    """Module-level nodes, each once; unlabelled ones take their variable's name."""
    found: dict[int, tuple[str, Any]] = {}
    for name, value in namespace.items():
        if name.startswith("_") or id(value) in found or not is_node(value):
            continue
        found[id(value)] = (name, value)
        if not getattr(value, "label", ""):
            with contextlib.suppress(AttributeError):  # __slots__ without a label
                value.label = name
    return list(found.values())


def _unused_values(
    values: list[tuple[str, Any]], path: Path, max_nodes: int
) -> list[tuple[str, Any]]:
    """Those module-level Values that no other module-level Value depends on."""
    depended_on: set[int] = set()
    stack = [operand for _, value in values for operand in value._prev]
    while stack:
        node = stack.pop()
        if id(node) not in depended_on:
            depended_on.add(id(node))
            stack.extend(getattr(node, "_prev", ()))  # not a node: _check_graph says so
            if len(depended_on) > max_nodes:
                raise _too_big(path, max_nodes)
    return [(name, value) for name, value in values if id(value) not in depended_on]


def _find_root(sandbox: Sandbox, values: list[tuple[str, Any]], max_nodes: int) -> Any:
    """``root``; else what ``build()`` returns; else the one Value nothing else uses."""
    namespace, path = sandbox.namespace, sandbox.path
    if "root" in namespace:
        root = namespace["root"]
        if not is_node(root) and not torch_graph.is_tensor(root):
            raise ScenarioError(
                "Root is not a Value",
                path,
                f"`root` is a {type(root).__name__}, not a Value",
                "Set root to the Value to differentiate, e.g. root = loss",
            )
        return root
    build = namespace.get("build")
    if callable(build):
        needed = _required_parameters(build)
        if needed:
            raise ScenarioError(
                "build() needs arguments",
                path,
                f"build() must take no arguments, but it needs {', '.join(needed)}",
                "Give them default values, or set root = build(...) in the file",
                build.__code__.co_firstlineno if hasattr(build, "__code__") else None,
            )
        root = sandbox.run(build, "build()")
        if not is_node(root) and not torch_graph.is_tensor(root):
            raise ScenarioError(
                "build() returned no Value",
                path,
                f"build() returned a {type(root).__name__}, not a Value",
                "Return the Value to differentiate from build()",
            )
        return root
    candidates = _unused_values(values, path, max_nodes) or _unused_tensors(namespace)
    if values and not candidates:
        raise ScenarioError(
            "Cycle in the graph",
            path,
            "the graph has a cycle: every module-level Value is used by another",
            "A Value's _prev must only hold Values computed before it",
        )
    if not candidates:
        raise ScenarioError(
            "No graph",
            path,
            "defines no Value at module level",
            "Build one, e.g. x = Value(2.0); z = x * x, or set root = ...",
        )
    if len(candidates) > 1:
        names = ", ".join(name for name, _ in candidates)
        raise ScenarioError(
            "Which root?",
            path,
            f"several Values could be the root ({names})",
            "Say which one with root = ...",
        )
    return candidates[0][1]


def _unused_tensors(namespace: dict[str, Any]) -> list[tuple[str, Any]]:
    """Module-level tensors computed from others that no other such tensor depends on:
    the candidates for a PyTorch graph's root."""
    computed = [
        (name, value)
        for name, value in namespace.items()
        if not name.startswith("_") and torch_graph.is_tensor(value) and value.grad_fn is not None
    ]
    below = {
        id(fn)
        for _, value in computed
        for fn in torch_graph.functions_in_order(value.grad_fn)
        if fn is not value.grad_fn
    }
    return [(name, value) for name, value in computed if id(value.grad_fn) not in below]


def _recording_torch(source: str) -> Any:
    """For a scenario that uses PyTorch, what its operations computed while it ran (see
    ``torch_graph.recorder``); any other scenario never imports torch."""
    if "torch" not in source:
        return contextlib.nullcontext()
    try:
        return torch_graph.recorder()
    except ImportError:  # the scenario's own import then says so, naming the extra
        return contextlib.nullcontext()


def _graph_of_tensor(root: Any, path: Path, namespace: dict[str, Any], recording: Any) -> Any:
    """A PyTorch root's graph as nodes the debugger steps through (``torch_graph``)."""
    recorded = recording if hasattr(recording, "values") else None
    try:
        return torch_graph.graph_of(root, namespace, recorded)
    except torch_graph.NotScalar as error:
        raise ScenarioError(
            "Not a scalar graph",
            path,
            str(error),
            "Step through one number at a time: build each tensor from one value",
        ) from None
    except torch_graph.UnknownData as error:
        raise ScenarioError(
            "A value is missing", path, str(error), "Give that tensor a variable of its own"
        ) from None


def scenario_of(
    root: Any,
    path: Path,
    title: str,
    notes: str,
    namespace: dict[str, Any],
    max_nodes: int = DEFAULT_MAX_NODES,
    recording: Any = None,
) -> Scenario:
    """The scenario of a graph already built, a scenario file's or a program's that calls
    ``debug()``: a PyTorch graph turned into nodes, the graph checked, grads set to 0.

    ``namespace`` names PyTorch's tensors (micrograd's Values were labelled by
    ``label_by_variable``); ``recording`` is the ``torch_graph.recorder()`` that
    was on while the graph was built, if any.
    """
    if torch_graph.is_tensor(root):
        root = _graph_of_tensor(root, path, namespace, recording)
    order, index = _check_graph(root, path, max_nodes)
    if isinstance(root, torch_graph.TensorNode):
        order = torch_graph.engine_order(order)
        index = {id(node): position for position, node in enumerate(order)}
    grads_were_reset = any(node.grad for node in order)
    for node in order:
        node.grad = 0.0
    return Scenario(
        path=path,
        title=title,
        notes=notes,
        root=root,
        output="",
        grads_were_reset=grads_were_reset,
        nodes=order,
        ids=index,
        functions=torch_graph.function_names(order),
    )


def _check_graph(root: Any, path: Path, max_nodes: int) -> tuple[list[Any], dict[int, int]]:
    """The graph's nodes in topological order and their ids, or an error for an operand
    that is not a node, a cycle, a graph over the size limit or an op without a rule.

    One walk does the sorting and the checking, and the ``Trace`` reuses it:
    at 10^5 nodes each walk costs a fifth of a second of the launch.
    """
    try:
        order, index = topological_index(root, limit=max_nodes)
    except GraphTooLargeError:
        raise _too_big(path, max_nodes) from None
    except GraphCycleError as error:
        raise ScenarioError(
            "Cycle in the graph",
            path,
            f"the graph has a cycle: {error}",
            "A Value's _prev must only hold Values computed before it",
        ) from None
    except MemoryError:
        raise ScenarioError(
            "Out of memory",
            path,
            "ran out of memory while walking its graph",
            "Make the graph smaller, or lower the limit with --max-nodes",
        ) from None
    except Exception as error:  # an operand the walk cannot treat as a node
        raise _not_a_graph(root, path, error) from None
    stranger = next((n for n in order if type(n) is not Value and not is_node(n)), None)
    if stranger is not None:
        raise _not_a_value(stranger, path)
    consumed = next((n for n in order if not isinstance(n._prev, _COLLECTIONS)), None)
    if consumed is not None:  # a generator: the walk has used it up
        raise ScenarioError(
            "Not a graph",
            path,
            f"a node's _prev is a {type(consumed._prev).__name__}, not a tuple or set of Values",
            "Build nodes with Value's operators, or give _prev a tuple of Values",
        )
    odd = next((n for n in order if type(n.data) is not float and not _is_real(n.data)), None)
    if odd is not None:
        label = str(getattr(odd, "label", "") or f"with op {odd._op!r}")
        raise ScenarioError(
            "Data is not a number",
            path,
            f"node {label} has data {odd.data!r:.40}, a {type(odd.data).__name__}, "
            "not a real number",
            "Give every node a real number, e.g. x.data = 2.0",
        )
    ours = isinstance(root, Value)  # a learner's own class brings its own _backward
    unknown = next((n for n in order if ours and n._prev and n._rule is None), None)
    if unknown is not None:
        raise ScenarioError(
            "Unknown op",
            path,
            f"a node built by hand has op {unknown._op!r} with {len(unknown._prev)} operand(s), "
            "which micrograd cannot differentiate",
            "Build it from + - * / ** exp log tanh sigmoid relu",
        )
    return order, index


_COLLECTIONS = (tuple, list, set, frozenset)


def _is_real(data: object) -> bool:
    return isinstance(data, Real) and not isinstance(data, bool)


def _not_a_graph(root: Any, path: Path, error: Exception) -> ScenarioError:
    """What stopped the walk over the graph: the first operand that is not a node, else
    a ``_prev`` that is not a collection of Values."""
    seen: set[int] = {id(root)}
    stack = [root]
    while stack:
        prev = stack.pop()._prev
        if not isinstance(prev, (tuple, list, set, frozenset)):
            break
        for operand in prev:
            if not is_node(operand):
                return _not_a_value(operand, path)
            if id(operand) not in seen:
                seen.add(id(operand))
                stack.append(operand)
    return ScenarioError(
        "Not a graph",
        path,
        f"a node's _prev is not a tuple or set of Values ({type(error).__name__}: {error})",
        "Build nodes with Value's operators, or give _prev a tuple of Values",
    )


def _not_a_value(operand: Any, path: Path) -> ScenarioError:
    return ScenarioError(
        "Operand is not a Value",
        path,
        f"a node's _prev holds a {type(operand).__name__} ({operand!r:.40}), not a Value",
        "Wrap numbers in Value(...) before they become operands",
    )


def _required_parameters(function: Callable[..., Any]) -> list[str]:
    """The parameters a call with no arguments would leave without a value."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # a builtin or a class without a signature
        return []
    return [
        p.name
        for p in parameters
        if p.default is p.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def _too_big(path: Path, max_nodes: int) -> ScenarioError:
    return ScenarioError(
        "Graph too large",
        path,
        f"builds a graph of more than {max_nodes:,} nodes",
        "Make it smaller, or raise the limit with --max-nodes",
    )


def _training(sandbox: Sandbox) -> Training | None:
    """Run a training scenario's iterations, or return None if the file is not one
    (it has no ``loss`` function)."""
    namespace, path = sandbox.namespace, sandbox.path
    build_loss = namespace.get("loss")
    if not callable(build_loss) or is_node(build_loss):
        return None
    optimizer = namespace.get("optimizer")
    if not all(hasattr(optimizer, a) for a in ("parameters", "lr", "step", "zero_grad")):
        raise ScenarioError(
            "No optimizer",
            path,
            "defines a loss() function but no optimizer to train with",
            "Add one, e.g. optimizer = SGD(model.parameters(), lr=0.05)",
        )
    iterations = namespace.get("iterations", DEFAULT_ITERATIONS)
    if type(iterations) is not int or not 1 <= iterations <= MAX_ITERATIONS:
        raise ScenarioError(
            "Bad iterations",
            path,
            f"`iterations` must be a whole number from 1 to {MAX_ITERATIONS:,}, not {iterations!r}",
            "Set it like iterations = 20",
        )
    history = sandbox.run(lambda: train(build_loss, optimizer, iterations), "training")
    return Training(sandbox, build_loss, optimizer, history)


def record(scenario: Scenario, forward: bool, progress: Progress | None = None) -> micrograd.Trace:
    """The scenario's pass as a ``Trace`` (for a training scenario, its first iteration
    with the optimizer's updates); a learner's ``_backward()`` that raises is a
    ``ScenarioError`` naming the node, like any other fault in the file.
    ``progress`` is told how far recording has come.

    A forward phase recomputes every node's data from its operands; where that
    differs from what the graph holds (``scenario.stale`` says where), the
    learner's graph is put back as it was and recorded without one, so the
    steps show the values the learner's own ``backward()`` would use.
    """
    held = [(node.data, node.grad) for node in scenario.nodes] if forward else []
    trace = _record(scenario, forward, progress)
    if trace.stale is None:
        return trace
    recomputed = trace.steps[trace.steps_changing(trace.stale)[0]]
    assert isinstance(recomputed, micrograd.ForwardStep)
    scenario.stale = StaleData(trace.stale, held[trace.stale][0], recomputed.after)
    for node, (data, grad) in zip(scenario.nodes, held):
        node.data, node.grad = data, grad
    return _record(scenario, False, progress)


def _record(scenario: Scenario, forward: bool, progress: Progress | None) -> micrograd.Trace:
    updates = scenario.updates
    if scenario.training is not None:
        training = scenario.training
        updates = training.iterations[0].updates(training.optimizer)
    try:
        return micrograd.Trace(
            scenario.root,
            forward,
            updates,
            order=scenario.nodes,
            index=scenario.ids,
            progress=progress,
        )
    except BackwardCallError as error:
        node = scenario.nodes[error.node]
        label = getattr(node, "label", "") or f"with op {node._op!r}"
        raise ScenarioError(
            "_backward() raised",
            scenario.path,
            f"the _backward() of node {label} raised {error}",
            "Fix that op's _backward in your Value class",
            scenario_line(error.error, str(scenario.path)),
        ) from None


def _unreported(what: str, done: int, total: int) -> None:
    """A ``Progress`` that no one watches."""


def _title_and_notes(tree: ast.Module, path: Path) -> tuple[str, str]:
    """The docstring's first line (or the file's name) and the rest."""
    title, _, notes = (ast.get_docstring(tree) or "").strip().partition("\n")
    return title.strip() or path.stem, notes.strip()


def read_docstring(path: Path) -> tuple[str, str]:
    """A scenario's title and notes without running it, for lists and pickers."""
    try:
        return _title_and_notes(ast.parse(read_source(path)), path)
    except (ScenarioError, SyntaxError):
        return path.stem, ""


def load_scenario(
    path: Path | str,
    timeout: float = DEFAULT_TIMEOUT,
    max_nodes: int = DEFAULT_MAX_NODES,
    progress: Progress | None = None,
    announce: Callable[[str], None] = lambda what: None,
) -> Scenario:
    """Run a scenario file and return its graph, ready to be stepped through from the start.

    ``progress`` is told which phase the load is in, and ``announce`` what
    part of the scenario's code is about to run (for the time limit's message).
    """
    progress = progress or _unreported
    path = Path(path)
    source = read_source(path)
    try:
        tree = ast.parse(source, filename=str(path))
        code = compile(tree, str(path), "exec")
    except SyntaxError as error:
        raise ScenarioError(
            "Syntax error",
            path,
            f"SyntaxError: {error.msg}",
            "Fix the line and load it again",
            error.lineno,
        ) from None
    sandbox = Sandbox(path, timeout, announce)
    recording = _recording_torch(source)
    with heap.collecting_less_often():
        progress("running", 0, 0)
        with recording:
            sandbox.run(code, "the scenario")
            values = label_by_variable(sandbox.namespace)
            training = _training(sandbox)
            if training is None:
                root = _find_root(sandbox, values, max_nodes)
            else:
                training.iterations[0].restore(training.optimizer.parameters)
                root = sandbox.run(training.build_loss, "loss()")
                if not is_node(root):
                    raise ScenarioError(
                        "loss() returned no Value",
                        path,
                        f"loss() returned a {type(root).__name__}, not a Value",
                        "Return the loss Value from loss()",
                    )
        progress("checking", 0, 0)
        title, notes = _title_and_notes(tree, path)
        scenario = scenario_of(root, path, title, notes, sandbox.namespace, max_nodes, recording)
    scenario.output = sandbox.output.getvalue()
    scenario.training = training
    return scenario
