from django.db import migrations

# Every scoped read filters on a path prefix. With PostgreSQL's default 100-bucket histogram a
# district's prefix (about 40 of 7,000 nodes) is guessed at 3 rows, and the planner then loops
# over the branches instead of reading an executor's or a window's index once.
STATISTICS = "ALTER TABLE orgs_node ALTER COLUMN path SET STATISTICS {}"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS.format(1000))
        schema_editor.execute("ANALYZE orgs_node")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS.format(-1))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
