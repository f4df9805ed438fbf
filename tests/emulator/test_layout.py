"""The emulator's modules stay small and import each other without a circle (issue 15.6)."""

from __future__ import annotations

import ast
from pathlib import Path

from emulator.server import BotApiEmulator

EMULATOR = Path(__file__).resolve().parents[2] / "emulator"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = path.relative_to(EMULATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Every ``emulator`` import, including TYPE_CHECKING and function-level ones."""
    modules = {_module_name(p): p for p in EMULATOR.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                deps.add(node.module)
                deps.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def test_no_import_circle() -> None:
    graph = _import_graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        for dep in graph[name]:
            assert dep not in path, "import circle: " + " -> ".join([*path, dep])
            if dep not in done:
                visit(dep, [*path, dep])
        done.add(name)

    for name in graph:
        visit(name, [name])


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(EMULATOR)): n
        for p in EMULATOR.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_handler_is_a_bot_api_method() -> None:
    emu = BotApiEmulator()
    unknown = [m for m in emu._method_handlers() if emu.spec.method(m) is None]
    assert unknown == []
