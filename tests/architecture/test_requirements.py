"""Production installs no test, lint or type tool: they live in the dev lock (requirements-dev.txt)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_TOOLS = re.compile(
    r"^(pytest.*|playwright|schemathesis|hypothesis.*|factory[-_]boy|faker|ruff|mypy.*|.*-stubs|types-.*|import-linter)$"
)


def _names(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [re.split(r"[=<>\[ ;]", line)[0].lower() for line in lines if line and not line.startswith("-r")]


def test_production_requirements_hold_no_test_tools():
    for lock in ("requirements.txt", "requirements.in"):
        assert [name for name in _names(ROOT / lock) if DEV_TOOLS.match(name)] == [], lock


def test_the_dev_lock_is_production_plus_pinned_tools():
    dev = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in dev
    pinned = [line for line in dev if line and not line.startswith(("#", "-r"))]
    assert pinned and all("==" in line for line in pinned)
    for tool in ("pytest", "playwright", "schemathesis", "ruff", "mypy", "import-linter", "django-stubs"):
        assert tool in _names(ROOT / "requirements-dev.txt"), tool
    assert "-r requirements.in" in (ROOT / "requirements-dev.in").read_text().splitlines()
