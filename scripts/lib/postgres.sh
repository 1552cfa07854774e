# shellcheck shell=bash
# The project's own PostgreSQL nodes under .local/pg/NODE, run as the postgres OS user:
# one primary and two streaming replicas (pg_basebackup -R, physical replication slots), quorum
# commit: synchronous_commit=on, synchronous_standby_names='ANY 1 (<the other two nodes>)'.
# Node names (primary, replica1, replica2) are stable ids and each node's application_name;
# the role of a node changes with `./socnet failover`; .local/pg/primary-node names the primary.

PG_NODES=(primary replica1 replica2)

pg_node_port() {
  case $1 in
    primary) echo "$SOCNET_PG_PORT" ;;
    replica1) echo "$SOCNET_PG_REPLICA1_PORT" ;;
    replica2) echo "$SOCNET_PG_REPLICA2_PORT" ;;
    *) die "unknown PostgreSQL node '$1' (nodes: ${PG_NODES[*]})" ;;
  esac
}
pg_node_dir() { echo "$LOCAL/pg/$1"; }

# The node that is the primary now (after failovers it need not be the node named "primary").
pg_primary_node() {
  local f=$LOCAL/pg/primary-node
  [ -s "$f" ] && cat "$f" || echo primary
}
pg_primary_port() { pg_node_port "$(pg_primary_node)"; }
pg_other_nodes() { local n; for n in "${PG_NODES[@]}"; do [ "$n" != "$1" ] && echo "$n"; done; }

# JDBC URLs of the app: every node listed; PgJDBC picks the host by role and fails over.
pg_jdbc_hosts() { echo "127.0.0.1:$SOCNET_PG_PORT,127.0.0.1:$SOCNET_PG_REPLICA1_PORT,127.0.0.1:$SOCNET_PG_REPLICA2_PORT"; }
pg_jdbc_primary_url() { # DB
  echo "jdbc:postgresql://$(pg_jdbc_hosts)/$1?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&socketTimeout=10"
}
pg_jdbc_replica_url() { # DB
  echo "jdbc:postgresql://$(pg_jdbc_hosts)/$1?targetServerType=preferSecondary&loadBalanceHosts=true&hostRecheckSeconds=1&connectTimeout=2&socketTimeout=10"
}

pg_psql_admin() { # pg_psql_admin PORT DB ARGS...: psql as superuser over the unix socket
  local port=$1 db=$2; shift 2
  as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$port" -d "$db" "$@"
}
pg_query() { # pg_query PORT SQL: one value, unaligned
  as_postgres "$PGBIN/psql" -X -At -h "$LOCAL/run" -p "$1" -d postgres -c "$2" 2>/dev/null
}

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1"; }
pg_node_ready() { pg_ready "$(pg_node_port "$1")"; }
pg_node_pid() { local f; f="$(pg_node_dir "$1")/postmaster.pid"; [ -f "$f" ] && head -n1 "$f" || echo "-"; }

pg_prepare_dirs() {
  mkdir -p "$LOCAL/pg" "$LOCAL/run" "$LOCAL/logs"
  chown postgres "$LOCAL/pg" "$LOCAL/run" 2>/dev/null || as_root chown postgres "$LOCAL/pg" "$LOCAL/run"
  chmod 1777 "$LOCAL/logs"
}

pg_init_primary() {
  local data; data=$(pg_node_dir primary)
  [ -f "$data/PG_VERSION" ] && return 0
  [ -s "$LOCAL/pg/primary-node" ] && return 0 # the cluster exists; the node named primary was rebuilt elsewhere
  log "initialising PostgreSQL primary in $data"
  pg_prepare_dirs
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
wal_keep_size = 1GB
hot_standby = on
hot_standby_feedback = on
wal_log_hints = on
synchronous_commit = on
synchronous_standby_names = 'ANY 1 (replica1, replica2)'
shared_preload_libraries = 'pg_stat_statements'
log_min_duration_statement = 1000
CONF
  cat <<HBA | as_postgres tee "$data/pg_hba.conf" >/dev/null
# socnet local cluster: superuser over the unix socket only, applications with a password on loopback.
local   all             postgres                                trust
local   replication     postgres                                trust
host    all             all             127.0.0.1/32            scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
HBA
  echo primary > "$LOCAL/pg/primary-node"
}

# Points NODE at the current primary: standby.signal, primary_conninfo with application_name=NODE
# (the name quorum commit counts) and its replication slot.
pg_configure_standby() { # NODE PRIMARY_NODE
  local node=$1 primary=$2 data; data=$(pg_node_dir "$1")
  as_postgres touch "$data/standby.signal"
  cat <<CONF | as_postgres tee "$data/postgresql.auto.conf" >/dev/null
# written by ./socnet: $node streams from $primary
port = $(pg_node_port "$node")
primary_conninfo = 'host=$LOCAL/run port=$(pg_node_port "$primary") user=postgres application_name=$node'
primary_slot_name = '$node'
synchronous_standby_names = 'ANY 1 ($(pg_other_nodes "$node" | paste -sd, - | sed 's/,/, /g'))'
CONF
}

pg_ensure_slot() { # PRIMARY_PORT SLOT
  pg_query "$1" "select pg_create_physical_replication_slot('$2') where not exists (select 1 from pg_replication_slots where slot_name = '$2')" >/dev/null
}

pg_init_replica() {
  local node=$1 data; data=$(pg_node_dir "$1")
  [ -f "$data/PG_VERSION" ] && return 0
  local primary; primary=$(pg_primary_node)
  log "creating $node: pg_basebackup from $primary"
  pg_prepare_dirs
  pg_ensure_slot "$(pg_primary_port)" "$node"
  as_postgres "$PGBIN/pg_basebackup" -h "$LOCAL/run" -p "$(pg_primary_port)" -U postgres -D "$data" -X stream -c fast >/dev/null \
    || die "pg_basebackup for $node failed"
  pg_configure_standby "$node" "$primary"
}

pg_start_node() {
  local node=$1 data; data=$(pg_node_dir "$1")
  if pg_node_ready "$node"; then
    local pid; pid=$(pg_node_pid "$node")
    [ "$pid" != - ] && binary_replaced "$pid" || return 0
    warn "PostgreSQL $node runs binaries replaced by a package upgrade: restarting it"
    as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || true
  fi
  [ -f "$data/PG_VERSION" ] || die "PostgreSQL node $node does not exist (run ./socnet up)"
  log "starting PostgreSQL $node on :$(pg_node_port "$node")"
  as_postgres "$PGBIN/pg_ctl" -D "$data" -l "$LOCAL/logs/pg-$node.log" -w -t 120 start >/dev/null \
    || die "PostgreSQL $node failed to start, see $LOCAL/logs/pg-$node.log"
}

pg_stop_node() { # NODE [MODE]
  local node=$1 mode=${2:-fast} data; data=$(pg_node_dir "$1")
  [ -f "$data/postmaster.pid" ] || return 0
  log "stopping PostgreSQL $node ($mode)"
  as_postgres "$PGBIN/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null || true
}

# Starts the whole cluster: the primary first, then the replicas (created on first use).
pg_cluster_up() {
  pg_init_primary
  pg_start_node "$(pg_primary_node)"
  local n
  for n in $(pg_other_nodes "$(pg_primary_node)"); do
    pg_init_replica "$n"
    pg_rejoin_if_needed "$n"
    pg_start_node "$n"
  done
  # after the replicas: with quorum commit, a write on the primary waits for one of them
  wait_for 60 "a synchronous replica" pg_sync_replica_connected || warn "no synchronous replica: writes will wait"
  pg_bootstrap
}

pg_sync_replica_connected() {
  [ "$(pg_query "$(pg_primary_port)" "select count(*) from pg_stat_replication where sync_state in ('sync','quorum') and state = 'streaming'")" -ge 1 ] 2>/dev/null
}

pg_cluster_down() {
  local n
  for n in $(pg_other_nodes "$(pg_primary_node)"); do pg_stop_node "$n"; done
  pg_stop_node "$(pg_primary_node)"
}

pg_cluster_ready() { pg_ready "$(pg_primary_port)"; }

# A node that is not the primary but has no standby.signal was the primary before a failover:
# rewind it to the new primary's timeline (pg_rewind) and make it a standby. Needs the new primary up.
pg_rejoin_if_needed() {
  local node=$1 data; data=$(pg_node_dir "$1")
  [ "$node" = "$(pg_primary_node)" ] && return 0
  [ -f "$data/standby.signal" ] && return 0
  local primary; primary=$(pg_primary_node)
  log "$node was a primary: rewinding it onto $primary's timeline (pg_rewind) and making it a replica"
  pg_ensure_slot "$(pg_primary_port)" "$node"
  # A freshly promoted source must checkpoint first, or its control file still shows the old
  # timeline and the rewound node cannot follow the new one (pg_rewind docs, "Notes").
  pg_query "$(pg_primary_port)" "checkpoint" >/dev/null
  as_postgres "$PGBIN/pg_rewind" --target-pgdata="$data" \
    --source-server="host=$LOCAL/run port=$(pg_primary_port) user=postgres dbname=postgres" >>"$LOCAL/logs/pg-$node.log" 2>&1 \
    || die "pg_rewind of $node failed, see $LOCAL/logs/pg-$node.log (the data directory is kept)"
  pg_configure_standby "$node" "$primary"
}

# Creates the application role and database (idempotent).
pg_bootstrap() {
  local port; port=$(pg_primary_port)
  pg_psql_admin "$port" postgres <<SQL
select 'create role $SOCNET_DB_USER login password ''$SOCNET_DB_PASSWORD'''
 where not exists (select 1 from pg_roles where rolname = '$SOCNET_DB_USER') \gexec
select 'create database $SOCNET_DB_NAME owner $SOCNET_DB_USER'
 where not exists (select 1 from pg_database where datname = '$SOCNET_DB_NAME') \gexec
SQL
  pg_psql_admin "$port" "$SOCNET_DB_NAME" -c 'create extension if not exists pg_stat_statements' 2>/dev/null
}

# Drops and recreates a scratch database owned by the application role.
pg_recreate_db() {
  pg_psql_admin "$(pg_primary_port)" postgres -c "drop database if exists $1 with (force)" -c "create database $1 owner $SOCNET_DB_USER"
  pg_psql_admin "$(pg_primary_port)" "$1" -c 'create extension if not exists pg_stat_statements' 2>/dev/null
}

# Promotes NODE (default: the running replica that has replayed the most WAL), points the other
# running replica at it, and records it as the primary. The old primary, if still running, is
# stopped first (no split brain); it rejoins as a replica on `./socnet db start`.
pg_failover() {
  local old; old=$(pg_primary_node)
  local target=${1:-}
  if [ -z "$target" ]; then
    local best=-1 n lsn
    for n in $(pg_other_nodes "$old"); do
      pg_node_ready "$n" || continue
      lsn=$(pg_query "$(pg_node_port "$n")" "select pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint")
      [ -n "$lsn" ] && [ "$lsn" -gt "$best" ] && { best=$lsn; target=$n; }
    done
    [ -n "$target" ] || die "no running replica to promote"
  fi
  [ "$target" = "$old" ] && die "$target is already the primary"
  pg_node_ready "$target" || die "$target is not running"
  local t0=$SECONDS
  pg_stop_node "$old" fast
  log "promoting $target"
  pg_query "$(pg_node_port "$target")" "select pg_promote(true, 60)" >/dev/null || die "promotion of $target failed"
  pg_query "$(pg_node_port "$target")" "checkpoint" >/dev/null
  as_postgres rm -f "$(pg_node_dir "$target")/standby.signal"
  echo "$target" > "$LOCAL/pg/primary-node"
  local port n; port=$(pg_node_port "$target")
  for n in $(pg_other_nodes "$target"); do pg_ensure_slot "$port" "$n"; done
  for n in $(pg_other_nodes "$target"); do
    [ "$n" = "$old" ] && continue
    pg_configure_standby "$n" "$target"
    if pg_node_ready "$n"; then
      pg_query "$(pg_node_port "$n")" "select pg_reload_conf()" >/dev/null
      log "$n now streams from $target"
    fi
  done
  log "failover done in $((SECONDS - t0)) s: $target is the primary; run ./socnet db start $old to bring $old back as a replica"
}

# Delays WAL replay on a replica by MS milliseconds (recovery_min_apply_delay): a lagging replica on
# demand, for read-your-writes demos and tests. 0 removes the delay.
pg_set_apply_delay() { # NODE MS
  local port; port=$(pg_node_port "$1")
  [ "$(pg_query "$port" 'select pg_is_in_recovery()')" = t ] || die "$1 is not a running replica"
  pg_query "$port" "alter system set recovery_min_apply_delay = '${2}ms'" >/dev/null
  pg_query "$port" "select pg_reload_conf()" >/dev/null
  log "$1 replays WAL ${2} ms late"
}

# Number of rows in users (0 when the table does not exist yet).
pg_user_count() {
  PGPASSWORD=$SOCNET_DB_PASSWORD "$PGBIN/psql" -X -At -h 127.0.0.1 -p "$(pg_primary_port)" -U "$SOCNET_DB_USER" -d "$SOCNET_DB_NAME" \
    -c "select case when to_regclass('users') is null then 0 else (select count(*) from users) end" 2>/dev/null || echo 0
}

# One line per node: name, port, pid, role, replication state/sync state, replay lag (bytes, ms).
pg_status_lines() {
  local primary; primary=$(pg_primary_node)
  local pport; pport=$(pg_primary_port)
  local n port role repl
  for n in "${PG_NODES[@]}"; do
    port=$(pg_node_port "$n")
    if ! pg_ready "$port"; then
      printf '%-12s %-7s %-9s %s\n' "pg-$n" "$port" "-" "down"
      continue
    fi
    if [ "$(pg_query "$port" 'select pg_is_in_recovery()')" = t ]; then
      role=replica
      repl=$(pg_query "$pport" "select coalesce(state,'?') || ', ' || coalesce(sync_state,'?') || ', lag ' ||
        coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, 0) || ' B, ' ||
        coalesce(round(extract(epoch from replay_lag) * 1000)::bigint, 0) || ' ms'
        from pg_stat_replication where application_name = '$n'")
      [ -n "$repl" ] || repl="not streaming from $primary"
    else
      role="primary"
      repl="sync: $(pg_query "$port" 'show synchronous_standby_names'), $(pg_user_count) users"
    fi
    local pid; pid=$(pg_node_pid "$n")
    [ "$pid" != - ] && binary_replaced "$pid" && repl+="; binaries replaced under it (./socnet up restarts it)"
    printf '%-12s %-7s %-9s %s\n' "pg-$n" "$port" "$pid" "up ($role; $repl)"
  done
}
