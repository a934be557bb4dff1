import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The models of retention reviews and subject access requests, moved here from the
    `stalkingservice` app (its migration 0006). The tables were made by
    stalkingservice 0003 and keep their names (`db_table`, and `table_name` for the
    history), so this only records the models in this app's state: no table is made,
    renamed or altered, and every row stays."""

    initial = True

    dependencies = [
        ('cases', '0001_clients_cases_casework'),
        ('stalkingservice', '0006_data_protection_models_move_to_dataprotection_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalRetentionReview',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('rule', models.CharField(choices=[('never_taken_up', 'Referral never taken up'), ('never_contacted', 'Never contacted'), ('supported', 'Supported')], max_length=20)),
                        ('due_on', models.DateField(help_text='When the retention period ended.')),
                        ('listed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('status', models.CharField(choices=[('pending', 'Awaiting decision'), ('held', 'Held'), ('anonymised', 'Anonymised')], default='pending', max_length=12)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('hold_reason', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.client')),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical retention review',
                        'verbose_name_plural': 'historical retention reviews',
                        'db_table': 'stalkingservice_historicalretentionreview',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSubjectAccessRequest',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('received_on', models.DateField()),
                        ('due_on', models.DateField()),
                        ('status', models.CharField(choices=[('open', 'Open'), ('completed', 'Completed')], default='open', max_length=12)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('completed_on', models.DateField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.client')),
                        ('completed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical subject access request',
                        'verbose_name_plural': 'historical subject access requests',
                        'db_table': 'stalkingservice_historicalsubjectaccessrequest',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RetentionReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(choices=[('never_taken_up', 'Referral never taken up'), ('never_contacted', 'Never contacted'), ('supported', 'Supported')], max_length=20)),
                        ('due_on', models.DateField(help_text='When the retention period ended.')),
                        ('listed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('status', models.CharField(choices=[('pending', 'Awaiting decision'), ('held', 'Held'), ('anonymised', 'Anonymised')], default='pending', max_length=12)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('hold_reason', models.TextField(blank=True)),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='retention_reviews', to='cases.client')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'stalkingservice_retentionreview',
                        'ordering': ['due_on', 'id'],
                        'indexes': [models.Index(fields=['status', 'due_on'], name='retention_status_due')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'held'])), fields=('client',), name='retention_one_open_review_per_client')],
                    },
                ),
                migrations.CreateModel(
                    name='SubjectAccessRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('received_on', models.DateField()),
                        ('due_on', models.DateField()),
                        ('status', models.CharField(choices=[('open', 'Open'), ('completed', 'Completed')], default='open', max_length=12)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('completed_on', models.DateField(blank=True, null=True)),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subject_access_requests', to='cases.client')),
                        ('completed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'stalkingservice_subjectaccessrequest',
                        'ordering': ['status', 'due_on', 'id'],
                        'indexes': [models.Index(fields=['status', 'due_on'], name='sar_status_due')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
