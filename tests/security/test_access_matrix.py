"""The access matrix: every URL in the URL configuration, walked from the resolver, for
every kind of person, against one declared policy.

Each URL is requested with real ids (tests/security/world.py) by seven actors: signed
out, the allocated caseworker, another caseworker, a caseworker holding a break-glass
grant on the case, a manager, a commissioner and an administrator. The outcome of every
GET must be the one POLICY declares. Every refused request (sign-in, 404, 403, the
break-glass offer) must change nothing in the database, and a refused GET means a
refused POST too. Signed-out visitors, commissioners and administrators must never
receive a page or file (PDF, CSV, JSON) with a client's name, contact details or a case
reference; another caseworker never sees the name or contact details of a client whose
case they cannot open.

A URL added without a POLICY entry fails `test_every_url_has_a_policy`; a POLICY entry
for a URL that no longer exists fails `test_policy_has_no_stale_entries`. The admin site
(`admin:*`) is walked like the rest and covered by one rule: administrators only."""

import re
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import Resolver404, resolve

from stalkingservice.roles import Role
from tests.security.world import ACTOR_ROLES, ACTORS, World, build_world
from tests.urls_walk import ALL_URLS, CONVERTER, WalkedURL, regex_path

# One xdist worker builds the world once (make test runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("access-matrix")

# ---- Outcomes ---------------------------------------------------------------------------
# A status code, or "→<view name>" for a redirect (resolved, so a redirect to the wrong
# place is caught), or ALLOWED (POST only: the actor may do it, so it is not sent).

LOGIN = "→login"
BREAK_GLASS = "→cases:break_glass"  # "give a reason to open another worker's case"
HOME = "→home"
ALLOWED = "allowed"
REFUSALS = {LOGIN, BREAK_GLASS, 403, 404}


def row(signed_out, allocated, other_caseworker, break_glass, manager, commissioner, admin):
    """One outcome per actor, in the order of world.ACTORS."""
    values = (signed_out, allocated, other_caseworker, break_glass, manager, commissioner, admin)
    return dict(zip(ACTORS, values, strict=True))


@dataclass(frozen=True)
class Access:
    """What each actor gets for a GET, and for a POST when that differs from "a refused
    GET is a refused POST, anything else is allowed" (POST-only views)."""

    get: dict
    post: dict | None = None

    def post_outcome(self, actor):
        if self.post is not None:
            return self.post[actor]
        got = self.get[actor]
        if got == BREAK_GLASS:
            return 404  # the break-glass offer is for reading; a POST is simply refused
        return got if got in REFUSALS else ALLOWED


def same(outcome):
    return row(*[outcome] * len(ACTORS))


# The shapes that recur. Refusals are 404s: a page someone may not use is not confirmed
# to exist (stalkingservice.access.capability_required; records through scoped selectors).
PUBLIC = Access(same(200))
EVERYONE = Access(row(LOGIN, 200, 200, 200, 200, 200, 200))
# Case pages, every tab of every app (cases.case_page.with_case): another caseworker is
# offered break-glass for an unrestricted case.
# Break-glass reads, it does not act: its POSTs get the read-only page (issue 13, point 4).
CASE_PAGE = Access(
    get=row(LOGIN, 200, BREAK_GLASS, 200, 200, 404, 404),
    post=row(LOGIN, ALLOWED, 404, 403, ALLOWED, 404, 404),
)
# Staff who work cases (WORK_CASES, TRIAGE, MANAGE_SERVICE_RECORDS): no case involved.
CASEWORK = Access(row(LOGIN, 200, 200, 200, 200, 404, 404))
MANAGERS = Access(row(LOGIN, 404, 404, 404, 200, 404, 404))
RETURN_READERS = Access(row(LOGIN, 404, 404, 404, 200, 200, 404))
# Group work: the facilitators (the allocated caseworker) and managers.
FACILITATORS = Access(row(LOGIN, 200, 404, 404, 200, 404, 404))
# POST-only views: a GET is 405 once the role check has passed.
CASE_ACTION = Access(
    get=row(LOGIN, 405, 405, 405, 405, 404, 404),
    post=row(LOGIN, ALLOWED, 404, 403, ALLOWED, 404, 404),
)
CASEWORK_ACTION = Access(
    get=row(LOGIN, 405, 405, 405, 405, 404, 404),
    post=row(LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED, 404, 404),
)
MANAGER_ACTION = Access(
    get=row(LOGIN, 404, 404, 404, 405, 404, 404),
    post=row(LOGIN, 404, 404, 404, ALLOWED, 404, 404),
)
SIGNED_IN_ACTION = Access(get=row(LOGIN, *[405] * 6), post=row(LOGIN, *[ALLOWED] * 6))

POLICY: dict[str, Access] = {
    # ---- project-wide pages --------------------------------------------------------
    "home": EVERYONE,
    "healthz": PUBLIC,
    "login": Access(row(200, HOME, HOME, HOME, HOME, HOME, HOME)),
    "logout": SIGNED_IN_ACTION,
    "logout_everywhere": SIGNED_IN_ACTION,
    # Two-factor is off in the test settings: nobody here has a device yet.
    "two_factor_verify": Access(row(LOGIN, *["→two_factor_setup"] * 6)),
    "two_factor_setup": EVERYONE,
    "password_change": EVERYONE,
    "account_unlock": Access(
        get=row(LOGIN, 404, 404, 404, 404, 404, 405),
        post=row(LOGIN, 404, 404, 404, 404, 404, ALLOWED),
    ),
    "account_two_factor_reset": Access(
        get=row(LOGIN, 404, 404, 404, 404, 404, 405),
        post=row(LOGIN, 404, 404, 404, 404, 404, ALLOWED),
    ),
    # Issue 13 point 5: an emailed one-time link to choose a password (public: the token
    # is the key; a bad one is "this link has been used or has run out").
    "password_reset_confirm": PUBLIC,
    "account_password_reset_send": Access(
        get=row(LOGIN, 404, 404, 404, 404, 404, 405),
        post=row(LOGIN, 404, 404, 404, 404, 404, ALLOWED),
    ),
    # Promotions to manager or administrator wait for a second person: managers and
    # administrators decide them.
    "role_changes": Access(row(LOGIN, 404, 404, 404, 200, 404, 200)),
    "role_change_decide": Access(
        get=row(LOGIN, 404, 404, 404, 405, 404, 405),
        post=row(LOGIN, 404, 404, 404, ALLOWED, 404, ALLOWED),
    ),
    "audit_log": MANAGERS,
    "report_problem": EVERYONE,
    # ---- data protection (managers) ----------------------------------------------------
    "dataprotection:retention": MANAGERS,
    "dataprotection:retention_decide": MANAGERS,
    "dataprotection:sar_list": MANAGERS,
    "dataprotection:sar_new": MANAGERS,
    "dataprotection:sar_detail": MANAGERS,
    "dataprotection:sar_complete": MANAGER_ACTION,
    "dataprotection:sar_bundle (pdf)": MANAGERS,
    "dataprotection:sar_bundle (json)": MANAGERS,
    # ---- referrals ---------------------------------------------------------------------
    # Any caseworker on duty may triage an unrestricted referral without a conflict.
    "referrals:intake": CASEWORK,
    "referrals:triage_queue": CASEWORK,
    "referrals:triage": CASEWORK,
    "referrals:triage_checks": CASEWORK_ACTION,
    # "Confirm and use" / "Discard" a safe-contact detail reported on the case's referral.
    "referrals:reported_contact_resolve": CASE_ACTION,
    "referrals:triage_decide": CASEWORK_ACTION,
    "referrals:self_referral_start": PUBLIC,
    "referrals:self_referral": PUBLIC,
    # Nothing answered yet in this session: back to the first question.
    "referrals:self_referral_check": Access(same("→referrals:self_referral")),
    "referrals:self_referral_done": PUBLIC,
    "referrals:self_referral_privacy": PUBLIC,
    # "Exit this page" (a beacon): forgets the caller's own draft, and nothing else.
    "referrals:self_referral_discard": Access(get=same(405), post=same(ALLOWED)),
    # ---- cases -------------------------------------------------------------------------
    "cases:my_cases": CASEWORK,
    "cases:all_cases": MANAGERS,
    # No reference given: "no case you can open has that reference", back home.
    # Posted, so a reference never sits in an address (issue 13 point 16).
    "cases:find": CASEWORK_ACTION,
    "cases:waiting_list": MANAGERS,
    "cases:detail": CASE_PAGE,
    "cases:allocate": MANAGERS,
    "cases:reallocate": MANAGERS,
    "cases:restrict": MANAGERS,
    "cases:contact": CASE_PAGE,
    "cases:contact_attempt_add": CASE_ACTION,
    "cases:note_add": CASE_ACTION,
    # Only the note's author and managers may edit it (break-glass may read, not edit).
    "cases:note_edit": Access(
        get=row(LOGIN, 200, BREAK_GLASS, 404, 200, 404, 404),
        # Any POST through break-glass is the read-only page (issue 13, point 4).
        post=row(LOGIN, ALLOWED, 404, 403, ALLOWED, 404, 404),
    ),
    "cases:note_history": CASE_PAGE,
    "cases:tasks": CASE_PAGE,
    "cases:task_done": CASE_ACTION,
    "cases:access_log": MANAGERS,
    # Only caseworkers break glass; those who can already open the case go straight in.
    "cases:break_glass": Access(row(LOGIN, "→cases:detail", 200, "→cases:detail", 404, 404, 404)),
    "cases:client_edit": CASE_PAGE,
    "cases:safe_contact_edit": CASE_PAGE,
    "cases:police": CASE_PAGE,
    "cases:investigation_add": CASE_PAGE,
    "cases:investigation_edit": CASE_PAGE,
    "cases:investigation_status": CASE_PAGE,
    "cases:police_contact_add": CASE_PAGE,
    "cases:victims_code": CASE_PAGE,
    "cases:hearing_add": CASE_PAGE,
    "cases:court_support": CASE_PAGE,
    "cases:order_add": CASE_PAGE,
    "cases:order_status": CASE_PAGE,
    "cases:breach_add": CASE_PAGE,
    "cases:handovers": CASE_PAGE,
    "cases:handover_add": CASE_PAGE,
    "cases:handover_acknowledge": CASE_PAGE,
    "cases:handover_summary": CASE_PAGE,
    "cases:service_directory": CASEWORK,
    "cases:outcomes": CASE_PAGE,
    "cases:outcome_record": CASE_PAGE,
    "cases:exit": CASE_PAGE,
    "cases:exit_plan": CASE_PAGE,
    "cases:closure_request": CASE_PAGE,
    "cases:closure_decide": MANAGERS,
    "cases:closure_summary": CASE_PAGE,  # of the closed case
    "cases:reopen": CASE_PAGE,  # of the closed case
    "cases:closures_awaiting": MANAGERS,
    "cases:risk_downgrades_awaiting": MANAGERS,
    "cases:risk_downgrade_decide": MANAGERS,
    "cases:awareness_list": CASEWORK,
    "cases:awareness_add": CASEWORK,
    "cases:feedback_list": CASEWORK,
    "cases:feedback_add": CASEWORK,
    # Recorded by a manager: managers and whoever recorded it (issue 13, point 6).
    "cases:feedback_edit": MANAGERS,
    # ---- risk, incidents and evidence ------------------------------------------------
    # Every risk case tab loads its case with cases.case_page.with_case: another
    # caseworker is offered break-glass, as on the cases app's own tabs.
    "risk:case_risk": CASE_PAGE,
    "risk:assessment_new": CASE_PAGE,
    "risk:assessment": CASE_PAGE,
    "risk:marac_new": CASE_PAGE,
    "risk:marac_edit": CASE_PAGE,
    "risk:high_risk_reviews": MANAGERS,
    "risk:incidents": CASE_PAGE,
    "risk:incident_new": CASE_PAGE,
    "risk:incident": CASE_PAGE,
    "risk:incident_edit": CASE_PAGE,
    "risk:incident_police_record": CASE_ACTION,
    "risk:exhibit_new": CASE_ACTION,
    "risk:exhibit_download": CASE_PAGE,
    "risk:chronology (pdf)": CASE_PAGE,
    "risk:chronology (csv)": CASE_PAGE,
    # ---- plans, interventions, digital safety, group work ---------------------------
    "risk:safety_plan": CASE_PAGE,
    "risk:safety_action_add": CASE_PAGE,
    "risk:safety_action_edit": CASE_PAGE,
    "risk:safety_plan_agree": CASE_PAGE,
    "risk:safety_plan_version": CASE_PAGE,
    "risk:safety_plan_client_copy": CASE_PAGE,
    "risk:safety_plan_copy_consent": CASE_PAGE,
    "risk:care_plan": CASE_PAGE,
    "risk:needs_assessment_add": CASE_PAGE,
    "risk:care_goal_add": CASE_PAGE,
    "risk:care_goal_edit": CASE_PAGE,
    "risk:care_goal_progress": CASE_PAGE,
    "risk:interventions": CASE_PAGE,
    "risk:session_add": CASE_PAGE,
    "risk:session_edit": CASE_PAGE,
    "risk:group_enrol": CASE_PAGE,
    "risk:digital_safety": CASE_PAGE,
    "risk:digital_check_add": CASE_PAGE,
    "risk:digital_check_edit": CASE_PAGE,
    "risk:digital_finding_add": CASE_ACTION,
    "risk:groups": CASEWORK,
    "risk:group_add": MANAGERS,
    "risk:group_detail": FACILITATORS,
    "risk:group_edit": MANAGERS,
    "risk:group_session_add": FACILITATORS,
    "risk:group_register": FACILITATORS,
    # ---- reporting -------------------------------------------------------------------
    "reporting:dashboard": MANAGERS,
    "reporting:returns": RETURN_READERS,
    "reporting:trends": RETURN_READERS,
    "reporting:manage": MANAGERS,
    "reporting:generate": MANAGER_ACTION,
    "reporting:return_detail": MANAGERS,
    "reporting:return_status": MANAGERS,
    "reporting:narrative": MANAGER_ACTION,
    "reporting:finalise": MANAGER_ACTION,
    "reporting:download (final pdf)": RETURN_READERS,
    "reporting:download (final csv)": RETURN_READERS,
    "reporting:download (final json)": RETURN_READERS,
    "reporting:download (draft pdf)": MANAGERS,  # commissioners get finalised returns only
    "reporting:notifications": RETURN_READERS,
    "reporting:notifications_read": Access(
        get=row(LOGIN, 404, 404, 404, 405, 405, 404),
        post=row(LOGIN, 404, 404, 404, ALLOWED, ALLOWED, 404),
    ),
}

# The admin site: administrators only; everyone else gets "not found" (admin_site.py).
# What administrators get where it is not a page (405, 403, 404, a redirect):
ADMINISTRATOR_IN_ADMIN = {
    "admin:login": "→admin:index",
    "admin:logout": 405,
    # Their own password, on the product's page (its rules, audit and email); the admin
    # sets nobody's password (issue 13, point 5).
    "admin:password_change": "→password_change",
    "admin:password_change_done": HOME,
    "admin:autocomplete": 403,  # needs the model and field it completes
    # Only for models registered in the admin: it must not confirm that a case id exists.
    "admin:view_on_site": 404,
    # The walk asks for the first app of the pattern, "auth": nothing in it is theirs.
    "admin:app_list": 404,
    # The audit cannot be added to or deleted through the application.
    "admin:stalkingservice_auditevent_add": 403,
    "admin:stalkingservice_auditevent_delete": 403,
    # Referral sources and decline reasons are retired (unticked), never deleted.
    "admin:referrals_referralsource_delete": 403,
    "admin:referrals_declinereason_delete": 403,
    "admin/(?P<url>.*)$": 404,
}
# Models other apps register in the admin that are not for administrators: roles live in
# stalkingservice.roles (not groups), two-factor devices and their secrets belong to their
# users, and sign-in lock-outs are lifted with the product's own "unlock" button.
NOT_FOR_ADMINISTRATORS = ("auth_group", "otp_totp_totpdevice", "axes_")


def admin_access(key: str) -> Access:
    if key in ADMINISTRATOR_IN_ADMIN:
        outcome = ADMINISTRATOR_IN_ADMIN[key]
    elif key.startswith("admin/"):  # unnamed "<object_id>/": goes on to the change page
        outcome = "→" + _admin_change_name(key)
    elif key.startswith(tuple(f"admin:{prefix}" for prefix in NOT_FOR_ADMINISTRATORS)):
        outcome = 403
    else:
        outcome = 200
    return Access(
        get=row(LOGIN, 404, 404, 404, 404, 404, outcome),
        post=row(LOGIN, 404, 404, 404, 404, 404, ALLOWED),
    )


def _admin_change_name(template: str) -> str:
    app_label, model = re.match(r"admin/(\w+)/(\w+)/", template).groups()
    return f"admin:{app_label}_{model}_change"


def policy_for(key: str) -> Access | None:
    if key.startswith(("admin:", "admin/")):
        return admin_access(key)
    return POLICY.get(key)


# ---- URL parameters ---------------------------------------------------------------------
# What each URL parameter names in the world, by parameter name; "<url name>.<parameter>"
# where the same name means something else. A parameter not in this table fails the test.


@dataclass(frozen=True)
class Fixed:
    value: str


PARAMETERS = {
    "pk": "case",
    "note_pk": "note",
    "task_pk": "task",
    "assessment_pk": "assessment",
    "tool_code": "risk_tool",
    "marac_pk": "marac",
    "incident_pk": "incident",
    "exhibit_pk": "exhibit",
    "action_pk": "safety_action",
    "number": "safety_plan_version",
    "goal_pk": "care_goal",
    "session_pk": "session",
    "check_pk": "digital_check",
    "code": "digital_finding",
    "group_pk": "group",
    "stage": "outcome_stage",
    "step": "self_referral_step",
    "account_unlock.pk": "locked_user",
    "account_two_factor_reset.pk": "locked_user",
    "account_password_reset_send.pk": "locked_user",
    "role_change_decide.pk": "role_change",
    "password_reset_confirm.uidb64": Fixed("MA"),
    "password_reset_confirm.token": Fixed("not-a-token"),
    "referrals:triage.pk": "referral",
    "referrals:triage_checks.pk": "referral",
    "referrals:triage_decide.pk": "referral",
    "referrals:reported_contact_resolve.field": Fixed("safe_phone"),
    "dataprotection:retention_decide.pk": "retention_review",
    "dataprotection:sar_detail.pk": "subject_access_request",
    "dataprotection:sar_complete.pk": "subject_access_request",
    "dataprotection:sar_bundle.pk": "subject_access_request",
    "reporting:return_detail.pk": "final_return",
    "reporting:return_status.pk": "final_return",
    "reporting:narrative.pk": "draft_return",
    "reporting:finalise.pk": "draft_return",
    "cases:closure_summary.pk": "closed_case",
    "cases:reopen.pk": "closed_case",
    "cases:investigation_edit.item": "investigation",
    "cases:investigation_status.item": "investigation",
    "cases:order_status.item": "order",
    "cases:breach_add.item": "order",
    "cases:handover_acknowledge.item": "handover",
    "cases:handover_summary.item": "handover",
    "cases:closure_decide.item": "closure",
    "cases:risk_downgrade_decide.item": "risk_downgrade",
    "cases:feedback_edit.item": "feedback",
    "risk:group_register.session_pk": "group_session",
    # The admin's "view on site": the worst case, a case.
    "admin:view_on_site.content_type_id": "case_content_type",
    "admin:view_on_site.object_id": "case",
}
# URLs requested more than once, with different values (each is its own POLICY entry).
VARIANTS = {
    "risk:chronology": {"pdf": {"fmt": Fixed("pdf")}, "csv": {"fmt": Fixed("csv")}},
    "dataprotection:sar_bundle": {"pdf": {"fmt": Fixed("pdf")}, "json": {"fmt": Fixed("json")}},
    "reporting:download": {
        "final pdf": {"pk": "final_return", "fmt": Fixed("pdf")},
        "final csv": {"pk": "final_return", "fmt": Fixed("csv")},
        "final json": {"pk": "final_return", "fmt": Fixed("json")},
        "draft pdf": {"pk": "draft_return", "fmt": Fixed("pdf")},
    },
}


@dataclass(frozen=True)
class Target:
    """One URL to request: a walked pattern and, for VARIANTS, which values."""

    url: WalkedURL
    variant: str = ""

    @property
    def key(self) -> str:
        base = self.url.name or self.url.template
        return f"{base} ({self.variant})" if self.variant else base

    def __str__(self):
        return self.key


def _targets() -> list[Target]:
    found = []
    for url in ALL_URLS:
        variants = VARIANTS.get(url.name, {})
        found.extend([Target(url, v) for v in variants] or [Target(url)])
    return found


TARGETS = _targets()


class UnknownParameter(LookupError):
    pass


def _parameter_value(target: Target, parameter: str, world: World) -> str:
    name = target.url.name or target.url.template
    overrides = VARIANTS.get(target.url.name, {}).get(target.variant, {})
    meaning = overrides.get(parameter) or PARAMETERS.get(f"{name}.{parameter}")
    admin_object = parameter in ("object_id", "id") and target.url.template.startswith("admin/")
    if meaning is None and admin_object:
        return str(_admin_object_pk(target.url.template, world))
    meaning = meaning or PARAMETERS.get(parameter)
    if meaning is None:
        raise UnknownParameter(
            f"{name} has a parameter <{parameter}> the access matrix does not know: say "
            "what it names in PARAMETERS (tests/security/test_access_matrix.py)"
        )
    return meaning.value if isinstance(meaning, Fixed) else str(world.ids[meaning])


def _admin_object_pk(template: str, world: World):
    app_label, model_name = re.match(r"admin/(\w+)/(\w+)/", template).groups()
    obj = world.objects["admin"].get(f"{app_label}.{model_name}")
    if obj is None:
        model = apps.get_model(app_label, model_name)
        obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the world has no {app_label}.{model_name} for {template}"
    return obj.pk


def concrete_path(target: Target, world: World) -> str:
    path = ""
    for kind, text in target.url.parts:
        if kind == "route":
            path += CONVERTER.sub(lambda m: _parameter_value(target, m["parameter"], world), text)
        else:
            path += regex_path(text)
    return "/" + path


# ---- The world, built once for the module -----------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside a transaction that is rolled back when the module ends; each
    test runs in a savepoint inside it (pytest-django), so nothing leaks between tests."""
    files = tmp_path_factory.mktemp("protected-files")
    with (
        django_db_blocker.unblock(),
        override_settings(PROTECTED_FILES_ROOT=files),
        transaction.atomic(),
    ):
        built = build_world()
        built.ids["case_content_type"] = ContentType.objects.get_for_model(built.case).pk
        built.objects["sessions"] = {
            actor: _session_cookie(user) for actor, user in built.users.items() if user
        }
        yield built
        _delete_return_files(built)
        transaction.set_rollback(True)


def _session_cookie(user) -> str:
    http = HttpClient()
    http.force_login(user)
    return http.cookies[settings.SESSION_COOKIE_NAME].value


def _delete_return_files(world: World):
    # The returns' files are written to the protected storage of the test settings.
    from reporting.models import QuarterlyReturn

    for ret in QuarterlyReturn.objects.filter(
        pk__in=[world.ids["final_return"], world.ids["draft_return"]]
    ):
        for fmt in ("pdf", "csv", "json"):
            if ret.file_for(fmt):
                ret.file_for(fmt).delete(save=False)


def http_for(world: World, actor: str) -> HttpClient:
    """A fresh client (no cookies left by another request) for the actor's session."""
    http = HttpClient(raise_request_exception=False)
    if world.users[actor] is not None:
        http.cookies[settings.SESSION_COOKIE_NAME] = world.objects["sessions"][actor]
    return http


# ---- Reading a response ---------------------------------------------------------------


def outcome_of(response):
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        try:
            return "→" + resolve(path).view_name
        except Resolver404:
            return "→" + path
    return response.status_code


def body_bytes(response) -> bytes:
    # Reading a streamed file to the end also closes it (through the test client, which
    # keeps the database connection open; response.close() here would not).
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def as_text(raw: bytes) -> str:
    if raw.startswith(b"%PDF"):
        return pdf_text(raw)
    return raw.decode("utf-8", errors="replace")


def pdf_text(raw: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-q", "-", "-"], input=raw, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8", errors="replace")


def writes_so_far() -> dict[str, int]:
    """Rows inserted, updated or deleted by this transaction so far, per table (PostgreSQL
    keeps counting through savepoints that were rolled back). Sessions are left out: every
    request saves its session (SESSION_SAVE_EVERY_REQUEST)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname <> 'django_session'"
        )
        return dict(cursor.fetchall())


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t, n in after.items() if n != before.get(t, 0))


def forbidden_text(world: World, actor: str) -> dict[str, str]:
    """What this actor must never be shown (see World.identifying)."""
    cache = world.objects.setdefault("forbidden", {})
    if actor not in cache:
        if actor in ("signed_out", "commissioner", "administrator"):
            cache[actor] = world.identifying()
        elif actor == "other_caseworker":
            # Any caseworker may triage the referral awaiting triage, and the break-glass
            # offer names the case reference; every other client stays unseen.
            triage = world.ids["referral_client"]
            cache[actor] = world.identifying(exclude_client=triage, references=False)
        else:
            cache[actor] = {}
    return cache[actor]


def leaks(text: str, forbidden: dict[str, str]) -> list[str]:
    lowered = text.lower()
    return [f"{what} {value!r}" for value, what in forbidden.items() if value.lower() in lowered]


def request(world, actor, method, path, *, read=None, count_writes=True):
    """Make the request in a savepoint that is rolled back, so what one actor does never
    changes what the next one finds. Returns (outcome, body, tables written, error); the
    body is read (PDFs as text) where the leak check needs it, or when `read` says so."""
    http = http_for(world, actor)
    with transaction.atomic():
        before = writes_so_far() if count_writes else {}
        response = getattr(http, method)(path)
        after = writes_so_far() if count_writes else {}
        transaction.set_rollback(True)
    raw = body_bytes(response)
    if read is None:
        read = bool(forbidden_text(world, actor))
    text = as_text(raw) if read else ""
    error = ""
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        error = f" ({response.exc_info[0].__name__}: {response.exc_info[1]})"
    return outcome_of(response), text, _changed(before, after), error


# ---- The tests ----------------------------------------------------------------------------


def test_every_url_has_a_policy():
    missing = [t.key for t in TARGETS if policy_for(t.key) is None]
    assert not missing, (
        "URLs without an entry in POLICY (tests/security/test_access_matrix.py); say who "
        "may use each:\n  " + "\n  ".join(missing)
    )


def test_policy_has_no_stale_entries():
    keys = {t.key for t in TARGETS}
    stale = sorted(set(POLICY) - keys)
    stale += sorted(set(ADMINISTRATOR_IN_ADMIN) - keys)
    stale += sorted(k for k in PARAMETERS if "." in k and k.split(".")[0] not in _names())
    stale += sorted(set(VARIANTS) - _names())
    assert not stale, "Entries for URLs that no longer exist:\n  " + "\n  ".join(stale)


def _names():
    return {t.url.name or t.url.template for t in TARGETS}


def test_a_parameter_the_matrix_does_not_know_is_named():
    url = WalkedURL("things/<int:thing_pk>/", (("route", "things/<int:thing_pk>/"),), "x:y")
    with pytest.raises(UnknownParameter, match=r"x:y has a parameter <thing_pk>"):
        concrete_path(Target(url), world=None)


def test_every_role_is_an_actor_of_the_matrix():
    assert set(ACTOR_ROLES.values()) == set(Role.values)


def test_post_only_views_say_who_may_post():
    """A 405 on GET hides whether the POST would be allowed: such entries must say."""
    unclear = [
        key for key, access in POLICY.items() if 405 in access.get.values() and access.post is None
    ]
    assert not unclear, unclear


def test_the_policy_gives_every_actor_real_pages():
    """The matrix is not vacuous: each actor gets real pages (and files) somewhere."""
    reached = dict.fromkeys(ACTORS, 0)
    for target in TARGETS:
        for actor, expected in policy_for(target.key).get.items():
            reached[actor] += expected == 200
    assert reached["administrator"] > 30  # the admin site
    assert reached["manager"] > 100
    assert reached["allocated"] > 80
    assert reached["commissioner"] >= 10  # home, returns, trends, downloads, notifications
    assert {t.url.name for t in TARGETS} >= {"cases:detail", "reporting:download", "admin:index"}


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_access_matrix(world, target):
    access = policy_for(target.key)
    assert access is not None, f"{target.key} has no POLICY entry"
    try:
        path = concrete_path(target, world)
    except UnknownParameter as exc:
        pytest.fail(str(exc))
    problems = []
    for actor in ACTORS:
        expected = access.get[actor]
        refused = expected in REFUSALS
        got, text, written, error = request(world, actor, "get", path, count_writes=refused)
        if got != expected:
            problems.append(f"{actor}: GET {path} gave {got!r}{error}, policy says {expected!r}")
        if refused and written:
            problems.append(f"{actor}: refused GET {path} still wrote to {', '.join(written)}")
        for found in leaks(text, forbidden_text(world, actor)):
            problems.append(f"{actor}: GET {path} ({got}) shows {found}")
        expected_post = access.post_outcome(actor)
        if expected_post == ALLOWED:
            continue
        got, text, written, error = request(world, actor, "post", path)
        if got != expected_post:
            problems.append(
                f"{actor}: POST {path} gave {got!r}{error}, policy says {expected_post!r}"
            )
        if written:
            problems.append(f"{actor}: refused POST {path} still wrote to {', '.join(written)}")
        for found in leaks(text, forbidden_text(world, actor)):
            problems.append(f"{actor}: POST {path} ({got}) shows {found}")
    assert not problems, f"{target.key}:\n  " + "\n  ".join(problems)


# ---- The checks can fail ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_leak_check_finds_a_client_where_one_is_shown(world):
    """Pages and files that do show a client (to the allocated caseworker) are caught by
    the same search: the address on the client page, the phone on the contact page, the
    name and reference in the police chronology PDF."""
    forbidden = world.identifying()
    case = world.case.pk
    shown = {}
    for path in (
        f"/cases/{case}/client/",
        f"/cases/{case}/contact/",
        f"/risk/cases/{case}/incidents/chronology.pdf",
    ):
        got, text, _, _ = request(world, "allocated", "get", path, read=True)
        assert got == 200, path
        shown[path] = " ".join(leaks(text, forbidden))
    assert "postcode" in shown[f"/cases/{case}/client/"]
    assert "phone" in shown[f"/cases/{case}/contact/"]
    chronology = shown[f"/risk/cases/{case}/incidents/chronology.pdf"]
    assert "surname" in chronology and "reference" in chronology, chronology


@pytest.mark.django_db
def test_the_commissioner_really_reads_the_return_files(world):
    """The leak check ran on the real files: the finalised return's PDF, CSV and JSON."""
    final = world.ids["final_return"]
    for fmt, expected in (("pdf", "Referrals"), ("csv", "referrals"), ("json", "indicators")):
        path = f"/reporting/returns/{final}/download/{fmt}/"
        got, text, _, _ = request(world, "commissioner", "get", path, read=True)
        assert got == 200
        assert expected.lower() in text.lower(), (fmt, text[:300])


@pytest.mark.django_db
def test_a_refused_request_that_wrote_would_be_caught(world):
    """The write check sees a write made during a request (a case view is logged)."""
    _, _, written, _ = request(world, "manager", "get", f"/cases/{world.case.pk}/")
    assert "stalkingservice_auditevent" in written


@pytest.mark.django_db
def test_an_admin_delete_page_counts_casework_without_naming_it(world):
    """Deleting a district would need its clients and cases deleted first: the page says
    how many there are (so the administrator knows why), never who or which."""
    district = world.case.client.district_id
    path = f"/admin/stalkingservice/district/{district}/delete/"
    got, text, _, _ = request(world, "administrator", "get", path)
    assert got == 200
    assert "Cannot delete district" in text
    assert re.search(r"Client: \d+ \(not listed\)", text)
    assert re.search(r"Case: \d+ \(not listed\)", text)
    assert not leaks(text, world.identifying())
