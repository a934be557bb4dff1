from django.db import migrations

REASONS = [
    ("support-completed", "Support completed: goals met"),
    ("client-disengaged", "Client disengaged"),
    ("client-declined", "Client declined further support"),
    ("handed-over", "Handed over to another service"),
    ("moved-away", "Moved out of area"),
    ("declined-at-triage", "Declined at triage"),
    ("signposted-at-triage", "Signposted or handed over at triage"),
    ("never-contacted", "Could not be contacted"),
    ("client-died", "Client died"),
    ("other", "Other"),
]


def load(apps, schema_editor):
    Reason = apps.get_model("cases", "ClosureReason")
    for order, (code, label) in enumerate(REASONS):
        Reason.objects.update_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_clients_cases_casework")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
