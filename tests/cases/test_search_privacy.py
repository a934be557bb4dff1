"""Client names and case references are not sent in addresses (issue 13 point 16): the
case-list search and "open a case by its reference" are posted; the search is kept in the
session, so it is not written to access logs, browser history or the Referer header."""

import pytest

from tests.conftest import signed_in
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "who"),
    [("/cases/mine/", "caseworker"), ("/", "caseworker"), ("/cases/all/", "manager")],
)
def test_a_name_search_is_posted_and_never_appears_in_an_address(path, who, caseworker, manager):
    user = {"caseworker": caseworker, "manager": manager}[who]
    CaseFactory(allocated_to=caseworker, client__last_name="Hargreaves")
    CaseFactory(allocated_to=caseworker, client__last_name="Okafor")
    http = signed_in(user)

    page = http.get(path)
    assert 'method="post" class="case-filters' in page.text

    response = http.post(path, {"q": "Hargreaves", "risk": "", "sort": "name"})
    assert response.status_code == 302
    assert "Hargreaves" not in response["Location"]
    assert "sort=name" in response["Location"]  # the other filters stay in the address
    listed = http.get(response["Location"])
    # The search filters the case table (the home's "Needs doing today" list above it is
    # every urgent case, whatever is searched).
    table = listed.text.split('data-testid="case-table"', 1)[1].split("</table>", 1)[0]
    assert "Hargreaves" in table and "Okafor" not in table
    assert 'value="Hargreaves"' in listed.text  # the search box still shows it
    assert "Hargreaves" not in "".join(
        a for a in listed.text.split('href="')[1:] if a.startswith("?")
    ), "pagination and sort links do not carry it"

    cleared = http.get(path + "?clear=1", follow=True)
    assert "Okafor" in cleared.text


def test_a_search_in_an_old_link_is_moved_out_of_the_address(caseworker):
    CaseFactory(allocated_to=caseworker, client__last_name="Hargreaves")
    http = signed_in(caseworker)
    response = http.get("/cases/mine/?q=Hargreaves&sort=name")
    assert response.status_code == 302
    assert response["Location"] == "/cases/mine/?sort=name"
    assert "Hargreaves" in http.get(response["Location"]).text


def test_find_by_reference_is_posted_not_in_the_address(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    home = http.get("/")
    assert '<form method="post" action="/cases/find/"' in home.text
    assert http.get("/cases/find/", {"reference": case.reference}).status_code == 405
    response = http.post("/cases/find/", {"reference": case.reference})
    assert response["Location"] == f"/cases/{case.pk}/"
