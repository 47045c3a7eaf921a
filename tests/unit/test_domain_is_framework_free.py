"""booking/domain is plain Python: it must not import SQLAlchemy, Litestar or msgspec."""

from __future__ import annotations

import ast
from pathlib import Path

import booking.domain

FORBIDDEN = ("sqlalchemy", "litestar", "msgspec", "advanced_alchemy", "alembic", "httpx", "uvicorn")
DOMAIN = Path(booking.domain.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offending_imports(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                found.append(f"{path.relative_to(root.parent)} imports {name}")
    return found


def test_domain_imports_no_framework() -> None:
    modules = list(DOMAIN.rglob("*.py"))
    assert len(modules) > 10  # the walk really sees the domain
    assert offending_imports(DOMAIN) == []


def test_the_check_catches_a_framework_import(tmp_path: Path) -> None:
    fake = tmp_path / "domain"
    fake.mkdir()
    (fake / "model.py").write_text("from sqlalchemy.orm import Mapped\nimport msgspec\n")
    (fake / "ok.py").write_text("from dataclasses import dataclass\n")
    assert sorted(offending_imports(fake)) == [
        "domain/model.py imports msgspec", "domain/model.py imports sqlalchemy.orm"]
