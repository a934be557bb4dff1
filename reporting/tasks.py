"""Celery tasks: thin wrappers around services. They take ids and strings, are safe to
run twice, retry only on transient database errors, and have time limits."""

import logging
from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from stalkingservice.models import User

from . import services
from .models import QuarterlyReturn
from .periods import quarter_just_ended

logger = logging.getLogger(__name__)


@shared_task(
    name="reporting.tasks.generate_quarterly_return",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    acks_late=True,
)
def generate_quarterly_return(
    quarter: str, requested_by: int | None = None, version: int | None = None
) -> dict:
    """Produce (or re-produce a draft of) the return for `quarter` ("2026-Q3")."""
    by = User.objects.filter(pk=requested_by).first() if requested_by else None
    ret = services.return_generate(quarter=quarter, version=version, by=by)
    return {"id": ret.pk, "quarter": ret.quarter, "version": ret.version, "status": ret.status}


@shared_task(
    name="reporting.tasks.generate_return_for_quarter_just_ended",
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
)
def generate_return_for_quarter_just_ended(today: str | None = None) -> dict | None:
    """Beat runs this on the first weekdays of Jan/Apr/Jul/Oct; it acts only on the first
    working day after the quarter ended, and only when no return exists yet."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    quarter = quarter_just_ended(day)
    if quarter is None:
        return None
    if QuarterlyReturn.objects.filter(quarter=quarter.label).exists():
        logger.info("Return for %s already exists; nothing to do", quarter.label)
        return None
    return generate_quarterly_return(quarter.label, None)
