#!/bin/sh
# Run once by the postgres image, when the database volume is first created (docker-compose.yml mounts this
# folder on /docker-entrypoint-initdb.d). The two roles of docs/deployment.md, "Database roles":
#   info_owner  owns the database, its tables and the guard triggers; only the migrate step connects as it;
#   info_app    what the web, worker and beat connect as: rows only (granted by `manage.py grant_app_role`).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" -v owner_password="$(cat /run/secrets/info_owner_password)" -v app_password="$INFO_APP_PASSWORD" <<'SQL'
CREATE ROLE info_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE info_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO info_owner;
-- Only the owner creates objects in the schema (the default since PostgreSQL 15, stated for older ones).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
