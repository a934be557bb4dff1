"""Where a `next` parameter may send the user: one rule for every view that takes one."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(nxt: str | None) -> str:
    """`next` when it is a path on this site, else "". Only a path: anything else given
    to redirect() would be tried as a view name (a 500 for junk), another site would be an
    open redirect, and a control character has no place in an address."""
    nxt = nxt or ""
    if (
        not nxt.startswith("/")
        or any(ord(c) < 32 or ord(c) == 127 for c in nxt)
        or not url_has_allowed_host_and_scheme(nxt, allowed_hosts=None)
    ):
        return ""
    return nxt
