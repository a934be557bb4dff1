"""The stale-edit helper: the other person's saved version beside the user's kept input,
and a second save after checking goes through."""

import re

import pytest
from django.db import transaction
from django.template import engines
from django.test import RequestFactory

from cases.models.client import SafeContact
from stalkingservice.concurrency import stale_edit_context
from stalkingservice.domain import STALE_EDIT_MESSAGE, StaleEdit, bump_version, check_version
from stalkingservice.forms import BaseModelForm, VersionedFormMixin
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = engines["django"].from_string(
    '{% include "includes/stale_edit.html" %}'
    '{% include "includes/form.html" with submit_label="Save" %}'
)


class SafeContactForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = SafeContact
        fields = ["safe_times", "voicemail_allowed", "confirmed_on", "notes"]


@transaction.atomic
def safe_contact_update(*, contact: SafeContact, data: dict, by) -> SafeContact:
    """What an app's service does: check the version, write, bump."""
    contact = SafeContact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, data.get("version"))
    for name in ("safe_times", "voicemail_allowed", "confirmed_on", "notes"):
        setattr(contact, name, data[name])
    bump_version(contact)
    contact._change_reason = "Safe contact updated"
    contact._history_user = by  # simple-history records who saved it
    contact.save()
    return contact


def post(form_data):
    request = RequestFactory().post("/", form_data)
    request.user = UserFactory()
    return SafeContactForm(request.POST, instance=SafeContact.objects.get(pk=form_data["pk"]))


def test_stale_save_shows_both_versions_and_keeps_the_users_input():
    contact = ClientFactory().safe_contact
    opened = SafeContactForm(instance=contact)
    assert opened.initial["version"] == contact.version

    # Someone else saves first.
    other = UserFactory(username="jordan", first_name="Jordan", last_name="Hughes")
    saved = SafeContactForm(
        {"safe_times": "Evenings only", "notes": "Use the work phone", "version": contact.version},
        instance=contact,
    )
    assert saved.is_valid()
    safe_contact_update(contact=contact, data=saved.cleaned_data, by=other)

    # This user submits from the copy they opened earlier.
    mine = {
        "pk": contact.pk,
        "safe_times": "Mornings <b>before</b> 9",
        "voicemail_allowed": "on",
        "notes": "Client asked for texts",
        "version": opened.initial["version"],
    }
    form = post(mine)
    assert form.is_valid()
    with pytest.raises(StaleEdit) as refused:
        safe_contact_update(contact=contact, data=form.cleaned_data, by=None)
    context = stale_edit_context(form=form, error=refused.value)
    html = PAGE.render({**context, "form": form})

    assert STALE_EDIT_MESSAGE.split(".")[0] in html
    assert "Saved by Jordan Hughes" in html
    rows = {r.name: r for r in context["stale_comparison"]}
    assert (rows["safe_times"].theirs, rows["safe_times"].yours) == (
        "Evenings only",
        "Mornings <b>before</b> 9",
    )
    assert rows["safe_times"].differs and rows["voicemail_allowed"].differs
    assert (rows["voicemail_allowed"].theirs, rows["voicemail_allowed"].yours) == ("No", "Yes")
    assert not rows["confirmed_on"].differs
    assert "version" not in rows
    assert "Use the work phone" in html and "Client asked for texts" in html
    assert "Mornings &lt;b&gt;before&lt;/b&gt; 9" in html  # escaped, never raw HTML
    assert "<b>before</b>" not in html
    # The user's input is still in the form, now at the current version.
    assert 'value="Mornings &lt;b&gt;before&lt;/b&gt; 9"' in html
    current = SafeContact.objects.get(pk=contact.pk).version
    assert re.search(rf'<input type="hidden" name="version" value="{current}"', html)

    # Having checked both, saving again goes through with the user's values.
    again = SafeContactForm(form.data, instance=SafeContact.objects.get(pk=contact.pk))
    assert again.is_valid()
    safe_contact_update(contact=contact, data=again.cleaned_data, by=None)
    fresh = SafeContact.objects.get(pk=contact.pk)
    assert (fresh.safe_times, fresh.notes) == ("Mornings <b>before</b> 9", "Client asked for texts")


def test_edit_form_posts_the_version_it_was_read_at():
    contact = ClientFactory().safe_contact
    html = PAGE.render({"form": SafeContactForm(instance=contact)})
    assert re.search(rf'<input type="hidden" name="version" value="{contact.version}"', html)


def test_a_current_save_is_not_refused():
    contact = ClientFactory().safe_contact
    form = SafeContactForm(
        {"safe_times": "Any time", "version": contact.version, "notes": ""}, instance=contact
    )
    assert form.is_valid()
    safe_contact_update(contact=contact, data=form.cleaned_data, by=None)
    assert SafeContact.objects.get(pk=contact.pk).version == contact.version + 1
