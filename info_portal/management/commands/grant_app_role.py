"""Give the application's PostgreSQL role what the portal needs on this database, and nothing that gets around
the guards: reading and writing rows of the portal's tables, using their sequences. Run as the owner of the
tables after each `migrate`; safe to run again."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Grant the application role SELECT/INSERT/UPDATE/DELETE on the tables and USAGE on the sequences."

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="the role the application connects as, e.g. info_app")

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL; this database is " + connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls, pg_has_role(%s, current_user, 'MEMBER'), current_user, "
                           "current_schema(), current_database() FROM pg_roles WHERE rolname = %s", [role, role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"role {role} does not exist: create it first (see docs/deployment.md)")
            superuser, bypass_rls, owner_member, owner, schema, database = found
            if superuser or bypass_rls or owner_member or role == owner:
                # Such a role could switch off the triggers that keep certified data as it was sealed.
                raise CommandError(f"role {role} must be an ordinary role: no superuser, not the owner {owner} "
                                   "nor a member of it")
            quote = connection.ops.quote_name
            app, schema_q, database_q = quote(role), quote(schema), quote(database)
            for statement in (
                f"GRANT CONNECT ON DATABASE {database_q} TO {app}",
                f"GRANT USAGE ON SCHEMA {schema_q} TO {app}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {app}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {app}",
                # Tables and sequences the owner creates later (the next migrations) get the same grants.
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_q} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES "
                f"TO {app}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_q} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            ):
                cursor.execute(statement)
        self.stdout.write(f"{role} may read and write the rows of {database}.{schema}; {owner} owns the tables")
