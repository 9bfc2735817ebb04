"""The client's address, and which forwarding headers may be believed.

A request's peer (`REMOTE_ADDR`) is the only address nobody can forge. Behind a
proxy that peer is the proxy, and the client's address is in `X-Forwarded-For`,
which the client can also write to. So it is read only when the peer is one of
`TRUSTED_PROXIES` (addresses or CIDRs, empty by default): then each hop of the header
is walked from the right (the entry our proxy appended) past the trusted proxies, and
the first address that is not one of them is the client. Anything a client wrote
further left is ignored. Other headers (X-Real-IP, Forwarded, CF-Connecting-IP,
True-Client-IP, ...) are never believed: configure the proxy to append to
X-Forwarded-For instead.

`client_ip` is the one function that decides the address (for audit entries and logs),
and `client_bucket` the one every per-IP limit and view or share de-duplication counts by;
`TrustedProxyMiddleware` drops the forwarding headers of requests that did not come through
a trusted proxy, so nothing else (SECURE_PROXY_SSL_HEADER's X-Forwarded-Proto above all)
can be fooled by them either.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The headers a client could forge to pose as a proxy's report (WSGI names).
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
)


@cache
def trusted_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in settings.TRUSTED_PROXIES)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


@receiver(setting_changed)
def _forget_networks(*, setting, **kwargs):
    if setting == "TRUSTED_PROXIES":
        trusted_networks.cache_clear()


def parse_ip(value: str) -> IPAddress | None:
    """An address as a proxy writes it (IPv4-mapped IPv6 read as IPv4), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def is_trusted_proxy(address: IPAddress | None) -> bool:
    return address is not None and any(address in network for network in trusted_networks())


def came_through_trusted_proxy(request) -> bool:
    return is_trusted_proxy(parse_ip(request.META.get("REMOTE_ADDR", "")))


def client_ip(request) -> str:
    """The client's address: the peer, or, behind trusted proxies, the right-most untrusted hop."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not came_through_trusted_proxy(request):
        return peer
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_ip(hop)
        if address is None:  # garbage a trusted proxy passed on: the last address we trust is all we know
            break
        client = str(address)
        if not is_trusted_proxy(address):
            break
    return client


IPV6_SUBSCRIBER_PREFIX = 64  # what one IPv6 subscriber usually gets, all theirs to rotate through


def client_bucket(request) -> str:
    """The client as limits and de-duplication count it: an IPv4 address, or an IPv6 address's /64.

    One IPv6 client holds a whole /64 (2^64 addresses); counting each address apart
    would give it that many budgets.
    """
    ip = client_ip(request)
    address = parse_ip(ip)
    if address is None:  # no peer address (a test client, a unix socket): one bucket for all of them
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_SUBSCRIBER_PREFIX), strict=False))
    return str(address)


class TrustedProxyMiddleware:
    """Drop forwarding headers unless the request came through a trusted proxy.

    First in MIDDLEWARE: SecurityMiddleware's HTTPS redirect and `request.is_secure()`
    read X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER), which a client talking to the app
    directly could otherwise set to "https" itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not came_through_trusted_proxy(request):
            for header in FORWARDING_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
