"""Reference names that said different things in different languages, said the same way.

The Administrative Procedural Code names the kinds of appeals: өтініш / заявление (an
application), шағым / жалоба, ұсыныс / предложение, сұрау салу / запрос (a request) and
ден қою / отклик (a response). "response" read "сұрау салу" (a request) in Kazakh, and "appeal"
read "Request" in English. A name is changed only while it is still the one first loaded, so
an administrator's own wording stays.
"""

from django.db import migrations

# model, code, language, name first loaded, name that says the same as the other two
RENAMES = [
    ("AppealType", "appeal", "en", "Request", "Application"),
    ("AppealType", "response", "kk", "Сұрау салу", "Ден қою"),
    ("Topic", "land", "en", "Land", "Land relations"),
    ("Topic", "law", "kk", "Құқық қорғау және сот", "Құқық тәртібі және соттар"),
    ("Topic", "law", "en", "Law and courts", "Law and order, courts"),
    ("ReceptionFormat", "regular", "kk", "Тұрақты қабылдау", "Жоспарлы қабылдау"),
    ("ReceptionFormat", "regular", "en", "Regular reception", "Scheduled reception"),
    ("ReceptionFormat", "family_week", "en", "“A week for family support”", "“Family support week”"),
]


def rename(apps, schema_editor, forward=True):
    for model_name, code, language, old, new in RENAMES:
        model = apps.get_model("appeals", model_name)
        before, after = (old, new) if forward else (new, old)
        model.objects.filter(code=code, **{f"name_{language}": before}).update(
            **{f"name_{language}": after}
        )
        # The one-language column the names were first loaded into, kept in step.
        model.objects.filter(code=code, name=before).update(name=after)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0005_texts_per_language")]
    operations = [migrations.RunPython(rename, rename_back)]
