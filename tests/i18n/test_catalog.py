"""Every marked string has its Chinese, and in Chinese the app never calls itself 小红书."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = (
    "accounts",
    "posts",
    "shop",
    "feeds",
    "search",
    "moderation",
    "notifications",
    "partners",
    "outbox",
    "reliability",
    "demo",
    "redbook",
    "templates",
    "analytics",
    "messaging",
)
TRADEMARK = "小红书"  # another company's name (Xiaohongshu): ours is RedBook


def _untranslated(po: Path) -> list[str]:
    """The msgids of `po` with no translation or only a fuzzy guess."""
    found = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True)
        found += [m for m in re.findall(r'^msgid "(.*)"$', out.stdout, re.M) if m]
    return found


def test_every_marked_string_has_a_chinese_translation(tmp_path):
    """makemessages over a copy of the code (the real .po is never rewritten: it merges by hand)."""
    for name in SOURCES:
        shutil.copytree(BASE / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(BASE / "manage.py", tmp_path)
    shutil.copytree(BASE / "locale", tmp_path / "locale")
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert _untranslated(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po") == []


def test_chinese_never_names_the_app_xiaohongshu():
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', PO.read_text(), re.M)
    assert translations and not [t for t in translations if TRADEMARK in t]
    for folder in ("templates", "demo", "docs", "static"):
        for path in (BASE / folder).rglob("*"):
            if path.suffix in {".html", ".txt", ".py", ".md", ".js", ".svg"}:
                assert TRADEMARK not in path.read_text(), path
