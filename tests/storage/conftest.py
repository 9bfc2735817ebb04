"""An S3-compatible server (moto's standalone server) on a free loopback port for the
session, and a fresh bucket per test that the media stores point at."""

import io
import uuid

import boto3
import pytest
from django.core.management import call_command
from moto.server import ThreadedMotoServer

from redbook.media_settings import s3_options_from_url, s3_storages

CREDENTIALS = "test-key:test-secret"


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket, with STORAGES "default" and "originals" on it (as MEDIA_STORAGE_URL sets them)."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    url = f"s3://{CREDENTIALS}@{name}?endpoint_url={s3_endpoint}&region=us-east-1"
    stores = s3_storages(s3_options_from_url(url), None, public_url="", signed_seconds=settings.ORIGINAL_URL_SECONDS)
    settings.STORAGES = {**settings.STORAGES, **stores}
    call_command("media_bucket", stdout=io.StringIO())  # as a deployment prepares it
    return Bucket(name, s3_client(s3_endpoint))


def s3_client(endpoint: str):
    key, secret = CREDENTIALS.split(":")
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret
    )


class Bucket:
    def __init__(self, name: str, client):
        self.name = name
        self.client = client

    def keys(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {obj["Key"] for page in pages for obj in page.get("Contents", [])}

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)
