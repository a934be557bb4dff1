"""The URL configuration, walked from the resolver, for the tests that must cover every
URL (deny by default, the access matrix, the hostile-input crawl): a URL added later is
covered without anyone listing it."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class WalkedURL:
    template: str  # the pattern as written, for test ids and messages
    parts: tuple  # (kind, text) for each level: "route" or "regex"
    name: str | None  # namespaced view name, or None for unnamed patterns

    @property
    def has_parameters(self) -> bool:
        return any("<" in text or "(" in text for _, text in self.parts)


def walk(patterns, parts=(), namespace=""):
    for entry in patterns:
        kind = "regex" if entry.pattern.__class__.__name__ == "RegexPattern" else "route"
        text = str(entry.pattern)
        here = (*parts, (kind, text))
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from walk(entry.url_patterns, here, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield WalkedURL("".join(t for _, t in here), here, name)


ALL_URLS = list(walk(get_resolver().url_patterns))

CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def regex_path(regex: str) -> str:
    """A concrete path for a regex pattern: the first alternative of each named group
    (e.g. the admin's `(?P<app_label>auth|stalkingservice)`), "x" otherwise."""
    values = {}
    for match in NAMED_GROUP.finditer(regex):
        body = match["body"]
        first = body.split("|")[0]
        values[match["name"]] = first if re.fullmatch(r"[\w-]+", first) else "x"
    template, params = normalize(regex)[0]
    return template % {p: values.get(p, "x") for p in params}
