"""Which part of ecotarget imports which, and the imports that break the layering.

Run `python -m ecotarget.devtools.imports` (exit status 1 when there is a problem). The layers, bottom up:

    plandoc, standards, formats, samples,  pure Python, no Django, usable as libraries
    files, scoring
    core                                   what every app needs: clock, refusals, htmx helpers, the action log
    organisation                           regions, units, people, who may do what
    plans                                  the plan, its tasks, targets and units
    monitoring                             stations, monitoring data, measured indicators
    progress                               periods, reports, review, reminders
    dashboard, reports, assessment         what leaders read, what is written up (dashboard and reports never
                                           import each other), the year's assessment
    demo, devtools, the project's entry points (cli, settings, urls, wsgi)

A module may import its own layer and the layers below. Also refused: a cycle between files (imports inside
functions count: a late import hides a cycle, it does not remove it), a cycle between apps, and a selectors
module importing a services module (reads never call writes). Migrations are history and are not read.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "ecotarget"
ROOT = Path(__file__).resolve().parent.parent

LAYERS: dict[str, int] = {
    "plandoc": 0,
    "standards": 0,
    "formats": 0,
    "samples": 0,
    "files": 0,
    "scoring": 0,
    "core": 1,
    "organisation": 2,
    "plans": 3,
    "monitoring": 4,
    "progress": 5,
    "dashboard": 6,
    "reports": 6,
    "assessment": 6,
}
TOP = 7  # anything not named above: demo, devtools, cli, settings, urls, wsgi, __main__
SIBLINGS_APART = {frozenset({"dashboard", "reports"})}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module, dotted (the deepest ecotarget module that exists)
    line: int


def part(module: str) -> str:
    """The app (or top-level module) a dotted module name belongs to."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else pieces[0]


def layer(app: str) -> int:
    return LAYERS.get(app, TOP)


def _module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    pieces = list(relative.parts)
    if pieces[-1] == "__init__":
        pieces.pop()
    return ".".join(pieces)


def _modules(root: Path) -> dict[str, Path]:
    return {
        _module_name(path, root): path
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    }


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The ecotarget module an import names: itself if it is a module, else its package (`from x import name`)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import evidence` imports a module; `from .models import Task` imports from one.
            names = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        for name in names:
            if name.split(".")[0] != PACKAGE:
                continue
            target = _resolve(name, known)
            if target is not None and target != module:
                yield Import(module, target, node.lineno)
                if isinstance(node, ast.ImportFrom):
                    break  # one edge per statement: the deepest module it names


def imports(root: Path = ROOT) -> list[Import]:
    known = _modules(root)
    found = {edge for module, path in known.items() for edge in _imports_of(module, path, known)}
    return sorted(found, key=lambda e: (e.source, e.target, e.line))


def _cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan's algorithm, iterative)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        if a != b:
            graph[a].add(b)
            graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def _is_kind(module: str, kind: str) -> bool:
    return kind in module.split(".")[2:]


def problems(edges: list[Import]) -> list[str]:
    found: list[str] = []
    for edge in edges:
        src, dst = part(edge.source), part(edge.target)
        where = f"{edge.source}:{edge.line} imports {edge.target}"
        if frozenset({src, dst}) in SIBLINGS_APART:
            found.append(f"{where}: {src} and {dst} stand side by side and never import each other")
        elif layer(src) < layer(dst):
            found.append(f"{where}: runs up the layers ({src} is below {dst})")
        if _is_kind(edge.source, "selectors") and _is_kind(edge.target, "services"):
            found.append(f"{where}: a selectors module imports a services module")
    for group in _cycles((e.source, e.target) for e in edges):
        found.append("files import each other in a cycle: " + " → ".join(group))
    app_edges = {(part(e.source), part(e.target)) for e in edges}
    for group in _cycles(app_edges):
        found.append("apps import each other in a cycle: " + " → ".join(group))
    return found


def app_map(edges: list[Import]) -> dict[str, list[str]]:
    result: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        src, dst = part(edge.source), part(edge.target)
        result[src]
        if src != dst:
            result[src].add(dst)
    order = sorted(result, key=lambda app: (layer(app), app))
    return {app: sorted(result[app], key=lambda other: (layer(other), other)) for app in order}


def main(argv: list[str] | None = None) -> int:
    edges = imports()
    print("Which part imports which (layer: part → what it imports):")
    for app, uses in app_map(edges).items():
        print(f"  {layer(app)} {app:<13} → {', '.join(uses) or '—'}")
    found = problems(edges)
    if found:
        print(f"\n{len(found)} problem(s):")
        for problem in found:
            print(f"  - {problem}")
        return 1
    print("\nNo problems: every import runs down the layers, and no files or apps import each other in a cycle.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
