# shellcheck shell=bash
# The project's own RabbitMQ node under .local/rabbitmq (not the Debian system service).

RABBIT_BIN=/usr/lib/rabbitmq/bin
rabbitmq_pidfile() { echo "$LOCAL/run/rabbitmq.pid"; }

# Loopback only, every listener of the node: AMQP (listeners.tcp below), the Erlang distribution
# port (inet_dist_use_interface, for the server and for the CLI tools' own short-lived nodes) and
# epmd (ERL_EPMD_ADDRESS, read by the epmd daemon the first Erlang node of the host starts). Whoever
# reaches the distribution port with the Erlang cookie runs code in the node (RabbitMQ networking
# guide, "Erlang distribution"; docs/security.md).
RABBIT_LOOPBACK_DIST='-kernel inet_dist_use_interface {127,0,0,1}'
rabbitmq_env() {
  export RABBITMQ_NODENAME=$SOCNET_RABBITMQ_NODE
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$SOCNET_RABBITMQ_PORT
  export RABBITMQ_DIST_PORT=$SOCNET_RABBITMQ_DIST_PORT
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=$RABBIT_LOOPBACK_DIST
  export RABBITMQ_CTL_ERL_ARGS=$RABBIT_LOOPBACK_DIST
  export RABBITMQ_MNESIA_BASE=$LOCAL/rabbitmq/mnesia
  export RABBITMQ_LOG_BASE=$LOCAL/logs/rabbitmq
  export RABBITMQ_PID_FILE=$LOCAL/run/rabbitmq-node.pid
  export RABBITMQ_CONFIG_FILE=$LOCAL/rabbitmq/rabbitmq
  export RABBITMQ_ENABLED_PLUGINS_FILE=$LOCAL/rabbitmq/enabled_plugins
  export RABBITMQ_ADVANCED_CONFIG_FILE=$LOCAL/rabbitmq/advanced.config
}

rabbitmq_ready() {
  rabbitmq_env
  "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" status >/dev/null 2>&1 && port_open "$SOCNET_RABBITMQ_PORT"
}

rabbitmq_start() {
  rabbitmq_env
  if pid_alive "$(rabbitmq_pidfile)" && port_open "$SOCNET_RABBITMQ_PORT"; then
    rabbitmq_ensure_prometheus; rabbitmq_ensure_user; return 0
  fi
  require_secret SOCNET_RABBITMQ_PASSWORD
  mkdir -p "$LOCAL/rabbitmq" "$RABBITMQ_LOG_BASE" "$LOCAL/run"
  chmod 700 "$LOCAL/rabbitmq"
  local fresh=0; [ -d "$RABBITMQ_MNESIA_BASE" ] || fresh=1
  # the node's Prometheus endpoint (rabbitmq_prometheus, issue 14), on loopback like every listener
  echo '[rabbitmq_prometheus].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  [ -f "$RABBITMQ_ADVANCED_CONFIG_FILE" ] || echo '[].' > "$RABBITMQ_ADVANCED_CONFIG_FILE"
  # The generated user is the node's default user: a new node creates it (with every permission on
  # "/") instead of guest; the file is the owner's only (its directory is 0700).
  (umask 077; cat > "$RABBITMQ_CONFIG_FILE.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$SOCNET_RABBITMQ_PORT
default_user = ${SOCNET_RABBITMQ_USER:-socnet}
default_pass = $SOCNET_RABBITMQ_PASSWORD
loopback_users.${SOCNET_RABBITMQ_USER:-socnet} = true
vm_memory_high_watermark.relative = 0.2
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $SOCNET_RABBITMQ_PROMETHEUS_PORT
CONF
  )
  # An epmd left running from before (started without ERL_EPMD_ADDRESS, listening on every interface)
  # would be reused by the node: ended when no node is registered with it (epmd refuses -kill otherwise),
  # so that the node starts one on loopback.
  epmd_kill_idle
  # Node names are unique per host (epmd): another checkout's node of the same name would answer our
  # status checks while ours fails to start.
  if command -v epmd >/dev/null && epmd -names 2>/dev/null | grep -q "^name ${SOCNET_RABBITMQ_NODE%@*} "; then
    die "a RabbitMQ node named $SOCNET_RABBITMQ_NODE already runs on this host, not ours (another checkout?): give this one another name, e.g. SOCNET_RABBITMQ_NODE=socnet2@localhost in socnet.local.env"
  fi
  log "starting RabbitMQ on :$SOCNET_RABBITMQ_PORT (node $SOCNET_RABBITMQ_NODE)"
  nohup "$RABBIT_BIN/rabbitmq-server" >"$RABBITMQ_LOG_BASE/startup.log" 2>&1 &
  echo $! > "$(rabbitmq_pidfile)"
  wait_for 90 RabbitMQ rabbitmq_ready || die "RabbitMQ failed to start, see $RABBITMQ_LOG_BASE/"
  # a new node made the user itself (default_user) and has no guest
  [ $fresh = 1 ] && rabbitmq_user_hash > "$(rabbitmq_user_stamp)"
  rabbitmq_ensure_user
}

# The application's user on a node that existed before it (created with guest), or after the password
# was regenerated: imported as a definition (its salted SHA-256, RabbitMQ's rabbit_password_hashing_sha256
# format, and every permission on "/"), then guest deleted. The password never appears on a command
# line. Skipped when the stamp says the current password is in place (each rabbitmqctl call costs
# seconds).
rabbitmq_user_stamp() { echo "$LOCAL/rabbitmq/user.stamp"; }
rabbitmq_user_hash() { printf '%s:%s' "${SOCNET_RABBITMQ_USER:-socnet}" "$SOCNET_RABBITMQ_PASSWORD" | sha256sum | cut -d' ' -f1; }
rabbitmq_ensure_user() {
  rabbitmq_env
  [ "$(cat "$(rabbitmq_user_stamp)" 2>/dev/null)" = "$(rabbitmq_user_hash)" ] && return 0
  local user=${SOCNET_RABBITMQ_USER:-socnet} salt hash defs=$LOCAL/rabbitmq/definitions.json
  log "RabbitMQ: user $user with the generated password; guest deleted"
  salt=$(random_hex 4)
  hash=$( { printf '%s' "$salt" | xxd -r -p; printf '%s' "$SOCNET_RABBITMQ_PASSWORD"; } | sha256sum | cut -d' ' -f1)
  hash=$(printf '%s%s' "$salt" "$hash" | xxd -r -p | base64 -w0)
  (umask 077; cat > "$defs" <<JSON
{"users": [{"name": "$user", "password_hash": "$hash", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []}],
 "permissions": [{"user": "$user", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]}
JSON
  )
  "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" import_definitions "$defs" >/dev/null \
    || { rm -f "$defs"; die "could not create RabbitMQ user $user"; }
  rm -f "$defs"
  if "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" list_users 2>/dev/null | grep -q '^guest[[:space:]]'; then
    "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" delete_user guest >/dev/null || die "could not delete RabbitMQ's guest"
  fi
  rabbitmq_user_hash > "$(rabbitmq_user_stamp)"
}

# A node started before its configuration had the Prometheus plugin gets it without a restart: the
# listener's address and port go into the running node's application environment first (what the
# configuration file would have set), then the plugin goes into enabled_plugins and the node applies
# that file at once (rabbit_plugins:ensure, what `rabbitmq-plugins enable` does; the CLI itself refuses
# here, its default file path differing from the node's).
rabbitmq_ensure_prometheus() {
  rabbitmq_env
  port_open "$SOCNET_RABBITMQ_PROMETHEUS_PORT" && return 0
  log "enabling RabbitMQ's Prometheus endpoint on 127.0.0.1:$SOCNET_RABBITMQ_PROMETHEUS_PORT"
  "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" eval \
    "application:set_env(rabbitmq_prometheus, tcp_config, [{ip, \"127.0.0.1\"}, {port, $SOCNET_RABBITMQ_PROMETHEUS_PORT}])." >/dev/null \
    && echo '[rabbitmq_prometheus].' > "$RABBITMQ_ENABLED_PLUGINS_FILE" \
    && "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" eval \
      "rabbit_plugins:ensure(\"$RABBITMQ_ENABLED_PLUGINS_FILE\")." >/dev/null \
    || die "could not enable rabbitmq_prometheus on $SOCNET_RABBITMQ_NODE"
  wait_for 30 "RabbitMQ's Prometheus endpoint" port_open "$SOCNET_RABBITMQ_PROMETHEUS_PORT" \
    || die "RabbitMQ's Prometheus endpoint did not open on :$SOCNET_RABBITMQ_PROMETHEUS_PORT"
}

rabbitmq_stop() {
  rabbitmq_env
  pid_alive "$(rabbitmq_pidfile)" || { rm -f "$(rabbitmq_pidfile)"; return 0; }
  log "stopping RabbitMQ"
  "$RABBIT_BIN/rabbitmqctl" -q -n "$SOCNET_RABBITMQ_NODE" stop >/dev/null 2>&1 || true
  stop_pid "$(rabbitmq_pidfile)" RabbitMQ
  epmd_kill_idle
}

# Ends the host's epmd daemon when no Erlang node is registered with it (epmd refuses -kill otherwise,
# so another node's epmd is never taken away).
epmd_kill_idle() {
  command -v epmd >/dev/null || return 0
  epmd -names 2>/dev/null | grep -q '^name ' && return 0
  epmd -kill >/dev/null 2>&1 || true
}
