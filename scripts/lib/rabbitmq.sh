# shellcheck shell=bash
# The project's own RabbitMQ cluster under .local (not the Debian system service): three nodes on
# loopback (issue 16; docs/realtime.md#rabbitmq-cluster). Node N has the Nth port of SOCNET_RABBITMQ_PORTS
# (AMQP), SOCNET_RABBITMQ_DIST_PORTS (Erlang distribution) and SOCNET_RABBITMQ_PROMETHEUS_PORTS, the name
# SOCNET_RABBITMQ_NODE for node 1 (socnet@localhost) and <name>N@<host> for the others (socnet2@localhost,
# …), and its data in .local/rabbitmq (node 1, where the single node of older checkouts kept it) or
# .local/rabbitmqN. Node 1 starts first; the others find it by peer discovery (classic_config: the three
# names in each node's configuration) and join it when their data directory is new, or rejoin the
# cluster they remember. Durable work (the fan-out) is in quorum queues, replicated on all three: it
# survives the loss of any one node.

RABBIT_BIN=/usr/lib/rabbitmq/bin

# shellcheck disable=SC2086 # the port lists are space-separated words
rabbitmq_nodes() { local i=1 p; for p in $SOCNET_RABBITMQ_PORTS; do echo "$i"; i=$((i + 1)); done; }
# shellcheck disable=SC2086
rabbitmq_port() { nth_word "$1" $SOCNET_RABBITMQ_PORTS; }
# shellcheck disable=SC2086
rabbitmq_dist_port() { nth_word "$1" $SOCNET_RABBITMQ_DIST_PORTS; }
# shellcheck disable=SC2086
rabbitmq_prometheus_port() { nth_word "$1" $SOCNET_RABBITMQ_PROMETHEUS_PORTS; }
rabbitmq_node_name() {
  if [ "$1" = 1 ]; then echo "$SOCNET_RABBITMQ_NODE"; else echo "${SOCNET_RABBITMQ_NODE%@*}$1@${SOCNET_RABBITMQ_NODE#*@}"; fi
}
rabbitmq_dir() { if [ "$1" = 1 ]; then echo "$LOCAL/rabbitmq"; else echo "$LOCAL/rabbitmq$1"; fi; }
rabbitmq_pidfile() { if [ "$1" = 1 ]; then echo "$LOCAL/run/rabbitmq.pid"; else echo "$LOCAL/run/rabbitmq$1.pid"; fi; }
# The Erlang VM's own pid (beam.smp), written by the node: what `rabbitmq kill N` signals.
rabbitmq_vm_pidfile() { if [ "$1" = 1 ]; then echo "$LOCAL/run/rabbitmq-node.pid"; else echo "$LOCAL/run/rabbitmq$1-node.pid"; fi; }
# host:port of every node, comma-separated: the app's spring.rabbitmq.addresses (SOCNET_RABBITMQ_ADDRESSES)
rabbitmq_addresses() { local n out=; for n in $(rabbitmq_nodes); do out+="${out:+,}127.0.0.1:$(rabbitmq_port "$n")"; done; echo "$out"; }

rabbitmq_check_settings() {
  local n
  for n in $(rabbitmq_nodes); do
    [ -n "$(rabbitmq_dist_port "$n")" ] && [ -n "$(rabbitmq_prometheus_port "$n")" ] \
      || die "RabbitMQ node $n has an AMQP port but no distribution or Prometheus port: SOCNET_RABBITMQ_DIST_PORTS and SOCNET_RABBITMQ_PROMETHEUS_PORTS need one word per word of SOCNET_RABBITMQ_PORTS (socnet.env)"
  done
}

# Loopback only, every listener of a node: AMQP (listeners.tcp below), the Erlang distribution
# port (inet_dist_use_interface, for the server and for the CLI tools' own short-lived nodes) and
# epmd (ERL_EPMD_ADDRESS, read by the epmd daemon the first Erlang node of the host starts). Whoever
# reaches the distribution port with the Erlang cookie runs code in the node (RabbitMQ networking
# guide, "Erlang distribution"; docs/security.md). The distribution ports lie below Linux's ephemeral
# range (32768–60999), so an outgoing connection never holds one when a node starts.
RABBIT_LOOPBACK_DIST='-kernel inet_dist_use_interface {127,0,0,1}'
rabbitmq_env() { # N
  local n=${1:-1} dir; dir=$(rabbitmq_dir "$n")
  export RABBITMQ_NODENAME; RABBITMQ_NODENAME=$(rabbitmq_node_name "$n")
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT; RABBITMQ_NODE_PORT=$(rabbitmq_port "$n")
  export RABBITMQ_DIST_PORT; RABBITMQ_DIST_PORT=$(rabbitmq_dist_port "$n")
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=$RABBIT_LOOPBACK_DIST
  export RABBITMQ_CTL_ERL_ARGS=$RABBIT_LOOPBACK_DIST
  export RABBITMQ_MNESIA_BASE=$dir/mnesia
  export RABBITMQ_LOG_BASE; RABBITMQ_LOG_BASE=$LOCAL/logs/rabbitmq$([ "$n" = 1 ] || echo "$n")
  export RABBITMQ_PID_FILE; RABBITMQ_PID_FILE=$(rabbitmq_vm_pidfile "$n")
  export RABBITMQ_CONFIG_FILE=$dir/rabbitmq
  export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  export RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
}

# rabbitmq_ctl N ARGS...: rabbitmqctl against node N (quiet)
rabbitmq_ctl() { local n=$1; shift; ( rabbitmq_env "$n"; "$RABBIT_BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" "$@" ); }

rabbitmq_node_ready() { # N: the node runs and takes AMQP connections
  port_open "$(rabbitmq_port "$1")" && rabbitmq_ctl "$1" status >/dev/null 2>&1
}
# Every node up (the check `up` and `test` use to tell whether RabbitMQ was already running).
rabbitmq_ready() { local n; for n in $(rabbitmq_nodes); do port_open "$(rabbitmq_port "$n")" || return 1; done; }

# The cluster a node reports itself a member of (rabbitmq_prometheus' rabbitmq_identity_info; a plain
# HTTP request, no CLI node to boot): the cluster's permanent id, generated when the cluster was formed
# and shared by every member (the cluster *name* label defaults to each node's own name).
rabbitmq_node_cluster() { # N → cluster id, or nothing when the node does not answer
  curl -fs --max-time 2 "http://127.0.0.1:$(rabbitmq_prometheus_port "$1")/metrics" 2>/dev/null \
    | sed -n 's/^rabbitmq_identity_info{.*rabbitmq_cluster_permanent_id="\([^"]*\)".*/\1/p' | head -n1
}

rabbitmq_write_config() { # N
  local n=$1 dir; dir=$(rabbitmq_dir "$n")
  mkdir -p "$dir" "$LOCAL/run"
  chmod 700 "$dir"
  # the node's Prometheus endpoint (rabbitmq_prometheus, issue 14), on loopback like every listener
  echo '[rabbitmq_prometheus].' > "$dir/enabled_plugins"
  [ -f "$dir/advanced.config" ] || echo '[].' > "$dir/advanced.config"
  # The generated user is the cluster's default user: the first node of a new cluster creates it (with
  # every permission on "/") instead of guest, and the others get it by joining; the file is the
  # owner's only (its directory is 0700).
  local user=$SOCNET_RABBITMQ_USER m
  (umask 077
   {
     cat <<CONF
listeners.tcp.1 = 127.0.0.1:$(rabbitmq_port "$n")
default_user = $user
default_pass = $SOCNET_RABBITMQ_PASSWORD
loopback_users.$user = true
vm_memory_high_watermark.relative = 0.2
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $(rabbitmq_prometheus_port "$n")
# Peer discovery: a node with a new data directory joins the first of these that answers; node 1
# starts first (rabbitmq_start), so a new node joins the running cluster.
cluster_formation.peer_discovery_backend = classic_config
CONF
     for m in $(rabbitmq_nodes); do echo "cluster_formation.classic_config.nodes.$m = $(rabbitmq_node_name "$m")"; done
     # A node cut off from the majority pauses (stops serving clients) instead of running on as a
     # second, diverging cluster; clients reconnect to the majority's nodes. With three nodes any one
     # may be lost (RabbitMQ clustering guide, "Network Partitions": pause_minority).
     echo "cluster_partition_handling = pause_minority"
   } > "$dir/rabbitmq.conf")
}

rabbitmq_start_node() { # N: starts node N unless it runs; waits until it takes connections
  local n=$1 name port; name=$(rabbitmq_node_name "$n"); port=$(rabbitmq_port "$n")
  if pid_alive "$(rabbitmq_pidfile "$n")" && port_open "$port"; then return 0; fi
  require_secret SOCNET_RABBITMQ_PASSWORD
  rabbitmq_write_config "$n"
  ( rabbitmq_env "$n"
    mkdir -p "$RABBITMQ_LOG_BASE"
    # Node names are unique per host (epmd): another checkout's node of the same name would answer our
    # status checks while ours fails to start.
    if command -v epmd >/dev/null && epmd -names 2>/dev/null | grep -q "^name ${name%@*} "; then
      die "a RabbitMQ node named $name already runs on this host, not ours (another checkout?): give this checkout another SOCNET_RABBITMQ_NODE, e.g. socnetb@localhost, in socnet.local.env"
    fi
    port_open "$RABBITMQ_DIST_PORT" && die "RabbitMQ node $n: its distribution port $RABBITMQ_DIST_PORT is taken by another process (SOCNET_RABBITMQ_DIST_PORTS in socnet.local.env)"
    log "starting RabbitMQ node $n on :$port (node $name, distribution :$RABBITMQ_DIST_PORT)"
    nohup "$RABBIT_BIN/rabbitmq-server" >"$RABBITMQ_LOG_BASE/startup.log" 2>&1 &
    echo $! > "$(rabbitmq_pidfile "$n")" )
  wait_for 120 "RabbitMQ node $n" rabbitmq_node_ready "$n" \
    || die "RabbitMQ node $n ($name) failed to start, see $LOCAL/logs/rabbitmq$([ "$n" = 1 ] || echo "$n")/"
}

# Starts the cluster: node 1, then the others one at a time (each joins the running cluster), then
# checks that every node reports the same cluster, sets up the application's user and moves queues of
# an older single-node layout. Idempotent: running nodes are left alone; a second `up` costs one HTTP
# request per node.
rabbitmq_start() {
  rabbitmq_check_settings
  require_secret SOCNET_RABBITMQ_PASSWORD
  # An epmd left running from before (started without ERL_EPMD_ADDRESS, listening on every interface)
  # would be reused by the nodes: ended when no node is registered with it, so that the first node
  # starts one on loopback.
  epmd_kill_idle
  local fresh=0 n started=()
  [ -d "$(rabbitmq_dir 1)/mnesia" ] || fresh=1
  for n in $(rabbitmq_nodes); do
    port_open "$(rabbitmq_port "$n")" || started+=("$n")
    rabbitmq_start_node "$n"
  done
  # a new cluster made the user itself (default_user) and has no guest
  [ $fresh = 1 ] && rabbitmq_user_hash > "$(rabbitmq_user_stamp)"
  rabbitmq_ensure_user
  rabbitmq_check_cluster
  for n in "${started[@]}"; do rabbitmq_grow_quorum_queues "$n"; done
  rabbitmq_ensure_prometheus
  rabbitmq_retire_classic_queues
}

# Every node a member of node 1's cluster. A node that formed a cluster of its own (its data directory
# from elsewhere) is not repaired silently: that would throw its data away.
rabbitmq_check_cluster() {
  local n expected actual
  expected=$(rabbitmq_node_cluster 1)
  for n in $(rabbitmq_nodes); do
    # the identity metric appears a moment after the node takes connections
    wait_for 30 "RabbitMQ node $n's Prometheus endpoint" test -n "$(rabbitmq_node_cluster "$n")" || true
    actual=$(rabbitmq_node_cluster "$n")
    [ -n "$expected" ] || expected=$actual
    [ "$actual" = "$expected" ] || die "RabbitMQ node $n ($(rabbitmq_node_name "$n")) is in cluster '${actual:-?}', not '$expected' with node 1: its data directory $(rabbitmq_dir "$n") belongs elsewhere; stop it (./socnet rabbitmq stop $n), move that directory away and run ./socnet up to let it join afresh"
  done
}

# A quorum queue has members on the nodes that were in the cluster when it was declared; a node that
# joined later (the upgrade from one node, or a node whose data directory was replaced) gets a member of
# every quorum queue it lacks (rabbitmq-queues grow; a no-op for a node that has them all).
rabbitmq_grow_quorum_queues() { # N
  local n=$1 name; name=$(rabbitmq_node_name "$n")
  ( rabbitmq_env "$n"; "$RABBIT_BIN/rabbitmq-queues" -q -n "$name" grow "$name" all >/dev/null 2>&1 ) \
    || warn "could not add node $n's members to the quorum queues (rabbitmq-queues grow $name all)"
}

# The application's user on a cluster that existed before it (created with guest), or after the password
# was regenerated: imported as a definition (its salted SHA-256, RabbitMQ's rabbit_password_hashing_sha256
# format, and every permission on "/"), then guest deleted. Users are cluster-wide: done once, on node 1.
# The password never appears on a command line. Skipped when the stamp says the current password is in
# place (each rabbitmqctl call costs seconds).
rabbitmq_user_stamp() { echo "$LOCAL/rabbitmq/user.stamp"; }
rabbitmq_user_hash() { printf '%s:%s' "$SOCNET_RABBITMQ_USER" "$SOCNET_RABBITMQ_PASSWORD" | sha256sum | cut -d' ' -f1; }
rabbitmq_ensure_user() {
  [ "$(cat "$(rabbitmq_user_stamp)" 2>/dev/null)" = "$(rabbitmq_user_hash)" ] && return 0
  local user=$SOCNET_RABBITMQ_USER salt hash defs=$LOCAL/rabbitmq/definitions.json
  log "RabbitMQ: user $user with the generated password; guest deleted"
  salt=$(random_hex 4)
  hash=$( { printf '%s' "$salt" | xxd -r -p; printf '%s' "$SOCNET_RABBITMQ_PASSWORD"; } | sha256sum | cut -d' ' -f1)
  hash=$(printf '%s%s' "$salt" "$hash" | xxd -r -p | base64 -w0)
  (umask 077; cat > "$defs" <<JSON
{"users": [{"name": "$user", "password_hash": "$hash", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []}],
 "permissions": [{"user": "$user", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]}
JSON
  )
  rabbitmq_ctl 1 import_definitions "$defs" >/dev/null || { rm -f "$defs"; die "could not create RabbitMQ user $user"; }
  rm -f "$defs"
  if rabbitmq_ctl 1 list_users 2>/dev/null | grep -q '^guest[[:space:]]'; then
    rabbitmq_ctl 1 delete_user guest >/dev/null || die "could not delete RabbitMQ's guest"
  fi
  rabbitmq_user_hash > "$(rabbitmq_user_stamp)"
}

# A node started before its configuration had the Prometheus plugin gets it without a restart: the
# listener's address and port go into the running node's application environment first (what the
# configuration file would have set), then the plugin goes into enabled_plugins and the node applies
# that file at once (rabbit_plugins:ensure, what `rabbitmq-plugins enable` does; the CLI itself refuses
# here, its default file path differing from the node's).
rabbitmq_ensure_prometheus() {
  local n port file
  for n in $(rabbitmq_nodes); do
    port=$(rabbitmq_prometheus_port "$n")
    port_open "$port" && continue
    file=$(rabbitmq_dir "$n")/enabled_plugins
    log "enabling RabbitMQ's Prometheus endpoint on node $n, 127.0.0.1:$port"
    rabbitmq_ctl "$n" eval "application:set_env(rabbitmq_prometheus, tcp_config, [{ip, \"127.0.0.1\"}, {port, $port}])." >/dev/null \
      && echo '[rabbitmq_prometheus].' > "$file" \
      && rabbitmq_ctl "$n" eval "rabbit_plugins:ensure(\"$file\")." >/dev/null \
      || die "could not enable rabbitmq_prometheus on $(rabbitmq_node_name "$n")"
    wait_for 30 "RabbitMQ's Prometheus endpoint" port_open "$port" \
      || die "RabbitMQ's Prometheus endpoint did not open on :$port"
  done
}

# The upgrade from the single node: the fan-out queues (socnet.feed.fan-out.<db>) and the live feed's
# dead-letter queues (socnet.realtime.<db>.dead-letters) were classic queues, which live on one node; they
# are quorum queues now, and a queue's type cannot change under its name. Once per cluster (a stamp):
# app instances still running the old build are stopped (they would declare the classic queue again;
# `up` starts them on the new build), each classic one is deleted, and when a fan-out queue still held
# messages, the outbox publications relayed in the last hour are marked unfinished so that the relay
# sends them again (the fan-out is idempotent: a post already in a feed is not added twice).
rabbitmq_queue_stamp() { echo "$LOCAL/rabbitmq/quorum-queues.stamp"; }
rabbitmq_retire_classic_queues() {
  [ -f "$(rabbitmq_queue_stamp)" ] && return 0
  local classic name type messages n lost=0
  classic=$(rabbitmq_ctl 1 list_queues name type messages 2>/dev/null \
    | awk '$2 == "classic" && ($1 ~ /^socnet\.feed\.fan-out\./ || ($1 ~ /^socnet\.realtime\./ && $1 ~ /\.dead-letters$/))')
  if [ -n "$classic" ]; then
    log "RabbitMQ: the fan-out and dead-letter queues become quorum queues (replicated on every node)"
    for n in $(app_instances); do
      pid_alive "$(app_pidfile "$n")" && { warn "stopping socnet-app #$n (an older build, which declares the classic queues; up starts it again)"; app_stop_instance "$n"; }
    done
    while read -r name type messages; do
      [ -n "$name" ] || continue
      rabbitmq_ctl 1 delete_queue "$name" >/dev/null || die "could not delete the classic queue $name"
      if [[ $name == socnet.feed.fan-out.* ]] && [ "${messages:-0}" -gt 0 ]; then lost=$((lost + messages)); fi
    done <<< "$classic"
    if [ "$lost" -gt 0 ]; then
      warn "the classic fan-out queues held $lost messages: the outbox relays the last hour's posts again"
      pg_psql_admin "$(pg_primary_port)" "$SOCNET_DB_NAME" -q -c "update event_publication set completion_date = null, status = 'FAILED'
        where listener_id like 'feed.relay.%' and completion_date > now() - interval '1 hour'" >/dev/null \
        || warn "could not mark the outbox publications for resending; the feeds of the affected followers are rebuilt from PostgreSQL when they expire"
    fi
  fi
  touch "$(rabbitmq_queue_stamp)"
}

rabbitmq_stop_node() { # N
  local n=$1
  pid_alive "$(rabbitmq_pidfile "$n")" || { rm -f "$(rabbitmq_pidfile "$n")"; return 0; }
  log "stopping RabbitMQ node $n"
  rabbitmq_ctl "$n" stop >/dev/null 2>&1 || true
  stop_pid "$(rabbitmq_pidfile "$n")" "RabbitMQ node $n"
}

# Crashes node N: SIGKILL to its Erlang VM (no goodbye to the other nodes or the clients), for failure tests.
rabbitmq_kill_node() { # N
  local n=$1 pid
  pid=$(pid_of "$(rabbitmq_vm_pidfile "$n")")
  [ "$pid" != - ] && kill -0 "$pid" 2>/dev/null || die "RabbitMQ node $n is not running"
  log "killing RabbitMQ node $n (SIGKILL to pid $pid)"
  kill -9 "$pid"
  local i; for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  pid_alive "$(rabbitmq_pidfile "$n")" && kill -9 "$(pid_of "$(rabbitmq_pidfile "$n")")" 2>/dev/null
  rm -f "$(rabbitmq_pidfile "$n")" "$(rabbitmq_vm_pidfile "$n")"
}

rabbitmq_stop() {
  local n
  # the last node stopped is the first to start next time (node 1): stop the others first
  for n in $(rabbitmq_nodes | sort -rn); do rabbitmq_stop_node "$n"; done
  epmd_kill_idle
}

rabbitmq_status_lines() {
  local n h cluster expected
  expected=$(rabbitmq_node_cluster 1)
  for n in $(rabbitmq_nodes); do
    h=down
    if port_open "$(rabbitmq_port "$n")"; then
      cluster=$(rabbitmq_node_cluster "$n")
      if [ -z "$cluster" ]; then h="up ($(rabbitmq_node_name "$n"), cluster unknown: no metrics)"
      elif [ "$cluster" = "$expected" ]; then h="up ($(rabbitmq_node_name "$n"), member of the cluster)"
      else h="up ($(rabbitmq_node_name "$n"), NOT in node 1's cluster: $cluster)"; fi
    fi
    printf '%-12s %-7s %-9s %s\n' "rabbitmq$n" "$(rabbitmq_port "$n")" "$(pid_of "$(rabbitmq_pidfile "$n")")" "$h"
  done
}

# ./socnet rabbitmq stop|start|kill N | status | ctl N ARGS...
cmd_rabbitmq() {
  local action=${1:-} n=${2:-}
  local usage="usage: ./socnet rabbitmq stop|start|kill N | status | ctl N ARGS... (nodes: $(rabbitmq_nodes | tr '\n' ' '))"
  case $action in
    status) rabbitmq_status_lines; echo; rabbitmq_ctl 1 cluster_status ;;
    ctl) [ -n "$n" ] || die "$usage"; shift 2; rabbitmq_ctl "$n" "$@" ;;
    stop|start|kill)
      [ -n "$n" ] && [ -n "$(rabbitmq_port "$n")" ] || die "$usage"
      case $action in
        stop) rabbitmq_stop_node "$n" ;;
        start) rabbitmq_start_node "$n"; rabbitmq_check_cluster; rabbitmq_grow_quorum_queues "$n" ;;
        kill) rabbitmq_kill_node "$n" ;;
      esac ;;
    *) die "$usage" ;;
  esac
}

# Ends the host's epmd daemon when no Erlang node is registered with it (epmd refuses -kill otherwise,
# so another node's epmd is never taken away).
epmd_kill_idle() {
  command -v epmd >/dev/null || return 0
  epmd -names 2>/dev/null | grep -q '^name ' && return 0
  epmd -kill >/dev/null 2>&1 || true
}
