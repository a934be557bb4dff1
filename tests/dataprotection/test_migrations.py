"""The retention and subject access models moved from `stalkingservice` into this app
with Django's records only: a database made before the move keeps every row, live and
history, under the same tables, and the moved models read them."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dataprotection.models import RetentionReview, SubjectAccessRequest

pytestmark = [pytest.mark.django_db(transaction=True)]

# The last migrations before the move (main at 30478bd): the models were in stalkingservice.
BEFORE_THE_MOVE = [("stalkingservice", "0005_audit_two_factor_reset"), ("dataprotection", None)]
TABLES = {
    "stalkingservice_retentionreview",
    "stalkingservice_historicalretentionreview",
    "stalkingservice_subjectaccessrequest",
    "stalkingservice_historicalsubjectaccessrequest",
}


def migrate(targets=None):
    """Migrate the test database to `targets` (default: every app's latest) and return the
    models as they were at that point."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()  # the executor's record of applied migrations changed
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def test_moved_models_keep_their_tables():
    assert {
        RetentionReview._meta.db_table,
        RetentionReview.history.model._meta.db_table,
        SubjectAccessRequest._meta.db_table,
        SubjectAccessRequest.history.model._meta.db_table,
    } == TABLES
    assert set(connection.introspection.table_names()) >= TABLES


def test_rows_written_before_the_move_are_read_after_it():
    content_types = {
        ct.model: ct.pk for ct in ContentType.objects.filter(app_label="dataprotection")
    }
    try:
        old = migrate(BEFORE_THE_MOVE)
        with pytest.raises(LookupError):
            old.get_model("dataprotection", "RetentionReview")
        OldReview = old.get_model("stalkingservice", "RetentionReview")
        OldHistoricalReview = old.get_model("stalkingservice", "HistoricalRetentionReview")
        OldRequest = old.get_model("stalkingservice", "SubjectAccessRequest")
        OldHistoricalRequest = old.get_model("stalkingservice", "HistoricalSubjectAccessRequest")
        manager = old.get_model("stalkingservice", "User").objects.create(
            username="dpo_before_the_move", role="manager"
        )
        client = old.get_model("cases", "Client").objects.create(first_name="Ottilie")
        review = OldReview.objects.create(
            client_id=client.pk,
            rule="never_taken_up",
            due_on=date(2026, 2, 1),
            status="held",
            hold_reason="Court case pending",
            decided_by_id=manager.pk,
            decided_at=timezone.now(),
        )
        OldHistoricalReview.objects.create(
            id=review.pk,
            client_id=client.pk,
            rule="never_taken_up",
            due_on=date(2026, 2, 1),
            listed_at=review.listed_at,
            status="pending",
            hold_reason="",
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Listed by the weekly retention job",
        )
        sar = OldRequest.objects.create(
            client_id=client.pk,
            received_on=date(2026, 3, 14),
            due_on=date(2026, 4, 14),
            created_by_id=manager.pk,
        )
        OldHistoricalRequest.objects.create(
            id=sar.pk,
            client_id=client.pk,
            received_on=sar.received_on,
            due_on=sar.due_on,
            status="open",
            created_by_id=manager.pk,
            created_at=sar.created_at,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Request logged",
        )
        # Going back handed the content types to stalkingservice, keeping their ids.
        assert {
            ct.model: ct.pk
            for ct in old.get_model("contenttypes", "ContentType").objects.filter(
                app_label="stalkingservice", model__in=content_types
            )
        } == content_types
    finally:
        migrate()

    moved = RetentionReview.objects.get(pk=review.pk)
    assert (moved.client_id, moved.status, moved.hold_reason, moved.decided_by_id) == (
        client.pk,
        "held",
        "Court case pending",
        manager.pk,
    )
    assert [(h.status, h.history_change_reason) for h in moved.history.all()] == [
        ("pending", "Listed by the weekly retention job")
    ]
    request = SubjectAccessRequest.objects.get(pk=sar.pk)
    assert (request.client_id, request.due_on, request.created_by_id) == (
        client.pk,
        date(2026, 4, 14),
        manager.pk,
    )
    assert request.history.get().history_change_reason == "Request logged"
    # The reverse relations the services use still reach the rows.
    assert list(moved.client.retention_reviews.all()) == [moved]
    assert list(moved.client.subject_access_requests.all()) == [request]
    ContentType.objects.clear_cache()
    assert {
        ct.model: ct.pk for ct in ContentType.objects.filter(app_label="dataprotection")
    } == content_types
