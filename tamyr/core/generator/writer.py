"""Fast bulk writes for generated and imported rows: COPY on PostgreSQL, executemany on SQLite.

Rows are tuples in the order of the columns given; ids are assigned by the caller, so
related rows can be written without reading anything back.
"""

from collections.abc import Sequence

from django.core.management.color import no_style
from django.db import connection, models


class TableWriter:
    """Buffer rows for one table and write them in large batches."""

    def __init__(self, model: type[models.Model] | str, columns: Sequence[str], batch: int = 20000):
        self.table = model if isinstance(model, str) else model._meta.db_table
        self.columns = list(columns)
        self.batch = batch
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"
                # psycopg formats the rows in C; a buffer of our own would cost more than COPY.
                with cursor.cursor.copy(sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Table and column names come from the models, never from input.
                table = connection.ops.quote_name(self.table)
                insert = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, self.rows)
        self.written += len(self.rows)
        self.rows = []


def next_id(model: type[models.Model]) -> int:
    """Return the first free primary key of a table."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """Move id sequences past explicitly written ids (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
