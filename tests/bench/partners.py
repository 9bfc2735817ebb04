"""`make bench`, partners section: the partner API (full answers, then 304s on If-None-Match)
and the widget iframe's first render (bytes transferred, hosts asked).

Issue 17's targets: the API's p99 within 2x B1 at scale L, its 304s within 1x B1, and the
iframe's first render under 100 KB with no request to any host but RedBook's.
"""

import re
import urllib.request
from urllib.parse import urljoin, urlsplit

from tests.bench.targets import SAMPLE, Endpoint

EAGER_COVERS = 3  # the embed page loads its first three covers eagerly, the rest lazily


def _get(url: str, headers: dict | None = None) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), dict(response.headers)


def endpoints(base_url: str) -> tuple[list[Endpoint], dict[str, str]]:
    """The two API endpoints (with the ETags the server gives now) and the widget's figures."""
    from partners import services
    from shop.models import Product

    partner, key = services.partner_create(
        name="Bench partner", origins=["http://127.0.0.1:9"], rate_per_minute=100_000_000
    )
    gtins = list(
        Product.objects.listed().exclude(gtin="").order_by("-notes_count", "pk").values_list("gtin", flat=True)[:SAMPLE]
    )
    if not gtins:
        return [], {"partner widget first render": "n/a (no product has a GTIN)"}
    paths = [f"/api/v1/partner/products/{gtin}/notes/" for gtin in gtins]
    etags = [_get(base_url + path, {"X-Api-Key": key})[1]["ETag"] for path in paths]
    found = [
        Endpoint("partner", "/api/v1/partner/products/<gtin>/notes/", paths, [{"X-Api-Key": key}]),
        Endpoint(
            "partner_304",
            "/api/v1/partner/products/<gtin>/notes/ (304)",
            paths,  # as many header sets as paths: wrk pairs path i with header set i
            [{"X-Api-Key": key, "If-None-Match": etag} for etag in etags],
        ),
    ]
    return found, {"partner widget first render": first_render(base_url, gtins[0], partner.public_id)}


def first_render(base_url: str, gtin: str, public_id: str) -> str:
    """Bytes of the iframe page, its stylesheet and script and its eager covers (uncompressed:
    an upper bound of what is transferred), and the hosts they come from."""
    page_url = f"{base_url}/embed/products/{gtin}/?partner={public_id}&lang=zh"
    html, _headers = _get(page_url)
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text) + re.findall(r'<script src="([^"]+)"', text)
    covers = re.findall(r'<img class="rb-cover" src="([^"]+)"[^>]*?>', text)[:EAGER_COVERS]
    urls = [urljoin(page_url, url) for url in assets + covers]
    sizes = [len(_get(url)[0]) for url in urls]
    hosts = sorted({urlsplit(url).netloc for url in [page_url, *urls]})
    total = len(html) + sum(sizes)
    return (
        f"{total / 1024:.1f} KB (page {len(html) / 1024:.1f} KB, css+js {sum(sizes[: len(assets)]) / 1024:.1f} KB, "
        f"{len(covers)} covers {sum(sizes[len(assets) :]) / 1024:.1f} KB); hosts: {', '.join(hosts)}"
    )
