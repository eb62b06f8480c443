"""Ceremony titles and places, award reasons and discipline grounds, kept per language.

Each text written so far moves into the column of the language it is written in (see
`language_of`); the other languages stay empty and the reader's fallback shows it there.
"""

from django.db import migrations, models

from tamyr.core.translated import texts_to_language_columns

APP = "members"
TEXTS = {
    "ceremony": ("title", "place"),
    "conferral": ("reason",),
    "disciplinecase": ("grounds",),
}

def move_texts(apps, schema_editor):
    """Copy each text into its language's column."""
    texts_to_language_columns(apps, APP, TEXTS)


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
