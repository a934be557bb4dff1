"""Issue 13 points 11 and 12: disclosure control that holds across the whole return.

The attack test reads what a Commissioner's contract manager can download and works back,
by exact linear algebra over the rationals, every figure the return hid: each hidden cell
is an unknown; each published total, breakdown, shared population and percentage is an
equation. No hidden figure may come out determined, and no two versions of one quarter
may be set side by side."""

import json
import re
from collections import defaultdict
from fractions import Fraction

import pytest
from django.urls import reverse

from referrals.models import Referral
from reporting import figures, registry, services
from reporting.models import QuarterlyReturn
from reporting.registry import Result, Row
from stalkingservice.domain import DomainError
from tests.conftest import signed_in
from tests.factories import ClientFactory, district
from tests.factories_reporting import at, referral

pytestmark = pytest.mark.django_db

TOTAL = "Total"
DECLINED = f"referrals|{Referral.Outcome.DECLINED.label}"
# Indicators whose rows add up to their total, and the population the total counts: an
# attacker knows these from the definitions printed in the appendix.
POPULATION = {
    "referrals_received": "referrals",
    "referrals_by_district": "referrals",
    "referrals_by_month_source": "referrals",
    "triage_outcomes": "referrals",
    "referrals_declined": DECLINED,
    "new_cases": "accepted",
    "digital_share": "accepted",  # its rows; the value is a percentage of them
    "open_caseload": "open",
    "open_caseload_per_caseworker": "open",
    "cases_closed": "closed",
    "risk_at_intake_closed": "closed",
    "risk_at_closure": "closed",
}


def population(code: str) -> str | None:
    if code.startswith("equality_"):
        return "supported"
    return POPULATION.get(code)


def cell_name(code: str, label: str) -> str:
    """One name per quantity, whichever table prints it."""
    if label == TOTAL and population(code):
        return population(code)
    if code == "triage_outcomes":
        return f"referrals|{label}"
    if code == "referrals_received":
        return f"source|{label}"
    return f"{code}|{label}"


def equations(doc: dict) -> tuple[dict[str, list], list[dict[str, Fraction]]]:
    """(every printed value of every cell, the linear equations that tie them)."""
    printed: dict[str, list] = defaultdict(list)
    eqs: list[dict[str, Fraction]] = []
    by_code = {ind["code"]: ind for ind in doc["indicators"]}
    for code, ind in by_code.items():
        if ind["unit"] == "count":
            printed[cell_name(code, TOTAL)].append(ind["value"])
        for label, value in ind["breakdown"].items():
            printed[cell_name(code, label)].append(value)
        if population(code) and ind["breakdown"]:
            eq = {population(code): Fraction(-1)}
            for label in ind["breakdown"]:
                eq[cell_name(code, label)] = Fraction(1)
            eqs.append(eq)
    # Month by source: each source's months add up to its row of referrals received.
    columns: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for label in by_code["referrals_by_month_source"]["breakdown"]:
        source = label.split(": ", 1)[1]
        columns[source][cell_name("referrals_by_month_source", label)] = Fraction(1)
    for source, eq in columns.items():
        eqs.append({**eq, cell_name("referrals_received", source): Fraction(-1)})
    # A published percentage p of the cases accepted: 100 * yes - p * accepted = 0.
    share = by_code["digital_share"]
    if isinstance(share["value"], int | float):
        yes = cell_name("digital_share", "Digital or cyber element")
        eqs.append({yes: Fraction(100), "accepted": -Fraction(str(share["value"]))})
    return printed, eqs


def determined(eqs: list[dict[str, Fraction]], unknowns: set[str]) -> set[str]:
    """Unknowns fixed by the equations (Gauss-Jordan elimination, exact rationals)."""
    rows = [{k: v for k, v in eq.items() if k in unknowns and v} for eq in eqs]
    rows = [r for r in rows if r]
    order = sorted(unknowns)
    pivots: list[tuple[str, dict]] = []
    for col in order:
        pick = next((r for r in rows if r.get(col)), None)
        if pick is None:
            continue
        rows.remove(pick)
        lead = pick[col]
        pick = {k: v / lead for k, v in pick.items()}
        for i, r in enumerate(rows):
            if r.get(col):
                f = r[col]
                rows[i] = {k: r.get(k, 0) - f * pick.get(k, 0) for k in set(r) | set(pick)}
                rows[i] = {k: v for k, v in rows[i].items() if v}
        for i, (pcol, r) in enumerate(pivots):
            if r.get(col):
                f = r[col]
                new = {k: r.get(k, 0) - f * pick.get(k, 0) for k in set(r) | set(pick)}
                pivots[i] = (pcol, {k: v for k, v in new.items() if v})
        pivots.append((col, pick))
    return {col for col, r in pivots if set(r) == {col}}


def recoverable(doc: dict) -> set[str]:
    """Hidden cells an attacker can work out from this document alone."""
    printed, eqs = equations(doc)
    hidden = {name for name, values in printed.items() if any(isinstance(v, str) for v in values)}
    shown_elsewhere = {
        name for name in hidden if any(isinstance(v, int | float) for v in printed[name])
    }
    unknowns = hidden - shown_elsewhere
    return shown_elsewhere | determined(eqs, unknowns)


def commissioner_documents(http) -> list[dict]:
    """Every return the Commissioner can download, by the page's links and by trying
    every id (an id in an address can be guessed)."""
    docs = []
    page = http.get(reverse("reporting:returns")).content.decode()
    linked = {int(pk) for pk in re.findall(r"/reporting/returns/(\d+)/download/json/", page)}
    for pk in QuarterlyReturn.objects.values_list("pk", flat=True):
        response = http.get(reverse("reporting:download", args=[pk, "json"]))
        if response.status_code == 200:
            assert pk in linked
            docs.append(json.loads(b"".join(response.streaming_content)))
    return docs


@pytest.fixture
def awkward_quarter(manager):
    """July to September 2026 with counts of 1 to 4 spread over linked tables."""
    stafford, tamworth = district("stafford"), district("tamworth")
    for day in range(1, 8):  # 7 police referrals accepted in July, one digital
        referral(received=at(2026, 7, day + 5), district=stafford, digital=day == 1)
    for day in range(1, 7):  # 6 self-referrals declined in August
        referral(
            received=at(2026, 8, day + 2),
            source="self",
            outcome="declined",
            decline="no-consent",
            district=stafford if day <= 4 else tamworth,
        )
    # 1 health referral signposted in September
    referral(received=at(2026, 9, 2), source="health", outcome="signposted", district=tamworth)
    v1 = services.return_generate(quarter="2026-Q2", by=manager)
    services.return_finalise(ret=v1, by=manager)
    # One late police referral is recorded; a corrected version follows.
    referral(received=at(2026, 7, 20), district=stafford)
    services.return_request(quarter="2026-Q2", by=manager, reason="A late referral recorded")
    v2 = services.return_generate(quarter="2026-Q2", version=2, by=manager)
    services.return_finalise(ret=v2, by=manager)
    return v1, v2


def test_no_hidden_figure_can_be_worked_out_from_what_the_commissioner_gets(
    awkward_quarter, commissioner, manager
):
    docs = commissioner_documents(signed_in(commissioner))
    assert docs, "the Commissioner gets the finalised return"
    by_quarter = defaultdict(list)
    for doc in docs:
        by_quarter[doc["period"]["label"]].append(doc)
        assert not recoverable(doc), (doc["version"], sorted(recoverable(doc)))
    # Two versions side by side: a change of 1 to 4 in any figure is those people.
    for quarter, versions in by_quarter.items():
        for a in versions:
            for b in versions:
                for ia, ib in zip(a["indicators"], b["indicators"], strict=True):
                    pairs = [(ia["value"], ib["value"])] + [
                        (ia["breakdown"][k], ib["breakdown"].get(k)) for k in ia["breakdown"]
                    ]
                    for x, y in pairs:
                        if isinstance(x, int) and isinstance(y, int):
                            assert not 0 < abs(x - y) < 5, (quarter, ia["code"], x, y)
        assert len(versions) == 1, f"{quarter}: the Commissioner sees {len(versions)} versions"
    assert docs[0]["version"] == 2
    # The awkward data really is there: small cells hidden in several linked tables.
    doc = docs[0]
    by_code = {i["code"]: i for i in doc["indicators"]}
    assert by_code["referrals_received"]["value"] == 15
    assert by_code["triage_outcomes"]["breakdown"]["Signposted or handed over"] == "<5"
    assert by_code["digital_share"]["value"] == "[c]"
    assert by_code["referrals_by_district"]["breakdown"]["Tamworth"] == "<5"
    # Managers keep every version.
    v1, _ = awkward_quarter
    http = signed_in(manager)
    assert http.get(reverse("reporting:download", args=[v1.pk, "json"])).status_code == 200


def test_the_attack_finds_what_the_old_protection_let_through():
    """The attacker model itself: a cell hidden in one table and printed in another, a
    row worked out from two totals, and a percentage of a published base are found."""
    doc = {
        "indicators": [
            {
                "code": "referrals_received",
                "unit": "count",
                "value": 14,
                "breakdown": {"Staffordshire Police": 7, "Self-referral": "[c]", "Health": "<5"},
            },
            {
                "code": "referrals_by_month_source",
                "unit": "count",
                "value": 14,
                "breakdown": {"July 2026: Staffordshire Police": 7},
            },
            {
                "code": "triage_outcomes",
                "unit": "count",
                "value": 14,
                "breakdown": {"Accepted": 7, "Declined": "[c]", "Signposted or handed over": "<5"},
            },
            {"code": "referrals_declined", "unit": "count", "value": 6, "breakdown": {}},
            {"code": "new_cases", "unit": "count", "value": 7, "breakdown": {}},
            {
                "code": "digital_share",
                "unit": "percent",
                "value": 14.3,
                "breakdown": {
                    "Digital or cyber element": "<5",
                    "No digital element recorded": "[c]",
                },
            },
        ]
    }
    found = recoverable(doc)
    assert DECLINED in found  # printed by referrals_declined
    assert "referrals|Signposted or handed over" in found  # 14 - 7 - 6
    assert "digital_share|Digital or cyber element" in found  # 14.3% of 7
    assert "source|Health" not in found and "source|Self-referral" not in found


def _digital_share(yes: int, no: int):
    ind = registry.get("digital_share")
    result = Result(
        value=round(100 * yes / (yes + no), 1),
        rows=[
            Row(key="yes", label="Digital or cyber element", value=yes),
            Row(key="no", label="No digital element recorded", value=no),
        ],
        base=yes + no,
        part=yes,
    )
    return figures.publish(ind, result)


@pytest.mark.parametrize(("yes", "no", "shown"), [(1, 9, "[c]"), (9, 1, "[c]"), (5, 5, 50.0)])
def test_a_percentage_is_hidden_when_its_part_or_the_rest_is_small(settings, yes, no, shown):
    settings.SUPPRESSION_THRESHOLD = 5
    assert _digital_share(yes, no)["value"] == shown


def test_a_cell_is_hidden_alike_in_every_table_that_prints_it(manager):
    """Referrals declined (6) is a row of the triage outcomes, hidden there to protect
    the 1 signposted; the declined table must not print it either."""
    for day in range(1, 8):
        referral(received=at(2026, 7, day + 5))
    for day in range(1, 7):
        referral(
            received=at(2026, 8, day + 2), source="self", outcome="declined", decline="no-consent"
        )
    referral(received=at(2026, 9, 2), source="health", outcome="signposted")
    ret = services.return_generate(quarter="2026-Q2", by=manager)
    by_code = {i["code"]: i for i in ret.data["export"]["indicators"]}
    triage = by_code["triage_outcomes"]["breakdown"]
    assert triage["Signposted or handed over"] == "<5"
    assert triage["Declined"] == by_code["referrals_declined"]["value"]
    assert not recoverable(ret.data["export"])


# ---- narrative ------------------------------------------------------------------------


@pytest.fixture
def draft(manager):
    referral(received=at(2026, 7, 6))
    return services.return_generate(quarter="2026-Q2", by=manager)


def test_narrative_naming_a_client_is_refused_on_the_page_and_nothing_is_lost(draft, manager):
    ClientFactory(first_name="Jane", last_name="Doe")
    http = signed_in(manager)
    typed = {
        "highlights": "A good quarter.",
        "challenges": "Waiting times.",
        "case_study": "After support, JANE   doe told us she felt safer.",
        "edit_version": draft.edit_version,
    }
    response = http.post(reverse("reporting:narrative", args=[draft.pk]), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The narrative names a client (&quot;Jane Doe&quot;)" in page
    assert response.context["form"].errors["case_study"]
    assert "JANE   doe told us she felt safer." in page and "Waiting times." in page
    draft.refresh_from_db()
    assert draft.case_study == ""


def test_narrative_with_a_case_reference_is_refused_by_the_service(draft, manager):
    reference = referral(received=at(2026, 7, 7)).case.reference
    spaced = reference.replace("-", " ").lower()
    with pytest.raises(DomainError, match=r"gives a case reference \(\"" + reference) as exc:
        services.return_update_narrative(
            ret=draft, by=manager, highlights=f"See {spaced}.", challenges="", case_study=""
        )
    assert exc.value.field == "highlights"


def test_narrative_matches_whole_names_only(draft, manager):
    ClientFactory(first_name="Zoë", last_name="O'Brien")
    ClientFactory(first_name="Jane", last_name="Doe")
    with pytest.raises(DomainError, match="names a client"):
        services.return_update_narrative(
            ret=draft, by=manager, highlights="", challenges="zoe o brien", case_study=""
        )
    # Part of a word, or a first name alone, is not a client's name.
    ret = services.return_update_narrative(
        ret=draft,
        by=manager,
        highlights="Janet Doesburg from the council; Jane spoke at the Doe Lane event.",
        challenges="",
        case_study="",
    )
    assert ret.highlights.startswith("Janet")


def test_no_unofficial_figures_of_the_previous_quarter_are_printed(manager):
    """Figures of a quarter worked out before its return is finalised would differ from
    that return by the few people recorded in between."""
    referral(received=at(2026, 5, 6))  # April to June: no finalised return
    referral(received=at(2026, 7, 6))
    ret = services.return_generate(quarter="2026-Q2", by=manager)
    assert ret.data["previous"] == {}
    assert ret.data["previous_label"] == "2026-Q1: no finalised return"
