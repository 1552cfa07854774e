# shellcheck shell=bash
# Building and running the socnet application: N identical instances (one per port in
# SOCNET_APP_INSTANCE_PORTS) behind HAProxy on SOCNET_APP_PORT (scripts/lib/haproxy.sh).

APP_JAR=socnet-app/target/socnet-app.jar
# The operator's one-shot commands (seed, seed-graph, import): socnet-tools, not the production jar.
TOOLS_JAR=socnet-tools/target/socnet-tools.jar

# The pool: instance N listens on the Nth port of SOCNET_APP_INSTANCE_PORTS (management: the Nth of
# SOCNET_APP_MANAGEMENT_PORTS); up to 4. How many of them run, instances 1..count: the count the last
# `./socnet app scale N` chose (remembered in .local/app-instances, so a later `up` keeps it), else
# SOCNET_APP_INSTANCES (socnet.env), else the whole pool.
APP_MAX_INSTANCES=4
# shellcheck disable=SC2086 # the port lists are space-separated words
app_pool_size() { set -- $SOCNET_APP_INSTANCE_PORTS; echo $#; }
app_pool() { seq 1 "$(app_pool_size)"; }
app_count_file() { echo "$LOCAL/app-instances"; }
# app_valid_count N: N is a whole number from 1 to the pool's size (at most APP_MAX_INSTANCES)
app_valid_count() {
  local max; max=$(app_pool_size); [ "$max" -gt $APP_MAX_INSTANCES ] && max=$APP_MAX_INSTANCES
  [[ $1 =~ ^[1-9][0-9]*$ ]] && [ "$1" -le "$max" ]
}
app_instance_count() {
  local n=""
  [ -s "$(app_count_file)" ] && n=$(head -n1 "$(app_count_file)")
  [ -n "$n" ] || n=${SOCNET_APP_INSTANCES:-$(app_pool_size)}
  app_valid_count "$n" || die "app instance count '$n' (SOCNET_APP_INSTANCES or .local/app-instances) is not a number from 1 to $(app_pool_size) (the ports in SOCNET_APP_INSTANCE_PORTS)"
  echo "$n"
}
app_instances() { seq 1 "$(app_instance_count)"; }
# nth_word N WORDS...: the Nth of WORDS (empty when there are fewer)
nth_word() { local n=$1; shift; [ "$n" -ge 1 ] && [ "$n" -le $# ] && echo "${!n}"; return 0; }
# shellcheck disable=SC2086 # the port lists are space-separated words
app_instance_port() { nth_word "$1" $SOCNET_APP_INSTANCE_PORTS; }
# Instance N's management port (actuator, 127.0.0.1 only): the Nth of SOCNET_APP_MANAGEMENT_PORTS.
app_management_port() {
  # shellcheck disable=SC2086
  local p; p=$(nth_word "$1" ${SOCNET_APP_MANAGEMENT_PORTS:-})
  [ -n "$p" ] || die "no management port for app instance $1 in SOCNET_APP_MANAGEMENT_PORTS (socnet.env)"
  echo "$p"
}
app_pidfile() { echo "$LOCAL/run/app${1:-1}.pid"; }

# Builds the application jar and the tools jar (one Maven run) when either is missing or older than
# any source or pom they are built from.
app_build() {
  find_java
  if [ -f "$APP_JAR" ] && [ -f "$TOOLS_JAR" ] && [ "$TOOLS_JAR" -nt "$APP_JAR" ] \
    && [ -z "$(find pom.xml socnet-app/pom.xml socnet-app/src socnet-tools/pom.xml socnet-tools/src socnet-web-support/pom.xml socnet-web-support/src -newer "$APP_JAR" -print -quit)" ]; then
    return 0
  fi
  log "building socnet-app and socnet-tools (./mvnw package)"
  # Removed first: Maven leaves a module's jar alone when that module's own classes did not change, so
  # a change in a module it depends on (socnet-web-support) would not reach the repackaged jar.
  rm -f "$APP_JAR" "$TOOLS_JAR"
  ./mvnw -q -B -DskipTests -pl socnet-app,socnet-tools -am package >"$LOCAL/logs/build.log" 2>&1 \
    || { tail -n 40 "$LOCAL/logs/build.log" >&2; die "build failed, see $LOCAL/logs/build.log"; }
}

# Ready = the API answers through HAProxy (at least one healthy instance): the public health, up or down.
app_ready() { curl -fs -o /dev/null "http://127.0.0.1:$SOCNET_APP_PORT/actuator/health"; }
# An instance's readiness probe, on its management port (loopback only).
app_instance_ready() { curl -fs -o /dev/null "http://127.0.0.1:$(app_management_port "$1")/actuator/health/readiness"; }

# Environment the application reads: socnet.env plus the generated secrets.
app_env() {
  load_socnet_env
  set -a
  # shellcheck disable=SC1091
  . "$LOCAL/secrets.env"
  set +a
  SOCNET_DB_URL=$(pg_jdbc_primary_url "$SOCNET_DB_NAME")
  SOCNET_DB_REPLICA_URL=$(pg_jdbc_replica_url "$SOCNET_DB_NAME")
  # SOCNET_READS_ON_PRIMARY=1: the read pool uses the primary too (the "no replicas" baseline of
  # ./socnet bench replicas)
  [ "${SOCNET_READS_ON_PRIMARY:-0}" = 1 ] && SOCNET_DB_REPLICA_URL=$SOCNET_DB_URL
  # every RabbitMQ node, host:port,… (spring.rabbitmq.addresses)
  SOCNET_RABBITMQ_ADDRESSES=$(rabbitmq_addresses)
  export SOCNET_DB_URL SOCNET_DB_REPLICA_URL SOCNET_RABBITMQ_ADDRESSES
}

# The jar the instances run: a copy of the build output, one per build, so that a later
# `./mvnw package`/`verify` rewriting target/socnet-app.jar never pulls classes from under a running
# JVM (which then fails with ClassNotFoundException).
app_runtime_jar() { runtime_copy "$APP_JAR" socnet-app; }
tools_runtime_jar() { runtime_copy "$TOOLS_JAR" socnet-tools; }
runtime_copy() { # JAR NAME: prints the path of the copy
  local stamp; stamp=$(stat -c %Y "$1")
  local jar=$LOCAL/app/$2-$stamp.jar
  if [ ! -f "$jar" ]; then
    mkdir -p "$LOCAL/app"
    cp "$1" "$jar.tmp" && mv "$jar.tmp" "$jar"
    # keep the three newest copies; older ones are not run by anything started since
    ls -1t "$LOCAL/app/$2"-*.jar 2>/dev/null | tail -n +4 | xargs -r rm -f
  fi
  echo "$jar"
}

app_start_instance() { # N
  local n=$1 port; port=$(app_instance_port "$1")
  app_valid_count "$n" || die "no app instance $n (the pool: $(app_pool | tr '\n' ' '); SOCNET_APP_INSTANCE_PORTS)"
  [ -n "$port" ] || die "no app instance $n (instances: $(app_instances | tr '\n' ' '))"
  # running (ready or still starting: app_wait_instance waits for it): never a second JVM on its port
  if pid_alive "$(app_pidfile "$n")"; then return 0; fi
  find_java
  # the build the instances run (APP_RUN_JAR, set by app_scale), else a copy of the current build
  local jar=${APP_RUN_JAR:-}; [ -n "$jar" ] || jar=$(app_runtime_jar)
  local management; management=$(app_management_port "$n")
  log "starting socnet-app #$n on 127.0.0.1:$port (management 127.0.0.1:$management)"
  ( app_env; export SOCNET_APP_PORT=$port SOCNET_MANAGEMENT_PORT=$management SOCNET_INSTANCE=app$n
    nohup "$JAVA" -Xms512m -Xmx1536m -jar "$jar" >"$LOCAL/logs/app$n.log" 2>&1 & echo $! > "$(app_pidfile "$n")" )
}

# Waits until instance N answers its readiness probe. Bounded by progress, not by a tight budget: a
# busy 2-core machine has been seen taking 150 s to start an instance, so it waits while the JVM is
# alive (at most 600 s) and fails at once, with the log's tail, when the JVM has exited.
app_instance_starting() { # N: ready → 0; still starting → 1; the JVM is gone → 2
  app_instance_ready "$1" && return 0
  pid_alive "$(app_pidfile "$1")" || return 2
  return 1
}
app_wait_instance() { # N
  local deadline=$((SECONDS + 600)) rc
  while :; do
    rc=0; app_instance_starting "$1" || rc=$?
    [ $rc = 0 ] && return 0
    if [ $rc = 2 ] || [ $SECONDS -ge $deadline ]; then
      tail -n 40 "$LOCAL/logs/app$1.log" >&2
      [ $rc = 2 ] && die "socnet-app #$1 exited during startup, see $LOCAL/logs/app$1.log"
      die "socnet-app #$1 did not become healthy in 600 s, see $LOCAL/logs/app$1.log"
    fi
    sleep 0.5
  done
}

app_stop_instance() { stop_pid "$(app_pidfile "$1")" "socnet-app #$1"; }

# The jar instance N's JVM runs (from its command line); empty when it does not run.
app_instance_jar() {
  local f; f=$(app_pidfile "$1")
  pid_alive "$f" || return 0
  tr '\0' '\n' < "/proc/$(head -n1 "$f")/cmdline" 2>/dev/null | grep -m1 '\.jar$' || true
}
# True when instance N runs and its jar differs from the current build (an older build: `up` restarts it).
app_instance_stale() {
  local jar; jar=$(app_instance_jar "$1")
  [ -n "$jar" ] || return 1
  [ -f "$jar" ] && cmp -s "$jar" "$APP_JAR" && return 1
  return 0
}

# HTTP requests instance N is serving now (its http.server.requests.active timer, management port),
# not counting the one that asks; WebSocket connections are not requests once upgraded.
app_instance_in_flight() {
  local active
  active=$(curl -fs --max-time 2 "http://127.0.0.1:$(app_management_port "$1")/actuator/metrics/http.server.requests.active" \
    | grep -o '"statistic":"ACTIVE_TASKS","value":[0-9.]*' | grep -o '[0-9.]*$') || { echo 0; return 0; }
  echo "${active%%.*}"
}

# Takes instance N out of the load balancer and stops it, losing no request:
#  1. drain: HAProxy sends it no new request or connection (runtime API; the others take them all);
#  2. waits (at most SOCNET_APP_DRAIN_TIMEOUT_S, default 30 s) until the requests it was given are done;
#  3. stops it (SIGTERM): the app closes its WebSockets with 1001 "going away" (their clients reconnect
#     through HAProxy, to the other instances), then Spring's graceful shutdown ends.
# The caller rewrites HAProxy's server list (or, for a restart, sets it ready again).
app_drain_instance() {
  local n=$1
  pid_alive "$(app_pidfile "$n")" || return 0
  if haproxy_running && [ -n "$(haproxy_server_field "$n" status)" ]; then
    log "draining socnet-app #$n: HAProxy sends it nothing new"
    haproxy_set_server_state "$n" drain
    local deadline=$((SECONDS + ${SOCNET_APP_DRAIN_TIMEOUT_S:-30})) busy
    # a request HAProxy had just picked it for is on its way: a moment before the first look
    sleep 1
    while busy=$(app_instance_in_flight "$n"); [ "${busy:-0}" -gt 0 ]; do
      [ $SECONDS -ge $deadline ] && { warn "socnet-app #$n still serves $busy requests after the drain timeout; stopping it (graceful shutdown lets them finish)"; break; }
      sleep 0.2
    done
  fi
  app_stop_instance "$n"
}

# Brings the running instances to the count (app_instance_count) and HAProxy to them:
#  - instances 1..count that do not run are started (in parallel) and waited for, before HAProxy hears
#    of them;
#  - instances above the count are drained and stopped, one by one (app_drain_instance);
#  - HAProxy's server list is rewritten and HAProxy reloaded hitlessly (haproxy_start);
#  - an instance running an older build than the current jar is restarted, one at a time, drained first,
#    so that the others serve meanwhile (a rolling restart; with one instance the API is away while it
#    restarts);
#  - Prometheus, when it runs, is given the new list of instances.
app_start() {
  local n count; count=$(app_instance_count)
  for n in $(app_instances); do app_start_instance "$n"; done
  for n in $(app_instances); do app_wait_instance "$n"; done
  for n in $(app_pool); do
    [ "$n" -gt "$count" ] || continue
    pid_alive "$(app_pidfile "$n")" && app_drain_instance "$n"
  done
  haproxy_start
  wait_for 30 "HAProxy :$SOCNET_APP_PORT" app_ready || die "HAProxy does not reach the app, see $LOCAL/logs/haproxy.log"
  for n in $(app_instances); do
    [ "${APP_ROLLING_RESTART:-yes}" = yes ] || break
    app_instance_stale "$n" || continue
    log "socnet-app #$n runs an older build: rolling restart"
    [ "$count" = 1 ] && warn "only one instance: the API is away while it restarts (./socnet app scale 2 avoids that)"
    app_drain_instance "$n"
    app_start_instance "$n"
    app_wait_instance "$n"
    haproxy_set_server_state "$n" ready
  done
  if declare -F prom_ready >/dev/null && prom_ready; then prom_start >&2; fi
  return 0
}

# `./socnet app scale N`: runs instances 1..N (N from 1 to the pool's size, SOCNET_APP_INSTANCE_PORTS);
# the count is kept in .local/app-instances for later `up`s.
app_scale() {
  local n=${1:-}
  app_valid_count "$n" || die "usage: ./socnet app scale N: N is the number of app instances, from 1 to $(app_pool_size) (one per port in SOCNET_APP_INSTANCE_PORTS), not '$n'"
  local before m; before=$(app_instance_count)
  # new instances run the build the running ones run (`up` moves them all to a newer one, rolling):
  # scaling changes how many, not what
  APP_RUN_JAR=""
  for m in $(app_pool); do APP_RUN_JAR=$(app_instance_jar "$m"); [ -n "$APP_RUN_JAR" ] && break; done
  if [ -z "$APP_RUN_JAR" ] || [ ! -f "$APP_RUN_JAR" ]; then
    APP_RUN_JAR=""
    [ -f "$APP_JAR" ] || app_build
  fi
  echo "$n" > "$(app_count_file)"
  APP_ROLLING_RESTART=no app_start
  log "app instances: $before → $n ($(app_instances | sed 's/^/app/' | tr '\n' ' ')behind HAProxy :$SOCNET_APP_PORT)"
}

app_stop() {
  haproxy_stop
  local n
  for n in $(app_pool); do app_stop_instance "$n"; done
}

app_status_lines() {
  local n h count; count=$(app_instance_count)
  for n in $(app_pool); do
    [ "$n" -le "$count" ] || pid_alive "$(app_pidfile "$n")" || continue
    h=down; app_instance_ready "$n" && h=up
    app_instance_stale "$n" && h="$h (older build: ./socnet up restarts it)"
    [ "$n" -gt "$count" ] && h="$h (above the count $count)"
    printf '%-12s %-7s %-9s %s\n' "app$n" "$(app_instance_port "$n")" "$(pid_of "$(app_pidfile "$n")")" "$h"
  done
}

# tools_command ARGS...: runs a one-shot command of the tools jar (seed, seed-graph, import; socnet-tools,
# docs/seed.md), which starts the application's context without a web server. Bulk and maintenance
# work gets connection settings of its own: the request path's socketTimeout (seconds) and the role's
# statement_timeout (SOCNET_DB_STATEMENT_TIMEOUT) would cut off an index build over millions of rows,
# so the URL drops the one and sets the other to 0 (the commands' bulk connections also lift the read
# timeout themselves: dev.socnet.seed.BulkLoad.connection).
tools_command() { ( tools_command_exec "$@" ); }
# The same, replacing the calling (sub)shell by the JVM: `tools_command_exec ARGS &` makes $! the JVM's pid.
tools_command_exec() {
  find_java
  local jar; jar=$(tools_runtime_jar)
  app_env
  SOCNET_DB_URL=$(sed -E 's/([?&])socketTimeout=[0-9]+&?/\1/; s/[?&]$//' <<<"$SOCNET_DB_URL")
  SOCNET_DB_URL="$SOCNET_DB_URL$([[ $SOCNET_DB_URL == *\?* ]] && echo '&' || echo '?')options=-c%20statement_timeout%3D0"
  export SOCNET_DB_URL
  exec "$JAVA" -XX:+UseParallelGC -Xmx4g -jar "$jar" "$@"
}
