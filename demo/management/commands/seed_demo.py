"""`manage.py seed_demo`: a realistic, reproducible demo world, loaded in bulk."""

import time

import numpy as np
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from demo.analytics import seed_analytics
from demo.bulk import StageLog, Timer, relax_foreign_key_checks
from demo.counters import refresh_counters
from demo.images import pool_size, seed_image_pool
from demo.interactions import seed_comments, seed_likes, seed_saves, seed_views
from demo.notes import seed_notes
from demo.shop import seed_catalog, seed_orders
from demo.users import DEMO_PASSWORD, seed_follows, seed_users
from demo.videos import seed_videos
from demo.world import World

FOLLOWS_PER_USER = 20  # 2M follows for 100k users
LIKES_PER_NOTE = 10  # 10M likes for 1M notes
# Commands other apps provide; run after seeding when they exist.
AFTER_SEEDING = ("reindex_search", "rank_explore")


class Command(BaseCommand):
    help = (
        "Seed a demo world (users, brands, follows, notes with images, likes, saves, comments, "
        "views, products, orders, 90 days of analytics), reproducible from --seed. "
        f"Every demo account's password is {DEMO_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--notes", type=int, default=1500)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--follows", type=int, help=f"total follows (default {FOLLOWS_PER_USER} per user)")
        parser.add_argument("--likes", type=int, help=f"total likes, before dedupe (default {LIKES_PER_NOTE} per note)")
        parser.add_argument("--images", type=int, help="size of the pooled image set (default from --notes)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when any user exists")
        parser.add_argument("--skip-post", action="store_true", help="do not run reindex_search / rank_explore")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, **options):
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("seed_demo: users exist, nothing to do (--if-empty).")
            return
        users, notes = options["users"], options["notes"]
        if users < 1 or notes < 0:
            raise CommandError("--users must be at least 1 and --notes at least 0.")
        log = StageLog(progress=not options["no_progress"])
        world = World(seed=options["seed"], now=np.datetime64(int(time.time()), "s"), log=log)
        started = time.perf_counter()
        with transaction.atomic():
            if relax_foreign_key_checks():
                self.stdout.write("seed_demo: foreign-key triggers off for the load (rows consistent by construction)")
            seed_users(world, users)
            seed_follows(world, options["follows"] if options["follows"] is not None else users * FOLLOWS_PER_USER)
            if notes:
                seed_image_pool(world, options["images"] or pool_size(notes))
            seed_catalog(world)
            seed_notes(world, notes)
            seed_likes(world, options["likes"] if options["likes"] is not None else notes * LIKES_PER_NOTE)
            seed_saves(world)
            seed_comments(world)
            seed_views(world)
            seed_orders(world)
            refresh_counters(world)
            seed_analytics(world)
        seed_videos(world)  # after the bulk load: files and a real transcode per clip
        self._analyze(log)
        seconds = time.perf_counter() - started
        if not options["skip_post"]:
            self._after_seeding(log)
        self._report(log, seconds)

    def _analyze(self, log: StageLog) -> None:
        """Fresh statistics and visibility maps, so the planner and index-only scans work at once."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:  # VACUUM needs autocommit
            return
        with Timer(log, "vacuum analyze"), connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def _after_seeding(self, log: StageLog) -> None:
        available = get_commands()
        for name in AFTER_SEEDING:
            if name in available:
                with Timer(log, name):
                    call_command(name)

    def _report(self, log: StageLog, seconds: float) -> None:
        self.stdout.write(f"{'stage':<18}{'rows':>12}{'seconds':>10}")
        for stage, rows in log.rows.items():
            self.stdout.write(f"{stage:<18}{rows:>12}{log.seconds[stage]:>10.1f}")
        self.stdout.write(self.style.SUCCESS(f"seed_demo: world seeded in {seconds:.1f} s (before reindex/ranking)"))
