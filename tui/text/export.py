"""Exporting a whole trace: JSON (a versioned schema), Markdown, or Graphviz DOT.

JSON schema ``micrograd-tui/trace``, version 4 (version 1 had no forward steps, version 2
numbered steps from 0 as ``index``, version 3 had no ``source``)::

    {"schema": "micrograd-tui/trace", "version": 4,
     "scenario": {"path", "title", "notes"},
     "nodes": [{"id", "name", "label", "op", "operands": [ids], "data", "grad",
                "source": {"file", "line"} | null}],
     "forward_steps": n,
     "steps": [{"step", "kind": "forward", "node", "op", "operands": [ids],
                "inputs": [numbers], "after"}
               | {"step", "kind": "seed", "target", "before", "after"}
               | {"step", "kind": "chain", "output", "operand", "position", "op", "rule",
                  "local", "upstream", "contribution", "before", "after",
                  "accumulates", "contribution_of": [k, n], "rule_shown", "total"}
               | {"step", "kind": "call", "node", "operands": [ids],
                  "before": [numbers], "after": [numbers]}
               | {"step", "kind": "update", "node", "lr", "grad", "before", "after",
                  "optimizer", "plain"}],
     "losses": [numbers]}   ("losses" only for a training scenario)

Node ids are positions in topological order; ``data`` and ``grad`` are the values at the
end of the pass; ``source`` is the line of the scenario's files that built the node (for
a node ``micrograd.nn`` built, the line that called it), null where it is not known (a
learner's own Value class). A step's ``step`` is the number the app, ``--print`` and the
Markdown give it, from 1. The first ``forward_steps`` steps are the forward phase (none
with ``--backward-only``); the seed comes next. A graph built with a learner's own Value
class has "call" steps, one per node's ``_backward()`` call, instead of "chain" steps. A
training scenario exports its first iteration, whose optimizer step comes last as
"update" steps (``optimizer`` names the rule; ``plain`` means SGD, exactly ``before - lr
· grad``), and the loss at every iteration. Numbers are JSON numbers, except inf, -inf
and nan, which JSON cannot hold and are written as the strings "inf", "-inf" and "nan".
"""

from __future__ import annotations

import json
import math
from typing import Any

from micrograd import CallStep, ChainStep, ForwardStep, Trace, UpdateStep
from micrograd.gradcheck import BackwardCallCheck
from micrograd.graph import dot_text
from tui.loading.sites import Sources
from tui.loading.summary import Summary
from tui.text.naming import node_names
from tui.text.sentences import describe
from tui.text.transcript import markdown_transcript
from tui.text.visible import visible

SCHEMA = "micrograd-tui/trace"
VERSION = 4
FORMATS = ("json", "md", "dot")


def _number(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _step(trace: Trace, names: list[str], index: int) -> dict[str, Any]:
    step = trace.steps[index]
    if isinstance(step, ForwardStep):
        return {
            "step": index + 1,
            "kind": "forward",
            "node": step.node,
            "op": step.op,
            "operands": list(step.operands),
            "inputs": [_number(value) for value in step.inputs],
            "after": _number(step.after),
        }
    if isinstance(step, UpdateStep):
        return {
            "step": index + 1,
            "kind": "update",
            "node": step.node,
            "lr": _number(step.lr),
            "grad": _number(step.grad),
            "before": _number(step.before),
            "after": _number(step.after),
            "optimizer": step.optimizer,
            "plain": step.plain,
        }
    if isinstance(step, CallStep):
        return {
            "step": index + 1,
            "kind": "call",
            "node": step.node,
            "operands": list(step.operands),
            "before": [_number(value) for value in step.before],
            "after": [_number(value) for value in step.after],
        }
    if not isinstance(step, ChainStep):
        return {
            "step": index + 1,
            "kind": "seed",
            "target": step.target,
            "before": _number(step.before),
            "after": _number(step.after),
        }
    text = describe(trace, names, index)
    return {
        "step": index + 1,
        "kind": "chain",
        "output": step.output,
        "operand": step.operand,
        "position": step.position,
        "op": step.op,
        "rule": step.rule,
        "local": _number(step.local),
        "upstream": _number(step.upstream),
        "contribution": _number(step.contribution),
        "before": _number(step.before),
        "after": _number(step.after),
        "accumulates": step.accumulates,
        "contribution_of": list(trace.arrival(index)),
        "rule_shown": text.rule,
        "total": text.total or None,
    }


def trace_json(scenario: Summary, trace: Trace, sources: Sources | None = None) -> dict[str, Any]:
    """The whole trace as plain data following the documented schema."""
    names = node_names(trace)
    trace.seek(len(trace))
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "scenario": {"path": str(scenario.path), "title": scenario.title, "notes": scenario.notes},
        "nodes": [
            {
                "id": i,
                "name": names[i],
                "label": label,
                "op": trace.ops[i],
                "operands": list(trace.operands(i)),
                "data": _number(trace.data(i)),
                "grad": _number(trace.grad(i)),
                "source": _source(sources, i),
            }
            for i, label in enumerate(trace.labels)
        ],
        "forward_steps": trace.forward_length,
        "steps": [_step(trace, names, index) for index in range(len(trace))],
    }
    if scenario.losses is not None:
        data["losses"] = [_number(loss) for loss in scenario.losses]
    return data


def _source(sources: Sources | None, node: int) -> dict[str, Any] | None:
    site = sources.site(node) if sources is not None else None
    return {"file": site.file, "line": site.line} if site is not None else None


def export(
    scenario: Summary,
    trace: Trace,
    fmt: str,
    check: BackwardCallCheck | None = None,
    sources: Sources | None = None,
) -> str:
    """The trace in format ``fmt`` (one of ``FORMATS``) as text."""
    if fmt == "json":
        data = trace_json(scenario, trace, sources)
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if fmt == "md":
        return markdown_transcript(scenario, trace, check, sources)
    if fmt == "dot":
        return graph_dot(trace)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def graph_dot(trace: Trace) -> str:
    """The graph as Graphviz DOT, each node with the name the app gives it (a formula for
    an unlabelled one) and its data and grad at the end of the backward pass."""
    names = node_names(trace)
    trace.seek(trace.backward_end)
    nodes = range(trace.size)
    return dot_text(
        names,
        [trace.data(i) for i in nodes],
        [trace.grad(i) for i in nodes],
        [visible(op) for op in trace.ops],
        [trace.operands(i) for i in nodes],
    )
