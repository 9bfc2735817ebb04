"""`manage.py load_run --base-url URL`: drive the API like real users (reliability/load.py).

Prints p50/p95/p99 and errors per endpoint; exits 1 at an error rate of 0.1% or more.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import token_issue
from posts.models import Note
from reliability import load
from shop.models import Product, Variant

MAX_ERROR_RATE = 0.001
CATALOG_SIZE = 2000  # notes and variants the users pick from (the most recent)


def catalog(users: int) -> load.Catalog:
    shoppers = User.objects.active().filter(account_type=User.AccountType.PERSONAL).order_by("?")[:users]
    tokens = [token_issue(user=user, name="load_run")[1] for user in shoppers]
    listed = Product.objects.listed()
    variants = Variant.objects.filter(product__in=listed, stock__gt=0).order_by("-id")
    return load.Catalog(
        tokens=tokens,
        note_ids=list(Note.objects.public().order_by("-id").values_list("pk", flat=True)[:CATALOG_SIZE]),
        variant_brands=dict(variants.values_list("pk", "product__brand__username")[:CATALOG_SIZE]),
        product_ids=list(listed.order_by("-id").values_list("pk", flat=True)[:CATALOG_SIZE]),
    )


class Command(BaseCommand):
    help = "Run a bounded, mixed read/write load against a running server and report latencies and errors."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8110")
        parser.add_argument("--users", type=int, default=12, help="concurrent virtual users")
        parser.add_argument("--duration", type=float, default=600, help="seconds")
        parser.add_argument("--max-requests", type=int, default=500_000)
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args, base_url, users, duration, max_requests, seed, **options):
        world = catalog(users)
        if not (world.tokens and world.note_ids and world.variant_brands):
            raise CommandError("nothing to load: run seed_demo first")
        self.stdout.write(f"{users} users for {duration:.0f}s (at most {max_requests} requests) on {base_url}")
        stats = load.run(
            base_url=base_url, catalog=world, users=users, duration=duration, max_requests=max_requests, seed=seed
        )
        self.stdout.write(load.report(stats, duration))
        if stats.error_count / max(1, stats.requests) >= MAX_ERROR_RATE:
            raise CommandError(f"error rate at or above {MAX_ERROR_RATE:.1%}")
