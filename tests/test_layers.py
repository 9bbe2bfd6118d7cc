"""The layers' dependencies point one way, read from the source (ast), not from what happens to run:

    chat -> recommendations -> places, events -> accounts -> violetvibes
    (events may use places' geometry, scoring and card serializer; places never uses events)
    ops (the data-moving commands) -> every app

Nothing imports chat or ops; and a selector only reads: the writes are services.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "places", "events", "recommendations", "chat", "ops")

# What each app may import of the project's apps (besides itself; violetvibes is open to all).
ALLOWED = {
    "ops": {"chat", "recommendations", "places", "events", "accounts"},
    "chat": {"recommendations", "places", "events", "accounts"},
    "recommendations": {"places", "events", "accounts"},
    "events": {"places", "accounts"},
    "places": {"accounts"},
    "accounts": set(),
}

# Known exceptions, each (importing module, imported module): none.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()

WRITES = {"save", "create", "update", "bulk_create", "bulk_update", "update_or_create", "get_or_create", "delete"}


def _modules() -> list[Path]:
    return sorted(path for app in APPS for path in (ROOT / app).rglob("*.py"))


def _package_of(path: Path) -> list[str]:
    return list(path.relative_to(ROOT).parent.parts)


def _imported(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; relative imports resolved), at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(path)
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            # `from places import selectors` imports places.selectors
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _violations() -> list[str]:
    found = []
    for path in _modules():
        own = path.relative_to(ROOT).parts[0]
        where = path.relative_to(ROOT).as_posix()
        for name in sorted(_imported(path)):
            other = name.split(".")[0]
            if other not in APPS or other == own or other in ALLOWED[own]:
                continue
            exception = (where, name)
            if exception in KNOWN_EXCEPTIONS or (where, name.rsplit(".", 1)[0]) in KNOWN_EXCEPTIONS:
                continue
            found.append(f"{where} imports {name} ({own} may import only {sorted(ALLOWED[own]) or 'violetvibes'})")
    return found


def test_the_scan_sees_every_app_and_both_forms_of_import():
    modules = {path.relative_to(ROOT).parts[0] for path in _modules()}
    assert modules == set(APPS)
    assert "places.selectors" in _imported(ROOT / "recommendations/lists.py")  # relative and absolute forms both read
    assert "recommendations.context" in _imported(ROOT / "recommendations/lists.py")


def test_dependencies_point_one_way():
    assert _violations() == []


# The tops of the graph, and who must not import them: every app and the project package (ops,
# which may import every app, is not checked).
TOPS = [(package, top) for top in ("chat", "ops") for package in (*APPS, "violetvibes") if package not in (top, "ops")]


@pytest.mark.parametrize(("package", "top"), TOPS)
def test_nothing_imports_chat_or_ops(package, top):
    assert not [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in _imported(path)
        if name.split(".")[0] == top
    ]


def _selectors() -> list[Path]:
    return sorted(path for app in APPS for path in (ROOT / app).rglob("selectors.py"))


def test_there_are_selectors_to_check():
    assert {path.relative_to(ROOT).parts[0] for path in _selectors()} >= {"accounts", "places", "events"}


@pytest.mark.parametrize("path", _selectors(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_selectors_never_write(path):
    """No save/create/update/delete of rows, and no service (the writes: upserts, syncs) at all."""
    tree = ast.parse(path.read_text(), filename=str(path))
    writes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in WRITES or "upsert" in name:
                writes.append(f"line {node.lineno}: {name}(...)")
    services = sorted(name for name in _imported(path) if ".services" in name or name.endswith("services"))
    assert writes == []
    assert services == []


CARD_APPS = ("places", "recommendations", "chat", "events")


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[str]:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    return [argument.arg for argument in every if argument is not None]


def test_no_function_takes_a_photo_base():
    """Cards carry a site-relative photo path and CardSerializer makes it absolute for the request:
    no host or URL prefix is threaded through the layers."""
    modules = sorted(path for app in CARD_APPS for path in (ROOT / app).rglob("*.py"))
    assert any(path.name == "selectors.py" for path in modules)
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {getattr(node, 'name', 'lambda')}()"
        for path in modules
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and "photo_base" in _parameters(node)
    ]
    assert found == []
