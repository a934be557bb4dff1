"""Load the risk tools as data. Item prompts are our own paraphrases of the topics each
checklist covers; the official wording can be loaded later, under licence, as a new
version of the tool (existing assessments keep the version they were answered against)."""

from django.db import migrations

DASH_ITEMS = [
    "Is the client injured now (from this or a recent incident)?",
    "Is the client very frightened?",
    "Is the client afraid of what may happen next (further injury, violence, being killed)?",
    "Does the client feel cut off from family or friends by the abuser?",
    "Is the client feeling low, depressed or having thoughts of suicide?",
    "Has the client separated, or tried to separate, from the abuser in the past year?",
    "Is there disagreement or conflict about contact with children?",
    "Does the abuser keep calling, messaging, following or harassing the client?",
    "Is the client pregnant, or has she had a baby in the last 18 months?",
    "Is the abuse happening more often?",
    "Is the abuse becoming more severe?",
    "Does the abuser try to control everything the client does, or show extreme jealousy?",
    "Has the abuser used a weapon or an object to hurt the client?",
    "Has the abuser threatened to kill the client or someone else, and did the client believe it?",
    "Has the abuser ever tried to strangle, choke, smother or drown the client?",
    "Does the abuser make the client do sexual things that hurt or degrade them?",
    "Has anyone else threatened or frightened the client on the abuser's behalf?",
    "Does the client know of the abuser hurting anyone else (children, relatives, strangers)?",
    "Has the abuser ever hurt or mistreated an animal or pet?",
    "Are there money problems, or is the client financially dependent on the abuser?",
    "Has the abuser had problems with drink, drugs or mental health in the last year?",
    "Has the abuser ever threatened or attempted suicide?",
    "Has the abuser broken bail, an injunction or another agreement about contact?",
    "Is the client aware of the abuser having a criminal record or trouble with police?",
]

SDASH_ITEMS = [
    "Is the client very frightened?",
    "Has the suspect stalked or harassed the client, or anyone else, before?",
    "Has the suspect damaged or destroyed the client's property?",
    "Does the suspect turn up at the client's home or work more than three times a week?",
    "Does the suspect hang around or loiter near places the client goes?",
    "Has the suspect threatened physical or sexual violence?",
    "Has the suspect harassed the client's family, friends, colleagues or others?",
    "Has the suspect been violent during this episode?",
    "Has the suspect got other people to contact, watch or follow the client?",
    "Does the suspect misuse drugs or alcohol?",
    "Has the suspect been violent in the past (to the client or anyone else)?",
]

TOOLS = [
    # code, version, name, scoring, medium_from, high_from, order, description, items
    (
        "dash", "paraphrase-1", "DASH risk checklist", "banded", 10, 14, 10,
        "24 questions answered yes, no or don't know. The score is the number of yes "
        "answers; bands are a local choice.",
        DASH_ITEMS,
    ),
    (
        "sdash", "paraphrase-1", "S-DASH stalking screening", "count", None, None, 20,
        "11 stalking screening questions. There is no national cut-off: the assessor sets "
        "the level with the number of yes answers in view.",
        SDASH_ITEMS,
    ),
    ("sash", "1", "SASH (summary record)", "summary", None, None, 30,
     "Licensed tool: record the date, assessor, summary ratings and notes only.", []),
    ("srp", "1", "Stalking Risk Profile (summary record)", "summary", None, None, 40,
     "Licensed tool: record the date, assessor, summary ratings and notes only.", []),
    ("sam", "1", "SAM (summary record)", "summary", None, None, 50,
     "Licensed tool: record the date, assessor, summary ratings and notes only.", []),
    ("police", "1", "Score received from police (DASH or DARA)", "received", 10, 14, 60,
     "The tool, version and score as the police sent them.", []),
]


def load(apps, schema_editor):
    RiskTool = apps.get_model("risk", "RiskTool")
    RiskToolItem = apps.get_model("risk", "RiskToolItem")
    for code, version, name, scoring, medium, high, order, description, items in TOOLS:
        tool, _ = RiskTool.objects.update_or_create(
            code=code,
            version=version,
            defaults={
                "name": name,
                "scoring": scoring,
                "medium_from": medium,
                "high_from": high,
                "order": order,
                "description": description,
                "active": True,
            },
        )
        for number, prompt in enumerate(items, start=1):
            RiskToolItem.objects.update_or_create(
                tool=tool, number=number, defaults={"prompt": prompt}
            )


def unload(apps, schema_editor):
    RiskTool = apps.get_model("risk", "RiskTool")
    RiskTool.objects.filter(assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_risk_tools_assessments_incidents")]

    operations = [migrations.RunPython(load, unload)]
