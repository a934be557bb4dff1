from django.db import migrations


class Migration(migrations.Migration):
    """Joins the two halves of the risk app, built in parallel."""

    dependencies = [
        ("risk", "0002_load_dash_sdash_tools"),
        ("risk", "0001_safety_care_interventions_digital"),
    ]
    operations = []
