# shellcheck shell=bash
# Dialogs (issues #6, #11; docs/dialogs.md): the socnet-dialogs service and the lifecycle of its Citus
# cluster's nodes. What lives on the nodes (the distributed table, shard placement, moves) is Citus'
# business: `./socnet shards ...` (scripts/lib/shards.sh) is a thin wrapper over its functions.
#
#   coordinator  :SOCNET_DIALOGS_PG_PORT (15440), .local/dialogs/coordinator — Citus metadata and the
#                router planner; holds no shard
#   workerN      :SOCNET_DIALOGS_WORKER_BASE_PORT + N - 1, .local/dialogs/workerN — shards of
#                dialog_messages (scripts/shards/schema.sql)
#   socnet-dialogs :SOCNET_DIALOGS_PORT (18090) on 127.0.0.1, run from a copy of its jar
#                (.local/dialogs/socnet-dialogs.jar) so that a build never rewrites a running jar
#
# Every node is PostgreSQL 15 with citus in shared_preload_libraries (Citus built by
# scripts/lib/citus.sh), run as the postgres OS user. psql reaches a node as the superuser over the unix
# socket in .local/run; the nodes reach each other (Citus' connections, its shard moves' logical
# replication) over 127.0.0.1 with passwords from pg_dist_authinfo: the superuser's is generated into
# .local/secrets.env (SOCNET_DIALOGS_ADMIN_PASSWORD), the service role's is SOCNET_DB_PASSWORD.
# Hooks called by ./socnet: dialogs_cluster_ready, dialogs_cluster_up, dialogs_cluster_down,
# dialogs_status_lines, cmd_dialogs (stop/start one node), cmd_shards (scripts/lib/shards.sh).

# 32 shards: the unit of a move; enough to spread over many more workers than one machine runs.
DIALOGS_SHARDS=32
DIALOGS_DB=dialogs
# Built into .local (not socnet-dialogs/target): a `./mvnw verify` running at the same time (another
# test run) never rewrites it; the service runs from a copy (dialogs_run_jar) that only a restart replaces.
DIALOGS_BUILD_DIR=$LOCAL/dialogs/build
DIALOGS_JAR=$DIALOGS_BUILD_DIR/socnet-dialogs.jar
# Marks a data directory made for Citus (an older one of the postgres_fdw design lacks it).
DIALOGS_CITUS_MARK="# --- socnet dialogs (Citus)"

# ---------------------------------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------------------------------

dlg_dir() { echo "$LOCAL/dialogs/$1"; }

dlg_port() { # NODE: coordinator | workerN
  case $1 in
    coordinator) echo "$SOCNET_DIALOGS_PG_PORT" ;;
    worker[1-9]*) echo $((SOCNET_DIALOGS_WORKER_BASE_PORT + ${1#worker} - 1)) ;;
    *) die "unknown dialogs node '$1' (coordinator, worker1, worker2, ...)" ;;
  esac
}

# The node name of a worker port (Citus knows workers by host and port).
dlg_worker_of_port() { echo "worker$(($1 - SOCNET_DIALOGS_WORKER_BASE_PORT + 1))"; }

dlg_ready() { pg_ready "$(dlg_port "$1")"; }
dlg_pid() { local f; f="$(dlg_dir "$1")/postmaster.pid"; [ -f "$f" ] && head -n1 "$f" || echo "-"; }

# dlg_psql NODE ARGS...: psql as the superuser on NODE's dialogs database, stops at the first error.
dlg_psql() {
  local port; port=$(dlg_port "$1"); shift
  as_postgres env PGOPTIONS='-c client_min_messages=warning' \
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$port" -d "$DIALOGS_DB" "$@"
}

# dlg_value NODE SQL: the result of SQL on NODE, unaligned, no header (rows on lines, columns by '|').
dlg_value() {
  dlg_psql "$1" -At -c "$2"
}

# Workers that have a data directory, in number order.
dlg_worker_dirs() {
  local d
  for d in "$LOCAL"/dialogs/worker*/PG_VERSION; do
    [ -f "$d" ] && basename "$(dirname "$d")"
  done | sort -V
}

# Workers registered on the coordinator (pg_dist_node), in number order.
dlg_workers() {
  local port
  for port in $(dlg_value coordinator "select nodeport from pg_dist_node where groupid <> 0 and noderole = 'primary' order by nodeport"); do
    dlg_worker_of_port "$port"
  done
}

dialogs_admin_password() {
  grep '^SOCNET_DIALOGS_ADMIN_PASSWORD=' "$LOCAL/secrets.env" | head -n1 | cut -d= -f2-
}

# A data directory of the postgres_fdw design (before issue #11) cannot serve Citus: it is moved aside
# to .local/dialogs-fdw-<time> (its rows stay readable there) and a Citus cluster is made afresh.
dlg_retire_fdw_cluster() {
  local conf=$LOCAL/dialogs/coordinator/postgresql.conf
  [ -f "$conf" ] || return 0
  grep -qF "$DIALOGS_CITUS_MARK" "$conf" && return 0
  local aside; aside=$LOCAL/dialogs-fdw-$(date -u +%Y%m%dT%H%M%SZ)
  warn "the dialog cluster in $LOCAL/dialogs is of the postgres_fdw design: moving it to $aside and creating a Citus cluster (docs/decisions/0008-dialogs-on-citus.md)"
  local node
  for node in coordinator $(dlg_worker_dirs); do dlg_stop_node "$node"; done
  mkdir -p "$aside"
  local d
  for d in "$LOCAL"/dialogs/coordinator "$LOCAL"/dialogs/worker*; do [ -d "$d" ] && mv "$d" "$aside/"; done
}

dlg_init_node() { # NODE
  local node=$1 data; data=$(dlg_dir "$1")
  [ -f "$data/PG_VERSION" ] && return 0
  log "initialising dialogs PostgreSQL $node (Citus) in $data"
  pg_prepare_dirs
  mkdir -p "$LOCAL/dialogs"
  chown postgres "$LOCAL/dialogs"
  as_postgres "$PGBIN/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 -A trust >/dev/null
  cat <<CONF | as_postgres tee -a "$data/postgresql.conf" >/dev/null

$DIALOGS_CITUS_MARK: $node ---
listen_addresses = '127.0.0.1'
port = $(dlg_port "$node")
unix_socket_directories = '$LOCAL/run'
shared_preload_libraries = 'citus'
max_connections = 300
shared_buffers = 256MB
work_mem = 16MB
log_min_duration_statement = 1000
# Citus moves shards with logical replication (publication on the source, subscription on the target)
wal_level = logical
max_wal_senders = 20
max_replication_slots = 20
max_worker_processes = 32
# A worker that is down answers "connection refused" at once; one that hangs costs at most this much.
citus.node_connection_timeout = 2000
# Loopback between the nodes: no TLS (Citus' default is sslmode=require with a self-signed certificate)
citus.node_conninfo = 'sslmode=disable'
# Per-dialog query counts for ./socnet shards hot (citus_stat_tenants), over 60 s periods
citus.stat_tenants_track = 'all'
citus.stat_tenants_period = 60
CONF
  dlg_hba_rules "$node" | as_postgres tee "$data/pg_hba.conf" >/dev/null
}

# Client authentication of a dialogs node: the postgres OS user as the superuser over the unix socket
# (peer; the socket directory is mode 0700, see pg_prepare_dirs) and, with its password, over loopback
# (Citus between the nodes); the service's role with its password on loopback.
dlg_hba_rules() { # NODE
  cat <<HBA
# socnet dialogs $1: written by ./socnet (scripts/lib/dialogs.sh)
local   all             postgres                                peer
host    all             all             127.0.0.1/32            scram-sha-256
HBA
}

# A running NODE whose pg_hba.conf differs from ours (e.g. the `trust` of older checkouts) gets ours,
# reloaded.
dlg_auth_sync() { # NODE
  local data; data=$(dlg_dir "$1")
  [ "$(as_postgres cat "$data/pg_hba.conf" 2>/dev/null)" = "$(dlg_hba_rules "$1")" ] && return 0
  log "dialogs PostgreSQL $1: client authentication rules updated (pg_hba.conf)"
  dlg_hba_rules "$1" | as_postgres tee "$data/pg_hba.conf" >/dev/null
  as_postgres "$PGBIN/pg_ctl" reload -s -D "$data" >/dev/null
}

# PostgreSQL 15.19+ accepts only the logical decoding output plugins listed in output_plugin_libraries
# (CVE-2026-6471; default 'pgoutput, test_decoding'). Citus' shard split (isolate_tenant_to_new_shard)
# decodes with its own plugin, "citus": added on a running NODE whose server has the setting (older
# ones have no such setting and allow every plugin), with ALTER SYSTEM and a reload. Asks the server
# itself: an earlier `postgres --describe-config | grep -q` lost the race with SIGPIPE under pipefail
# now and then, and the setting was silently never written (CI: isolate failed with "library citus
# may not be used as an output plugin").
dlg_ensure_output_plugins() { # NODE
  local allowed
  allowed=$(dlg_value "$1" "select coalesce(current_setting('output_plugin_libraries', true), '')") \
    || die "dialogs $1: cannot read output_plugin_libraries"
  [ -n "$allowed" ] || return 0
  [[ ",${allowed// /}," == *,citus,* ]] && return 0
  log "dialogs $1: allowing Citus' logical decoding plugin (output_plugin_libraries = $allowed, citus)"
  # a list setting: one quoted literal per element (a single literal would be one element)
  local list
  list=$(dlg_value "$1" "select string_agg(quote_literal(btrim(p)), ', ')
                           from unnest(string_to_array(current_setting('output_plugin_libraries') || ',citus', ',')) p
                          where btrim(p) <> ''")
  dlg_value "$1" "alter system set output_plugin_libraries = $list" >/dev/null
  dlg_value "$1" "select pg_reload_conf()" >/dev/null
  local i
  for i in $(seq 1 20); do
    [[ ",$(dlg_value "$1" "show output_plugin_libraries" | tr -d ' ')," == *,citus,* ]] && return 0
    sleep 0.25
  done
  die "dialogs $1: output_plugin_libraries still lacks citus after a reload"
}

dlg_start_node() { # NODE
  local node=$1 data; data=$(dlg_dir "$1")
  if dlg_ready "$node"; then
    local pid; pid=$(dlg_pid "$node")
    [ "$pid" != - ] && binary_replaced "$pid" || return 0
    warn "dialogs PostgreSQL $node runs binaries replaced by a package upgrade: restarting it"
    dlg_stop_node "$node"
  fi
  [ -f "$data/PG_VERSION" ] || die "dialogs PostgreSQL $node does not exist"
  log "starting dialogs PostgreSQL $node on :$(dlg_port "$node")"
  # 8>&- 9>&-: the server must not inherit the shard tool's or cluster_up's lock (flock) descriptors
  as_postgres "$PGBIN/pg_ctl" -D "$data" -l "$LOCAL/logs/dialogs-$node.log" -w -t 120 start >/dev/null 8>&- 9>&- \
    || die "dialogs PostgreSQL $node failed to start, see $LOCAL/logs/dialogs-$node.log"
}

dlg_stop_node() { # NODE
  local node=$1 data; data=$(dlg_dir "$1")
  [ -f "$data/postmaster.pid" ] || return 0
  log "stopping dialogs PostgreSQL $node"
  as_postgres "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || true
}

# On NODE (idempotent): the superuser's password (Citus connects over loopback), the service's role,
# the dialogs database and the citus extension in it.
dlg_bootstrap_node() { # NODE
  local port; port=$(dlg_port "$1")
  dlg_auth_sync "$1"
  as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$port" -d postgres <<SQL
alter role postgres password '$(dialogs_admin_password)';
select 'create role $SOCNET_DB_USER login'
 where not exists (select 1 from pg_roles where rolname = '$SOCNET_DB_USER') \gexec
alter role $SOCNET_DB_USER password '$SOCNET_DB_PASSWORD';
alter role $SOCNET_DB_USER set statement_timeout = '${SOCNET_DIALOGS_STATEMENT_TIMEOUT:-25s}';
select 'create database $DIALOGS_DB'
 where not exists (select 1 from pg_database where datname = '$DIALOGS_DB') \gexec
SQL
  # The passwords Citus' connections from this node use (to any node: nodeid 0), including the shard
  # moves' subscriptions on a target worker (citus_use_authinfo). Not synced by Citus: set on each node.
  dlg_psql "$1" <<SQL
create extension if not exists citus;
delete from pg_dist_authinfo where nodeid = 0 and rolename in ('postgres', '$SOCNET_DB_USER');
insert into pg_dist_authinfo (nodeid, rolename, authinfo)
values (0, 'postgres', 'password=$(dialogs_admin_password)'), (0, '$SOCNET_DB_USER', 'password=$SOCNET_DB_PASSWORD');
SQL
  dlg_ensure_output_plugins "$1"
}

# The coordinator's Citus metadata: the coordinator itself, WORKERS...
# registered (citus_add_node is idempotent), then the distributed table (scripts/shards/schema.sql).
dlg_bootstrap_coordinator() { # WORKERS...
  dlg_value coordinator "select citus_set_coordinator_host('127.0.0.1', $SOCNET_DIALOGS_PG_PORT)" >/dev/null
  local w
  for w in "$@"; do dlg_add_worker "$w"; done
  dlg_psql coordinator -v app_user="$SOCNET_DB_USER" -v shard_count="$DIALOGS_SHARDS" < scripts/shards/schema.sql >/dev/null
}

# Registers WORKER on the coordinator (citus_add_node; a registered one is left as it is).
dlg_add_worker() { # WORKER
  dlg_value coordinator "select citus_add_node('127.0.0.1', $(dlg_port "$1"))" >/dev/null
}

# ---------------------------------------------------------------------------------------------------
# The socnet-dialogs service
# ---------------------------------------------------------------------------------------------------

dialogs_pidfile() { echo "$LOCAL/run/dialogs.pid"; }
dialogs_run_jar() { echo "$LOCAL/dialogs/socnet-dialogs.jar"; }
dialogs_service_ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$SOCNET_DIALOGS_PORT/actuator/health/readiness"; }

# The shared secret the gateway (the app) sends and the service checks: generated once, kept with
# the other secrets in .local/secrets.env.
dialogs_ensure_secret() {
  grep -q '^SOCNET_DIALOGS_SECRET=' "$LOCAL/secrets.env" 2>/dev/null && return 0
  log "generating SOCNET_DIALOGS_SECRET into .local/secrets.env"
  (umask 077; printf 'SOCNET_DIALOGS_SECRET=%s\n' "$(random_hex 32)" >> "$LOCAL/secrets.env")
}

# Builds the service jar when it is missing or older than any of its sources or poms.
dialogs_service_build() {
  find_java
  if [ -f "$DIALOGS_JAR" ] && [ -z "$(find pom.xml socnet-dialogs/pom.xml socnet-dialogs/src socnet-web-support/pom.xml socnet-web-support/src -newer "$DIALOGS_JAR" -print -quit)" ]; then
    return 0
  fi
  log "building socnet-dialogs (./mvnw package)"
  # removed first: Maven keeps a jar whose module's own classes did not change, even when a module it
  # depends on (socnet-web-support) did
  rm -f "$DIALOGS_JAR"
  ./mvnw -q -B -DskipTests -Ddialogs.build.directory="$DIALOGS_BUILD_DIR" -pl socnet-dialogs -am package \
    >"$LOCAL/logs/build-dialogs.log" 2>&1 \
    || { tail -n 40 "$LOCAL/logs/build-dialogs.log" >&2; die "socnet-dialogs build failed, see $LOCAL/logs/build-dialogs.log"; }
}

dialogs_service_start() {
  local run_jar; run_jar=$(dialogs_run_jar)
  if pid_alive "$(dialogs_pidfile)" && cmp -s "$DIALOGS_JAR" "$run_jar" && dialogs_service_ready; then return 0; fi
  pid_alive "$(dialogs_pidfile)" && dialogs_service_stop   # a newer build, or not healthy
  find_java
  cp "$DIALOGS_JAR" "$run_jar"
  log "starting socnet-dialogs on 127.0.0.1:$SOCNET_DIALOGS_PORT"
  (
    load_socnet_env
    set -a
    # shellcheck disable=SC1091
    . "$LOCAL/secrets.env"
    set +a
    nohup "$JAVA" -XX:+UseZGC -Xms256m -Xmx1g -jar "$run_jar" >"$LOCAL/logs/dialogs.log" 2>&1 8>&- 9>&- &
    echo $! > "$(dialogs_pidfile)"
  )
  wait_for 300 socnet-dialogs dialogs_service_ready \
    || { tail -n 40 "$LOCAL/logs/dialogs.log" >&2; die "socnet-dialogs did not become healthy, see $LOCAL/logs/dialogs.log"; }
}

dialogs_service_stop() { stop_pid "$(dialogs_pidfile)" socnet-dialogs; }

# ---------------------------------------------------------------------------------------------------
# Hooks of ./socnet
# ---------------------------------------------------------------------------------------------------

dialogs_cluster_ready() {
  dlg_ready coordinator || return 1
  local w
  for w in $(dlg_worker_dirs); do dlg_ready "$w" || return 1; done
  dialogs_service_ready
}

dialogs_ensure_admin_password() {
  grep -q '^SOCNET_DIALOGS_ADMIN_PASSWORD=' "$LOCAL/secrets.env" 2>/dev/null && return 0
  log "generating SOCNET_DIALOGS_ADMIN_PASSWORD into .local/secrets.env"
  (umask 077; printf 'SOCNET_DIALOGS_ADMIN_PASSWORD=%s\n' "$(random_hex 24)" >> "$LOCAL/secrets.env")
}

# Creates (first time) and starts the coordinator, the workers and the service. Serialised by a
# lock: concurrent `./socnet test` runs call it together.
dialogs_cluster_up() {
  mkdir -p "$LOCAL/run" "$LOCAL/logs"
  # stdout to stderr: ./socnet test reads infra_up's stdout (the names of the components it started)
  (
    flock -w 900 9 || die "another ./socnet holds $LOCAL/run/dialogs.lock for 15 minutes"
    citus_ensure_installed
    dialogs_ensure_secret
    dialogs_ensure_admin_password
    dlg_retire_fdw_cluster
    [ -n "$(dlg_worker_dirs)" ] || { dlg_init_node worker1; dlg_init_node worker2; }
    local w
    for w in $(dlg_worker_dirs); do
      dlg_init_node "$w"
      dlg_start_node "$w"
      dlg_bootstrap_node "$w"
    done
    dlg_init_node coordinator
    dlg_start_node coordinator
    dlg_bootstrap_node coordinator
    # shellcheck disable=SC2046
    dlg_bootstrap_coordinator $(dlg_worker_dirs)
    dialogs_service_build
    dialogs_service_start
  ) 9>"$LOCAL/run/dialogs.lock" >&2
}

dialogs_cluster_down() {
  dialogs_service_stop
  local w
  for w in $(dlg_worker_dirs); do dlg_stop_node "$w"; done
  dlg_stop_node coordinator
}

# Health of a node: down, up, or up on replaced binaries (a package upgrade under it: ./socnet up
# restarts it).
dlg_health() { # NODE
  dlg_ready "$1" || { echo down; return; }
  local pid; pid=$(dlg_pid "$1")
  if [ "$pid" != - ] && binary_replaced "$pid"; then echo "up, binaries replaced under it (./socnet up restarts it)"; else echo up; fi
}

dialogs_status_lines() {
  local fmt='%-12s %-7s %-9s %s\n' h w n
  h=$(dlg_health coordinator)
  if [ "$h" = up ]; then
    n=$(dlg_value coordinator "select count(*) from pg_dist_node where groupid <> 0" 2>/dev/null || echo '?')
    h="up (Citus coordinator, $n workers)"
  fi
  # shellcheck disable=SC2059
  printf "$fmt" dlg-coord "$SOCNET_DIALOGS_PG_PORT" "$(dlg_pid coordinator)" "$h"
  for w in $(dlg_worker_dirs); do
    h=$(dlg_health "$w")
    if [ "$h" = up ]; then
      n=$(dlg_value coordinator "select count(*) from citus_shards where table_name = 'dialog_messages'::regclass and nodeport = $(dlg_port "$w")" 2>/dev/null || echo '?')
      h="up ($n shards)"
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "dlg-$w" "$(dlg_port "$w")" "$(dlg_pid "$w")" "$h"
  done
  h=down; dialogs_service_ready && h=up
  # shellcheck disable=SC2059
  printf "$fmt" dialogs "$SOCNET_DIALOGS_PORT" "$(pid_of "$(dialogs_pidfile)")" "$h"
}

# ./socnet dialogs stop|start NODE: one node of the dialog cluster (a worker down makes only its
# shards' dialogs answer 503; the coordinator down, all of them).
cmd_dialogs() {
  local action=${1:-} node=${2:-}
  [ -n "$node" ] || die "usage: ./socnet dialogs stop|start NODE (coordinator, $(dlg_worker_dirs | tr '\n' ' '))"
  dlg_port "$node" >/dev/null
  [ -f "$(dlg_dir "$node")/PG_VERSION" ] || die "dialogs node $node does not exist"
  case $action in
    stop) dlg_stop_node "$node" ;;
    start) dlg_start_node "$node" ;;
    *) die "usage: ./socnet dialogs stop|start NODE" ;;
  esac
}
