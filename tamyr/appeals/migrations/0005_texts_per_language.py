"""Officials' positions and reception venues, kept per language.

Each text written so far moves into the column of the language it is written in (see
`language_of`); the other languages stay empty and the reader's fallback shows it there.
"""

from django.db import migrations, models

from tamyr.core.translated import texts_to_language_columns

APP = "appeals"
TEXTS = {"official": ("position",), "reception": ("place",)}

def move_texts(apps, schema_editor):
    """Copy each text into its language's column."""
    texts_to_language_columns(apps, APP, TEXTS)


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0004_executor_due_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='official',
            name='position_en',
            field=models.CharField(max_length=300, null=True, verbose_name='position'),
        ),
        migrations.AddField(
            model_name='official',
            name='position_kk',
            field=models.CharField(max_length=300, null=True, verbose_name='position'),
        ),
        migrations.AddField(
            model_name='official',
            name='position_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='position'),
        ),
        migrations.AddField(
            model_name='reception',
            name='place_en',
            field=models.CharField(max_length=300, null=True, verbose_name='place'),
        ),
        migrations.AddField(
            model_name='reception',
            name='place_kk',
            field=models.CharField(max_length=300, null=True, verbose_name='place'),
        ),
        migrations.AddField(
            model_name='reception',
            name='place_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='place'),
        ),
        migrations.RunPython(move_texts, migrations.RunPython.noop),
    ]
