"""A private Postgres primary with a streaming replica (and, for the `cluster` marker, the
whole cluster) started by the tests themselves on free ports; see processes.py."""

import os
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.cluster.processes import PostgresPair, app_environment, manage, postgres_available


def png_bytes(color=(200, 30, 60)) -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def cluster_work():
    work = Path(tempfile.mkdtemp(prefix="rb-cluster-"))
    os.chmod(work, 0o755)  # the postgres account reads its folders in here
    yield work
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def replica_pair(cluster_work):
    """A migrated primary and a replica of it (pg_basebackup -R), stopped after the module."""
    if not postgres_available() or not settings.REDIS_URL:
        pytest.skip("needs the Postgres server binaries (initdb, pg_basebackup) and Redis")
    work = Path(tempfile.mkdtemp(dir=cluster_work))
    os.chmod(work, 0o755)
    pair = PostgresPair(work)
    try:
        pair.start_primary()
        manage(app_environment(DATABASE_URL=pair.primary.url, LOG_LEVEL="WARNING"), "migrate", "--noinput", "-v", "0")
        pair.start_replica()
        yield pair
    finally:
        pair.stop()


def pytest_collection_modifyitems(config, items):
    """The `cluster` tests start a whole cluster: only when asked for (`-m cluster`, make test-cluster)."""
    if "cluster" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="starts the whole cluster: run with -m cluster (make test-cluster)")
    for item in items:
        if item.get_closest_marker("cluster"):
            item.add_marker(skip)
