"""The client's address behind TRUSTED_PROXY_HOPS proxies: what the rate limit and the
audit trail key on."""

import pytest
from django.test import RequestFactory

from stalkingservice.client_address import client_address, rate_limit_key

PROXY = "10.0.0.5"


def request_with(xff=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("hops", "xff", "expected"),
    [
        (0, None, PROXY),
        (0, "198.51.100.7", PROXY),  # no trusted proxy: the header is anyone's
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # leftmost is the client's claim
        (1, "1.2.3.4,198.51.100.7", "198.51.100.7"),
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (1, None, PROXY),  # not through the proxy (the health check)
        (2, "198.51.100.7", PROXY),  # shorter than the hops: the proxy's bucket
        (1, "1.2.3.4, garbage", PROXY),
        (1, "1.2.3.4, ", PROXY),
        (1, "x" * 2000, PROXY),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
    ],
)
def test_client_address(settings, hops, xff, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_address(request_with(xff)) == expected


def test_no_request_no_address():
    assert client_address(None) is None


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2::10", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::99", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        (None, "unknown"),
        ("junk", "unknown"),
    ],
)
def test_rate_limit_key(address, key):
    assert rate_limit_key(address) == key
