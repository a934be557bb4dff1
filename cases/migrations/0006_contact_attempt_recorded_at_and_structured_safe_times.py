"""ContactAttempt.created_at becomes recorded_at: the moment the system recorded the
attempt, which timeliness is measured from. The column was always stamped by the system
(never on a form), so renaming it keeps each existing row's real recording time: that is
the backfill."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_trigram_search_and_open_task_indexes")]

    operations = [
        migrations.RenameField(
            model_name="contactattempt", old_name="created_at", new_name="recorded_at"
        ),
        migrations.RenameField(
            model_name="historicalcontactattempt", old_name="created_at", new_name="recorded_at"
        ),
    ]
