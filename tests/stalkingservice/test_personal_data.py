"""Personal-data declarations: one per model, checked against the model's fields, read by
key rotation and (in the dataprotection app) by anonymisation and subject access."""

import pytest

from cases.models.client import Client, SafeContact
from cases.models.notes_tasks import CaseNote
from cases.models.suspects import Suspect
from referrals.models import Referral
from stalkingservice import crypto
from stalkingservice.personal_data import (
    BlindIndex,
    PersonalData,
    blind_indexes_refresh,
    check_declarations,
    declaration,
    declared_models,
    history_model,
)


def test_the_models_that_hold_personal_data_declare_it():
    declared = {model for model, _ in declared_models()}
    assert {Client, SafeContact, Suspect, Referral, CaseNote} <= declared
    assert declaration(Suspect).third_party_record
    assert "others_who_may_answer" in declaration(SafeContact).third_party


def test_every_declaration_names_real_fields():
    assert check_declarations() == []


def test_a_declaration_naming_a_missing_field_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(
        CaseNote, "personal_data", PersonalData(erase=("summary", "sumary"), keep=("tpye",))
    )
    errors = check_declarations()
    assert [(e.id, e.obj) for e in errors] == [("stalkingservice.E001", CaseNote)] * 2
    assert "'sumary'" in errors[0].msg and "'tpye'" in errors[1].msg


def test_a_single_name_is_refused_not_read_as_letters():
    with pytest.raises(TypeError, match="tuple of names"):
        PersonalData(erase="summary")


def test_a_declaration_is_read_only():
    declared = declaration(Client)
    with pytest.raises(AttributeError):
        declared.erase = ()
    with pytest.raises(TypeError):
        declared.anonymised["last_name"] = "x"


def test_a_model_without_a_declaration_reads_as_declaring_nothing():
    assert declaration(history_model(Client)) == PersonalData()


@pytest.mark.django_db
def test_blind_indexes_are_computed_from_the_declared_columns():
    contact = SafeContact(safe_phone="+44 7700 900123", email=" Someone@Example.org ")
    blind_indexes_refresh(contact)
    assert declaration(SafeContact).blind_indexes == (
        BlindIndex("safe_phone_index", "safe_phone", "phone"),
        BlindIndex("email_index", "email", "email"),
    )
    assert contact.safe_phone_index == crypto.blind_index("07700 900123", "phone")
    assert contact.email_index == crypto.blind_index("someone@example.org", "email")
    contact.email = ""
    blind_indexes_refresh(contact)
    assert contact.email_index == ""
