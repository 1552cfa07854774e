# shellcheck shell=bash
# The project's PostgreSQL formation under .local/pg, run by pg_auto_failover (pg_autoctl) as the
# postgres OS user (docs/decisions/0009-automatic-failover-pg-auto-failover.md):
# - a monitor (its own PostgreSQL on SOCNET_PG_MONITOR_PORT) that watches the nodes and assigns roles;
# - three data nodes, each with a keeper (`pg_autoctl run`) that supervises its PostgreSQL: one
#   primary and two standbys, quorum commit with number_sync_standbys = 1, which the keepers turn
#   into synchronous_standby_names = 'ANY 1 (<both standbys>)'.
# Failure detection, election, promotion, fencing, pg_rewind and rejoin are the engine's; this file
# only creates, starts and stops the pieces and asks the monitor who is what.
# Node names (primary, replica1, replica2) are stable ids and pg_auto_failover node names; roles move
# on failover, so "the primary" is whatever the monitor says (pg_primary_node), not the node named so.

PG_NODES=(primary replica1 replica2)
PG_FORMATION=default
# Keeper and monitor timeouts, see the decision record for why these values.
PG_KEEPER_NETWORK_PARTITION_TIMEOUT=${PG_KEEPER_NETWORK_PARTITION_TIMEOUT:-6}
PG_MONITOR_SETTINGS=(
  "pgautofailover.health_check_period=1000"
  "pgautofailover.health_check_timeout=2000"
  "pgautofailover.health_check_max_retries=2"
  "pgautofailover.health_check_retry_delay=1000"
  "pgautofailover.node_considered_unhealthy_timeout=6000"
  "pgautofailover.primary_demote_timeout=10000"
)

pg_node_port() {
  case $1 in
    primary) echo "$SOCNET_PG_PORT" ;;
    replica1) echo "$SOCNET_PG_REPLICA1_PORT" ;;
    replica2) echo "$SOCNET_PG_REPLICA2_PORT" ;;
    monitor) echo "$SOCNET_PG_MONITOR_PORT" ;;
    *) die "unknown PostgreSQL node '$1' (nodes: ${PG_NODES[*]})" ;;
  esac
}
pg_node_dir() { echo "$LOCAL/pg/$1"; }
pg_monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$SOCNET_PG_MONITOR_PORT/pg_auto_failover?sslmode=disable"; }

# pg_autoctl as the postgres OS user, its configuration and state (XDG dirs) under .local/pg/autoctl.
pg_autoctl() {
  as_postgres env XDG_CONFIG_HOME="$LOCAL/pg/autoctl/config" XDG_DATA_HOME="$LOCAL/pg/autoctl/data" \
    XDG_RUNTIME_DIR="$LOCAL/pg/autoctl/run" PGHOST="$LOCAL/run" PGPASSFILE="$(pg_passfile)" /usr/bin/pg_autoctl "$@"
}
pg_autoctl_cfg() { echo "$LOCAL/pg/autoctl/config/pg_autoctl$(pg_node_dir "$1")/pg_autoctl.cfg"; }
pg_keeper_pidfile() { echo "$LOCAL/pg/autoctl/run/pg_autoctl$(pg_node_dir "$1")/pg_autoctl.pid"; }

pg_psql_admin() { # pg_psql_admin PORT DB ARGS...: psql as superuser over the unix socket
  local port=$1 db=$2; shift 2
  as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$port" -d "$db" "$@"
}
pg_query() { # pg_query PORT SQL: one value, unaligned
  as_postgres "$PGBIN/psql" -X -At -h "$LOCAL/run" -p "$1" -d postgres -c "$2" 2>/dev/null
}
pg_monitor_query() { # SQL on the monitor's pg_auto_failover database
  as_postgres "$PGBIN/psql" -X -At -h "$LOCAL/run" -p "$SOCNET_PG_MONITOR_PORT" -d pg_auto_failover -c "$1" 2>/dev/null
}

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1"; }
pg_node_ready() { pg_ready "$(pg_node_port "$1")"; }
pg_node_pid() { local f; f="$(pg_node_dir "$1")/postmaster.pid"; [ -f "$f" ] && head -n1 "$f" || echo "-"; }
pg_keeper_pid() { local f; f=$(pg_keeper_pidfile "$1"); [ -s "$f" ] && head -n1 "$f" || echo "-"; }
# A keeper runs when its pid file names a live `pg_autoctl run` for this node's data directory (a killed
# keeper leaves its pid file behind, and on a busy machine the pid is soon another process's).
pg_keeper_alive() {
  local p; p=$(pg_keeper_pid "$1")
  [ "$p" != - ] && kill -0 "$p" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "pg_autoctl run --pgdata $(pg_node_dir "$1")\( \|$\)"
}

# The node the monitor has as the primary now (empty when there is none, e.g. mid-failover).
pg_primary_node() {
  pg_monitor_query "select nodename from pgautofailover.node
    where formationid = '$PG_FORMATION' and goalstate in ('single','wait_primary','primary','join_primary','apply_settings')
      and reportedstate = goalstate order by nodeid limit 1"
}
pg_primary_port() {
  local n; n=$(pg_primary_node)
  [ -n "$n" ] || die "the monitor knows no primary now (see ./socnet status)"
  pg_node_port "$n"
}

# JDBC URLs of the app: every data node listed; PgJDBC picks the host by role and follows failovers.
pg_jdbc_hosts() { echo "127.0.0.1:$SOCNET_PG_PORT,127.0.0.1:$SOCNET_PG_REPLICA1_PORT,127.0.0.1:$SOCNET_PG_REPLICA2_PORT"; }
pg_jdbc_primary_url() { # DB
  echo "jdbc:postgresql://$(pg_jdbc_hosts)/$1?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&socketTimeout=10"
}
pg_jdbc_replica_url() { # DB
  echo "jdbc:postgresql://$(pg_jdbc_hosts)/$1?targetServerType=preferSecondary&loadBalanceHosts=true&hostRecheckSeconds=1&connectTimeout=2&socketTimeout=10"
}

pg_prepare_dirs() {
  mkdir -p "$LOCAL/pg" "$LOCAL/run" "$LOCAL/logs" "$LOCAL/pg/autoctl/run"
  chown postgres "$LOCAL/pg" "$LOCAL/run" "$LOCAL/pg/autoctl" "$LOCAL/pg/autoctl/run" 2>/dev/null \
    || as_root chown postgres "$LOCAL/pg" "$LOCAL/run" "$LOCAL/pg/autoctl" "$LOCAL/pg/autoctl/run"
  # the sockets of every PostgreSQL node live here: only their owner (postgres) and root get in
  chmod 700 "$LOCAL/run" 2>/dev/null || as_root chmod 700 "$LOCAL/run"
  chmod 1777 "$LOCAL/logs"
}

# Our settings, included after pg_autoctl's own postgresql-auto-failover.conf so that they win
# (pg_autoctl sizes shared_buffers to a quarter of RAM, too much for three nodes on one machine).
# Ports and synchronous_standby_names are the engine's and are not set here.
pg_write_socnet_conf() { # NODE
  local node=$1 data; data=$(pg_node_dir "$1")
  if [ "$node" = monitor ]; then
    cat <<CONF | as_postgres tee "$data/postgresql-socnet.conf" >/dev/null
# written by ./socnet: the pg_auto_failover monitor
listen_addresses = '127.0.0.1'
unix_socket_directories = '$LOCAL/run'
shared_buffers = 128MB
effective_cache_size = 512MB
work_mem = 4MB
maintenance_work_mem = 64MB
CONF
  else
    cat <<CONF | as_postgres tee "$data/postgresql-socnet.conf" >/dev/null
# written by ./socnet: data node $node of the formation
listen_addresses = '127.0.0.1'
unix_socket_directories = '$LOCAL/run'
max_connections = 300
shared_buffers = 1GB
effective_cache_size = 4GB
work_mem = 16MB
maintenance_work_mem = 512MB
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = 1GB
hot_standby = on
hot_standby_feedback = on
wal_log_hints = on
synchronous_commit = on
shared_preload_libraries = 'pg_stat_statements'
log_min_duration_statement = 1000
CONF
  fi
  grep -q "^include_if_exists 'postgresql-socnet.conf'" "$data/postgresql.conf" \
    || echo "include_if_exists 'postgresql-socnet.conf'" | as_postgres tee -a "$data/postgresql.conf" >/dev/null
}

# Who may connect: the superuser over the unix socket; the engine's roles (replication, pg_rewind,
# the monitor's health checks) on loopback without a password; everyone else with a password.
# Written by us (--skip-pg-hba) because pg_autoctl appends its rules after ours, where they never match.
pg_hba_rules() { # [bootstrap]
  local engine=scram-sha-256; [ "${1:-}" = bootstrap ] && engine=trust
  cat <<HBA
# written by ./socnet: loopback-only local formation
local   all             postgres                                peer
local   replication     postgres                                peer
host    replication     pgautofailover_replicator 127.0.0.1/32  $engine
host    postgres        pgautofailover_replicator 127.0.0.1/32  $engine
host    postgres        pgautofailover_monitor    127.0.0.1/32  $engine
host    all             all             127.0.0.1/32            scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
HBA
}

pg_initdb() { # NODE: an empty data directory with our socket directory, so that pg_autoctl finds it
  local data; data=$(pg_node_dir "$1")
  as_postgres "$PGBIN/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 -A trust >/dev/null
  echo "unix_socket_directories = '$LOCAL/run'" | as_postgres tee -a "$data/postgresql.conf" >/dev/null
}

# Who may connect to the monitor: the superuser over the unix socket, and the keepers (autoctl_node) on
# loopback. The keepers' TCP rule is ours, not left to pg_autoctl's own appended rule: a pg_hba.conf
# rewritten later (an earlier create that failed half-way) would otherwise lock every keeper out
# ("no pg_hba.conf entry for host 127.0.0.1, user autoctl_node").
pg_monitor_hba_rules() { # [bootstrap]
  local engine=scram-sha-256; [ "${1:-}" = bootstrap ] && engine=trust
  cat <<HBA
# written by ./socnet: the pg_auto_failover monitor, loopback only
local   all                postgres                      peer
local   pg_auto_failover   autoctl_node                  peer map=autoctl
host    pg_auto_failover   autoctl_node   127.0.0.1/32   $engine
HBA
}
# The monitor's pg_ident.conf: the postgres OS user may connect over the socket as autoctl_node.
pg_monitor_ident_rules() {
  cat <<IDENT
# written by ./socnet
autoctl   postgres   autoctl_node
IDENT
}

# Who reaches a node over its unix socket: only the postgres OS user (peer authentication), in a socket
# directory of mode 0700 (pg_prepare_dirs), so no other local OS user reaches it at all (before: `trust`
# on world-connectable sockets made every local user a superuser). On every `up`, a node whose
# pg_hba.conf (or the monitor's pg_ident.conf) differs from ours gets ours back, reloaded if running.
pg_auth_sync() { # NODE
  local node=$1 data hba want; data=$(pg_node_dir "$1")
  [ -f "$data/PG_VERSION" ] || return 0
  local changed=0
  if [ "$node" = monitor ]; then want=$(pg_monitor_hba_rules); else want=$(pg_hba_rules); fi
  if [ "$(as_postgres cat "$data/pg_hba.conf" 2>/dev/null)" != "$want" ]; then
    printf '%s\n' "$want" | as_postgres tee "$data/pg_hba.conf" >/dev/null; changed=1
  fi
  if [ "$node" = monitor ] && [ "$(as_postgres cat "$data/pg_ident.conf" 2>/dev/null)" != "$(pg_monitor_ident_rules)" ]; then
    pg_monitor_ident_rules | as_postgres tee "$data/pg_ident.conf" >/dev/null; changed=1
  fi
  [ $changed = 1 ] || return 0
  log "PostgreSQL $node: client authentication rules updated (pg_hba.conf)"
  if pg_node_ready "$node"; then as_postgres "$PGBIN/pg_ctl" reload -s -D "$data" >/dev/null; fi
}

pg_create_monitor() {
  [ -f "$(pg_autoctl_cfg monitor)" ] && return 0
  log "creating the pg_auto_failover monitor in $(pg_node_dir monitor)"
  pg_prepare_dirs
  [ -f "$(pg_node_dir monitor)/PG_VERSION" ] || pg_initdb monitor
  pg_monitor_hba_rules bootstrap | as_postgres tee "$(pg_node_dir monitor)/pg_hba.conf" >/dev/null
  pg_monitor_ident_rules | as_postgres tee "$(pg_node_dir monitor)/pg_ident.conf" >/dev/null
  pg_autoctl create monitor --pgdata "$(pg_node_dir monitor)" --pgport "$SOCNET_PG_MONITOR_PORT" \
    --hostname 127.0.0.1 --listen 127.0.0.1 --auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" \
    >>"$LOCAL/logs/pg-monitor.log" 2>&1 || die "pg_autoctl create monitor failed, see $LOCAL/logs/pg-monitor.log"
  # pg_autoctl grants autoctl_node on 127.0.0.0/8; nothing else reaches the monitor over TCP
  pg_write_socnet_conf monitor
}

# Creates data NODE and registers it with the monitor: the first one becomes the primary (from an
# initdb of ours), the others standbys (pg_autoctl takes a pg_basebackup from the primary).
pg_create_node() { # NODE
  local node=$1 data; data=$(pg_node_dir "$1")
  [ -f "$(pg_autoctl_cfg "$node")" ] && return 0
  pg_prepare_dirs
  local first=no
  [ -z "$(pg_monitor_query "select 1 from pgautofailover.node where formationid = '$PG_FORMATION' limit 1")" ] && first=yes
  if [ $first = yes ]; then
    if [ -f "$data/PG_VERSION" ]; then
      # a data directory from before the formation (hand-made replication): it becomes the primary
      log "creating $node, the formation's first node (primary), from its existing data directory"
      as_postgres rm -f "$data/standby.signal"
      # the hand-made layout's settings go (ours are rewritten into postgresql-socnet.conf below): above
      # all its synchronous_standby_names, which would make every commit wait for standbys that are
      # gone, and would override the engine's own setting
      as_postgres sed -i '/^# --- socnet local cluster ---$/,$d' "$data/postgresql.conf"
      as_postgres sed -i '/^synchronous_standby_names/d' "$data/postgresql.auto.conf"
    else
      log "creating $node, the formation's first node (primary)"
      pg_initdb "$node"
    fi
    pg_hba_rules bootstrap | as_postgres tee "$data/pg_hba.conf" >/dev/null
  else
    if [ -f "$data/PG_VERSION" ]; then
      # an old standby: kept aside, never deleted; the engine takes a fresh copy of the primary
      log "moving $data aside to $data.pre-formation (a standby from before the formation)"
      as_postgres mv "$data" "$data.pre-formation.$(date +%s)"
    fi
    log "creating $node: a standby, from a pg_basebackup of the primary"
  fi
  pg_autoctl create postgres --pgdata "$data" --pgport "$(pg_node_port "$node")" --name "$node" \
    --hostname 127.0.0.1 --listen 127.0.0.1 --pghost "$LOCAL/run" --monitor "$(pg_monitor_uri)" \
    --skip-pg-hba --no-ssl --pgctl "$PGBIN/pg_ctl" \
    --replication-quorum true --candidate-priority 50 \
    >>"$LOCAL/logs/pg-$node.log" 2>&1 || die "pg_autoctl create postgres ($node) failed, see $LOCAL/logs/pg-$node.log"
  pg_write_socnet_conf "$node"
  pg_autoctl config set --pgdata "$data" timeout.network_partition_timeout "$PG_KEEPER_NETWORK_PARTITION_TIMEOUT" >/dev/null
}

# Starts the keeper of NODE (monitor or a data node) in the background: `pg_autoctl run`, which
# starts and supervises that node's PostgreSQL. Its own process group, so that a crash can be
# simulated by killing the group (pg_kill_node).
pg_start_keeper() { # NODE
  local node=$1
  pg_keeper_alive "$node" && return 0
  pg_prepare_dirs
  [ -f "$(pg_autoctl_cfg "$node")" ] || die "PostgreSQL node $node does not exist (run ./socnet up)"
  log "starting pg_autoctl for $node on :$(pg_node_port "$node")"
  as_postgres env XDG_CONFIG_HOME="$LOCAL/pg/autoctl/config" XDG_DATA_HOME="$LOCAL/pg/autoctl/data" \
    XDG_RUNTIME_DIR="$LOCAL/pg/autoctl/run" PGHOST="$LOCAL/run" PGPASSFILE="$(pg_passfile)" \
    setsid -f /usr/bin/pg_autoctl run --pgdata "$(pg_node_dir "$node")" >>"$LOCAL/logs/pg-$node.log" 2>&1 </dev/null
  wait_for 60 "pg_autoctl for $node" pg_keeper_alive "$node" || die "pg_autoctl for $node did not start, see $LOCAL/logs/pg-$node.log"
}

pg_start_node() { # NODE: starts its keeper and waits until its PostgreSQL answers
  pg_start_keeper "$1"
  wait_for 120 "PostgreSQL $1" pg_node_ready "$1" || die "PostgreSQL $1 did not start, see $LOCAL/logs/pg-$1.log"
}

# Stops NODE's keeper and with it its PostgreSQL (`pg_autoctl stop`, fast shutdown; MODE immediate
# stops PostgreSQL without a checkpoint). The monitor sees a stopped primary as failed and fails over.
pg_stop_node() { # NODE [MODE]
  local node=$1 mode=${2:-fast}
  pg_keeper_alive "$node" || { [ -f "$(pg_node_dir "$node")/postmaster.pid" ] || return 0; }
  log "stopping PostgreSQL $node and its keeper ($mode)"
  local args=(); [ "$mode" = immediate ] && args+=(--immediate)
  pg_autoctl stop --pgdata "$(pg_node_dir "$node")" "${args[@]}" >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 120); do pg_keeper_alive "$node" || break; sleep 0.5; done
  pg_keeper_alive "$node" && { warn "pg_autoctl for $node did not stop, killing it"; pg_kill_node "$node"; }
  # stopped means PostgreSQL is gone too, not only its keeper: its backends may still be ending their
  # sessions ("terminating connection due to administrator command") for a moment after the keeper
  # (a postmaster.pid left by a crash names a dead process: no wait)
  local pm; pm=$(pg_node_pid "$node")
  if [ "$pm" != - ]; then
    for i in $(seq 1 120); do kill -0 "$pm" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pm" 2>/dev/null && warn "PostgreSQL $node (pid $pm) still runs 60 s after its keeper stopped"
  fi
  # and no postmaster of this data directory at all (the pid file can be gone, or name an older
  # process, while a postmaster the keeper started in its last moments still runs). Note: the
  # ReplicationSystemIT miscount once blamed on this was the test's own overflow, fixed in the test.
  for i in $(seq 1 120); do pg_node_postmasters "$node" >/dev/null || break; sleep 0.5; done
  pg_node_postmasters "$node" >/dev/null && warn "a PostgreSQL of $node still runs 60 s after its keeper stopped"
  return 0
}

# Pids of the postmasters running on NODE's data directory (none: exit 1).
pg_node_postmasters() { pgrep -f -- "postgres -D $(pg_node_dir "$1")( |\$)"; }

# A node crash: SIGKILL to the keeper's process group and to the postmaster (pg_kill_node), or a
# hang: SIGSTOP to all of them (pg_signal_node NODE STOP), undone by SIGCONT.
pg_node_pids() { # NODE: keeper group, postmaster and the postmaster's children
  local node=$1 k pm
  k=$(pg_keeper_pid "$node"); pm=$(pg_node_pid "$node")
  [ "$k" != - ] && pgrep -g "$k" 2>/dev/null
  if [ "$pm" != - ] && kill -0 "$pm" 2>/dev/null; then echo "$pm"; pgrep -P "$pm" 2>/dev/null; fi
  return 0
}
pg_signal_node() { # NODE SIGNAL
  local pids; pids=$(pg_node_pids "$1" | sort -u | paste -sd' ')
  [ -n "$pids" ] || die "PostgreSQL $1 is not running"
  # the keeper's process group first, in one go: it holds the postmaster and every backend, also one
  # forked after we listed the pids
  local k; k=$(pg_keeper_pid "$1")
  [ "$k" != - ] && kill -"$2" -- "-$k" 2>/dev/null
  # shellcheck disable=SC2086
  kill -"$2" $pids 2>/dev/null || true
  log "sent SIG$2 to PostgreSQL $1 and its keeper (pids $pids)"
}
pg_kill_node() { pg_signal_node "$1" KILL; }

# Starts the whole formation: monitor, then the nodes (created on first use), then quorum settings.
pg_cluster_up() {
  pg_prepare_dirs
  pg_write_passfile
  pg_restart_without_passfile
  pg_create_monitor
  pg_start_node monitor
  pg_monitor_settings
  # the keepers' password on the monitor before they (re)connect with scram
  pg_set_engine_password monitor autoctl_node
  pg_auth_sync monitor
  local n first
  # the first node created becomes the primary: the old primary when migrating from the hand-made
  # replication (.local/pg/primary-node named it), else the node named primary
  first=primary; [ -s "$LOCAL/pg/primary-node" ] && first=$(cat "$LOCAL/pg/primary-node")
  for n in "$first" $(printf '%s\n' "${PG_NODES[@]}" | grep -vx "$first"); do
    pg_create_node "$n"
    pg_start_keeper "$n"
  done
  for n in "${PG_NODES[@]}"; do
    wait_for 120 "PostgreSQL $n" pg_node_ready "$n" || die "PostgreSQL $n did not start, see $LOCAL/logs/pg-$n.log"
  done
  pg_quorum_settings
  wait_for 120 "a primary and two streaming standbys" pg_formation_healthy || die "the formation is not healthy: $(pg_autoctl show state --pgdata "$(pg_node_dir monitor)" 2>&1)"
  # the engine's roles get their password on the primary (replicated to the standbys), then every
  # node asks for it (scram) instead of trusting loopback
  pg_set_engine_password "$(pg_primary_node)" pgautofailover_replicator pgautofailover_monitor
  for n in "${PG_NODES[@]}"; do pg_auth_sync "$n"; done
  pg_bootstrap
}

# pg_auto_failover's own connections over loopback — standbys streaming from the primary and
# pg_rewind/pg_basebackup (pgautofailover_replicator, a superuser), the monitor's health checks
# (pgautofailover_monitor), the keepers reporting to the monitor (autoctl_node) — authenticate with
# scram and the generated SOCNET_PG_AUTOFAILOVER_PASSWORD. Every pg_autoctl and the PostgreSQL it
# starts find it in this passfile (PGPASSFILE, libpq's password file: owner postgres, mode 0600), so the
# engine's configuration and conninfo strings carry no password. Before, `trust` for these roles on
# 127.0.0.1 let any local OS user connect as a superuser.
pg_passfile() { echo "$LOCAL/pg/pgpass"; }
pg_write_passfile() {
  require_secret SOCNET_PG_AUTOFAILOVER_PASSWORD
  local role want=""
  for role in pgautofailover_replicator pgautofailover_monitor autoctl_node; do
    want+="127.0.0.1:*:*:$role:$SOCNET_PG_AUTOFAILOVER_PASSWORD"$'\n'
  done
  [ "$(as_postgres cat "$(pg_passfile)" 2>/dev/null)"$'\n' = "$want" ] && return 0
  printf '%s' "$want" | as_postgres sh -c "umask 077; cat > '$(pg_passfile)'"
}
# pg_set_engine_password NODE ROLE...: ROLEs' password on NODE (through psql's standard input)
pg_set_engine_password() {
  local node=$1 role sql=""; shift
  [ -n "$node" ] || die "no primary to set the engine's passwords on (./socnet status)"
  for role in "$@"; do
    sql+="alter role $role password '$SOCNET_PG_AUTOFAILOVER_PASSWORD';"$'\n'
  done
  local db=postgres; [ "$node" = monitor ] && db=pg_auto_failover
  printf '%s' "$sql" | pg_psql_admin "$(pg_node_port "$node")" "$db" >/dev/null \
    || die "cannot set the password of $* on $node"
}
# A formation whose pg_autoctl processes were started before the passfile existed (an older checkout)
# could not authenticate once the rules ask for passwords: stopped here, started again by `up`.
pg_restart_without_passfile() {
  local n p stale=0
  for n in monitor "${PG_NODES[@]}"; do
    pg_keeper_alive "$n" || continue
    p=$(pg_keeper_pid "$n")
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -q '^PGPASSFILE=' || stale=1
  done
  [ $stale = 1 ] || return 0
  warn "the PostgreSQL formation runs without the engine's password file: restarting it"
  pg_cluster_down
}

pg_monitor_settings() {
  local s changed=0
  for s in "${PG_MONITOR_SETTINGS[@]}"; do
    [ "$(pg_query "$SOCNET_PG_MONITOR_PORT" "show ${s%%=*}")" = "${s#*=}" ] && continue
    pg_query "$SOCNET_PG_MONITOR_PORT" "alter system set ${s%%=*} = '${s#*=}'" >/dev/null; changed=1
  done
  [ $changed = 1 ] && pg_query "$SOCNET_PG_MONITOR_PORT" "select pg_reload_conf()" >/dev/null
  return 0
}

# Quorum commit: every data node takes part (replication-quorum true at creation) and one standby
# must confirm each commit: number_sync_standbys = 1 -> synchronous_standby_names = 'ANY 1 (...)'.
pg_quorum_settings() {
  wait_for 180 "both standbys registered" pg_standbys_registered || return 0
  [ "$(pg_monitor_query "select number_sync_standbys from pgautofailover.formation where formationid = '$PG_FORMATION'")" = 1 ] && return 0
  log "quorum commit: number_sync_standbys = 1"
  pg_autoctl set formation number-sync-standbys 1 --pgdata "$(pg_node_dir monitor)" >/dev/null 2>&1 \
    || pg_autoctl set formation number-sync-standbys 1 --pgdata "$(pg_node_dir primary)" >/dev/null
}
pg_standbys_registered() {
  [ "$(pg_monitor_query "select count(*) from pgautofailover.node where formationid = '$PG_FORMATION' and reportedstate = 'secondary'")" -ge 2 ] 2>/dev/null
}
# A primary with two secondaries, every node as the monitor wants it, and a quorum standby streaming.
pg_formation_healthy() {
  [ "$(pg_monitor_query "select count(*) from pgautofailover.node where formationid = '$PG_FORMATION'
    and reportedstate = goalstate and ((goalstate = 'primary') or (goalstate = 'secondary'))")" = 3 ] 2>/dev/null \
    && pg_sync_standby_connected
}
pg_sync_standby_connected() {
  [ "$(pg_query "$(pg_primary_port)" "select count(*) from pg_stat_replication where sync_state in ('sync','quorum') and state = 'streaming'")" -ge 1 ] 2>/dev/null
}

# The monitor first, so that stopping the primary starts no failover; then the standbys, the primary last.
pg_cluster_down() {
  local n primary; primary=$(pg_primary_node 2>/dev/null || true)
  pg_stop_node monitor
  for n in "${PG_NODES[@]}"; do [ "$n" = "$primary" ] || pg_stop_node "$n"; done
  [ -n "$primary" ] && pg_stop_node "$primary"
  return 0
}

pg_cluster_ready() { local n; n=$(pg_primary_node) && [ -n "$n" ] && pg_node_ready "$n"; }

# Creates the application role and database (idempotent); the role's password is the generated
# SOCNET_DB_PASSWORD (.local/secrets.env, set again on every `up`, so a regenerated one takes effect),
# its statement_timeout follows SOCNET_DB_STATEMENT_TIMEOUT (bulk commands set 0 on their connections:
# tools_command_exec). The password goes through psql's standard input, never a command line.
pg_bootstrap() {
  local port; port=$(pg_primary_port)
  require_secret SOCNET_DB_PASSWORD
  pg_psql_admin "$port" postgres <<SQL
select 'create role $SOCNET_DB_USER login'
 where not exists (select 1 from pg_roles where rolname = '$SOCNET_DB_USER') \gexec
alter role $SOCNET_DB_USER password '$SOCNET_DB_PASSWORD';
alter role $SOCNET_DB_USER set statement_timeout = '${SOCNET_DB_STATEMENT_TIMEOUT:-8s}';
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

# Failover and switchover are the monitor's: these only ask it and wait for the result.
pg_perform_failover() { # [NODE]: NODE = promote that node (pg_autoctl perform promotion)
  local t0=$SECONDS
  if [ -n "${1:-}" ]; then
    pg_node_port "$1" >/dev/null
    pg_autoctl perform promotion --pgdata "$(pg_node_dir monitor)" --formation "$PG_FORMATION" --name "$1" --wait 120 \
      || die "pg_autoctl perform promotion of $1 failed"
  else
    pg_autoctl perform failover --pgdata "$(pg_node_dir monitor)" --formation "$PG_FORMATION" --wait 120 \
      || die "pg_autoctl perform failover failed"
  fi
  log "failover done in $((SECONDS - t0)) s: $(pg_primary_node) is the primary"
}
pg_perform_switchover() {
  local t0=$SECONDS
  pg_autoctl perform switchover --pgdata "$(pg_node_dir monitor)" --formation "$PG_FORMATION" --wait 120 \
    || die "pg_autoctl perform switchover failed"
  log "switchover done in $((SECONDS - t0)) s: $(pg_primary_node) is the primary"
}

# Delays WAL replay on NODE by MS milliseconds (recovery_min_apply_delay): a lagging standby on
# demand, for read-your-writes and failover tests. It only acts while NODE is a standby (a promotion
# skips the delay). 0 removes it.
pg_set_apply_delay() { # NODE MS
  local port; port=$(pg_node_port "$1")
  pg_node_ready "$1" || die "$1 is not running"
  pg_query "$port" "alter system set recovery_min_apply_delay = '${2}ms'" >/dev/null || die "cannot set the delay on $1"
  pg_query "$port" "select pg_reload_conf()" >/dev/null
  log "$1 replays WAL ${2} ms late (while it is a standby)"
}

# Number of rows in users (0 when the table does not exist yet).
pg_user_count() {
  local port; port=$(pg_primary_port 2>/dev/null) || { echo 0; return 0; }
  PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS='-c statement_timeout=0' "$PGBIN/psql" -X -At -h 127.0.0.1 -p "$port" -U "$SOCNET_DB_USER" -d "$SOCNET_DB_NAME" \
    -c "select case when to_regclass('users') is null then 0 else (select count(*) from users) end" 2>/dev/null || echo 0
}

# One line per PostgreSQL process (monitor, data nodes): port, postmaster pid, role, keeper.
pg_status_lines() {
  local n h
  for n in monitor "${PG_NODES[@]}"; do
    h=down
    if pg_node_ready "$n"; then
      h=up
      if [ "$n" != monitor ]; then
        [ "$(pg_query "$(pg_node_port "$n")" 'select pg_is_in_recovery()')" = t ] && h="up (standby)" || h="up (primary)"
      fi
    fi
    pg_keeper_alive "$n" || h="$h, no keeper"
    local pid; pid=$(pg_node_pid "$n")
    [ "$pid" != - ] && binary_replaced "$pid" && h="$h, binaries replaced under it by a package upgrade (./socnet db stop $n; ./socnet db start $n)"
    printf '%-12s %-7s %-9s %s\n' "pg-$n" "$(pg_node_port "$n")" "$(pg_node_pid "$n")" "$h"
  done
}

# The engine's view: pg_autoctl show state (node, role, reported and assigned state, LSN, health).
pg_formation_state() {
  pg_node_ready monitor || { echo "pg_auto_failover monitor: down (no failovers until it is back)"; return 0; }
  pg_autoctl show state --pgdata "$(pg_node_dir monitor)" 2>&1 || true
}
