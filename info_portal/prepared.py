"""Queries of one fixed shape that nearly every request makes, compiled to SQL once per database and process.

Django compiles a queryset to SQL anew each time it runs: for a query as small as the signed-in user's row or an
unread count, that costs several times the CPU the database takes to answer it. A `Prepared` query builds its
queryset once per database, keeps its SQL and the converters Django would apply to what comes back, and after that
only runs the SQL with new parameters, through the same cursor (and so the same query logging) as the ORM.

The caller names the parameters in the order the SQL takes them; they are checked against the compiled ones, so a
queryset whose SQL takes them in another order fails when it is compiled, never with a wrong answer.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models


@dataclass(frozen=True)
class _Compiled:
    sql: str
    model: type[models.Model]
    columns: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]


class Prepared:
    """`build(*args)` gives the queryset, `params(*args)` the SQL's parameters for the same arguments."""

    def __init__(self, build: Callable[..., models.QuerySet], params: Callable[..., Sequence]):
        self.build, self.params = build, params
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, using: str, args: tuple) -> _Compiled:
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset = self.build(*args)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            if tuple(params) != tuple(self.params(*args)):
                raise ImproperlyConfigured(f"The parameters {tuple(self.params(*args))!r} are not those of the SQL "
                                           f"{sql!r}: {tuple(params)!r}")
            expressions = [expression for expression, _sql, _alias in compiler.select]
            columns = tuple(getattr(getattr(e, "target", None), "attname", "") for e in expressions)
            converters = tuple((index, tuple(functions), expression)
                               for index, (functions, expression) in compiler.get_converters(expressions).items())
            compiled = self._compiled[using] = _Compiled(sql, queryset.model, columns, converters)
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

    def instance(self, *args, using: str) -> models.Model | None:
        """The one instance the queryset (of whole rows of its model) finds, or None."""
        rows, compiled = self.rows(*args, using=using), self._compiled[using]
        if len(rows) > 1:
            raise compiled.model.MultipleObjectsReturned
        return compiled.model.from_db(using, compiled.columns, rows[0]) if rows else None

    def value(self, *args, using: str, default: Any = None) -> Any:
        """The first column of the first row, or `default` when there is no row."""
        rows = self.rows(*args, using=using)
        return rows[0][0] if rows else default
