import pytest
from celery.schedules import crontab

from reporting.models import QuarterlyReturn
from reporting.tasks import generate_quarterly_return, generate_return_for_quarter_just_ended
from stalkingservice.celery import app


def test_beat_schedule_runs_the_task_in_the_first_week_of_each_quarter():
    entry = app.conf.beat_schedule["quarterly-return-after-quarter-end"]
    assert entry["task"] == "reporting.tasks.generate_return_for_quarter_just_ended"
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.month_of_year == {1, 4, 7, 10}
    assert schedule.day_of_month == set(range(1, 8))


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-10-02", "2026-11-02", "2027-01-01"])
def test_beat_task_does_nothing_on_other_days(today):
    assert generate_return_for_quarter_just_ended(today) is None
    assert not QuarterlyReturn.objects.exists()


@pytest.mark.django_db
def test_beat_task_produces_the_quarter_just_ended_once(quarter_data):
    result = generate_return_for_quarter_just_ended("2026-10-01")
    ret = QuarterlyReturn.objects.get()
    assert (result["quarter"], ret.quarter, ret.version, ret.state) == (
        "2026-Q2",
        "2026-Q2",
        1,
        "ready",
    )
    # Running again on the same day changes nothing.
    assert generate_return_for_quarter_just_ended("2026-10-01") is None
    assert QuarterlyReturn.objects.count() == 1


@pytest.mark.xdist_group("celery")
@pytest.mark.services
def test_real_worker_generates_a_return_end_to_end(celery_worker_process, manager):
    from tests.factories_reporting import at, referral

    for day in range(1, 7):
        referral(received=at(2026, 8, day + 2))
    result = generate_quarterly_return.apply_async(
        args=["2026-Q2", manager.pk], queue=celery_worker_process
    )
    outcome = result.get(timeout=180)
    ret = QuarterlyReturn.objects.get(pk=outcome["id"])
    assert ret.state == QuarterlyReturn.State.READY
    assert ret.generated_by == manager
    assert ret.pdf_file.open("rb").read().startswith(b"%PDF")
    received = next(
        i for i in ret.data["export"]["indicators"] if i["code"] == "referrals_received"
    )
    assert received["value"] == 6
    # Idempotent: the same quarter and version again leaves one row.
    again = generate_quarterly_return.apply_async(
        args=["2026-Q2", manager.pk, 1], queue=celery_worker_process
    )
    assert again.get(timeout=180)["id"] == ret.pk
    assert QuarterlyReturn.objects.count() == 1


@pytest.mark.xdist_group("celery")
@pytest.mark.services
def test_command_queue_runs_on_the_worker_and_waits(celery_worker_process, tmp_path):
    import json

    from django.core.management import call_command

    from tests.factories_reporting import at, referral

    referral(received=at(2026, 9, 3))
    out = tmp_path / "return.json"
    call_command(
        "quarterly_return",
        "--quarter",
        "2026-Q2",
        "--format",
        "json",
        "--output",
        str(out),
        "--queue",
    )
    doc = json.loads(out.read_text())
    assert doc["period"]["label"] == "2026-Q2"
    received = next(i for i in doc["indicators"] if i["code"] == "referrals_received")
    assert received["value"] == "<5"
