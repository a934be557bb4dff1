"""Encryption at rest for the most dangerous fields (addresses, phone numbers, email
addresses, safe-contact notes), and keyed hashes ("blind indexes") so duplicate checks
and searches by phone or email still work without decrypting every row.

Keys come from FIELD_ENCRYPTION_KEYS (Fernet keys, newest first). The newest encrypts;
all decrypt, so a key is rotated by putting a new one first and running
`manage.py rotate_encryption_keys`, then removing the old one."""

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set.")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value  # written before encryption was switched on
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted with any FIELD_ENCRYPTION_KEYS."
        ) from exc


class Ciphertext(str):
    """A value that is already encrypted and must be stored as it is (key rotation).
    Only code can make one: text typed by a user is always encrypted, even if it happens
    to start with the prefix, so nobody can store plaintext by typing "enc1:"."""


def is_current(value: str) -> bool:
    """True when a stored value is encrypted under the newest key (nothing to rotate)."""
    if not value or not value.startswith(PREFIX):
        return not value
    newest = settings.FIELD_ENCRYPTION_KEYS[0]
    try:
        Fernet(newest.encode() if isinstance(newest, str) else newest).decrypt(
            value[len(PREFIX) :].encode("ascii")
        )
    except InvalidToken:
        return False
    return True


def rotate(value: str) -> Ciphertext:
    """Re-encrypt a stored value under the newest key (plaintext left from before
    encryption was switched on is encrypted)."""
    if not value:
        return Ciphertext(value or "")
    if not value.startswith(PREFIX):
        return Ciphertext(encrypt(value))
    try:
        token = _fernet().rotate(value[len(PREFIX) :].encode("ascii"))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value could not be decrypted with any FIELD_ENCRYPTION_KEYS; "
            "put the old key back in the list before rotating."
        ) from exc
    return Ciphertext(PREFIX + token.decode("ascii"))


def _index_key() -> bytes:
    # Set BLIND_INDEX_KEY in production so indexes never depend on the encryption keys.
    # Without it the key is derived from the oldest encryption key, which changes when
    # that key is retired; `rotate_encryption_keys` recomputes every declared index
    # (PersonalData.blind_indexes in personal_data.py) so look-ups keep working.
    explicit = getattr(settings, "BLIND_INDEX_KEY", "")
    if explicit:
        return explicit.encode()
    return hashlib.sha256(b"blind-index:" + settings.FIELD_ENCRYPTION_KEYS[-1].encode()).digest()


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def blind_index(value: str, kind: str) -> str:
    """A keyed hash of a normalised phone number or email, for exact-match look-ups."""
    normal = normalise_phone(value) if kind == "phone" else normalise_email(value)
    if not normal:
        return ""
    digest = hmac.new(_index_key(), f"{kind}:{normal}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii").rstrip("=")


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. Not searchable or orderable in SQL by design."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, Ciphertext):
            return str(value)
        return encrypt(value)


def encrypted_fields(model) -> list:
    """The model's encrypted columns (what key rotation rewrites)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
