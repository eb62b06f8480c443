"""Ceremony titles and places, award reasons and discipline grounds, kept per language.

Each text written so far moves into the column of the language it is written in (see
`language_of`); the other languages stay empty and the reader's fallback shows it there.
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations, models

from tamyr.core.translated import language_of

APP = "members"
TEXTS = {
    "ceremony": ("title", "place"),
    "conferral": ("reason",),
    "disciplinecase": ("grounds",),
}

# The columns this migration adds; the one-language column was modeltranslation's default one.
LANGUAGES = ("kk", "ru", "en")
BATCH = 2000


def _write(model, field, language, pks):
    values = {
        f"{field}_{lang}": models.F(field) if lang == language else models.Value("")
        for lang in LANGUAGES
    }
    model.objects.filter(pk__in=pks).update(**values)


def move_texts(apps, schema_editor):
    """Copy each text into its language's column, a batch of rows at a time."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    for model_name, fields in TEXTS.items():
        model = apps.get_model(APP, model_name)
        last = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:BATCH]
            )
            if not rows:
                break
            last = rows[-1][0]
            for index, field in enumerate(fields, start=1):
                by_language = defaultdict(list)
                for row in rows:
                    by_language[language_of(row[index] or "", default)].append(row[0])
                for language, pks in by_language.items():
                    _write(model, field, language, pks)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_lean_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='ceremony',
            name='place_en',
            field=models.CharField(blank=True, default='', max_length=300, null=True, verbose_name='place'),
        ),
        migrations.AddField(
            model_name='ceremony',
            name='place_kk',
            field=models.CharField(blank=True, default='', max_length=300, null=True, verbose_name='place'),
        ),
        migrations.AddField(
            model_name='ceremony',
            name='place_ru',
            field=models.CharField(blank=True, default='', max_length=300, null=True, verbose_name='place'),
        ),
        migrations.AddField(
            model_name='ceremony',
            name='title_en',
            field=models.CharField(max_length=300, null=True, verbose_name='occasion'),
        ),
        migrations.AddField(
            model_name='ceremony',
            name='title_kk',
            field=models.CharField(max_length=300, null=True, verbose_name='occasion'),
        ),
        migrations.AddField(
            model_name='ceremony',
            name='title_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='occasion'),
        ),
        migrations.AddField(
            model_name='conferral',
            name='reason_en',
            field=models.CharField(max_length=500, null=True, verbose_name='for'),
        ),
        migrations.AddField(
            model_name='conferral',
            name='reason_kk',
            field=models.CharField(max_length=500, null=True, verbose_name='for'),
        ),
        migrations.AddField(
            model_name='conferral',
            name='reason_ru',
            field=models.CharField(max_length=500, null=True, verbose_name='for'),
        ),
        migrations.AddField(
            model_name='disciplinecase',
            name='grounds_en',
            field=models.TextField(null=True, verbose_name='grounds'),
        ),
        migrations.AddField(
            model_name='disciplinecase',
            name='grounds_kk',
            field=models.TextField(null=True, verbose_name='grounds'),
        ),
        migrations.AddField(
            model_name='disciplinecase',
            name='grounds_ru',
            field=models.TextField(null=True, verbose_name='grounds'),
        ),
        migrations.RunPython(move_texts, migrations.RunPython.noop),
    ]
