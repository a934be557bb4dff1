"""The address of the person at the other end of a request, behind a known number of
trusted reverse proxies.

Each trusted proxy appends the address it received the request from to
`X-Forwarded-For`, so with `TRUSTED_PROXY_HOPS = N` the Nth entry from the right was
written by our own outermost proxy and is the client's address. Everything to the left of
it came from the client and can say anything, so it is never read. A header shorter than
N entries, or an entry that is not an address, falls back to `REMOTE_ADDR` (the proxy):
such requests share one bucket rather than each choosing their own."""

import ipaddress

from django.conf import settings

# A real header through a few proxies is short; a longer one is not parsed at all.
MAX_HEADER_LENGTH = 1024


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR with no trusted proxy, else the entry our
    outermost trusted proxy wrote into X-Forwarded-For."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0) or 0)
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    if not isinstance(header, str) or len(header) > MAX_HEADER_LENGTH:
        return remote
    entries = header.split(",")
    if len(entries) < hops:
        return remote
    return _address(entries[-hops]) or remote


def rate_limit_key(address: str | None) -> str:
    """What a per-client limit counts by: the address, or for IPv6 its /64 (one home or
    phone has a whole /64 and could otherwise pick a new address for every attempt)."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)
