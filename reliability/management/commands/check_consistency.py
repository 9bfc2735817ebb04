"""`manage.py check_consistency`: exit 1 if any order, stock level, counter or analytics rollup is wrong.

`--save-baseline FILE` before a run records each variant's initial stock (and view
counts a seed script set without rows); `--baseline FILE` afterwards also checks
stock = initial - units taken by live orders.
"""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.rollups import rollups_refresh
from posts.view_counts import views_flush
from reliability import checks


class Command(BaseCommand):
    help = "Check orders, stock and denormalized counters against their rows."

    def add_arguments(self, parser):
        parser.add_argument("--save-baseline", type=Path, help="write the baseline here and stop")
        parser.add_argument("--baseline", type=Path, help="the file written by --save-baseline")
        parser.add_argument("--views", action="store_true", help="flush the view buffer, then check view counts")
        parser.add_argument(
            "--notifications-since",
            type=datetime.fromisoformat,
            help="check that every like and moderation decision since this ISO time left its notifications",
        )

    def handle(self, *args, save_baseline=None, baseline=None, views=False, notifications_since=None, **options):
        if save_baseline:
            save_baseline.write_text(checks.Baseline.take().dumps())
            self.stdout.write(f"baseline written to {save_baseline}")
            return
        if views:
            views_flush()
        rollups_refresh()  # what beat does every minute, so the rollups are compared at rest
        before = checks.Baseline.loads(baseline.read_text()) if baseline else None
        problems = checks.run_all(baseline=before, views=views, notifications_since=notifications_since, analytics=True)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} consistency problem(s)")
        self.stdout.write(self.style.SUCCESS("consistent: orders, stock and counters match their rows"))
