#!/bin/sh
# Lets the db-replica service (compose profile "replica") stream from this primary: a replication role and a
# pg_hba line for it. Runs by itself on the first start of an empty database volume (docker-entrypoint-initdb.d);
# on an existing one, run it once by hand:
#   docker compose exec -u postgres db sh /docker-entrypoint-initdb.d/50-replication.sh
# Without POSTGRES_REPLICATION_PASSWORD it does nothing.
set -eu

if [ -z "${POSTGRES_REPLICATION_PASSWORD:-}" ]; then
    echo "POSTGRES_REPLICATION_PASSWORD is not set: no replication role"
    exit 0
fi
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE replicator WITH REPLICATION LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') \gexec
ALTER ROLE replicator WITH PASSWORD :'password';
SQL
hba="$PGDATA/pg_hba.conf"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+replicator[[:space:]]' "$hba"; then
    echo "host replication replicator all scram-sha-256" >>"$hba"
fi
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "SELECT pg_reload_conf()" >/dev/null
echo "replication role replicator ready"
