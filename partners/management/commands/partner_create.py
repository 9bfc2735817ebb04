"""`manage.py partner_create NAME --origin URL [--origin URL ...]` (API.md "Operations")."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners import services
from partners.models import DEFAULT_RATE_PER_MINUTE


class Command(BaseCommand):
    help = "Create a partner as the admin does; prints `public_id <id>` and `api_key <key>` (shown only here)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--origin", action="append", required=True, help="an allowed origin; repeat for more")
        parser.add_argument("--public-id", default="", help="default: generated from the name")
        parser.add_argument("--rate", type=int, default=DEFAULT_RATE_PER_MINUTE, help="API calls per minute")

    def handle(self, *args, **options):
        if options["rate"] < 1:
            raise CommandError("--rate must be at least 1.")
        try:
            partner, key = services.partner_create(
                name=options["name"],
                origins=options["origin"],
                public_id=options["public_id"],
                rate_per_minute=options["rate"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"public_id {partner.public_id}")
        self.stdout.write(f"api_key {key}")
