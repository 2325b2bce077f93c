"""Inserting and updating many rows at once: PostgreSQL's COPY where it is there, bulk_create elsewhere.

Django's bulk_create spends most of its time preparing each value of each row in Python; COPY hands the rows to
PostgreSQL as they are. The rows are the same either way: the ids come from the table's own sequence, the
auto_now fields get the time of the insert, and the database's triggers and constraints see every row.
"""

import json
from collections.abc import Sequence
from functools import partial
from itertools import islice

from django.db import connection, models
from django.db.models import JSONField, Value
from django.utils import timezone

UPDATE_CHUNK = 2000
SQLITE_UPDATE_CHUNK = 500  # SQLite joins at most 500 SELECTs in one compound SELECT


def rows_insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 2000) -> None:
    """Insert the instances and set their primary keys, as bulk_create does."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    from psycopg.types.json import Jsonb

    meta = model._meta
    fields = list(meta.concrete_fields)
    now = timezone.now()
    quote = connection.ops.quote_name
    # As bulk_create: auto_now and auto_now_add fields take the time of the insert.
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    json_fields = [(index, partial(json.dumps, cls=f.encoder)) for index, f in enumerate(fields)
                   if isinstance(f, JSONField)]
    copy_sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        with cursor.cursor.copy(copy_sql) as copy:
            for obj in objs:
                for attname in stamped:
                    setattr(obj, attname, now)
                row = [getattr(obj, f.attname) for f in fields]
                row = [value.value if isinstance(value, Value) else value for value in row]  # a literal as itself
                for index, dumps in json_fields:
                    if row[index] is not None:
                        row[index] = Jsonb(row[index], dumps=dumps)
                copy.write_row(row)
    if connection.queries_logged:  # counted like any other statement, so query budgets see it
        connection.queries_log.append({"sql": f"{copy_sql} -- {len(objs)} rows", "time": "0.000"})
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def rows_update(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write these fields of the instances, each its own values, in one statement per chunk: a join on a list of
    rows, where bulk_update's CASE per field and row grows with the square of the rows."""
    meta = model._meta
    quote = connection.ops.quote_name
    table, columns = quote(meta.db_table), [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    names = ", ".join(quote(column) for column in [meta.pk.column, *(c.column for c in columns)])
    for chunk in chunks(objs, UPDATE_CHUNK if connection.vendor == "postgresql" else SQLITE_UPDATE_CHUNK):
        values = [[obj.pk for obj in chunk]] + [
            [c.get_db_prep_save(getattr(obj, c.attname), connection) for obj in chunk] for c in columns]
        if connection.vendor == "postgresql":  # one typed array per column
            source = "unnest({})".format(", ".join(
                f"%s::{c.db_type(connection)}[]" for c in [meta.pk, *columns]))
            params = values
        else:
            row = ", ".join(["%s"] * (len(columns) + 1))
            first = "SELECT " + ", ".join(f"%s AS {quote(c)}" for c in [meta.pk.column, *(c.column for c in columns)])
            source = "(" + " UNION ALL ".join([first] + [f"SELECT {row}"] * (len(chunk) - 1)) + ")"
            params = [value for row_values in zip(*values, strict=True) for value in row_values]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} FROM {source} AS v"
                           f"{'(' + names + ')' if connection.vendor == 'postgresql' else ''} "
                           f"WHERE {table}.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}", params)


def chunks(items: Sequence, size: int = UPDATE_CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
