"""`manage.py check_consistency`: exit 1 if any order, stock level or counter is wrong.

`--save-baseline FILE` before a run records each variant's initial stock; passing
`--baseline FILE` afterwards also checks stock = initial - units taken by live orders.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reliability import checks


class Command(BaseCommand):
    help = "Check orders, stock and denormalized counters against their rows."

    def add_arguments(self, parser):
        parser.add_argument("--save-baseline", type=Path, help="write each variant's initial stock here and stop")
        parser.add_argument("--baseline", type=Path, help="initial stock written by --save-baseline")
        parser.add_argument("--views", action="store_true", help="flush the view buffer, then check view counts")
        parser.add_argument("--notifications", action="store_true", help="check every like left its notification")

    def handle(self, *args, save_baseline=None, baseline=None, views=False, notifications=False, **options):
        if save_baseline:
            save_baseline.write_text(json.dumps(checks.stock_baseline()))
            self.stdout.write(f"stock baseline written to {save_baseline}")
            return
        if views:
            from posts.view_counts import views_flush

            views_flush()
        initial = {int(pk): units for pk, units in json.loads(baseline.read_text()).items()} if baseline else None
        problems = checks.run_all(baseline=initial, views=views, notifications=notifications)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} consistency problem(s)")
        self.stdout.write(self.style.SUCCESS("consistent: orders, stock and counters match their rows"))
