"""Shared machinery for the hostile-input tests: the seeded, crawled world (built once per
test module, inside a transaction that is rolled back at the end), and posting a form
with some of its fields replaced, each post in its own savepoint so one attack never
changes what the next one sees."""

from __future__ import annotations

import copy
import dataclasses
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.test import Client as HttpClient
from django.test import override_settings

from .crawl import Crawl, Form, Visitor, crawl, parameterless_paths, parse_page, sensible_data
from .hostile_world import World, seed_world

# ---- what is dangerous if a page shows it as it was typed ------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# The parts that run if a page puts the payload into its HTML unescaped.
RAW_MARKERS = ("<script>alert(", "<img src=x onerror=")


def raw_payloads_in(html: str) -> list[str]:
    """Each unescaped payload on a page, with a little context for the message."""
    found = []
    for marker in RAW_MARKERS:
        for match in re.finditer(re.escape(marker), html):
            start = max(0, match.start() - 60)
            found.append(html[start : match.end() + 30])
    return found


def short(value) -> str:
    """A value as a failure message shows it: control characters visible, long ones cut."""
    if isinstance(value, list):
        return "[" + ", ".join(short(v) for v in value) + "]"
    text = repr(value)
    if len(text) > 80:
        text = f"{text[:60]}...{text[-10:]} ({len(value)} characters)"
    return text


# ---- the explored world ----------------------------------------------------------------------


@dataclass
class Explored:
    world: World
    clients: dict[str, HttpClient]
    crawl: Crawl
    forms: list[Form]
    baselines: dict[int, dict] = field(default_factory=dict)  # id(form) -> data that saves
    accepted: set[int] = field(default_factory=set)  # id(form) whose baseline saved
    errors: list[str] = field(default_factory=list)

    def baseline(self, form: Form) -> dict:
        return fresh_tokens(self.baselines[id(form)])

    def http(self, form: Form) -> HttpClient:
        return self.clients[form.user]


def visitors_for(world: World, clients: dict | None = None) -> list[Visitor]:
    """The signed-out visitor first (so the public forms are used with a visitor's
    session), then each kind of staff user from their home page and every page whose
    address takes no parameters."""
    top = parameterless_paths()
    users = world.users
    client = clients or {key: signed_in(users.get(key)) for key in (*users, "")}
    return [
        Visitor("", client[""], ["/referrals/self-referral/", *top], answer_steps=True),
        Visitor("caseworker", client["caseworker"], ["/", *top], later=world.later["caseworker"]),
        Visitor("caseworker2", client["caseworker2"], world.later["caseworker2"], follow=False),
        Visitor(
            "manager",
            client["manager"],
            # The rich case first, so the manager's case pages are about it.
            [world.case.get_absolute_url(), "/", *top],
            later=world.later["manager"],
        ),
        Visitor("administrator", client["administrator"], ["/", "/admin/"]),
        Visitor("commissioner", client["commissioner"], ["/", *top]),
    ]


def visitors_again(explored: Explored) -> list[Visitor]:
    """The same people crawling again, without answering the public questions again."""
    return [
        dataclasses.replace(visitor, answer_steps=False)
        for visitor in visitors_for(explored.world, clients=explored.clients)
    ]


def signed_in(user) -> HttpClient:
    http = HttpClient()
    if user is not None:
        http.force_login(user)
    return http


def attacked(form: Form) -> bool:
    """Forms worth attacking. In the admin, Django's own list and password pages are left
    to Django; the add and change forms of our models are attacked like any other."""
    if form.url_name.startswith("admin:"):
        return form.url_name.endswith(("_add", "_change")) and form.method == "post"
    return True


@contextmanager
def explored_world(django_db_blocker, protected_root, *, calibrating=lambda form: True):
    """Seed, crawl and calibrate (the forms `calibrating` picks) once; everything is
    rolled back afterwards. Uploaded evidence goes under `protected_root`."""
    with override_settings(PROTECTED_FILES_ROOT=protected_root), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = seed_world()
            visitors = visitors_for(world)
            result = crawl(visitors)
            explored = Explored(
                world=world,
                clients={v.key: v.http for v in visitors},
                crawl=result,
                forms=[f for f in result.forms if attacked(f)],
            )
            for form in explored.forms:
                if calibrating(form):
                    calibrate(explored, form)
                else:
                    explored.baselines[id(form)] = sensible_data(form, hints=world.hints)
            yield explored
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


SIGN_IN = "/account/sign-in/"
UUID_LIKE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def fresh_tokens(data: dict) -> dict:
    """Once-only tokens (a form's submission id) made new, so a second post of the same
    form is not skipped as a double click."""
    return {
        k: str(uuid.uuid4()) if isinstance(v, str) and UUID_LIKE.match(v) else v
        for k, v in data.items()
    }


def send(explored: Explored, form: Form, data: dict, *, path: str | None = None):
    """Submit the form as the user who found it (to `path` instead of its own address if
    given), in a savepoint that is rolled back.
    Returns (response, None) or (None, the exception the view raised)."""
    http = explored.http(form)
    cache.clear()  # rate limits and once-only tokens from earlier posts
    # A password change or a sign-in gives the session a new key, which the rollback
    # then removes: the client keeps the cookies it had.
    cookies = copy.deepcopy(http.cookies)
    try:
        with rolled_back():
            if form.method == "get":
                response = http.get(path or form.action, data)
            else:
                response = http.post(path or form.action, data)
            return response, None
    except Exception as exc:  # noqa: BLE001 - the test reports it as the server error it is
        return None, exc
    finally:
        http.cookies = cookies


def outcome_problem(response, exc) -> str | None:
    """Why a response is a failure (a server error or an unescaped payload), or None."""
    if exc is not None:
        return f"server error {type(exc).__name__}: {str(exc)[:200]}"
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    if "html" in response.get("Content-Type", ""):
        raw = raw_payloads_in(response.content.decode(errors="replace"))
        if raw:
            return f"payload shown unescaped: {raw[0]!r}"
    return None


def calibrate(explored: Explored, form: Form) -> None:
    """Find what a careful user would post that the form accepts (a redirect after a
    post), so attacks on one field reach the code behind the form."""
    hints = explored.world.hints
    candidates = [
        sensible_data(form, tick=tick, last=last, hints=hints)
        for last in (False, True)
        for tick in (False, True)
    ]
    explored.baselines[id(form)] = candidates[0]
    if form.method == "get" or set(form.fields) <= {"csrfmiddlewaretoken"}:
        return  # nothing to type, so nothing to attack one field at a time
    for data in candidates:
        response, exc = send(explored, form, fresh_tokens(data))
        problem = outcome_problem(response, exc)
        if problem:
            explored.errors.append(f"{form.describe()} with sensible values: {problem}")
            return
        if response.status_code in (301, 302, 303) and SIGN_IN not in response["Location"]:
            explored.baselines[id(form)] = data
            explored.accepted.add(id(form))
            return


def refused_fields(response, form: Form) -> set[str]:
    """Fields the page marks as in error after a refused submission."""
    if response is None or response.status_code != 200:
        return set()
    if "html" not in response.get("Content-Type", ""):
        return set()
    _, forms = parse_page(response.content.decode(errors="replace"), form.action)
    return {f.name for page_form in forms for f in page_form.fields.values() if f.invalid}


def post_text(
    explored: Explored, form: Form, payload: str, fields: list[str], *, keep=False, heal=True
):
    """Post the payload in the given free-text fields, everything else sensible. With
    heal=True a field whose rules the payload breaks (not a phone number, say) goes back
    to its sensible value and the form is sent again, so the payload reaches the code that
    saves it wherever it can. Fields too short for it are left out from the start.
    Returns (response, exception, fields that carried it)."""
    fields = [name for name in fields if len(payload) <= (form.fields[name].maxlength or 10**9)]
    response = exc = None
    if not fields:
        return response, exc, fields
    for _ in range(3 if heal else 1):
        data = {**explored.baseline(form), **dict.fromkeys(fields, payload)}
        if keep:
            response, exc = send_and_keep(explored, form, data)
        else:
            response, exc = send(explored, form, data)
        refused = refused_fields(response, form) & set(fields) if exc is None else set()
        if not refused or refused == set(fields):
            break
        fields = [name for name in fields if name not in refused]
    return response, exc, fields


def send_and_keep(explored: Explored, form: Form, data: dict):
    """Submit without rolling back (the caller's transaction keeps what is saved)."""
    cache.clear()
    try:
        return explored.http(form).post(form.action, data), None
    except Exception as exc:  # noqa: BLE001 - the caller reports it as the server error it is
        return None, exc


def get_rolled_back(http: HttpClient, url: str):
    """GET in a savepoint that is rolled back: (response, None) or (None, exception)."""
    cookies = copy.deepcopy(http.cookies)
    try:
        with rolled_back():
            return http.get(url), None
    except Exception as exc:  # noqa: BLE001 - the caller reports it as the server error it is
        return None, exc
    finally:
        http.cookies = cookies
