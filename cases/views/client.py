"""The client's details and safe-contact pages."""

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import case_form_page, with_case
from ..forms.client import ClientForm, SafeContactForm
from ..models.client import Client, SafeContact
from ..services import client as services


@capability_required(Capability.WORK_CASES)
@with_case
def client_edit(request, case):
    # The form works on its own copy, so a refused save never changes the identity bar.
    copy = Client.objects.get(pk=case.client_id)
    return case_form_page(
        request,
        case,
        tab="overview",
        form=ClientForm(request.POST or None, instance=copy),
        title="Client details",
        page_name="client edit",
        save=lambda form: services.client_update(
            client=case.client,
            case=case,
            data=form.cleaned_data,
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Client details saved.",
        submit="Save client details",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def safe_contact_edit(request, case):
    instance = SafeContact.objects.filter(client=case.client).first() or SafeContact(
        client=case.client
    )
    return case_form_page(
        request,
        case,
        tab="contact",
        form=SafeContactForm(request.POST or None, instance=instance),
        title="Safe-contact details",
        intro="Ask the client how it is safe to contact them, and set the date you confirmed "
        "it. Routes left unticked are blocked when contact is recorded.",
        page_name="safe contact edit",
        save=lambda form: services.safe_contact_update(
            client=case.client,
            case=case,
            data=form.cleaned_data,
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Safe-contact details saved.",
        submit="Save safe-contact details",
    )
