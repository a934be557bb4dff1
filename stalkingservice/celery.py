import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stalkingservice.settings.dev")

app = Celery("stalkingservice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work is scheduled here, in code, so it is reviewed and versioned like any other
# change rather than clicked into an admin screen.
app.conf.beat_schedule = {
    "quarterly-return-after-quarter-end": {
        "task": "reporting.tasks.generate_return_for_quarter_just_ended",
        # Runs every weekday morning in the first week of Jan/Apr/Jul/Oct; the task
        # itself only acts on the first working day after quarter end (bank holidays).
        "schedule": crontab(hour=6, minute=30, day_of_month="1-7", month_of_year="1,4,7,10"),
    },
    # Data protection: list records due for anonymisation for a manager to review.
    "retention-review-weekly": {
        "task": "dataprotection.retention_list_due",
        "schedule": crontab(hour=5, minute=15, day_of_week="monday"),
    },
    # Expired sessions hold encrypted self-referral drafts someone walked away from (or
    # quick-exited without JavaScript): delete them within the quarter hour, not "some day".
    "clear-expired-sessions": {
        "task": "stalkingservice.clear_expired_sessions",
        "schedule": crontab(minute="*/15"),
    },
}


# A task's own time_limit must come with a soft_time_limit no larger than it: Celery refuses
# to send a task whose limit is below the global soft limit (CELERY_TASK_SOFT_TIME_LIMIT).
@app.task(name="stalkingservice.ping", time_limit=30, soft_time_limit=25)
def ping(value: str) -> str:
    """Round-trip check used by the health check tests: echoes its argument."""
    return f"pong:{value}"


@app.task(name="stalkingservice.clear_expired_sessions", time_limit=5 * 60, soft_time_limit=4 * 60)
def clear_expired_sessions() -> None:
    """Delete every session past its expiry (Django's `clearsessions`)."""
    from django.core.management import call_command

    call_command("clearsessions")
