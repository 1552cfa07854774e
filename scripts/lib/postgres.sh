# shellcheck shell=bash
# The project's own PostgreSQL instances under .local/pg, run as the postgres OS user.

PG_PRIMARY_DIR() { echo "$LOCAL/pg/primary"; }

pg_psql_admin() { # pg_psql_admin PORT DB ARGS...: psql as superuser over the unix socket
  local port=$1 db=$2; shift 2
  as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$port" -d "$db" "$@"
}

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1"; }

pg_init_primary() {
  local data; data=$(PG_PRIMARY_DIR)
  [ -f "$data/PG_VERSION" ] && return 0
  log "initialising PostgreSQL primary in $data"
  mkdir -p "$LOCAL/pg" "$LOCAL/run" "$LOCAL/logs"
  chown postgres "$LOCAL/pg" "$LOCAL/run" "$LOCAL/logs" 2>/dev/null || as_root chown postgres "$LOCAL/pg" "$LOCAL/run" "$LOCAL/logs"
  chmod 1777 "$LOCAL/logs"
  as_postgres "$PGBIN/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 -A trust >/dev/null
  cat <<CONF | as_postgres tee -a "$data/postgresql.conf" >/dev/null

# --- socnet local cluster ---
listen_addresses = '127.0.0.1'
port = $SOCNET_PG_PORT
unix_socket_directories = '$LOCAL/run'
max_connections = 300
shared_buffers = 1GB
effective_cache_size = 4GB
work_mem = 16MB
maintenance_work_mem = 512MB
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
shared_preload_libraries = 'pg_stat_statements'
log_min_duration_statement = 1000
CONF
  cat <<HBA | as_postgres tee "$data/pg_hba.conf" >/dev/null
# socnet local cluster: superuser over the unix socket only, applications with a password on loopback.
local   all             postgres                                trust
host    all             all             127.0.0.1/32            scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
HBA
}

pg_start_primary() {
  local data; data=$(PG_PRIMARY_DIR)
  if pg_ready "$SOCNET_PG_PORT"; then return 0; fi
  log "starting PostgreSQL primary on :$SOCNET_PG_PORT"
  as_postgres "$PGBIN/pg_ctl" -D "$data" -l "$LOCAL/logs/pg-primary.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL primary failed to start, see $LOCAL/logs/pg-primary.log"
}

# Creates the application role and database (idempotent).
pg_bootstrap() {
  pg_psql_admin "$SOCNET_PG_PORT" postgres <<SQL
select 'create role $SOCNET_DB_USER login password ''$SOCNET_DB_PASSWORD'''
 where not exists (select 1 from pg_roles where rolname = '$SOCNET_DB_USER') \gexec
select 'create database $SOCNET_DB_NAME owner $SOCNET_DB_USER'
 where not exists (select 1 from pg_database where datname = '$SOCNET_DB_NAME') \gexec
SQL
  pg_psql_admin "$SOCNET_PG_PORT" "$SOCNET_DB_NAME" -c 'create extension if not exists pg_stat_statements'
}

# Drops and recreates a scratch database owned by the application role.
pg_recreate_db() {
  pg_psql_admin "$SOCNET_PG_PORT" postgres -c "drop database if exists $1 with (force)" -c "create database $1 owner $SOCNET_DB_USER"
}

pg_stop_primary() {
  local data; data=$(PG_PRIMARY_DIR)
  [ -f "$data/postmaster.pid" ] || return 0
  log "stopping PostgreSQL primary"
  as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}

pg_primary_pid() { local f; f="$(PG_PRIMARY_DIR)/postmaster.pid"; [ -f "$f" ] && head -n1 "$f" || echo "-"; }

# Number of rows in users (0 when the table does not exist yet).
pg_user_count() {
  PGPASSWORD=$SOCNET_DB_PASSWORD "$PGBIN/psql" -X -At -h 127.0.0.1 -p "$SOCNET_PG_PORT" -U "$SOCNET_DB_USER" -d "$SOCNET_DB_NAME" \
    -c "select case when to_regclass('users') is null then 0 else (select count(*) from users) end" 2>/dev/null || echo 0
}
