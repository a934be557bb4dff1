"""Celery tasks of data protection: thin wrappers around services."""

from celery import shared_task


@shared_task(name="dataprotection.retention_list_due", time_limit=30 * 60, soft_time_limit=29 * 60)
def retention_list_due() -> int:
    """Weekly: put clients whose retention period has ended into the review queue. Safe
    to run twice (a client already in the queue is not listed again)."""
    from .services.retention import retention_list_due as list_due

    return len(list_due())
