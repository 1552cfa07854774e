# shellcheck shell=bash
# Dialogs (issue #6, docs/dialogs.md): the socnet-dialogs service and its sharded PostgreSQL, and the
# shard tool `./socnet shards ...`.
#
#   coordinator  :SOCNET_DIALOGS_PG_PORT (15440), .local/dialogs/coordinator — dialog_messages
#                PARTITION BY HASH (dialog_id), DIALOGS_PARTITIONS partitions, each a postgres_fdw
#                foreign table on one worker (scripts/shards/coordinator.sql)
#   workerN      :SOCNET_DIALOGS_WORKER_BASE_PORT + N - 1, .local/dialogs/workerN — one real table per
#                partition it holds (scripts/shards/partition.sql); wal_level=logical for moves
#   socnet-dialogs :SOCNET_DIALOGS_PORT (18090) on 127.0.0.1, run from a copy of its jar
#                (.local/dialogs/socnet-dialogs.jar) so that a build never rewrites a running jar
#
# The PostgreSQL nodes run as the postgres OS user; psql reaches them as the superuser over the unix
# socket in .local/run, the service and the coordinator's user mappings as SOCNET_DB_USER with its
# password over 127.0.0.1. Hooks called by ./socnet: dialogs_cluster_ready, dialogs_cluster_up,
# dialogs_cluster_down, dialogs_status_lines, cmd_shards.

# 32 hash partitions: enough to spread over many more workers than one machine runs (a partition is
# the unit of a move), few enough that the coordinator plans a pruned query in ~0.1 ms.
DIALOGS_PARTITIONS=32
DIALOGS_DB=dialogs
# Built into .local (not socnet-dialogs/target): a `./mvnw verify` running at the same time (another
# test run) never rewrites it; the service runs from a copy (dialogs_run_jar) that only a restart replaces.
DIALOGS_BUILD_DIR=$LOCAL/dialogs/build
DIALOGS_JAR=$DIALOGS_BUILD_DIR/socnet-dialogs.jar
# Cut-over of a move (see shard_cutover in scripts/shards/coordinator.sql). The lock wait is how long
# dialog traffic may queue behind a cut-over that cannot start; the catch-up wait how long it may
# queue while the subscription confirms the last WAL; a cut-over over either limit is rolled back
# (the old placement keeps serving) and tried again. Both well inside the gateway's 10 s read timeout.
SHARDS_CUTOVER_LOCK_TIMEOUT_MS=${SHARDS_CUTOVER_LOCK_TIMEOUT_MS:-500}
SHARDS_CUTOVER_CATCHUP_TIMEOUT_MS=${SHARDS_CUTOVER_CATCHUP_TIMEOUT_MS:-2000}
SHARDS_CUTOVER_ATTEMPTS=${SHARDS_CUTOVER_ATTEMPTS:-10}
# A cut-over starts only when the subscription is this close to the source (bytes of WAL), so that
# the final catch-up under the lock is short.
SHARDS_CUTOVER_MAX_LAG_BYTES=${SHARDS_CUTOVER_MAX_LAG_BYTES:-1048576}

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

# Workers the coordinator routes to (its foreign servers), in number order.
dlg_workers() {
  dlg_value coordinator "select srvname from pg_foreign_server where srvname ~ '^worker[0-9]+$' order by substr(srvname, 7)::int"
}

dlg_init_node() { # NODE
  local node=$1 data; data=$(dlg_dir "$1")
  [ -f "$data/PG_VERSION" ] && return 0
  log "initialising dialogs PostgreSQL $node in $data"
  pg_prepare_dirs
  mkdir -p "$LOCAL/dialogs"
  chown postgres "$LOCAL/dialogs"
  as_postgres "$PGBIN/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 -A trust >/dev/null
  local extra
  if [ "$node" = coordinator ]; then
    # The coordinator only routes: one postgres_fdw connection per worker and per backend.
    extra="max_connections = 200
shared_buffers = 256MB"
  else
    # Logical replication moves partitions off a worker (publication) and onto it (subscription).
    # Each coordinator backend holds one connection to each worker: room for two coordinators' worth.
    extra="max_connections = 400
shared_buffers = 256MB
wal_level = logical
max_wal_senders = 20
max_replication_slots = 20
max_logical_replication_workers = 16
max_worker_processes = 24
max_sync_workers_per_subscription = 2
wal_retrieve_retry_interval = 1s"
  fi
  cat <<CONF | as_postgres tee -a "$data/postgresql.conf" >/dev/null

# --- socnet dialogs: $node ---
listen_addresses = '127.0.0.1'
port = $(dlg_port "$node")
unix_socket_directories = '$LOCAL/run'
$extra
work_mem = 16MB
log_min_duration_statement = 1000
CONF
  cat <<HBA | as_postgres tee "$data/pg_hba.conf" >/dev/null
# socnet dialogs $node: the superuser over the unix socket only (the shard tool, logical replication
# between workers), the service and the coordinator's postgres_fdw with a password on loopback.
local   all             postgres                                trust
host    all             all             127.0.0.1/32            scram-sha-256
HBA
}

dlg_start_node() { # NODE
  local node=$1 data; data=$(dlg_dir "$1")
  dlg_ready "$node" && return 0
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

# The application role and the dialogs database on NODE (idempotent).
dlg_bootstrap_node() { # NODE
  local port; port=$(dlg_port "$1")
  as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$port" -d postgres <<SQL
select 'create role $SOCNET_DB_USER login password ''$SOCNET_DB_PASSWORD'''
 where not exists (select 1 from pg_roles where rolname = '$SOCNET_DB_USER') \gexec
select 'create database $DIALOGS_DB'
 where not exists (select 1 from pg_database where datname = '$DIALOGS_DB') \gexec
SQL
}

# Makes the coordinator route to WORKER: a foreign server and the user mapping its queries use.
dlg_register_worker() { # WORKER
  local worker=$1
  dlg_psql coordinator <<SQL
select format('create server %I foreign data wrapper postgres_fdw options (host %L, port %L, dbname %L)',
              '$worker', '127.0.0.1', '$(dlg_port "$worker")', '$DIALOGS_DB')
 where not exists (select 1 from pg_foreign_server where srvname = '$worker') \gexec
select format('create user mapping for public server %I options (user %L, password %L)',
              '$worker', '$SOCNET_DB_USER', '$SOCNET_DB_PASSWORD')
 where not exists (select 1 from pg_user_mappings where srvname = '$worker' and usename = 'public') \gexec
SQL
}

dlg_partition_table() { # REMAINDER → dialog_messages_pNN
  printf 'dialog_messages_p%02d' "$((10#$1))"
}

# Accepts 7, 07, p07 or dialog_messages_p07; prints dialog_messages_p07.
dlg_parse_partition() {
  local p=${1#dialog_messages_}
  p=${p#p}
  [[ $p =~ ^[0-9]+$ ]] && [ "$((10#$p))" -lt "$DIALOGS_PARTITIONS" ] \
    || die "no partition '$1' (0..$((DIALOGS_PARTITIONS - 1)), p07 or dialog_messages_p07)"
  dlg_partition_table "$p"
}

# The worker that serves TABLE now (the server of its foreign partition on the coordinator).
dlg_placement() { # TABLE
  dlg_value coordinator "select s.srvname from pg_foreign_table ft join pg_foreign_server s on s.oid = ft.ftserver
                          where ft.ftrelid = to_regclass('$1')"
}

# Creates TABLE on WORKER (scripts/shards/partition.sql).
dlg_create_partition_table() { # WORKER TABLE
  dlg_psql "$1" -v table="$2" -v pkey="$2_pkey" -v app_user="$SOCNET_DB_USER" < scripts/shards/partition.sql
}

# The coordinator's schema (scripts/shards/coordinator.sql, idempotent).
dlg_bootstrap_coordinator() {
  dlg_psql coordinator -v app_user="$SOCNET_DB_USER" < scripts/shards/coordinator.sql
}

# Every partition placed (round robin over the workers) unless it is.
dlg_place_partitions() {
  local workers=() w
  while read -r w; do [ -n "$w" ] && workers+=("$w"); done < <(dlg_workers)
  [ ${#workers[@]} -gt 0 ] || die "the dialogs coordinator has no workers"
  local placed
  placed=$(dlg_value coordinator "select count(*) from pg_inherits where inhparent = 'dialog_messages'::regclass")
  [ "$placed" -ge "$DIALOGS_PARTITIONS" ] && return 0
  log "placing $DIALOGS_PARTITIONS dialog partitions over ${workers[*]}"
  local r table worker
  for ((r = 0; r < DIALOGS_PARTITIONS; r++)); do
    table=$(dlg_partition_table "$r")
    [ -n "$(dlg_placement "$table")" ] && continue
    worker=${workers[$((r % ${#workers[@]}))]}
    dlg_create_partition_table "$worker" "$table"
    dlg_value coordinator "create foreign table $table partition of dialog_messages
                            for values with (modulus $DIALOGS_PARTITIONS, remainder $r)
                            server $worker options (table_name '$table')" >/dev/null
  done
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
  (umask 077; printf 'SOCNET_DIALOGS_SECRET=%s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> "$LOCAL/secrets.env")
}

# Builds the service jar when it is missing or older than any of its sources or poms.
dialogs_service_build() {
  find_java
  if [ -f "$DIALOGS_JAR" ] && [ -z "$(find pom.xml socnet-dialogs/pom.xml socnet-dialogs/src -newer "$DIALOGS_JAR" -print -quit)" ]; then
    return 0
  fi
  log "building socnet-dialogs (./mvnw package)"
  ./mvnw -q -B -DskipTests -Ddialogs.build.directory="$DIALOGS_BUILD_DIR" -f socnet-dialogs/pom.xml package \
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
  wait_for 120 socnet-dialogs dialogs_service_ready \
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

# Creates (first time) and starts the coordinator, the workers and the service. Serialised by a
# lock: concurrent `./socnet test` runs call it together.
dialogs_cluster_up() {
  mkdir -p "$LOCAL/run" "$LOCAL/logs"
  # stdout to stderr: ./socnet test reads infra_up's stdout (the names of the components it started)
  (
    flock -w 900 9 || die "another ./socnet holds $LOCAL/run/dialogs.lock for 15 minutes"
    dialogs_ensure_secret
    dlg_init_node coordinator
    dlg_start_node coordinator
    dlg_bootstrap_node coordinator
    local w
    [ -n "$(dlg_worker_dirs)" ] || { dlg_init_node worker1; dlg_init_node worker2; }
    for w in $(dlg_worker_dirs); do
      dlg_start_node "$w"
      dlg_bootstrap_node "$w"
    done
    dlg_bootstrap_coordinator
    for w in $(dlg_worker_dirs); do dlg_register_worker "$w"; done
    dlg_place_partitions
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

dialogs_status_lines() {
  local fmt='%-12s %-7s %-9s %s\n' h w n
  if dlg_ready coordinator; then
    n=$(dlg_value coordinator "select count(*) from shard_moves where state in ('copying', 'switched')" 2>/dev/null || echo '?')
    h="up (dialogs coordinator; open moves: $n)"
  else
    h=down
  fi
  # shellcheck disable=SC2059
  printf "$fmt" dlg-coord "$SOCNET_DIALOGS_PG_PORT" "$(dlg_pid coordinator)" "$h"
  for w in $(dlg_worker_dirs); do
    h=down
    if dlg_ready "$w"; then
      n=$(dlg_value coordinator "select count(*) from pg_foreign_table ft join pg_foreign_server s on s.oid = ft.ftserver
                                  where s.srvname = '$w'" 2>/dev/null || echo '?')
      h="up ($n partitions)"
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "dlg-$w" "$(dlg_port "$w")" "$(dlg_pid "$w")" "$h"
  done
  h=down; dialogs_service_ready && h=up
  # shellcheck disable=SC2059
  printf "$fmt" dialogs "$SOCNET_DIALOGS_PORT" "$(pid_of "$(dialogs_pidfile)")" "$h"
}

# ---------------------------------------------------------------------------------------------------
# The shard tool: ./socnet shards ...
# ---------------------------------------------------------------------------------------------------

shards_usage() {
  cat <<USAGE
Usage: ./socnet shards COMMAND

  status                      partition -> worker, rows and bytes per partition and per worker, open moves
  add-worker                  create and start the next worker (worker3 on :$(dlg_port worker3), ...) and
                              register it on the coordinator; it holds no partition until a move/rebalance
  move PARTITION WORKER       move one partition (7, p07 or dialog_messages_p07) online: logical replication
                              copy + catch-up, then a cut-over that pauses dialog traffic for milliseconds
  rebalance                   move partitions until every worker holds $DIALOGS_PARTITIONS/workers (within one)
  remove-worker WORKER        move every partition off WORKER, unregister, stop and delete it
  resume                      finish every interrupted move (each step is idempotent)
  rollback PARTITION          abandon an interrupted move that has not switched: the old placement stays
USAGE
}

cmd_shards() {
  local sub=${1:-status}; [ $# -gt 0 ] && shift
  case $sub in
    status) shards_require_up; shards_status ;;
    add-worker) shards_locked shards_add_worker ;;
    move) [ $# -eq 2 ] || die "usage: ./socnet shards move PARTITION WORKER"; shards_locked shards_move "$@" ;;
    rebalance) shards_locked shards_rebalance ;;
    remove-worker) [ $# -eq 1 ] || die "usage: ./socnet shards remove-worker WORKER"; shards_locked shards_remove_worker "$1" ;;
    resume) shards_locked shards_resume ;;
    rollback) [ $# -eq 1 ] || die "usage: ./socnet shards rollback PARTITION"; shards_locked shards_rollback "$1" ;;
    help|-h|--help) shards_usage ;;
    *) shards_usage; die "unknown shards command: $sub" ;;
  esac
}

shards_require_up() {
  dlg_ready coordinator || die "the dialogs coordinator is down: run ./socnet up"
  local w
  for w in $(dlg_workers); do dlg_ready "$w" || die "dialogs $w is down: run ./socnet up"; done
}

# shards_locked FUNCTION ARGS...: runs a changing command alone (one shard tool at a time).
shards_locked() {
  mkdir -p "$LOCAL/run"
  (
    flock -w 600 8 || die "another shard command holds $LOCAL/run/shards.lock"
    shards_require_up
    "$@"
  ) 8>"$LOCAL/run/shards.lock"
}

# Rows and bytes of every dialog_messages_pNN table on WORKER: lines "table|rows|bytes".
dlg_worker_tables() { # WORKER
  dlg_value "$1" "select c.relname,
         (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', c.relname), false, true, '')))[1]::text::bigint,
         pg_total_relation_size(c.oid)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = 'public' and c.relkind = 'r' and c.relname ~ '^dialog_messages_p[0-9]+$'
   order by c.relname"
}

shards_status() {
  local -A placement=() rows=() bytes=() wparts=() wrows=() wbytes=()
  local table worker r b line
  while IFS='|' read -r table worker; do
    [ -n "$table" ] && placement[$table]=$worker
  done < <(dlg_value coordinator "select c.relname, s.srvname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                                   join pg_foreign_table ft on ft.ftrelid = c.oid join pg_foreign_server s on s.oid = ft.ftserver
                                  where i.inhparent = 'dialog_messages'::regclass order by c.relname")
  local workers=() extra=()
  while read -r worker; do [ -n "$worker" ] && workers+=("$worker"); done < <(dlg_workers)
  for worker in "${workers[@]}"; do
    wparts[$worker]=0; wrows[$worker]=0; wbytes[$worker]=0
    while IFS='|' read -r table r b; do
      [ -n "$table" ] || continue
      if [ "${placement[$table]:-}" = "$worker" ]; then
        rows[$table]=$r; bytes[$table]=$b
        wparts[$worker]=$((wparts[$worker] + 1)); wrows[$worker]=$((wrows[$worker] + r)); wbytes[$worker]=$((wbytes[$worker] + b))
      else
        extra+=("$table on $worker: $r rows, $b bytes (copy of an open move, not serving)")
      fi
    done < <(dlg_worker_tables "$worker")
  done
  printf '%-22s %-9s %10s %12s\n' PARTITION WORKER ROWS BYTES
  for table in $(printf '%s\n' "${!placement[@]}" | sort); do
    printf '%-22s %-9s %10s %12s\n' "$table" "${placement[$table]}" "${rows[$table]:-?}" "${bytes[$table]:-?}"
  done
  echo
  printf '%-9s %-6s %10s %10s %12s\n' WORKER PORT PARTITIONS ROWS BYTES
  local total_rows=0 total_bytes=0
  for worker in "${workers[@]}"; do
    printf '%-9s %-6s %10s %10s %12s\n' "$worker" "$(dlg_port "$worker")" "${wparts[$worker]}" "${wrows[$worker]}" "${wbytes[$worker]}"
    total_rows=$((total_rows + wrows[$worker])); total_bytes=$((total_bytes + wbytes[$worker]))
  done
  printf '%-9s %-6s %10s %10s %12s\n' total '' "${#placement[@]}" "$total_rows" "$total_bytes"
  for line in "${extra[@]}"; do echo "note: $line"; done
  local open
  open=$(dlg_value coordinator "select format('move #%s: %s %s -> %s, %s since %s', id, partition_table, source_worker,
                                               target_worker, state, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'))
                                   from shard_moves where state in ('copying', 'switched') order by id")
  if [ -n "$open" ]; then
    echo
    echo "open moves (./socnet shards resume, or ./socnet shards rollback PARTITION):"
    echo "$open"
  fi
}

shards_add_worker() {
  local registered n=1
  registered=" $(dlg_workers | tr '\n' ' ') "
  while [[ $registered == *" worker$n "* ]]; do n=$((n + 1)); done
  local worker=worker$n
  port_open "$(dlg_port "$worker")" && ! dlg_ready "$worker" && die "port $(dlg_port "$worker") of $worker is taken by something else"
  dlg_init_node "$worker"
  dlg_start_node "$worker"
  dlg_bootstrap_node "$worker"
  dlg_register_worker "$worker"
  log "$worker is up on :$(dlg_port "$worker") and registered; it holds no partition yet: ./socnet shards rebalance"
  echo "$worker"
}

shards_remove_worker() {
  local worker=$1
  [[ " $(dlg_workers | tr '\n' ' ') " == *" $worker "* ]] || die "$worker is not a registered worker ($(dlg_workers | tr '\n' ' '))"
  local others=() w
  while read -r w; do [ -n "$w" ] && [ "$w" != "$worker" ] && others+=("$w"); done < <(dlg_workers)
  [ ${#others[@]} -gt 0 ] || die "$worker is the last worker"
  local open
  open=$(dlg_value coordinator "select count(*) from shard_moves where state in ('copying', 'switched')
                                   and '$worker' in (source_worker, target_worker)")
  [ "$open" = 0 ] || die "$worker has open moves: ./socnet shards resume (or rollback) first"
  local table
  while read -r table; do
    [ -n "$table" ] || continue
    shards_move "$table" "$(shards_least_loaded "${others[@]}")"
  done < <(dlg_value coordinator "select c.relname from pg_foreign_table ft join pg_class c on c.oid = ft.ftrelid
                                   join pg_foreign_server s on s.oid = ft.ftserver where s.srvname = '$worker' order by 1")
  dlg_psql coordinator -c "drop user mapping if exists for public server $worker" -c "drop server $worker"
  dlg_stop_node "$worker"
  rm -rf "$(dlg_dir "$worker")"
  log "$worker removed (its partitions moved to ${others[*]})"
}

# The worker (of the given ones) that serves the fewest partitions.
shards_least_loaded() {
  local list; list=$(printf "'%s'," "$@")
  dlg_value coordinator "select w.name from unnest(array[${list%,}]) as w(name)
                           left join pg_foreign_server s on s.srvname = w.name
                           left join pg_foreign_table ft on ft.ftserver = s.oid
                          group by w.name order by count(ft.ftrelid), substr(w.name, 7)::int limit 1"
}

# Moves partitions from the most to the least loaded worker until they differ by at most one. Takes
# the donor's smallest partition each time (the cheapest copy).
shards_rebalance() {
  local t0=$SECONDS moves=0 line most least most_n least_n table
  while true; do
    line=$(dlg_value coordinator "with load as (
             select s.srvname as worker, count(ft.ftrelid) as n
               from pg_foreign_server s left join pg_foreign_table ft on ft.ftserver = s.oid
              where s.srvname ~ '^worker[0-9]+$' group by s.srvname)
           select (select worker from load order by n desc, worker limit 1), (select max(n) from load),
                  (select worker from load order by n, worker limit 1), (select min(n) from load)")
    IFS='|' read -r most most_n least least_n <<< "$line"
    [ $((most_n - least_n)) -le 1 ] && break
    table=$(dlg_worker_tables "$most" | sort -t'|' -k2,2n | while IFS='|' read -r t r b; do
              [ "$(dlg_placement "$t")" = "$most" ] && { echo "$t"; break; }; done)
    [ -n "$table" ] || die "rebalance: found no partition table on $most"
    log "rebalance: $most serves $most_n partitions, $least $least_n: moving $table"
    shards_move "$table" "$least"
    moves=$((moves + 1))
  done
  log "rebalanced: $moves moves in $((SECONDS - t0)) s; $(dlg_value coordinator "select string_agg(format('%s %s', s.srvname, n), ', ' order by substr(s.srvname, 7)::int)
        from (select ftserver, count(*) as n from pg_foreign_table group by ftserver) c join pg_foreign_server s on s.oid = c.ftserver") partitions"
}

shards_resume() {
  local ids id
  ids=$(dlg_value coordinator "select id from shard_moves where state in ('copying', 'switched') order by id")
  [ -n "$ids" ] || { log "no open moves"; return 0; }
  for id in $ids; do shards_run_move "$id"; done
}

shards_rollback() {
  local table; table=$(dlg_parse_partition "$1")
  local line id source target state
  line=$(dlg_value coordinator "select id, source_worker, target_worker, state from shard_moves
                                 where partition_table = '$table' and state in ('copying', 'switched')")
  [ -n "$line" ] || die "no open move of $table"
  IFS='|' read -r id source target state <<< "$line"
  [ "$state" = copying ] || die "move #$id of $table has switched to $target already: ./socnet shards resume finishes it (move it back with ./socnet shards move $table $source)"
  [ "$(dlg_placement "$table")" = "$source" ] || die "$table is not served by $source: refusing to touch it"
  local name; name=$(shards_move_name "$table")
  log "rolling back move #$id of $table ($source -> $target): dropping the subscription, the copy and the publication"
  dlg_psql "$target" -c "drop subscription if exists $name"
  dlg_psql "$target" -c "drop table if exists $table"
  shards_drop_publication "$source" "$name"
  dlg_value coordinator "update shard_moves set state = 'rolled_back', finished_at = now() where id = $id" >/dev/null
  log "move #$id rolled back: $table stays on $source"
}

# shards_move PARTITION WORKER: starts (or resumes) the move of PARTITION to WORKER and runs it to the end.
shards_move() {
  local table; table=$(dlg_parse_partition "$1")
  local target=$2
  [[ " $(dlg_workers | tr '\n' ' ') " == *" $target "* ]] || die "$target is not a registered worker ($(dlg_workers | tr '\n' ' '))"
  local line id other
  line=$(dlg_value coordinator "select id, target_worker from shard_moves
                                 where partition_table = '$table' and state in ('copying', 'switched')")
  if [ -n "$line" ]; then
    IFS='|' read -r id other <<< "$line"
    [ "$other" = "$target" ] || die "$table has an open move to $other: ./socnet shards resume, or ./socnet shards rollback $table"
    log "resuming move #$id of $table to $target"
  else
    local source; source=$(dlg_placement "$table")
    [ -n "$source" ] || die "$table is not placed on any worker"
    if [ "$source" = "$target" ]; then log "$table is on $target already"; return 0; fi
    local rows; rows=$(dlg_value "$source" "select count(*) from $table")
    id=$(dlg_value coordinator "insert into shard_moves (partition_table, source_worker, target_worker, rows_at_start)
                                 values ('$table', '$source', '$target', $rows) returning id" | head -n1)
  fi
  shards_run_move "$id"
}

# Publication, subscription and replication slot of a move are all named after the partition.
shards_move_name() { echo "shard_move_${1#dialog_messages_}"; }

shards_drop_publication() { # WORKER NAME: the publication and, if the subscription left it, the slot
  dlg_psql "$1" -c "drop publication if exists $2"
  dlg_value "$1" "select pg_drop_replication_slot(slot_name) from pg_replication_slots
                   where slot_name = '$2' and not active" >/dev/null
}

shards_run_move() { # MOVE_ID
  local id=$1 line table source target state
  line=$(dlg_value coordinator "select partition_table, source_worker, target_worker, state from shard_moves where id = $id")
  IFS='|' read -r table source target state <<< "$line"
  local name; name=$(shards_move_name "$table")
  local t0=$SECONDS
  log "move #$id: $table $source -> $target"
  if [ "$state" = copying ]; then
    [ "$(dlg_placement "$table")" = "$source" ] || die "move #$id: $table is not served by $source; look at ./socnet shards status"
    shards_copy "$id" "$table" "$source" "$target" "$name"
    shards_cutover "$id" "$table" "$source" "$target" "$name"
  fi
  shards_cleanup "$id" "$table" "$source" "$target" "$name"
  log "move #$id done in $((SECONDS - t0)) s: $table is on $target; $(dlg_value coordinator \
        "select format('cut-over: dialog_messages blocked %s ms (lock %s ms, catch-up %s ms), %s attempt(s)',
                blocked_ms, lock_wait_ms, catchup_wait_ms, cutover_attempts) from shard_moves where id = $id")"
}

# Copy phase: the table on the target, publication on the source, subscription on the target; waits
# for the initial copy (progress: rows copied) and for the stream to be close to the source.
shards_copy() { # ID TABLE SOURCE TARGET NAME
  local id=$1 table=$2 source=$3 target=$4 name=$5
  if [ -z "$(dlg_value "$target" "select 1 from pg_subscription where subname = '$name'")" ]; then
    # A copy left by an interrupted attempt is not serving (the placement is the source): start afresh.
    dlg_psql "$target" -c "drop table if exists $table"
    dlg_create_partition_table "$target" "$table"
    dlg_psql "$source" <<SQL
select 'create publication $name for table $table'
 where not exists (select 1 from pg_publication where pubname = '$name') \\gexec
SQL
    dlg_value "$source" "select pg_drop_replication_slot(slot_name) from pg_replication_slots
                          where slot_name = '$name' and not active" >/dev/null
    # synchronous_commit=on: the subscriber flushes each applied commit at once, so the source learns
    # of it (confirmed_flush_lsn) within milliseconds, which is what the cut-over waits for.
    dlg_psql "$target" -c "create subscription $name
                             connection 'host=$LOCAL/run port=$(dlg_port "$source") dbname=$DIALOGS_DB user=postgres'
                             publication $name with (synchronous_commit = 'on')"
  fi
  local total state copied phase last=-1
  total=$(dlg_value coordinator "select coalesce(rows_at_start, 0) from shard_moves where id = $id")
  while true; do
    state=$(dlg_value "$target" "select r.srsubstate from pg_subscription_rel r join pg_subscription s on s.oid = r.srsubid
                                  where s.subname = '$name'")
    [ "$state" = r ] && break
    copied=$(dlg_value "$target" "select coalesce(sum(tuples_processed), 0) || '|' ||
                                          coalesce((select sync_error_count from pg_stat_subscription_stats
                                                     where subname = '$name'), 0)
                                     from pg_stat_progress_copy where relid = to_regclass('$table')")
    if [ "$copied" != "$last" ]; then
      case $state in
        i) phase="starting" ;; d) phase="copying" ;; f|s) phase="copied, catching up" ;; *) phase="state $state" ;;
      esac
      log "  $table: initial copy ($phase): ${copied%|*} / ~$total rows"
      [ "${copied#*|}" = 0 ] || warn "  $table: the table sync failed ${copied#*|} time(s) and is retried: see $LOCAL/logs/dialogs-$target.log"
      last=$copied
    fi
    sleep 0.2
  done
  log "  $table: initial copy done, streaming changes"
  local lag
  while true; do
    lag=$(dlg_value "$source" "select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
                                from pg_replication_slots where slot_name = '$name'")
    [ -n "$lag" ] || die "move #$id: no replication slot $name on $source"
    [ "$lag" -le "$SHARDS_CUTOVER_MAX_LAG_BYTES" ] && break
    log "  $table: catching up, $lag bytes behind"
    sleep 0.5
  done
}

# Cut-over: shard_cutover in one coordinator transaction; a failed attempt (lock or catch-up timeout)
# changes nothing and is repeated.
shards_cutover() { # ID TABLE SOURCE TARGET NAME
  local id=$1 table=$2 source=$3 target=$4 name=$5 attempt err
  local conninfo="host=$LOCAL/run port=$(dlg_port "$source") dbname=$DIALOGS_DB user=postgres"
  for ((attempt = 1; attempt <= SHARDS_CUTOVER_ATTEMPTS; attempt++)); do
    dlg_value coordinator "update shard_moves set cutover_attempts = cutover_attempts + 1 where id = $id" >/dev/null
    if err=$(dlg_psql coordinator -1 -c "call shard_cutover($id, '$conninfo', '$name',
                                          $SHARDS_CUTOVER_LOCK_TIMEOUT_MS, $SHARDS_CUTOVER_CATCHUP_TIMEOUT_MS)" 2>&1); then
      log "  $table: switched to $target"
      return 0
    fi
    warn "  $table: cut-over attempt $attempt failed, $source still serves: ${err//$'\n'/ }"
    sleep 1
  done
  die "move #$id: $SHARDS_CUTOVER_ATTEMPTS cut-over attempts failed; $table stays on $source (./socnet shards resume, or rollback $table)"
}

# After the switch: the subscription (and with it the slot), the publication and the old copy go.
shards_cleanup() { # ID TABLE SOURCE TARGET NAME
  local id=$1 table=$2 source=$3 target=$4 name=$5
  [ "$(dlg_placement "$table")" = "$target" ] || die "move #$id: $table is not served by $target; not dropping anything"
  dlg_psql "$target" -c "drop subscription if exists $name"
  shards_drop_publication "$source" "$name"
  dlg_psql "$source" -c "drop table if exists $table"
  dlg_value coordinator "update shard_moves set state = 'done', finished_at = now() where id = $id" >/dev/null
}
