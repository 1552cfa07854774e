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
  if pid_alive "$(rabbitmq_pidfile)" && port_open "$SOCNET_RABBITMQ_PORT"; then rabbitmq_ensure_prometheus; return 0; fi
  mkdir -p "$LOCAL/rabbitmq" "$RABBITMQ_LOG_BASE" "$LOCAL/run"
  # the node's Prometheus endpoint (rabbitmq_prometheus, issue 14), on loopback like every listener
  echo '[rabbitmq_prometheus].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  [ -f "$RABBITMQ_ADVANCED_CONFIG_FILE" ] || echo '[].' > "$RABBITMQ_ADVANCED_CONFIG_FILE"
  cat > "$RABBITMQ_CONFIG_FILE.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$SOCNET_RABBITMQ_PORT
loopback_users.guest = true
vm_memory_high_watermark.relative = 0.2
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $SOCNET_RABBITMQ_PROMETHEUS_PORT
CONF
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
