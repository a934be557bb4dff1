"""Indexes for the pages people use most (measured in docs/benchmark.md).

- Case search: pg_trgm GIN indexes so "contains" searches on the case reference and the
  client's names are answered from an index instead of reading every row. `icontains`
  compiles to UPPER(column) LIKE UPPER(pattern), so the indexes are on UPPER(column).
  They are PostgreSQL-only (the SQLite fallback of `make run` has no GIN), so they are
  created with SQL here rather than declared in the models: declared indexes would be
  rebuilt by SQLite's table remakes in later migrations and fail there.
- A caseworker's open tasks in due order: a partial index replaces (assignee, done_at,
  due_on), which could not return open tasks already ordered by due date.
"""

from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("case_reference_trgm", "cases_case", "reference"),
    ("client_first_name_trgm", "cases_client", "first_name"),
    ("client_last_name_trgm", "cases_client", "last_name"),
    ("client_preferred_name_trgm", "cases_client", "preferred_name"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_load_service_directory"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RemoveIndex(
            model_name="task",
            name="task_assignee_due",
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["assignee", "due_on", "id"],
                name="task_open_assignee_due",
            ),
        ),
    ]
