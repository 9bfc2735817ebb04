"""`manage.py welcome --url URL`: waits until the server at URL answers, then prints how to
sign in (the seeded demo accounts) and how to create the admin. scripts/run.sh calls it."""

import os
import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.users import DEMO_PASSWORD, DEMO_USERNAME

POLL_SECONDS = 0.5
# The settings a manage.py command needs to reach the same database as the server. The secret
# key is named, not printed: terminals and process managers keep their output.
ENVIRONMENT = ("DEBUG", "DATABASE_URL", "REDIS_URL")


class Command(BaseCommand):
    help = "Wait for the server to answer, then print the demo logins and the admin's creation command."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="where the server listens")
        parser.add_argument("--wait", type=float, default=120, help="seconds to wait for /healthz")

    def handle(self, *args, url: str, wait: float, **options):
        url = url.rstrip("/")
        if not _answers(f"{url}/healthz", within=wait):
            raise CommandError(f"RedBook did not answer on {url} within {wait:g} s.")
        # Blank lines around it: the workers' logs scroll past in the same terminal.
        self.stdout.write("\n" + "\n".join(welcome_lines(url=url, environ=os.environ)) + "\n")


def welcome_lines(*, url: str, environ) -> list[str]:
    lines = [f"RedBook is up on {url}  (Ctrl-C stops it)"]
    brand = User.objects.filter(account_type=User.AccountType.BRAND, is_active=True).order_by("pk").first()
    if User.objects.filter(username=DEMO_USERNAME).exists():
        lines.append(f"  Demo login:   {DEMO_USERNAME} / {DEMO_PASSWORD}  (a shopper)")
        if brand is not None:
            lines.append(f"  Brand login:  {brand.username} / {DEMO_PASSWORD}  (its shop: {url}/shop/manage/)")
    admin_env = " ".join(f"{name}={environ[name]}" for name in ENVIRONMENT if environ.get(name))
    if environ.get("SECRET_KEY"):
        admin_env += ' SECRET_KEY="$SECRET_KEY"'
    command = f"{admin_env} .venv/bin/python manage.py createsuperuser".strip()
    lines.append(f"  Admin:        {command}  then open {url}/admin/")
    return lines


def _answers(url: str, *, within: float) -> bool:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
