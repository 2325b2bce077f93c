"""Queries of one fixed shape that nearly every request makes, compiled to SQL once per database and process.

Django compiles a queryset to SQL anew each time it runs: for a query as small as the signed-in user's row or an
unread count, that costs several times the CPU the database takes to answer it. A `Prepared` query builds its
queryset once per database, keeps its SQL and the converters Django would apply to what comes back, and after that
only runs the SQL with new parameters, through the same cursor (and so the same query logging) as the ORM.

A queryset of whole rows may follow foreign keys with `select_related` and carry annotations: `instances` fills them
in as the ORM does. Only a queryset whose SQL has one shape whatever the arguments may be prepared (no `__in` over a
list whose length varies, no filter added for some arguments only).

The caller names the parameters in the order the SQL takes them; they are checked against the compiled ones, so a
queryset whose SQL takes them in another order fails when it is compiled, never with a wrong answer.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _Compiled:
    sql: str
    model: type[models.Model]
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]
    # For whole rows (else empty): the model's columns, then the related objects and annotations in the same row.
    fields: slice
    init: tuple[str, ...]
    related: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


class Prepared:
    """`build(*args)` gives the queryset, `params(*args)` the SQL's parameters for the same arguments. A queryset whose
    SQL takes one of a few shapes names it with `shape(*args)`: each shape is compiled once."""

    def __init__(self, build: Callable[..., models.QuerySet], params: Callable[..., Sequence],
                 shape: Callable[..., Hashable] = lambda *args: None):
        self.build, self.params, self.shape = build, params, shape
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}

    def _for(self, using: str, args: tuple) -> _Compiled:
        key = (using, self.shape(*args))
        compiled = self._compiled.get(key)
        if compiled is None:
            queryset = self.build(*args)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            if tuple(params) != tuple(self.params(*args)):
                raise ImproperlyConfigured(f"The parameters {tuple(self.params(*args))!r} are not those of the SQL "
                                           f"{sql!r}: {tuple(params)!r}")
            expressions = [expression for expression, _sql, _alias in compiler.select]
            converters = tuple((index, tuple(functions), expression)
                               for index, (functions, expression) in compiler.get_converters(expressions).items())
            fields, init, related, annotations = slice(0), (), (), ()
            if compiler.klass_info is not None:
                selected = compiler.klass_info["select_fields"]
                fields = slice(selected[0], selected[-1] + 1)
                init = tuple(expression.target.attname for expression in expressions[fields])
                related = tuple(get_related_populators(compiler.klass_info, compiler.select, using))
                annotations = tuple(compiler.annotation_col_map.items())
            compiled = self._compiled[key] = _Compiled(sql, queryset.model, converters, fields, init, related,
                                                         annotations)
        return compiled

    def rows(self, *args, using: str) -> list[tuple]:
        """Every row, with the values converted as the ORM would."""
        compiled, connection = self._for(using, args), connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self.params(*args))
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for index, functions, expression in compiled.converters:
                for function in functions:
                    row[index] = function(row[index], expression, connection)
            converted.append(tuple(row))
        return converted

    def instances(self, *args, using: str) -> list[models.Model]:
        """The instances the queryset (of whole rows of its model) finds, with their related objects and
        annotations."""
        rows, compiled = self.rows(*args, using=using), self._for(using, args)
        found = []
        for row in rows:
            instance = compiled.model.from_db(using, compiled.init, row[compiled.fields])
            for populator in compiled.related:
                populator.populate(row, instance)
            for name, index in compiled.annotations:
                setattr(instance, name, row[index])
            found.append(instance)
        return found

    def instance(self, *args, using: str) -> models.Model | None:
        """The one instance the queryset (of whole rows of its model) finds, or None."""
        found = self.instances(*args, using=using)
        if len(found) > 1:
            raise type(found[0]).MultipleObjectsReturned
        return found[0] if found else None

    def value(self, *args, using: str, default: Any = None) -> Any:
        """The first column of the first row, or `default` when there is no row."""
        rows = self.rows(*args, using=using)
        return rows[0][0] if rows else default
