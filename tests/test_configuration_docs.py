"""Every environment variable the service reads is in the README's variable table and in
.env.example, and neither lists one that nothing reads: the three cannot drift apart."""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Where the environment is read; anywhere else is a test failure below (read it in settings/base.py).
SOURCES = (
    *sorted((REPO / "violetvibes" / "settings").glob("*.py")),
    REPO / "gunicorn.conf.py",
    REPO / "manage.py",
    REPO / "violetvibes" / "wsgi.py",
)
# The settings' helpers (settings/base.py, gunicorn.conf.py uses them too); the first argument is the name.
READERS = {"env", "env_bool", "env_int", "env_float", "env_list", "env_choice", "env_url", "env_rate", "env_origins", "env_fernet_keys"}
NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"


def _reads(tree: ast.AST) -> set[str]:
    """Names read with a helper, os.environ.get/setdefault/[...] or os.getenv, as string literals."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            func = node.func
            helper = isinstance(func, ast.Name) and func.id in READERS
            environ = isinstance(func, ast.Attribute) and (
                (func.attr in {"get", "setdefault"} and _is_environ(func.value)) or func.attr == "getenv"
            )
            if helper or environ:
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
    return names


def variables_read() -> set[str]:
    return set().union(*(_reads(ast.parse(path.read_text())) for path in SOURCES))


def readme_table() -> set[str]:
    """The names in the first column of the table under README's "## Configuration"."""
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            first_cell = line.split("|")[1]
            names |= {token for token in re.findall(r"`([^`]+)`", first_cell) if NAME.fullmatch(token)}
    return names


def env_example() -> set[str]:
    """Every NAME= line of .env.example, commented out or not."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (REPO / ".env.example").read_text(), re.MULTILINE))


def test_the_settings_read_what_this_test_expects_to_find():
    # A sanity check on the parser: a few reads of each kind are seen.
    assert {"DATABASE_URL", "DB_CONN_MAX_AGE", "RATELIMIT_ENABLE", "ALLOWED_ORIGINS", "GEMINI_TIMEOUT_SECONDS"} <= variables_read()
    assert {"WEB_CONCURRENCY", "PORT", "DJANGO_SETTINGS_MODULE", "DJANGO_SECURE_HSTS_SECONDS"} <= variables_read()


def test_the_readme_table_lists_every_variable_read_and_no_other():
    read, listed = variables_read(), readme_table()

    assert read - listed == set(), "read but missing from README's Configuration table"
    assert listed - read == set(), "in README's Configuration table but read nowhere"


def test_env_example_lists_every_variable_read_and_no_other():
    read, listed = variables_read(), env_example()

    assert read - listed == set(), "read but missing from .env.example"
    assert listed - read == set(), "in .env.example but read nowhere"


def test_the_environment_is_read_only_where_this_test_looks():
    sources = {path.resolve() for path in SOURCES}
    skipped = {".venv", "tests", "bench", "docs", "staticfiles", ".git"}
    readers = []
    top = [path for path in REPO.iterdir() if path.name not in skipped]
    files = [path for path in top if path.suffix == ".py"] + [found for path in top if path.is_dir() for found in path.rglob("*.py")]
    for path in files:
        if path.resolve() in sources:
            continue
        if re.search(r"\bos\.environ\b|\bgetenv\(", path.read_text()):
            readers.append(str(path.relative_to(REPO)))

    assert readers == [], "read the environment in violetvibes/settings/base.py, not here"
