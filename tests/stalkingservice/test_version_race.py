"""Optimistic concurrency cannot be raced (issue 13 point 14): two saves made from the same
version at the same moment, on two real database connections, give exactly one write and
one StaleEdit, whether the service goes through record_update or checks the version
itself. A save that gives no version is refused, not taken as the current one."""

import contextlib
import threading

import pytest
from django.db import connection
from simple_history.signals import pre_create_historical_record

from cases.models.notes_tasks import CaseNote
from cases.services.notes_tasks import note_edit
from risk.models.incidents import Incident
from risk.services.incidents import incident_update
from stalkingservice.domain import (
    STALE_EDIT_MESSAGE,
    UNCHECKED,
    VERSION_MISSING_MESSAGE,
    StaleEdit,
    check_version,
)
from stalkingservice.updates import record_update
from tests.factories import CaseFactory, CaseNoteFactory
from tests.factories_risk import IncidentFactory


def race(save_a, save_b, *, hold_at_history: bool = False) -> list:
    """Run two saves on two threads (so two connections and two transactions). Each save
    is given `hold`, to call between its version check and its write (or, with
    `hold_at_history`, held as its history row is made, before it commits): there it waits
    for the other save to get as far. With a check that is not tied to the write, both get
    there and both write. Returns what each save returned or raised."""
    meet = threading.Barrier(2)

    def hold(*args, **kwargs):
        # A broken barrier: the other save is waiting for our row, so it cannot meet us.
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=3)

    results: list = [None, None]

    def run(i, save):
        try:
            results[i] = save(hold)
        except Exception as error:  # noqa: BLE001 - the test inspects what each save raised
            results[i] = error
        finally:
            connection.close()

    if hold_at_history:
        pre_create_historical_record.connect(hold)
    try:
        threads = [
            threading.Thread(target=run, args=(i, s)) for i, s in enumerate((save_a, save_b))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        if hold_at_history:
            pre_create_historical_record.disconnect(hold)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_record_updates_from_the_same_version_make_one_write_and_one_stale_edit():
    incident = IncidentFactory(case=CaseFactory(), place="Bus station")
    version = incident.version

    def save(place):
        def go(hold):
            copy = Incident.objects.get(pk=incident.pk)  # what each user's page was built from
            return record_update(
                obj=copy,
                fields=["place"],
                data={"place": place},
                by=None,
                reason="Place corrected",
                version=version,
                before_save=hold,
            )[0]

        return go

    results = race(save("Train station"), save("Car park"))
    stale = [r for r in results if isinstance(r, StaleEdit)]
    saved = [r for r in results if isinstance(r, Incident)]
    assert len(stale) == 1 and len(saved) == 1, results
    assert str(stale[0]) == STALE_EDIT_MESSAGE
    incident.refresh_from_db()
    assert incident.place == saved[0].place
    assert incident.version == version + 1
    assert incident.history.count() == 2  # created, then the one write


@pytest.mark.django_db(transaction=True)
def test_two_note_edits_from_the_same_version_make_one_write_and_one_stale_edit():
    note = CaseNoteFactory(summary="First words")
    author, version = note.author, note.version

    def edit(summary):
        def go(hold):
            copy = CaseNote.objects.get(pk=note.pk)
            return note_edit(
                note=copy, reason="Typo", data={"summary": summary}, version=version, by=author
            )

        return go

    results = race(edit("Second words"), edit("Third words"), hold_at_history=True)
    assert sorted(type(r).__name__ for r in results) == ["CaseNote", "StaleEdit"], results
    note.refresh_from_db()
    assert note.summary in ("Second words", "Third words")
    assert note.version == version + 1
    assert note.history.count() == 2


@pytest.mark.django_db
def test_a_missing_version_is_refused_not_taken_as_current():
    incident = IncidentFactory(case=CaseFactory(), place="Bus station")
    for missing in (None, "", "abc"):
        with pytest.raises(StaleEdit, match=VERSION_MISSING_MESSAGE.split(",")[0]):
            record_update(
                obj=incident,
                fields=["place"],
                data={"place": "Elsewhere"},
                by=None,
                reason="x",
                version=missing,
            )
    with pytest.raises(StaleEdit, match=VERSION_MISSING_MESSAGE.split(",")[0]):
        incident_update(
            incident=incident,
            data={"place": "Elsewhere"},
            version=None,
            by=incident.case.allocated_to,
        )
    incident.refresh_from_db()
    assert incident.place == "Bus station"


@pytest.mark.django_db
def test_a_caller_without_a_form_says_so_explicitly():
    incident = IncidentFactory(case=CaseFactory(), place="Bus station")
    record_update(
        obj=incident,
        fields=["place"],
        data={"place": "Park"},
        by=None,
        reason="Import",
        version=UNCHECKED,
    )
    incident.refresh_from_db()
    assert incident.place == "Park"


@pytest.mark.django_db(transaction=True)
def test_the_version_check_refuses_to_run_outside_the_writing_transaction():
    incident = IncidentFactory(case=CaseFactory())
    with pytest.raises(RuntimeError, match="inside the transaction"):
        check_version(incident, incident.version)
