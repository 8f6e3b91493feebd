"""Creation sites: the line of the scenario's own code that built each node, recorded in
the worker, and cited by the transcript and the exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tui.loading import remote
from tui.loading.protocol import Load, Rebuild, Recorded
from tui.loading.sites import Site, Sources

ROOT = Path(__file__).resolve().parents[2]


def loaded(path: Path | str) -> Recorded:
    return remote.load(path, 10, 10**6, True)


def expression(sources: Sources, site: Site) -> str:
    line = sources.lines(site.file)[site.line - 1]
    return line[site.start : site.end if site.end >= 0 else None]


def sites_by_name(recorded: Recorded) -> dict[str, Site | None]:
    assert recorded.sources is not None
    return {
        label: recorded.sources.site(node)
        for node, label in enumerate(recorded.trace.labels)
        if label
    }


def test_each_node_of_the_lecture_s_neuron_is_cited_at_its_expression() -> None:
    recorded = loaded(ROOT / "scenarios" / "neuron.py")
    sources = recorded.sources
    assert sources is not None
    cited = {}
    for node, label in enumerate(recorded.trace.labels):
        site = sources.site(node)
        assert site is not None and site.library == ""
        assert site.file == str((ROOT / "scenarios" / "neuron.py").resolve())
        cited[label] = (site.line, expression(sources, site))
    assert cited["x1"] == (14, "Value(2.0)")
    assert cited["x1w1"] == (20, "x1 * w1")
    assert cited["o"] == (24, "n.tanh()")


def test_a_node_micrograd_nn_built_is_cited_at_the_line_that_called_it() -> None:
    recorded = loaded(ROOT / "scenarios" / "mlp.py")
    assert recorded.sources is not None
    lines = recorded.sources.lines(recorded.sources.files[0][0])
    libraries = set()
    for node in range(recorded.trace.size):
        site = recorded.sources.site(node)
        assert site is not None
        libraries.add(site.library)
        code = lines[site.line - 1]
        if site.library == "micrograd.nn" and recorded.trace.operands(node):
            assert "model(x)" in code
    assert libraries == {"micrograd.nn", "micrograd.losses"}


def test_sites_in_a_helper_module_a_multi_line_expression_and_wide_characters(
    tmp_path: Path,
) -> None:
    (tmp_path / "helpers.py").write_text(
        "from micrograd import Value\n\ndef square(v):\n    return v * v\n"
    )
    (tmp_path / "scenario.py").write_text(
        "from micrograd import Value\n"
        "from helpers import square\n"
        "a = Value(2.0, label='a')\n"
        "b = square(a); b.label = 'b'\n"
        "c = ('ééé', a + b)[1]; c.label = 'c'\n"
        "d = (c *\n"
        "     3.0); d.label = 'd'\n"
    )
    recorded = loaded(tmp_path / "scenario.py")
    sites = sites_by_name(recorded)
    assert recorded.sources is not None
    b, c, d = sites["b"], sites["c"], sites["d"]
    assert b is not None and Path(b.file).name == "helpers.py" and b.line == 4
    assert c is not None and expression(recorded.sources, c) == "a + b"  # columns in characters
    assert d is not None and d.line == 6 and d.end == -1  # the expression goes on past its line
    exported = json.loads(
        subprocess.run(
            [sys.executable, "-m", "tui", "--export", "json", str(tmp_path / "scenario.py")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    by_name = {node["name"]: node["source"] for node in exported["nodes"]}
    assert by_name["b"] == {"file": b.file, "line": 4}
    assert exported["version"] == 4
    markdown = subprocess.run(
        [sys.executable, "-m", "tui", "--export", "md", str(tmp_path / "scenario.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "← helpers.py line 4: `return v * v`" in markdown  # another file of the folder


def test_a_learner_s_own_value_class_has_no_sites_but_its_file_is_there() -> None:
    recorded = loaded(ROOT / "scenarios" / "own_value.py")
    sources = recorded.sources
    assert sources is not None
    assert all(sources.site(node) is None for node in range(recorded.trace.size))
    assert Path(sources.files[0][0]).name == "own_value.py" and sources.files[0][1]


def test_a_training_iteration_replayed_is_cited_too() -> None:
    worker = remote.WorkerProcess()
    try:
        worker.load(Load(str(ROOT / "scenarios" / "train_mlp.py"), 10, 10**6, True))
        replayed = worker.ask(Rebuild(3, True), 10)
    finally:
        worker.close()
    assert replayed.sources is not None
    assert all(replayed.sources.site(node) is not None for node in range(replayed.trace.size))


def test_the_transcript_and_the_markdown_cite_each_forward_step_s_line() -> None:
    def run(*arguments: str) -> str:
        command = [sys.executable, "-m", "tui", *arguments, str(ROOT / "scenarios" / "example.py")]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    printed = run("--print")
    assert "3. z = x*y + x**2 = -6.0 + 4.0 = -2.0   ← line 13: z = x * y + x**2" in printed
    markdown = run("--export", "md")
    assert "   ← line 13: `z = x * y + x**2`" in markdown
    backward = printed.split("Backward pass")[1]
    assert "← line" not in backward  # the forward steps cite the code that computes them
