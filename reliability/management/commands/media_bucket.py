"""`manage.py media_bucket`: create the object store's bucket if missing and set its policy.

Public renditions (note images, avatars, product images) become readable by anyone at
their URL; originals stay private (presigned URLs only). Safe to run on every deploy.
Does nothing on the local disk.
"""

from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from reliability.media import prepare_bucket, public_read_policy


class Command(BaseCommand):
    help = "Create the media bucket if missing and make its public renditions readable."

    def handle(self, *args, **options):
        storage = storages["default"]
        if not hasattr(storage, "bucket_name"):
            self.stdout.write("media is on the local disk: no bucket to prepare")
            return
        created = prepare_bucket(storage)
        prefixes = ", ".join(statement_resources(public_read_policy(storage)))
        self.stdout.write(f"bucket {storage.bucket_name} {'created' if created else 'exists'}; public: {prefixes}")


def statement_resources(policy: dict) -> list[str]:
    return policy["Statement"][0]["Resource"]
