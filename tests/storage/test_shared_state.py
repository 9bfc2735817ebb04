"""Nothing a node keeps for itself that another node needs: sessions, rate limits,
Explore lists, beat, static files."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from redbook import beat
from redbook.celery import app
from redbook.redis import get_redis
from tests.conftest import requires_redis

ROOT = Path(__file__).resolve().parents[2]


def test_sessions_and_cache_live_in_shared_stores():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    for backend in settings.CACHES.values():
        assert "locmem" not in backend["BACKEND"].lower()  # a node's memory


@requires_redis
def test_only_one_beat_leads_and_another_takes_over(tmp_path):
    first = beat.LeaderScheduler(app=app, schedule_filename=str(tmp_path / "a"), lazy=True)
    second = beat.LeaderScheduler(app=app, schedule_filename=str(tmp_path / "b"), lazy=True)
    assert first.lead() and not second.lead()
    assert first.lead()  # renewing
    assert second.tick() == beat.STANDBY_SECONDS  # a standby sends nothing
    assert 0 < get_redis().ttl(beat.LEADER_KEY) <= beat.LEADER_SECONDS
    get_redis().delete(beat.LEADER_KEY)  # the leader died and its key lapsed
    assert second.lead() and not first.lead()


def test_production_static_files_are_collected_and_hashed():
    env = {**os.environ, "SECRET_KEY": "x", "DEBUG": "0"}
    probe = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "redbook.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_templates_link_static_files_through_the_static_tag():
    hard_coded = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and ("/static/" in path.read_text() or '"/media/' in path.read_text())
    ]
    assert hard_coded == []
