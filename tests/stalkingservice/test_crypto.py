"""Encryption at rest and key rotation, checked against what is really in the database."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from cases.models.client import Client, SafeContact
from stalkingservice import crypto
from tests.factories import ClientFactory, ReferralFactory

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
ADDRESS = "14 Secret Lane, Stafford ST16 1AA"
PHONE = "07700 900456"


def raw(table: str, column: str, where: str = "", params=()) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} {where}", params)  # noqa: S608 - test-only names
        return [row[0] for row in cursor.fetchall()]


def make_client_with_history():
    client = ClientFactory(address=ADDRESS)
    contact = client.safe_contact
    contact.safe_phone = PHONE
    contact.notes = "Only call after 10; partner checks the phone."
    contact.save()
    contact.code_word = "bluebell"
    contact.save()
    return client, contact


def test_values_are_stored_encrypted_not_in_plaintext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    client, contact = make_client_with_history()
    (stored_address,) = raw("cases_client", "address", "WHERE id = %s", [client.pk])
    assert stored_address.startswith(crypto.PREFIX)
    assert "Secret Lane" not in stored_address
    for value in raw("cases_historicalsafecontact", "safe_phone"):
        assert value.startswith(crypto.PREFIX)
        assert "900456" not in value
    assert Client.objects.get(pk=client.pk).address == ADDRESS


def test_text_typed_like_ciphertext_is_still_encrypted(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    client = ClientFactory(address="enc1:not-really-a-token")
    (stored,) = raw("cases_client", "address", "WHERE id = %s", [client.pk])
    assert stored != "enc1:not-really-a-token"
    assert Client.objects.get(pk=client.pk).address == "enc1:not-really-a-token"


def test_rotation_moves_every_value_to_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    client, contact = make_client_with_history()
    referral = ReferralFactory(referrer_phone="01785 000111", referrer_email="pc@police.example")
    before = raw("cases_client", "address", "WHERE id = %s", [client.pk])

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_encryption_keys", batch_size=2, stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # the old key is gone

    assert raw("cases_client", "address", "WHERE id = %s", [client.pk]) != before
    assert Client.objects.get(pk=client.pk).address == ADDRESS
    fresh = SafeContact.objects.get(pk=contact.pk)
    assert (fresh.safe_phone, fresh.code_word) == (PHONE, "bluebell")
    history = list(contact.history.order_by("history_id"))
    assert len(history) >= 3
    assert {h.safe_phone for h in history[1:]} == {PHONE}
    assert history[-1].code_word == "bluebell"
    assert [h.address for h in client.history.all()] == [ADDRESS]
    referral.refresh_from_db()
    assert referral.referrer_email == "pc@police.example"
    for table, column in [
        ("cases_client", "address"),
        ("cases_historicalclient", "address"),
        ("cases_safecontact", "notes"),
        ("cases_historicalsafecontact", "safe_phone"),
        ("referrals_referral", "referrer_phone"),
        ("referrals_historicalreferral", "referrer_email"),
    ]:
        for value in raw(table, column, f"WHERE {column} <> ''"):
            assert value.startswith(crypto.PREFIX), (table, column)
            Fernet(KEY_B.encode()).decrypt(value[len(crypto.PREFIX) :].encode())


def test_rotation_is_idempotent_and_encrypts_old_plaintext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    client, _ = make_client_with_history()
    with connection.cursor() as cursor:  # a row written before encryption was switched on
        cursor.execute(
            "UPDATE cases_client SET access_needs = 'x', address = 'Old plain address' WHERE id = %s",
            [client.pk],
        )
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "0 value(s) re-encrypted;" not in out.getvalue()
    (stored,) = raw("cases_client", "address", "WHERE id = %s", [client.pk])
    assert stored.startswith(crypto.PREFIX)
    again = StringIO()
    call_command("rotate_encryption_keys", stdout=again)
    assert "0 value(s) re-encrypted;" in again.getvalue()
    assert raw("cases_client", "address", "WHERE id = %s", [client.pk]) == [stored]


def test_blind_indexes_still_match_after_the_old_key_is_retired(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    settings.BLIND_INDEX_KEY = ""
    client, contact = make_client_with_history()
    SafeContact.objects.filter(pk=contact.pk).update(
        safe_phone_index=crypto.blind_index(PHONE, "phone")
    )
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_encryption_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    call_command("rotate_encryption_keys", stdout=StringIO())
    assert SafeContact.objects.filter(
        safe_phone_index=crypto.blind_index("+44 7700 900456", "phone")
    ).exists()


def test_missing_old_key_is_a_clear_error_not_silent_data_loss(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    ClientFactory(address=ADDRESS)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="old key"):
        call_command("rotate_encryption_keys", stdout=StringIO())
