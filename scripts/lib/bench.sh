# shellcheck shell=bash
# Helpers of the benchmarks (scripts/bench/*.sh, run by `./socnet bench NAME`; docs/benchmarks/): one
# definition of their logging, SQL, report tools and Prometheus windows. A bench script sources
# scripts/lib/*.sh like ./socnet does, then calls `bench_init NAME`. Functions only: ./socnet sources this
# file with the others and nothing here runs unless a benchmark calls it.
#
#   bench_start NAME         a bench script's preamble: ROOT (the repository, made the working directory),
#                            LOCAL, PGBIN, every scripts/lib/*.sh sourced, then bench_init NAME. A bench
#                            script begins:  . "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"; bench_start NAME
#   bench_init NAME          log/warn/die tagged "[bench NAME]"; BENCH_MODULE, BENCH_CLASSPATH_FILE, PG_URL
#   sql SQL                  one statement on the primary as the app's role, unaligned, values only
#   bench_psql ARGS...       psql on the primary as the app's role (a script on stdin, -c ..., \copy)
#   bench_build              compiles socnet-loadtest (simulations and report tools), writes the tools' classpath
#   bench_tool CLASS ARGS... a report or probe main of socnet-loadtest (warnings only on the console)
#   bench_announce_app NODE PORT / bench_withdraw_app NODE
#                            makes Prometheus scrape (or stop scraping) a bench's own app instance, as
#                            job socnet-app, node NODE (file-based discovery, scripts/lib/monitoring.sh)
#   bench_server_metrics SET FROM TO OUT [NODE]
#                            the server side's figures over [FROM, TO] (epoch seconds) from Prometheus'
#                            HTTP API into OUT (ServerMetrics JSON): CPU per component, statements per
#                            node, and for SET=feed the cache hit ratio and fan-out lag of app NODE

bench_start() { # NAME
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cd "$ROOT"
  LOCAL=$ROOT/.local
  PGBIN=/usr/lib/postgresql/15/bin
  local lib
  for lib in scripts/lib/*.sh; do
    # shellcheck disable=SC1090
    . "$lib"
  done
  bench_init "$1"
}

bench_init() { # NAME
  SOCNET_LOG_TAG="bench $1"
  BENCH_MODULE=socnet-loadtest
  BENCH_CLASSPATH_FILE=$ROOT/$BENCH_MODULE/target/bench-classpath.txt
  # the primary wherever it is now (pg_auto_failover may have promoted a replica); no statement timeout:
  # a benchmark's set-up statements (tablesample draws, bulk inserts) run longer than an API request's
  PG_URL="postgresql://$SOCNET_DB_USER:${SOCNET_DB_PASSWORD:?run it through ./socnet bench, which exports .local/secrets.env}@127.0.0.1:$(pg_primary_port)/$SOCNET_DB_NAME?options=-c%20statement_timeout%3D0"
  export PG_URL
}

sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"; }
bench_psql() { psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" "$@"; }

# The tools' classpath is the module's whole runtime scope, Netty included (the probes' Redis and WebSocket
# clients need it; target/classpath.txt leaves it out).
bench_build() {
  log "building $BENCH_MODULE"
  (cd "$ROOT" && ./mvnw -q -pl "$BENCH_MODULE" test-compile \
    && ./mvnw -q -pl "$BENCH_MODULE" dependency:build-classpath -Dmdep.includeScope=runtime \
         -Dmdep.outputFile="$BENCH_CLASSPATH_FILE" >/dev/null)
  [ -s "$BENCH_CLASSPATH_FILE" ] || die "no $BENCH_CLASSPATH_FILE after the build"
}

bench_tool() { # CLASS ARGS...
  "${JAVA:-java}" -Dlogback.configurationFile="$ROOT/$BENCH_MODULE/src/test/resources/logback-test.xml" \
    -cp "$ROOT/$BENCH_MODULE/target/classes:$(cat "$BENCH_CLASSPATH_FILE")" "$@"
}

bench_target_file() { echo "$LOCAL/prometheus/targets/socnet-app-$1.json"; }

bench_announce_app() { # NODE PORT
  mkdir -p "$LOCAL/prometheus/targets"
  printf '[{"targets": ["127.0.0.1:%s"], "labels": {"node": "%s"}}]\n' "$2" "$1" > "$(bench_target_file "$1").tmp"
  mv "$(bench_target_file "$1").tmp" "$(bench_target_file "$1")"
}

bench_withdraw_app() { # NODE
  rm -f "$(bench_target_file "$1")"
}

# Waits until Prometheus has scraped app NODE at least once (it reads the target files every 5 s).
bench_await_scraped() { # NODE
  local i
  for i in $(seq 1 30); do
    curl -fsS --max-time 2 "$(prom_url)/api/v1/query" --data-urlencode "query=up{job=\"socnet-app\",node=\"$1\"} == 1" 2>/dev/null \
      | grep -q '"value"' && return 0
    sleep 1
  done
  warn "Prometheus has not scraped app $1 after 30 s: its server-side figures will be missing"
}

bench_server_metrics() { # SET FROM TO OUT [NODE]
  prom_ready || { warn "Prometheus ($(prom_url)) is not up: no server-side figures for $4"; return 0; }
  # one more scrape interval, so the window's last rate has its closing sample
  local wait=$(( $3 + ${SOCNET_SCRAPE_INTERVAL%s} - $(date +%s) ))
  [ "$wait" -gt 0 ] && sleep "$wait"
  bench_tool dev.socnet.loadtest.report.ServerMetrics --prometheus="$(prom_url)" --set="$1" --from="$2" --to="$3" \
    --out="$4" ${5:+--instance="$5"} >&2 || warn "could not take the server-side figures of $4 from Prometheus"
}

# A benchmark's own app instance, beside the cluster's (which keep running and take no part): the jar JAR, its API
# on PORT and its management (actuator) on PORT + 1000 (the app binds management to loopback on a port of its
# own), SOCNET_INSTANCE=NODE, announced to Prometheus as node NODE once ready. The
# cluster's environment (app_env, exported by ./socnet bench) plus what the caller puts before the call, for
# example `SOCNET_FEED_READ_FROM_CACHE=false bench_app_start ...`; ARGS are Spring arguments. One at a time.
BENCH_APP_PID=
BENCH_APP_NODE=
bench_app_start() { # NODE PORT JAR LOG [ARGS...]
  local node=$1 port=$2 logfile=$4
  bench_app_launch "$@"
  BENCH_APP_PID=$BENCH_LAUNCHED_PID
  BENCH_APP_NODE=$node
  bench_app_await_ready "$port" "$BENCH_APP_PID" "$logfile"
  bench_announce_app "$node" "$(bench_management_port "$port")"
  bench_await_scraped "$node"
}

# The management (actuator) port of a bench instance on API port PORT: PORT + 1000. The realtime probe reads an
# instance's metrics with the same offset (RealtimeProbe.MANAGEMENT_PORT_OFFSET).
bench_management_port() { echo $(( $1 + 1000 )); }

# bench_app_launch NODE PORT JAR LOG [ARGS...]: starts an instance in the background as bench_app_start describes,
# without waiting; its pid in BENCH_LAUNCHED_PID. For benchmarks that run several instances at once (realtime.sh),
# which then wait with bench_app_await_ready and stop them themselves.
BENCH_LAUNCHED_PID=
bench_app_launch() { # NODE PORT JAR LOG [ARGS...]
  local node=$1 port=$2 jar=$3 logfile=$4; shift 4
  local management; management=$(bench_management_port "$port")
  log "starting app instance $node on :$port (management :$management)"
  SOCNET_APP_PORT=$port SOCNET_MANAGEMENT_PORT=$management SOCNET_INSTANCE=$node \
    nohup "${JAVA:-java}" -Xms512m -Xmx1536m -jar "$jar" "$@" > "$logfile" 2>&1 &
  BENCH_LAUNCHED_PID=$!
}

# bench_app_await_ready PORT PID LOG: until the instance on PORT answers its readiness probe; fails at once when
# its JVM (PID) has exited. SOCNET_BENCH_APP_START_S [300]: a shared machine under load starts Spring Boot slowly.
bench_app_await_ready() { # PORT PID LOG
  local port=$1 pid=$2 logfile=$3 i
  local management; management=$(bench_management_port "$port")
  for i in $(seq 1 $(( 2 * ${SOCNET_BENCH_APP_START_S:-300} ))); do
    curl -fs -o /dev/null "http://127.0.0.1:$management/actuator/health/readiness" && return 0
    kill -0 "$pid" 2>/dev/null || die "the app instance on :$port exited, see $logfile"
    sleep 0.5
  done
  die "the app instance on :$port did not become ready in ${SOCNET_BENCH_APP_START_S:-300} s, see $logfile"
}

bench_app_stop() {
  if [ -n "$BENCH_APP_PID" ] && kill -0 "$BENCH_APP_PID" 2>/dev/null; then
    log "stopping app instance $BENCH_APP_NODE (pid $BENCH_APP_PID)"
    kill "$BENCH_APP_PID"
    local i
    for i in $(seq 1 60); do kill -0 "$BENCH_APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$BENCH_APP_PID" 2>/dev/null && kill -9 "$BENCH_APP_PID"
  fi
  [ -n "$BENCH_APP_NODE" ] && bench_withdraw_app "$BENCH_APP_NODE"
  BENCH_APP_PID=
  return 0
}

# gatling_started RUN_DIR FALLBACK: when Gatling started a run, epoch seconds, from its run directory's name
# (<simulation>-<yyyyMMddHHmmssSSS>, local time); FALLBACK when the name has no such stamp.
bench_gatling_started() {
  local stamp=${1##*-}
  if [[ $stamp =~ ^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}$ ]]; then
    date -d "${BASH_REMATCH[1]}-${BASH_REMATCH[2]}-${BASH_REMATCH[3]} ${BASH_REMATCH[4]}:${BASH_REMATCH[5]}:${BASH_REMATCH[6]}" +%s
  else
    echo "$2"
  fi
}
