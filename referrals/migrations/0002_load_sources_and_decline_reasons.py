from django.db import migrations

SOURCES = [
    ("police", "Staffordshire Police"),
    ("victim-gateway", "Staffordshire Victim Gateway (Victim Support)"),
    ("self", "Self-referral"),
    ("national-stalking-helpline", "National Stalking Helpline"),
    ("health", "Health"),
    ("local-authority", "Local authority"),
    ("education", "Education"),
    ("employer", "Employer"),
    ("voluntary-organisation", "Other voluntary organisation"),
    ("other", "Other"),
]

DECLINE_REASONS = [
    ("duplicate", "Duplicate referral"),
    ("no-consent", "No consent to the referral"),
    ("wrong-number", "Wrong number or details"),
    ("no-safe-contact", "No safe contact number"),
    ("unsafe-to-continue", "Unsafe to keep trying (someone else answered)"),
    ("not-eligible-area", "Not eligible: lives outside Staffordshire and Stoke-on-Trent"),
    ("not-eligible-age", "Not eligible: under the service's age policy"),
    ("not-stalking", "Not eligible: not stalking or harassment"),
    ("declined-support", "Client declined support"),
    ("no-response", "No response after repeated attempts"),
]


def load(apps, schema_editor):
    Source = apps.get_model("referrals", "ReferralSource")
    Reason = apps.get_model("referrals", "DeclineReason")
    for order, (code, label) in enumerate(SOURCES):
        Source.objects.update_or_create(code=code, defaults={"label": label, "order": order})
    for order, (code, label) in enumerate(DECLINE_REASONS):
        Reason.objects.update_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_referrals_and_triage")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
