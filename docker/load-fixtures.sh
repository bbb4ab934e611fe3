#!/bin/sh
# Run by the one-shot `fixtures` service in docker-compose.yml (working directory /app): creates the
# databases, loads the fixtures and grants SELECT on them to the read-only role `sqlagent_ro`, whose
# password `fixtures load` reads from SQLAGENT_READONLY_PASSWORD. Re-running it reloads the same rows.
#
#   POSTGRES_ADMIN_URL  postgres://postgres:<password>@postgres:5432   (no database: appended below)
#   MYSQL_ADMIN_URL     mysql://root:<password>@mysql:3306
#
# On MySQL the shop fixture's `analytics` schema goes into the sibling database `shop_analytics`.
set -eu

: "${POSTGRES_ADMIN_URL:?POSTGRES_ADMIN_URL must be set, for example postgres://postgres:secret@postgres:5432}"
: "${MYSQL_ADMIN_URL:?MYSQL_ADMIN_URL must be set, for example mysql://root:secret@mysql:3306}"
: "${SQLAGENT_READONLY_PASSWORD:?SQLAGENT_READONLY_PASSWORD must be set (the password of sqlagent_ro)}"

node bin/sqlagent.mjs fixtures load shop --url "${POSTGRES_ADMIN_URL%/}/shop" --readonly-role sqlagent_ro
node bin/sqlagent.mjs fixtures load clinic --url "${POSTGRES_ADMIN_URL%/}/clinic" --readonly-role sqlagent_ro
node bin/sqlagent.mjs fixtures load shop --url "${MYSQL_ADMIN_URL%/}/shop" --readonly-role sqlagent_ro

echo "Fixtures loaded: Postgres shop and clinic, MySQL shop (+ shop_analytics); read-only role sqlagent_ro."
