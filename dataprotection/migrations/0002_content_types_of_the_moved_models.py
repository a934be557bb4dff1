from django.db import migrations

MOVED = [
    "retentionreview",
    "subjectaccessrequest",
    "historicalretentionreview",
    "historicalsubjectaccessrequest",
]


def relabel(apps, schema_editor, old="stalkingservice", new="dataprotection"):
    """Give the existing content types (and so their permissions) to the new app, instead
    of leaving stale ones behind and making new ones. A new database has none yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, old="dataprotection", new="stalkingservice")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dataprotection", "0001_retention_and_subject_access_models_from_stalkingservice"),
    ]

    operations = [migrations.RunPython(relabel, relabel_back)]
