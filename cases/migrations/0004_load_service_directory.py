from django.db import migrations

# (code, label, category, scope, phone, email, website, how to refer, managed handover)
SERVICES = [
    ("local-idva", "Staffordshire domestic abuse service (IDVA)", "domestic_abuse", "local",
     "0300 303 0001", "", "https://www.staffordshirecommissioner.org.uk/",
     "Secure email referral form; phone the duty IDVA for high-risk cases the same day.", True),
    ("victim-gateway", "Staffordshire Victim Gateway (Victim Support)", "victim_support", "local",
     "0800 952 0000", "", "https://www.staffordshirevictimgateway.org.uk/",
     "Online referral form or phone; self-referral accepted.", True),
    ("isva", "Independent Sexual Violence Adviser service (ISVA)", "sexual_violence", "local",
     "", "", "", "Referral by phone after consent; the ISVA service calls the client back.", True),
    ("mental-health", "Local NHS talking therapies and mental health", "mental_health", "local",
     "111", "", "https://www.nhs.uk/mental-health/", "Self-referral online, or through the GP.", False),
    ("housing", "District council housing options team", "housing", "local",
     "", "", "", "Phone the district council's housing options team; homelessness duty to refer.", True),
    ("national-stalking-helpline", "National Stalking Helpline", "stalking", "national",
     "0808 802 0300", "", "https://www.suzylamplugh.org/national-stalking-helpline",
     "Client calls directly; information given.", False),
    ("paladin", "Paladin National Stalking Advocacy Service", "stalking", "national",
     "020 3866 4107", "", "https://paladinservice.co.uk/", "Referral form by email.", True),
    ("protection-against-stalking", "Protection Against Stalking", "stalking", "national",
     "", "", "https://www.protectionagainststalking.org/", "Information and peer support; information given.", False),
    ("victim-support", "Victim Support (national Supportline)", "victim_support", "national",
     "0808 168 9111", "", "https://www.victimsupport.org.uk/", "Client calls the free Supportline, 24 hours.", False),
    ("samaritans", "Samaritans", "mental_health", "national",
     "116 123", "jo@samaritans.org", "https://www.samaritans.org/", "Client calls any time, free.", False),
    ("national-da-helpline", "National Domestic Abuse Helpline (Refuge)", "domestic_abuse", "national",
     "0808 2000 247", "", "https://www.nationaldahelpline.org.uk/", "Client calls, 24 hours.", False),
    ("cyber-helpline", "The Cyber Helpline", "other", "national",
     "", "", "https://www.thecyberhelpline.org/", "Client uses the online helpline.", False),
]


def load(apps, schema_editor):
    Entry = apps.get_model("cases", "ServiceDirectoryEntry")
    for order, (code, label, category, scope, phone, email, website, route, managed) in enumerate(
        SERVICES
    ):
        Entry.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "order": order,
                "category": category,
                "scope": scope,
                "phone": phone,
                "email": email,
                "website": website,
                "referral_route": route,
                "accepts_managed_handover": managed,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_police_court_orders_handover_outcomes_closure")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
