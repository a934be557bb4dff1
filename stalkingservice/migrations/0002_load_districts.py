from django.db import migrations

DISTRICTS = [
    ("cannock-chase", "Cannock Chase", "Cannock"),
    ("east-staffordshire", "East Staffordshire", "Burton"),
    ("lichfield", "Lichfield", "Lichfield"),
    ("newcastle-under-lyme", "Newcastle-under-Lyme", "Newcastle"),
    ("south-staffordshire", "South Staffordshire", "Codsall"),
    ("stafford", "Stafford", "Stafford"),
    ("staffordshire-moorlands", "Staffordshire Moorlands", "Leek"),
    ("tamworth", "Tamworth", "Tamworth"),
    ("stoke-on-trent", "Stoke-on-Trent", "Hanley"),
]


def load(apps, schema_editor):
    District = apps.get_model("stalkingservice", "District")
    for code, name, team in DISTRICTS:
        District.objects.update_or_create(code=code, defaults={"name": name, "police_team": team})


class Migration(migrations.Migration):
    dependencies = [("stalkingservice", "0001_users_roles_audit_districts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
