"""Backup and restore, as the README documents it: `pg_dump -Fc` of a seeded database
restores with `pg_restore` into an empty one with every record and history row."""

import shutil
import subprocess
import uuid
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from cases.models.lifecycle import Case
from tests.conftest import service_missing
from tests.factories import CaseNoteFactory, ReferralFactory, SuspectFactory, UserFactory
from tests.factories_security import reload_reference_data

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _conninfo(dbname: str) -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        host=s["HOST"] or "127.0.0.1",
        port=str(s["PORT"] or 5432),
        user=s["USER"] or "postgres",
        password=s["PASSWORD"] or None,
        dbname=dbname,
    )


def _pg_args() -> list[str]:
    s = connection.settings_dict
    return [
        "--host",
        s["HOST"] or "127.0.0.1",
        "--port",
        str(s["PORT"] or 5432),
        "--username",
        s["USER"] or "postgres",
        "--no-password",
    ]


def _fingerprint(conninfo: str, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row's content, per table."""
    result = {}
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608 - table names come from introspection
            )
            result[table] = cursor.fetchone()
    return result


def test_dump_of_seeded_database_restores_every_row(tmp_path, settings):
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            service_missing(f"{tool} is not installed")
    reload_reference_data()
    call_command("seed_demo", cases=6, seed=7, password="x-demo-pass-1", stdout=StringIO())
    for _ in range(3):  # casework with history rows, whatever the demo seeders cover yet
        referral = ReferralFactory(referrer_phone="01785 000222")
        case = referral.case
        SuspectFactory(case=case)
        note = CaseNoteFactory(case=case, author=UserFactory())
        note.summary = "Edited"
        note.save()
        case.status = "triaged"
        case.save()
    assert Case.objects.count() >= 3

    source = connection.settings_dict["NAME"]
    target = f"{source}_restore_{uuid.uuid4().hex[:6]}"
    dump = tmp_path / "backup.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--file", str(dump), *_pg_args(), source],
        check=True,
        capture_output=True,
    )
    assert dump.stat().st_size > 0

    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                target,
                *_pg_args(),
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        tables = sorted(connection.introspection.table_names())
        history_tables = [t for t in tables if "_historical" in t]
        assert len(history_tables) >= 8
        before = _fingerprint(_conninfo(source), tables)
        after = _fingerprint(_conninfo(target), tables)
        assert after == before
        assert before["cases_historicalcase"][0] > 0
        assert before["cases_historicalsuspect"][0] > 0
        assert before["cases_historicalcasenote"][0] >= 6
        assert before["stalkingservice_user"][0] >= 5
        assert before["django_migrations"][0] > 0
    finally:
        with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
