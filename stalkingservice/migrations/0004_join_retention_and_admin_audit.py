from django.db import migrations


class Migration(migrations.Migration):
    """Joins two migrations written in parallel; no schema change of its own."""

    dependencies = [
        ("stalkingservice", "0003_retention_reviews_and_subject_access_requests"),
        ("stalkingservice", "0003_superusers_are_administrators_and_unlock_audit"),
    ]
    operations = []
