from django.db import migrations


class Migration(migrations.Migration):
    """Retention reviews and subject access requests (and their history) now belong to
    the `dataprotection` app. Only Django's record of the models moves: the tables stay
    as they are, under their old names, and `dataprotection` 0001 takes them over."""

    dependencies = [
        ("stalkingservice", "0005_audit_two_factor_reset"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalRetentionReview"),
                migrations.DeleteModel(name="HistoricalSubjectAccessRequest"),
                migrations.DeleteModel(name="RetentionReview"),
                migrations.DeleteModel(name="SubjectAccessRequest"),
            ],
            database_operations=[],
        ),
    ]
