from django.db import migrations

# The member list sorts names in the reader's alphabet (tamyr.core.collation): on PostgreSQL a
# COLLATE "kk-x-icu" (or ru, en) ordering, which the plain name index cannot serve. Without an
# index in the same collation every first page sorts the whole registry (150 ms at a region's
# 43,000 people; seconds at a nation's million). SQLite has no such indexes: its collations are
# Python functions registered per connection, which tools outside Django would lack.
COLLATIONS = {"kk": "kk-x-icu", "ru": "ru-x-icu", "en": "en-x-icu"}
CREATE = (
    'CREATE INDEX IF NOT EXISTS person_name_{lang}_idx ON members_person (surname COLLATE "{c}", '
    'given_name COLLATE "{c}", patronymic COLLATE "{c}", id)'
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for lang, collation in COLLATIONS.items():
            schema_editor.execute(CREATE.format(lang=lang, c=collation))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for lang in COLLATIONS:
            schema_editor.execute(f"DROP INDEX IF EXISTS person_name_{lang}_idx")


class Migration(migrations.Migration):
    dependencies = [("members", "0006_texts_per_language")]

    operations = [migrations.RunPython(forwards, backwards)]
