"""Rewrite the answer Tamyr gives an appeal left without consideration to its English source.

Until now it was stored in the language the citizen (or the operator) happened to use, and staff
and the tracking page read it in that language; from now on it is stored as its source and shown
in the reader's language (tamyr/core/system_texts.py). The forms recognised are the catalogues'
kk and ru translations; an answer an executor wrote matches none of them and stays as written.
"""

from django.db import migrations

# source: its earlier forms
TEXTS = {
    "Anonymous appeal: left without consideration, as the law requires.": [
        "Анонимді өтініш: заңға сәйкес қараусыз қалдырылды.",
        "Анонимное обращение: оставлено без рассмотрения в соответствии с законом.",
    ],
    "The appeal has no text: left without consideration, as the law requires.": [
        "Өтініште мәтін жоқ: заңға сәйкес қараусыз қалдырылды.",
        "Обращение не содержит текста: оставлено без рассмотрения в соответствии с законом.",
    ],
}


def texts_to_source(apps, schema_editor):
    """Rewrite the answers and the closing steps' notes that Tamyr wrote to their source."""
    Appeal = apps.get_model("appeals", "Appeal")
    AppealStep = apps.get_model("appeals", "AppealStep")
    for source, forms in TEXTS.items():
        Appeal.objects.filter(outcome="not_considered", answer__in=forms).update(answer=source)
        AppealStep.objects.filter(action="close", note__in=forms).update(note=source)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0007_open_due_index")]
    operations = [migrations.RunPython(texts_to_source, migrations.RunPython.noop)]
