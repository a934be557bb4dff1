"""One rule for another caseworker on every tab (issue 12, point 8), proved from the URL
resolver rather than from a list someone keeps: every URL whose <pk> is a case (any
namespace: cases:, risk:, and any app added later) is requested, with the real ids of the
access matrix's world (tests/security/world.py), by the allocated caseworker, another
caseworker and a caseworker holding a break-glass grant.

- Another caseworker gets the break-glass form (reason, time limit, audited) wherever the
  allocated caseworker gets a page, and exactly the allocated caseworker's refusal where
  the page is refused by role or by method; never a 404 on some tabs and the form on
  others. A POST is refused outright (the offer is for reading).
- After breaking glass they READ what the allocated caseworker reads (every GET, except
  the note edit form, which stays with its author and managers), and they never act:
  every POST on every case URL (issue 13, point 4) is refused with the "Break-glass access
  is read-only" page (403) and writes nothing, or, where the allocated caseworker is
  refused by role or method, refused the same way.
- A restricted case is not found anywhere, for another caseworker and for one who had
  broken glass before it was restricted: every request gets exactly what it gets for a
  case that does not exist (404; a GET of a POST-only action is 405 whatever the case);
  the break-glass page itself is not found.
"""

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.urls import reverse

from cases.models.lifecycle import Case
from cases.services.lifecycle import case_set_restricted
from tests.security.test_access_matrix import (
    BREAK_GLASS,
    PARAMETERS,
    TARGETS,
    VARIANTS,
    Target,
    concrete_path,
    http_for,
    request,
)
from tests.security.test_access_matrix import (  # noqa: F401 - the matrix's world, a fixture
    world as matrix_world,
)

pytestmark = [pytest.mark.xdist_group("case-tabs-one-rule"), pytest.mark.django_db]

MISSING = 987654321  # no case has this id
# The case-scoped URL that is not a tab: the offer itself.
BREAK_GLASS_PAGE = "cases:break_glass"
# What a break-glass grant does not give (with the reason), by URL name.
NOT_WITH_BREAK_GLASS = {
    "cases:note_edit": "only a note's author and managers may change it",
}


def _case_meaning(target: Target) -> str | None:
    name = target.url.name or target.url.template
    overrides = VARIANTS.get(target.url.name, {}).get(target.variant, {})
    return overrides.get("pk") or PARAMETERS.get(f"{name}.pk") or PARAMETERS.get("pk")


CASE_SCOPED = [
    t
    for t in TARGETS
    if "<int:pk>" in t.url.template
    and not t.key.startswith(("admin:", "admin/"))
    and _case_meaning(t) in ("case", "closed_case")
]
TABS = [t for t in CASE_SCOPED if t.url.name != BREAK_GLASS_PAGE]


def test_the_walk_finds_the_case_tabs_of_every_app():
    names = {t.url.name for t in CASE_SCOPED}
    # Each tab of the case page (cases/tabs.py) and pages of both apps are walked.
    from cases.tabs import CASE_TABS

    assert {name for _, _, name in CASE_TABS} <= names
    assert {n.split(":")[0] for n in names} >= {"cases", "risk"}
    assert len(TABS) > 50


def _get(world, actor, path):
    outcome, _, _, error = request(world, actor, "get", path, read=False, count_writes=False)
    return outcome, error


def _break_glass_location(world, path) -> str:
    response = http_for(world, "other_caseworker").get(path)
    return response["Location"]


def test_another_caseworker_gets_the_break_glass_form_or_the_same_refusal(matrix_world):  # noqa: F811
    world = matrix_world
    disagree = []
    offered = 0
    for target in TABS:
        path = concrete_path(target, world)
        mine, error = _get(world, "allocated", path)
        assert not error, f"{target}: {error}"
        theirs, error = _get(world, "other_caseworker", path)
        # Refused by role (a manager's page) or by method (POST only): the same for every
        # caseworker, whoever's case it is. Anything else: the break-glass offer.
        expected = mine if mine in (404, 405) else BREAK_GLASS
        if theirs != expected:
            disagree.append(f"{target} ({path}): allocated {mine}, another caseworker {theirs}")
            continue
        if expected == BREAK_GLASS:
            offered += 1
            location = _break_glass_location(world, path)
            # Back to the very page asked for, once a reason is given.
            assert parse_qs(urlsplit(location).query)["next"] == [path], target
        post, _, _, _ = request(world, "other_caseworker", "post", path, count_writes=False)
        if post != 404:
            disagree.append(f"{target} ({path}): a POST by another caseworker got {post}")
    assert not disagree, "Case pages that disagree for another caseworker:\n  " + "\n  ".join(
        disagree
    )
    assert offered > 40


def test_the_break_glass_offer_is_the_form_with_reason_and_time_limit(matrix_world):  # noqa: F811
    world = matrix_world
    case = Case.objects.get(pk=world.ids["case"])
    path = reverse("risk:incidents", args=[case.pk])
    http = http_for(world, "other_caseworker")
    response = http.get(_break_glass_location(world, path))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Open {case.reference}: this case is not allocated to you" in page
    assert 'name="reason"' in page and "8 hours" in page
    assert "recorded and shown to managers" in page


def test_after_breaking_glass_every_tab_reads_as_for_the_allocated_worker(matrix_world):  # noqa: F811
    world = matrix_world
    disagree = []
    for target in TABS:
        if target.url.name in NOT_WITH_BREAK_GLASS:
            continue
        path = concrete_path(target, world)
        mine, _ = _get(world, "allocated", path)
        theirs, error = _get(world, "break_glass", path)
        if theirs != mine:
            disagree.append(f"{target} ({path}): allocated {mine}, break-glass {theirs}{error}")
    assert not disagree, "Tabs that disagree after break-glass:\n  " + "\n  ".join(disagree)


READ_ONLY = "Break-glass access is read-only"


def test_break_glass_never_acts_every_post_on_every_case_url_is_refused(matrix_world):  # noqa: F811
    world = matrix_world
    wrong = []
    refused = 0
    for target in TABS:
        path = concrete_path(target, world)
        mine, _, _, _ = request(world, "allocated", "post", path, count_writes=False)
        theirs, body, written, error = request(world, "break_glass", "post", path, read=True)
        if mine in (404, 405):
            # Refused to the allocated worker by role or by method: the same refusal.
            if theirs != mine:
                wrong.append(f"{target} ({path}): allocated {mine}, break-glass {theirs}")
            continue
        refused += 1
        if theirs != 403 or READ_ONLY not in body or written:
            wrong.append(
                f"{target} ({path}): break-glass POST got {theirs}{error}"
                f"{' and wrote ' + ', '.join(written) if written else ''}"
            )
    assert not wrong, "POSTs a break-glass holder was not refused:\n  " + "\n  ".join(wrong)
    # Every write of the case page (closure, reallocation, client details, safe contact,
    # new episode, notes, contact attempts, incidents, plans...) was among them.
    assert refused > 40


def test_a_restricted_case_is_not_found_on_any_tab(matrix_world):  # noqa: F811
    world = matrix_world
    manager = world.users["manager"]
    with transaction.atomic():
        for pk in (world.ids["case"], world.ids["closed_case"]):
            case_set_restricted(
                case=Case.objects.get(pk=pk), restricted=True, reason="Known to staff", by=manager
            )
        nowhere = replace(world, ids={**world.ids, "case": MISSING, "closed_case": MISSING})
        found = []
        for target in CASE_SCOPED:
            path = concrete_path(target, world)
            missing_path = concrete_path(target, nowhere)
            for actor in ("other_caseworker", "break_glass"):
                for method in ("get", "post"):
                    outcome, _, _, _ = request(world, actor, method, path, count_writes=False)
                    # Exactly what a case that does not exist answers: not found, or for a
                    # POST-only action asked with GET, "method not allowed" before any
                    # case is looked at (it says nothing about the case).
                    missing, _, _, _ = request(
                        world, actor, method, missing_path, count_writes=False
                    )
                    if (
                        outcome != missing
                        or outcome not in (404, 405)
                        or (outcome == 405 and method == "post")
                    ):
                        found.append(
                            f"{method.upper()} {target} ({path}) as {actor}: {outcome}"
                            f" (a case that does not exist: {missing})"
                        )
        # Its own workers and managers still open it.
        overview = reverse("cases:detail", args=[world.ids["case"]])
        assert _get(world, "allocated", overview)[0] == 200
        assert _get(world, "manager", overview)[0] == 200
        transaction.set_rollback(True)
    assert not found, "A restricted case answered something other than not found:\n  " + (
        "\n  ".join(found)
    )
