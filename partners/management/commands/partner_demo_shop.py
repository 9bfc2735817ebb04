"""`manage.py partner_demo_shop`: the demo partner and its static shop pages.

Makes sure the demo partner (public id `demo-shop`) exists and allows the shop's origin,
then writes a small static "partner shop" (an index and two product pages, for the two
listed products with a GTIN and the most notes) that `make run` serves on PARTNER_PORT.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from partners import services
from partners.models import Partner
from shop.gtin import gtin_display
from shop.models import Product

DEMO_PUBLIC_ID = "demo-shop"
DEMO_NAME = "Demo partner shop"


class Command(BaseCommand):
    help = "Create or update the demo partner and write its static shop pages."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8010, help="the port the shop is served on")
        parser.add_argument("--redbook", default="http://127.0.0.1:8000", help="RedBook's address")
        parser.add_argument("--out", default="var/partner-shop", help="where to write the pages")

    def handle(self, *args, **options):
        port = options["port"]
        origins = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
        partner = Partner.objects.filter(public_id=DEMO_PUBLIC_ID).first()
        if partner is None:
            partner, _key = services.partner_create(name=DEMO_NAME, origins=origins, public_id=DEMO_PUBLIC_ID)
        else:
            services.partner_origins_set(partner=partner, origins=origins)
        products = list(
            Product.objects.listed().exclude(gtin="").select_related("brand").order_by("-notes_count", "pk")[:2]
        )
        if not products:
            raise CommandError("No listed product has a GTIN: run seed_demo first.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        pages = [
            {"file": f"product-{i + 1}.html", "product": product, "gtin": gtin_display(product.gtin)}
            for i, product in enumerate(products)
        ]
        context = {"redbook": options["redbook"].rstrip("/"), "partner": partner, "pages": pages}
        (out / "index.html").write_text(render_to_string("partners/demo_shop/index.html", context))
        for page in pages:
            html = render_to_string("partners/demo_shop/product.html", {**context, "page": page})
            (out / page["file"]).write_text(html)
        self.stdout.write(f"partner_demo_shop: {len(pages)} product pages in {out} for {origins[0]}")
