"""Finding every form the product offers, the way a user would: sign in as each kind of
user, follow the links from the home page and read the <form> elements out of the HTML.
A form added later is found (and so attacked by the hostile-input tests) without anyone
listing it here. The data is one seeded world with a record of every kind."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.test import Client as HttpClient
from django.urls import Resolver404, resolve
from django.utils import timezone

from tests.urls_walk import ALL_URLS

# ---- reading forms out of HTML ----------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "button"
    value: str = ""  # the value the page offers (prefilled, selected or checked)
    options: list[str] = field(default_factory=list)  # select / radio / checkbox values
    multiple: bool = False
    checked: list[str] = field(default_factory=list)
    # A trap for robots (hidden from sight and from the keyboard): people leave it empty.
    honeypot: bool = False
    required: bool = False
    maxlength: int | None = None
    invalid: bool = False  # marked as in error on the page (after a refused submission)

    @property
    def free_text(self) -> bool:
        return self.kind in ("textarea", "text", "search") and not self.options


@dataclass
class Form:
    action: str  # absolute path
    method: str  # "get" or "post"
    enctype: str
    fields: dict[str, Field]
    page: str = ""  # where it was found
    user: str = ""  # who found it (key of the world's users; "" for a visitor)
    url_name: str = ""  # resolved view name of the action

    def describe(self) -> str:
        who = self.user or "a signed-out visitor"
        return f"{self.method.upper()} {self.action} (form on {self.page} as {who})"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: dict | None = None
        self._textarea: Field | None = None

    def _add(self, name, kind, value="", *, checked=False, option=False, multiple=False, **extra):
        fields = self._form.fields
        existing = fields.get(name)
        if existing is None:
            existing = fields[name] = Field(name=name, kind=kind, multiple=multiple, **extra)
            if not option:
                existing.value = value
        if option:
            existing.options.append(value)
            if checked:
                existing.checked.append(value)
                existing.value = existing.value or value
        return existing

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
                fields={},
            )
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                self._add(
                    name,
                    kind,
                    a.get("value", "on"),
                    checked="checked" in a,
                    option=True,
                    multiple=kind == "checkbox",
                )
            elif kind not in ("image", "reset"):
                if kind == "submit":
                    self._add(name, "button", a.get("value", ""), option=True)
                else:
                    self._add(
                        name,
                        kind,
                        a.get("value", ""),
                        honeypot=a.get("tabindex") == "-1",
                        required="required" in a,
                        maxlength=_int(a.get("maxlength")),
                        invalid=a.get("aria-invalid") == "true",
                    )
        elif tag == "button" and name:
            self._add(name, "button", a.get("value", ""), option=True)
        elif tag == "select" and name:
            self._select = self._add(
                name,
                "select",
                multiple="multiple" in a,
                required="required" in a,
                invalid=a.get("aria-invalid") == "true",
            )
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self._textarea = self._add(
                name,
                "textarea",
                "",
                required="required" in a,
                maxlength=_int(a.get("maxlength")),
                invalid=a.get("aria-invalid") == "true",
            )

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value = self._option["value"]
            if value is None:
                value = self._option["text"].strip()
            self._select.options.append(value)
            if self._option["selected"]:
                self._select.checked.append(value)
                self._select.value = self._select.value or value
        self._option = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def parse_page(html: str, page: str) -> tuple[list[str], list[Form]]:
    """(links, forms) of a page, with every URL made absolute against the page's path."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    links = [urljoin(page, href) for href in parser.links]
    for form in parser.forms:
        form.action = urljoin(page, form.action or page)
        form.page = page
    return links, parser.forms


# ---- where links lead --------------------------------------------------------------------


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def local_path(url: str) -> str | None:
    """The path (and query) of a link into this site, or None for one that leaves it."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Pages that produce files, not HTML: worth no time in a crawl for forms (the files are
# checked by their own tests). Named here so a crawl does not spend seconds on PDFs.
FILE_VIEWS = frozenset(
    {
        "risk:exhibit_download",
        "risk:chronology",
        "risk:safety_plan_client_copy",
        "reporting:download",
        "dataprotection:sar_bundle",
        "healthz",
    }
)
# Never opened or posted: they end the session the crawl is using.
NOT_FOLLOWED = frozenset({"logout", "logout_everywhere", "admin:logout"})


def _skip(name: str | None) -> bool:
    if name is None or name in FILE_VIEWS or name in NOT_FOLLOWED:
        return True
    # The admin's delete and history pages: Django's own, and a delete page posts no input.
    return name.startswith("admin:") and name.endswith(("_delete", "_history", "jsi18n"))


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # path -> who visited it
    reached: dict[str, set[str]] = field(default_factory=dict)  # view name -> who reached it
    forms: list[Form] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def reach(self, name: str, who: str) -> None:
        self.reached.setdefault(name, set()).add(who)


@dataclass
class Visitor:
    """Who crawls, from where. `follow=False` visits only the start pages (and where they
    redirect), e.g. another caseworker who is offered break-glass on a case."""

    key: str
    http: HttpClient
    starts: list[str]
    follow: bool = True
    # Visited once everything reachable from `starts` has been: pages of records in a
    # particular state (a closed case), so the first record of each kind is the one
    # whose pages are crawled.
    later: list[str] = field(default_factory=list)
    # Walk public multi-step journeys forward by answering each step sensibly.
    answer_steps: bool = False


def crawl(visitors: list[Visitor], on_page=None) -> Crawl:
    """Breadth-first from each visitor's start pages, visiting each view at most once per
    visitor (the first object linked stands for the rest), collecting every form. The
    same form (same view, same fields) found again by someone else is kept once.
    `on_page(path, who, response)` is called for every page opened."""
    result = Crawl()
    seen_forms: set[tuple] = set()
    for visitor in visitors:
        who, http = visitor.key, visitor.http
        queue = deque((path, True) for path in visitor.starts)
        later = deque((path, True) for path in visitor.later)
        visited_names: set[str] = set()
        visited_paths: set[str] = set()
        while queue or later:
            path, is_start = queue.popleft() if queue else later.popleft()
            name = url_name(path)
            if path in visited_paths or _skip(name) or (name in visited_names and not is_start):
                continue
            visited_paths.add(path)
            visited_names.add(name)
            try:
                with transaction.atomic():  # a failing page leaves the transaction usable
                    response = http.get(path)
            except Exception as exc:  # noqa: BLE001 - reported as the server error it is
                result.errors.append(f"GET {path} as {who or 'visitor'}: {exc!r}")
                continue
            if on_page is not None:
                on_page(path, who, response)
            if response.status_code >= 500:
                result.errors.append(f"GET {path} as {who or 'visitor'}: {response.status_code}")
                continue
            if response.status_code in (301, 302):
                location = local_path(urljoin(path, response["Location"]))
                if location:
                    queue.appendleft((location, False))
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            result.pages[path] = who
            result.reach(name, who)
            links, forms = parse_page(response.content.decode(), path)
            for form in forms:
                target = local_path(form.action)
                if target is None:
                    continue
                form.action, form.user = target, who
                form.url_name = url_name(target) or ""
                result.reach(form.url_name, who)
                key = (form.url_name, form.method, tuple(sorted(form.fields)))
                if key not in seen_forms and form.url_name not in NOT_FOLLOWED:
                    seen_forms.add(key)
                    result.forms.append(form)
                if visitor.answer_steps and form.method == "post" and form.url_name != "login":
                    for tick in (False, True):
                        answered = http.post(target, sensible_data(form, tick=tick))
                        if answered.status_code in (301, 302):
                            location = local_path(urljoin(target, answered["Location"]))
                            # The next step, visited even if it redirected before (when
                            # the earlier steps were not answered yet).
                            visited_paths.discard(location)
                            queue.append((location, True))
                            break
            if visitor.follow or is_start:
                for link in links:
                    target = local_path(link)
                    if target is not None and (visitor.follow or url_name(target) == name):
                        queue.append((target, False))
    return result


# ---- filling in a form as a user would -----------------------------------------------------


PLAIN = "Plain words"


def _sensible(f: Field, *, tick: bool, last: bool, hints: dict) -> str | list[str] | None:
    """What a careful user would enter: the page's own value, else a plausible one.
    Optional drop-downs and numbers are left as they are; `last` picks the last choice
    instead of the first, even over the page's own (some combinations of first choices
    contradict each other, and some forms need a change)."""
    now = timezone.localtime()
    if f.name in hints:
        return hints[f.name]
    if f.kind == "button":
        return f.options[0] if f.options else None
    if f.kind == "checkbox":
        return (list(f.options) if tick else list(f.checked)) or None
    if f.kind in ("radio", "select"):
        chosen = [c for c in f.checked if c]
        if chosen and not (last and f.required):
            return chosen if f.multiple else chosen[0]
        choices = [o for o in f.options if o]
        if not choices or (f.kind == "select" and "" in f.options and not f.required):
            return [] if f.multiple else ""
        pick = choices[-1] if last else choices[0]
        return [pick] if f.multiple else pick
    if f.value:
        return f.value
    if f.honeypot:
        return ""
    name = f.name.lower()
    by_kind = {
        "date": "1990-03-27" if "birth" in name else now.date().isoformat(),
        "datetime-local": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "time": "10:00",
        "number": "1",
        "email": "someone@example.org",
        "url": "https://example.org/",
        "tel": "07700 900321",
        "file": None,
        "hidden": "",
    }
    if f.kind == "number" and not f.required:
        return ""
    if f.kind == "time" and re.search(r"(^|_)(end|until|to)($|_)", name):
        # The end of a window of times (the safe times to contact a client) comes after
        # its start, as anyone filling it in would enter it.
        return "16:00"
    if f.kind in by_kind:
        return by_kind[f.kind]
    if "birth" in name:
        return "1990-03-27"
    if "date" in name or name.endswith("_on"):
        return now.date().isoformat()
    if "time" in name:
        return "10:00"
    if "email" in name:
        return "someone@example.org"
    if "phone" in name:
        return "07700 900321"
    if "postcode" in name:
        return "ST16 2DH"
    if name in ("token", "code"):
        return "123456"
    return PLAIN[: f.maxlength] if f.maxlength else PLAIN


def sensible_data(
    form: Form, *, tick: bool = False, last: bool = False, hints: dict | None = None
) -> dict[str, str | list[str]]:
    """The form filled in plausibly; with tick=True every check box is ticked too (some
    forms need a consent box ticked). `hints` gives values for fields by name (a real
    case reference, say)."""
    data = {}
    for f in form.fields.values():
        value = _sensible(f, tick=tick, last=last, hints=hints or {})
        if value is not None:
            data[f.name] = value
    return data


# ---- the URL configuration, walked ---------------------------------------------------------


def all_url_names() -> set[str]:
    return {url.name for url in ALL_URLS if url.name}


def parameterless_paths() -> list[str]:
    """Every page outside the admin whose address takes no parameters: crawled from
    directly, so a new top-level page is visited even before anything links to it."""
    return [
        "/" + url.template
        for url in ALL_URLS
        if url.name
        and all(kind == "route" for kind, _ in url.parts)
        and not url.has_parameters
        and not url.name.startswith("admin:")
        and not _skip(url.name)
    ]
