#!/bin/sh
# One-shot schema job for docker-compose.yml (runs in temporalio/admin-tools, the layout of
# Temporal's own compose examples, temporalio/samples-server compose/scripts/setup-postgres.sh):
# creates Temporal's two databases if missing and migrates their schemas to this admin-tools
# version. Safe on every `docker compose up`; on a Temporal upgrade it runs (new admin-tools tag)
# before the new temporalio/server starts.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port=${DB_PORT:-5432}
schema=/etc/temporal/schema/postgresql/v12
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$port" "$@"; }

nc -z -w 10 "$POSTGRES_SEEDS" "$port"
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  dir=${pair#*:}
  # `create` fails when the database exists; a real problem (auth, network) fails setup-schema next.
  tool --db "$db" create 2>/dev/null || echo "database $db exists"
  tool --db "$db" setup-schema -v 0.0 # no-op once a schema version is recorded
  tool --db "$db" update-schema -d "$schema/$dir/versioned"
done
echo "Temporal schema is current"
