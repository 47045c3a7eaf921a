"""The imports of booking/ form no circle, and booking/domain imports only downwards.

The graph is read with `ast`, nothing is imported. A node is a module (a package is its __init__.py);
an arrow A -> B is an import in A that runs when A is imported: one outside a function body, at the
top or under an `if`/`try` (an import inside a function is not an arrow: it hides a circle rather
than breaking it, and booking keeps none in its adapters). `from p import x` is an arrow to p.x when
p/x.py exists, else to p. Importing a.b.c also runs a/__init__.py and a/b/__init__.py; those arrows are
left out, as booking's __init__ files import nothing.

Rules:
- no circle among booking's modules (farm-studio's "circle": files that import each other in a loop);
- booking/domain imports nothing of booking outside booking/domain (not the adapters, the api, the
  config), and nothing from a file directly under booking/domain (only from its contexts and shared);
- booking/domain/shared imports no context: it is the ground floor of the domain;
- the contexts (booking/domain/<context>/) import each other without a circle, so one context stands
  above the other: an import that runs back up from a lower context to a higher one would close one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import booking

ROOT = Path(booking.__file__).parent


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run on import: everything but what stands inside a function body."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            yield from _top_level_imports(node)


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the modules of the same tree that it imports at module level."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _top_level_imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names]
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def domain_offences(graph: dict[str, set[str]], domain: str) -> list[str]:
    """The imports in `domain` that run back up (see the module docstring)."""
    packages = {m.rpartition(".")[0] for m in graph}  # a package is the parent of some module
    contexts: dict[str, set[str]] = {}
    found = []
    for source, targets in sorted(graph.items()):
        if not source.startswith(domain + ".") and source != domain:
            continue
        here = _context(source, domain, packages)
        for target in sorted(targets):
            there = _context(target, domain, packages)
            if not target.startswith(domain + "."):
                found.append(f"{source} imports {target}: outside the domain")
            elif there is None:
                found.append(f"{source} imports {target}: a file directly under the domain")
            elif here == "shared" and there != "shared":
                found.append(f"{source} imports {target}: shared imports a context")
            elif here is not None and there != here:
                contexts.setdefault(here, set()).add(there)
    found += [f"contexts in a circle: {' -> '.join(c)}" for c in circles(contexts)]
    return found


def _context(module: str, domain: str, packages: set[str]) -> str | None:
    """'booking.domain.lending.model' and 'booking.domain.lending' -> 'lending'; None for a file directly
    under the domain."""
    name = module.removeprefix(domain + ".").split(".")[0]
    return name if f"{domain}.{name}" in packages else None


def _write(root: Path, files: Iterable[tuple[str, str]]) -> None:
    for relative, text in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_booking_has_no_import_circle() -> None:
    graph = import_graph(ROOT)
    assert len(graph) > 100 and sum(len(t) for t in graph.values()) > 500  # the walk really sees booking
    assert circles(graph) == []


def test_the_domain_imports_only_downwards() -> None:
    assert domain_offences(import_graph(ROOT), "booking.domain") == []


def test_the_checks_catch_a_circle_and_an_import_back_up(tmp_path: Path) -> None:
    root = tmp_path / "house"
    _write(root, [
        ("__init__.py", ""), ("adapters/__init__.py", ""),
        ("adapters/tables.py", "import sqlalchemy\nfrom house.adapters import tables_more\n"),
        ("adapters/tables_more.py", "from house.adapters.tables import metadata\n"),
        ("adapters/lazy.py", "def f():\n    from house.adapters import tables\n"),
        ("domain/__init__.py", ""), ("domain/ports.py", ""),
        ("domain/shared/__init__.py", ""), ("domain/shared/ids.py", "from house.domain.people import model\n"),
        ("domain/people/__init__.py", ""),
        ("domain/people/model.py", "from ..shared import ids\nfrom house.domain import ports\n"),
        ("domain/people/services.py", "from house.domain.lending.model import Item\n"),
        ("domain/lending/__init__.py", ""),
        ("domain/lending/model.py", "from house.domain.people import services\nfrom house.adapters import lazy\n"),
    ])
    graph = import_graph(root)
    assert graph["house.adapters.lazy"] == set()  # an import inside a function is no arrow
    assert graph["house.domain.people.model"] == {"house.domain.shared.ids", "house.domain.ports"}
    assert circles(graph) == [
        ["house.adapters.tables", "house.adapters.tables_more"],
        ["house.domain.lending.model", "house.domain.people.services"],
        ["house.domain.people.model", "house.domain.shared.ids"]]
    assert domain_offences(graph, "house.domain") == [
        "house.domain.lending.model imports house.adapters.lazy: outside the domain",
        "house.domain.people.model imports house.domain.ports: a file directly under the domain",
        "house.domain.shared.ids imports house.domain.people.model: shared imports a context",
        "contexts in a circle: lending -> people"]
