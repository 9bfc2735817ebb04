"""Dependencies between apps flow one way (docs/layers.md), with no import hidden in a function."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "redbook",
    "outbox",
    "accounts",
    "notifications",
    "shop",
    "posts",
    "moderation",
    "feeds",
    "search",
    "reliability",
    "demo",
    "messaging",
    "analytics",
    "partners",
)


def _project_module(node: ast.AST) -> str | None:
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return node.module if node.module.split(".")[0] in PACKAGES else None
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names if alias.name.split(".")[0] in PACKAGES]
        return names[0] if names else None
    return None


# Imports deferred on purpose, not to dodge a cycle: PyAV loads about 20 MB of FFmpeg
# libraries, which a web process that never receives a video should not carry.
DEFERRED_FOR_MEMORY = {("posts/videos.py", "_codec")}


def _imports_inside_functions(path: Path) -> list[str]:
    """Project imports below module level, except in an AppConfig's ready() (Django's place
    for connecting receivers once the app registry is ready)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name in ("ready", "_connect_receivers"):
            continue
        if (str(path.relative_to(ROOT)), function.name) in DEFERRED_FOR_MEMORY:
            continue
        for node in ast.walk(function):
            module = _project_module(node)
            if module:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module} in {function.name}()")
    return found


def test_no_project_import_is_hidden_in_a_function():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            if "migrations" not in path.parts:
                offenders += _imports_inside_functions(path)
    assert offenders == []


def test_the_layers_contract_is_kept():
    """import-linter's contract in pyproject.toml (also run by `make lint` and .ci/run)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout
