"""ContactAttempt.created_at becomes recorded_at: the moment the system recorded the
attempt, which timeliness is measured from. The column was always stamped by the system
(never on a form), so renaming it keeps each existing row's real recording time: that is
the backfill.

SafeContact gains structured safe days and times (`safe_windows`, empty until a worker
records them with the client); the free-text `safe_times` is kept, unchanged, as "other
notes about safe times", so nothing the client said is lost. Home visits and online
messages become routes of their own, not allowed until confirmed (the safe default), and
a digital-safety finding can mark routes unsafe."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_trigram_search_and_open_task_indexes")]

    operations = [
        migrations.RenameField(
            model_name="contactattempt", old_name="created_at", new_name="recorded_at"
        ),
        migrations.RenameField(
            model_name="historicalcontactattempt", old_name="created_at", new_name="recorded_at"
        ),
        migrations.AddField(
            model_name="historicalsafecontact",
            name="digital_unsafe_finding",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="historicalsafecontact",
            name="digital_unsafe_routes",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="historicalsafecontact",
            name="digital_unsafe_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalsafecontact",
            name="online_allowed",
            field=models.BooleanField(
                default=False,
                verbose_name="Messages by social media or other online accounts allowed",
            ),
        ),
        migrations.AddField(
            model_name="historicalsafecontact",
            name="safe_windows",
            field=models.JSONField(blank=True, default=list, verbose_name="Safe days and times"),
        ),
        migrations.AddField(
            model_name="historicalsafecontact",
            name="visit_allowed",
            field=models.BooleanField(default=False, verbose_name="Home visits allowed"),
        ),
        migrations.AddField(
            model_name="safecontact",
            name="digital_unsafe_finding",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="safecontact",
            name="digital_unsafe_routes",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="safecontact",
            name="digital_unsafe_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="safecontact",
            name="online_allowed",
            field=models.BooleanField(
                default=False,
                verbose_name="Messages by social media or other online accounts allowed",
            ),
        ),
        migrations.AddField(
            model_name="safecontact",
            name="safe_windows",
            field=models.JSONField(blank=True, default=list, verbose_name="Safe days and times"),
        ),
        migrations.AddField(
            model_name="safecontact",
            name="visit_allowed",
            field=models.BooleanField(default=False, verbose_name="Home visits allowed"),
        ),
        migrations.AlterField(
            model_name="contactattempt",
            name="method",
            field=models.CharField(
                choices=[
                    ("phone", "Phone call"),
                    ("text", "Text message"),
                    ("email", "Email"),
                    ("post", "Letter"),
                    ("visit", "Home visit"),
                    ("online", "Social media or online message"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontactattempt",
            name="method",
            field=models.CharField(
                choices=[
                    ("phone", "Phone call"),
                    ("text", "Text message"),
                    ("email", "Email"),
                    ("post", "Letter"),
                    ("visit", "Home visit"),
                    ("online", "Social media or online message"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalsafecontact",
            name="safe_times",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="Other notes about safe times"
            ),
        ),
        migrations.AlterField(
            model_name="safecontact",
            name="safe_times",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="Other notes about safe times"
            ),
        ),
    ]
