import re
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Notification, QuarterlyReturn
from reporting.periods import Quarter
from stalkingservice.models import AuditEvent
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

EXPORT = {
    "service": "Staffordshire Stalking Advocacy Service",
    "period": {"start": "2026-04-01", "end": "2026-06-30", "label": "2026-Q1"},
    "version": 1,
    "generated_at": "2026-07-01T09:00:00+01:00",
    "indicators": [
        {
            "code": "referrals_received",
            "label": "Referrals received",
            "value": 12,
            "unit": "count",
            "breakdown": {"Staffordshire Police": 12},
        }
    ],
}


def make_return(quarter="2026-Q1", version=1, *, finalised=True, user=None):
    """A stored return with small files (the views only serve what is stored)."""
    ret = QuarterlyReturn(
        quarter=quarter,
        period_start="2026-04-01",
        period_end="2026-06-30",
        version=version,
        state=QuarterlyReturn.State.READY,
        data={
            "export": {**EXPORT, "period": {**EXPORT["period"], "label": quarter}},
            "meta": {"referrals_received": {"headline": True}},
            "previous": {},
        },
        generated_at=timezone.now(),
    )
    if finalised:
        ret.status = QuarterlyReturn.Status.FINALISED
        ret.finalised_at = timezone.now()
        ret.finalised_by = user
    for fmt in ("pdf", "csv", "json"):
        ret.file_for(fmt).save(
            f"{quarter}-v{version}.{fmt}",
            ContentFile(f"{fmt} of {quarter} v{version}".encode()),
            save=False,
        )
        setattr(ret, f"{fmt}_sha256", "0" * 64)
    ret.save()
    return ret


@pytest.fixture
def people(caseworker, manager, commissioner, administrator):
    return {
        "signed out": None,
        "caseworker": caseworker,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }


def client_for(people, who):
    from django.test import Client

    return Client() if people[who] is None else signed_in(people[who])


ROLES = ["signed out", "caseworker", "manager", "commissioner", "administrator"]

# view -> expected status per role, in ROLES order.
MATRIX = {
    "dashboard": [302, 404, 200, 404, 404],
    "manage": [302, 404, 200, 404, 404],
    "returns": [302, 404, 200, 200, 404],
    "trends": [302, 404, 200, 200, 404],
    "notifications": [302, 404, 200, 200, 404],
    "detail_final": [302, 404, 200, 404, 404],
    "detail_draft": [302, 404, 200, 404, 404],
    "status_draft": [302, 404, 200, 404, 404],
    "download_final": [302, 404, 200, 200, 404],
    "download_draft": [302, 404, 200, 404, 404],
}


def url_for(name, final, draft):
    return {
        "dashboard": reverse("reporting:dashboard"),
        "manage": reverse("reporting:manage"),
        "returns": reverse("reporting:returns"),
        "trends": reverse("reporting:trends"),
        "notifications": reverse("reporting:notifications"),
        "detail_final": reverse("reporting:return_detail", args=[final.pk]),
        "detail_draft": reverse("reporting:return_detail", args=[draft.pk]),
        "status_draft": reverse("reporting:return_status", args=[draft.pk]),
        "download_final": reverse("reporting:download", args=[final.pk, "pdf"]),
        "download_draft": reverse("reporting:download", args=[draft.pk, "pdf"]),
    }[name]


@pytest.mark.parametrize("name", list(MATRIX))
def test_role_matrix(people, name):
    final = make_return("2026-Q1")
    draft = make_return("2026-Q2", finalised=False)
    for who, expected in zip(ROLES, MATRIX[name], strict=True):
        response = client_for(people, who).get(url_for(name, final, draft))
        assert response.status_code == expected, (name, who, response.status_code)


@pytest.mark.parametrize("name", ["generate", "finalise", "narrative", "notifications_read"])
def test_posts_refused_to_everyone_but_managers(people, name):
    draft = make_return("2026-Q2", finalised=False)
    url = reverse(f"reporting:{name}", args=[draft.pk] if name in ("finalise", "narrative") else [])
    expected = {
        "caseworker": 404,
        "administrator": 404,
        "commissioner": 200 if name == "notifications_read" else 404,
    }
    for who, status in expected.items():
        response = client_for(people, who).post(url, {})
        code = response.status_code if response.status_code != 302 else 200
        assert code == status, (name, who)
    draft.refresh_from_db()
    assert not draft.is_finalised


def test_commissioner_sees_finalised_returns_only(commissioner):
    make_return("2026-Q1", finalised=True)
    draft = make_return("2026-Q2", finalised=False)
    page = signed_in(commissioner).get(reverse("reporting:returns")).content.decode()
    assert "2026-Q1" in page
    assert "2026-Q2" not in page
    assert reverse("reporting:download", args=[draft.pk, "pdf"]) not in page


def test_commissioner_never_reaches_a_case(commissioner, caseworker):
    from tests.factories import CaseFactory

    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(commissioner)
    assert http.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert http.get(reverse("cases:all_cases")).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "csv", "json"])
def test_every_download_is_logged(commissioner, fmt):
    ret = make_return("2026-Q1")
    response = signed_in(commissioner).get(reverse("reporting:download", args=[ret.pk, fmt]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"{fmt} of 2026-Q1 v1".encode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == commissioner
    assert "2026-Q1 version 1" in event.detail and fmt.upper() in event.detail


def test_commissioner_sees_only_the_latest_finalised_version_of_a_quarter(commissioner, manager):
    """Issue 13 point 11: two versions side by side would show, in their differences,
    the few people added between them. Earlier versions stay for managers."""
    v1 = make_return("2026-Q1", 1)
    v2 = make_return("2026-Q1", 2)
    draft = make_return("2026-Q1", 3, finalised=False)
    http = signed_in(commissioner)
    for fmt in ("pdf", "csv", "json"):
        assert http.get(reverse("reporting:download", args=[v1.pk, fmt])).status_code == 404
        assert http.get(reverse("reporting:download", args=[v2.pk, fmt])).status_code == 200
        assert http.get(reverse("reporting:download", args=[draft.pk, fmt])).status_code == 404
    page = http.get(reverse("reporting:returns")).content.decode()
    assert reverse("reporting:download", args=[v2.pk, "pdf"]) in page
    assert reverse("reporting:download", args=[v1.pk, "pdf"]) not in page
    managers = signed_in(manager)
    assert managers.get(reverse("reporting:download", args=[v1.pk, "csv"])).status_code == 200
    page = managers.get(reverse("reporting:returns")).content.decode()
    assert reverse("reporting:download", args=[v1.pk, "pdf"]) in page


def test_unknown_format_is_not_found(manager):
    ret = make_return()
    assert signed_in(manager).get(f"/reporting/returns/{ret.pk}/download/exe/").status_code == 404


@pytest.mark.parametrize("view", ["returns", "manage", "notifications", "trends"])
def test_list_query_count_does_not_grow(manager, commissioner, django_assert_max_num_queries, view):
    def add(n, start):
        for i in range(start, start + n):
            make_return(f"{2000 + i}-Q1")
            Notification.objects.create(user=manager, message=f"Return {i} finalised")

    add(3, 0)
    http = signed_in(manager)
    url = reverse(f"reporting:{view}")
    with django_assert_max_num_queries(12):
        assert http.get(url).status_code == 200
    add(27, 3)
    with django_assert_max_num_queries(12):
        assert http.get(url).status_code == 200


def test_dashboard_shows_true_numbers_and_links_to_cases(manager):
    from tests.factories_reporting import referral

    now = timezone.localtime()
    referral(received=now - timezone.timedelta(minutes=5), source="self")
    page = signed_in(manager).get(reverse("reporting:dashboard")).content.decode()
    assert 'data-indicator="referrals_received"' in page
    assert "<5" not in page.split('data-indicator="referrals_received"')[1][:200]
    assert f"{reverse('cases:all_cases')}?referred_from=" in page
    assert "source=self" in page


def _referrals_received(page: str) -> int | None:
    after = page.split('data-indicator="referrals_received"', 1)[1]
    found = re.match(r"[^>]*>\s*(?:<a [^>]*>)?\s*(\d+)", after)
    return int(found.group(1)) if found else None


def test_dashboard_figures_are_reused_for_the_cache_time_then_worked_out_again(manager, settings):
    from tests.factories_reporting import referral

    settings.REPORTING_DASHBOARD_CACHE_SECONDS = 3
    cache.clear()
    now = timezone.localtime()
    referral(received=now - timedelta(minutes=5), source="self")
    http = signed_in(manager)
    url = reverse("reporting:dashboard")
    asked_at = {timezone.localtime().strftime("%H:%M")}
    first = http.get(url).content.decode()
    asked_at.add(timezone.localtime().strftime("%H:%M"))
    assert _referrals_received(first) == 1
    assert any(f"Figures as at {hhmm}; they are worked out again" in first for hhmm in asked_at)
    assert "at most every 3 seconds" in first

    referral(received=now - timedelta(minutes=4), source="self")
    assert _referrals_received(http.get(url).content.decode()) == 1  # not yet
    previous = http.get(f"{url}?quarter={Quarter.containing(now.date()).previous().label}")
    assert _referrals_received(previous.content.decode()) in (None, 0)  # its own entry

    time.sleep(3.2)
    assert _referrals_received(http.get(url).content.decode()) == 2


def test_dashboard_queries_do_not_grow_and_the_cache_skips_them(manager, settings):
    from tests.factories_reporting import referral

    def add(n):
        # Accepted a minute ago, so every breakdown has rows in both runs (an empty
        # breakdown skips a look-up; that is not a query per row).
        now = timezone.localtime()
        for i in range(n):
            referral(
                received=now - timedelta(minutes=i + 2),
                accepted_at=now - timedelta(minutes=1),
                source="self",
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(reverse("reporting:dashboard")).status_code == 200
        return len(ctx.captured_queries)

    settings.REPORTING_DASHBOARD_CACHE_SECONDS = 0
    http = signed_in(manager)
    add(3)
    queries()
    few = queries()
    add(27)
    assert queries() == few

    settings.REPORTING_DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    queries()  # works the figures out and keeps them
    assert queries() <= 8 < few


def test_notification_badge_and_mark_read(commissioner):
    Notification.objects.create(
        user=commissioner, message="The 2026-Q1 quarterly return has been finalised."
    )
    http = signed_in(commissioner)
    page = http.get(reverse("reporting:returns")).content.decode()
    assert "1 unread" in page
    http.post(reverse("reporting:notifications_read"))
    assert "unread" not in http.get(reverse("reporting:returns")).content.decode()


def test_narrative_form_keeps_input_on_error(manager):
    draft = make_return("2026-Q2", finalised=False)
    response = signed_in(manager).post(
        reverse("reporting:narrative", args=[draft.pk]),
        {"highlights": "x" * 5000, "challenges": "kept text"},
    )
    assert response.status_code == 200
    assert "kept text" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_a_narrative_posted_without_its_edit_version_is_refused(manager):
    """Issue 13 point 14: leaving the version out must not skip the check."""
    draft = make_return("2026-Q2", finalised=False)
    http = signed_in(manager)
    url = reverse("reporting:narrative", args=[draft.pk])
    page = http.get(reverse("reporting:return_detail", args=[draft.pk])).content.decode()
    assert 'name="edit_version"' in page  # the real form carries it
    response = http.post(url, {"highlights": "Lost?", "challenges": "", "case_study": ""})
    assert "Someone else changed the narrative" in response.content.decode()
    draft.refresh_from_db()
    assert draft.highlights != "Lost?"
    response = http.post(
        url,
        {
            "highlights": "Kept",
            "challenges": "",
            "case_study": "",
            "edit_version": draft.edit_version,
        },
    )
    draft.refresh_from_db()
    assert draft.highlights == "Kept"


def test_finalising_a_finalised_return_shows_the_message(manager):
    ret = make_return("2026-Q1")
    response = signed_in(manager).post(reverse("reporting:finalise", args=[ret.pk]), follow=True)
    assert "cannot be changed" in response.content.decode()


def test_manager_starts_generation_and_sees_progress_then_downloads(
    manager, django_capture_on_commit_callbacks
):
    from tests.factories_reporting import at, referral

    referral(received=at(2026, 8, 3))
    http = signed_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(reverse("reporting:generate"), {"quarter": "2026-Q2"})
    ret = QuarterlyReturn.objects.get(quarter="2026-Q2")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:return_detail", args=[ret.pk])
    status = http.get(reverse("reporting:return_status", args=[ret.pk])).content.decode()
    assert "Download PDF" in status
    assert "hx-trigger" not in status  # polling stops once ready


def test_status_panel_polls_while_running(manager):
    ret = make_return("2026-Q2", finalised=False)
    QuarterlyReturn.objects.filter(pk=ret.pk).update(
        state=QuarterlyReturn.State.RUNNING, progress=40, progress_message="Computing the figures"
    )
    panel = (
        signed_in(manager).get(reverse("reporting:return_status", args=[ret.pk])).content.decode()
    )
    assert 'hx-trigger="every 2s"' in panel
    assert "Computing the figures" in panel
    assert "Download PDF" not in panel


def test_new_version_refused_without_reason_shows_the_message(manager):
    make_return("2026-Q2", finalised=True)
    response = signed_in(manager).post(reverse("reporting:generate"), {"quarter": "2026-Q2"})
    assert response.status_code == 200
    assert "Give the reason for a new version" in response.content.decode()
    # Shown beside the reason box, which the service named on its refusal.
    assert response.context["form"].errors["reason"] == [services.REASON_REQUIRED]
