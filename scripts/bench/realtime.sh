#!/usr/bin/env bash
# ./socnet bench realtime — the live feed over WebSocket: delivery latency (create answer → frame) and
# delivered/expected frames, for an ordinary author with 1,000 online followers and a celebrity with
# 10,000, the followers spread over two app instances.
#
# Assumes the cluster is up (./socnet up: 1,000,000 users). Steps:
#   1. check the preconditions; copy socnet-app/target/socnet-app.jar (the bench starts its own two
#      instances from the copy, so the cluster's instances on :8080 keep serving others);
#   2. register two fresh authors through the API; give them followers straight in SQL: 10,000 random
#      users follow the celebrity, the first 1,000 of them also the ordinary author; crown the celebrity
#      (insert into celebrities: 10,000 is not "more than" the 10,000 threshold, and crowning through
#      follows would take 10,001 API calls); mint tokens (BenchTokens: HS256, no BCrypt logins);
#   3. start instances on SOCNET_BENCH_REALTIME_PORTS; RealtimeProbe connects 1,000 followers round robin
#      straight to the instance ports (not through HAProxy: its maxconn is 9000 because the fd hard limit
#      is 20000), the ordinary author posts ROUNDS times; then 9,000 more connect and the celebrity posts
#      ROUNDS times; each post is timed until every frame arrived (or 20 s);
#   4. docs/benchmarks/realtime.md and PNG charts; the follows and the crowning are removed again.
# Runtime about 2 min.
#
# Settings: SOCNET_BENCH_ROUNDS [20], SOCNET_BENCH_PAUSE_MS [500], SOCNET_BENCH_REALTIME_PORTS ["18097 18098"],
# SOCNET_BENCH_DOCS_DIR [docs/benchmarks].
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start realtime

ROUNDS=${SOCNET_BENCH_ROUNDS:-20}
PAUSE_MS=${SOCNET_BENCH_PAUSE_MS:-500}
read -r -a PORTS <<< "${SOCNET_BENCH_REALTIME_PORTS:-18097 18098}"
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
ORDINARY_FOLLOWERS=1000
CELEBRITY_FOLLOWERS=10000

MODULE=socnet-loadtest
WORK=$ROOT/$MODULE/target/bench/realtime
JAVA_BIN=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
APP_PIDS=()
AUTHORS=()


cleanup() {
  local pid i
  for pid in "${APP_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${APP_PIDS[@]}"; do
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  done
  for a in "${AUTHORS[@]}"; do
    sql "delete from friends where followee_id = '$a'; delete from celebrities where user_id = '$a'" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_app PORT: a bench instance from the copied jar, without the startup warm-up and without per-user write
# limits (the authors post round after round: delivery is measured, not the limits)
start_app() {
  local port=$1
  log "starting a bench instance on :$port"
  SOCNET_APP_PORT=$port SOCNET_MANAGEMENT_PORT=$port SOCNET_INSTANCE=bench-realtime-$port \
    nohup "$JAVA_BIN" -Xms512m -Xmx1536m -jar "$WORK/socnet-app.jar" --socnet.feed.warm-up.enabled=false --socnet.rate-limits.enabled=false \
    > "$WORK/logs/app-$port.log" 2>&1 &
  APP_PIDS+=($!)
}

await_ready() {
  local port=$1 i
  for i in $(seq 1 240); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" && return 0
    sleep 0.5
  done
  die "the bench instance on :$port did not become ready, see $WORK/logs/app-$port.log"
}

tool() { "$JAVA_BIN" -cp "$MODULE/target/classes:$(cat "$WORK/classpath.txt")" "$@"; }

register() {
  curl -fsS -H 'Content-Type: application/json' -X POST "http://127.0.0.1:${PORTS[0]}/user/register" \
    -d "{\"first_name\": \"$1\", \"second_name\": \"Бенчев\", \"birthdate\": \"1990-01-01\", \"password\": \"bench-password\"}" \
    | sed -n 's/.*"user_id" *: *"\([^"]*\)".*/\1/p'
}

# 1. Preconditions.
command -v psql >/dev/null || die "psql not found"
[ -n "${SOCNET_JWT_SECRET:-}" ] || die "SOCNET_JWT_SECRET is not set: run through ./socnet bench realtime"
sql "select 1" >/dev/null 2>&1 || die "PostgreSQL is not reachable: run ./socnet up"
[ "$(sql "select count(*) >= $CELEBRITY_FOLLOWERS from users")" = t ] || die "fewer than $CELEBRITY_FOLLOWERS users: run ./socnet up"
[ -f socnet-app/target/socnet-app.jar ] || die "no socnet-app/target/socnet-app.jar: run ./socnet up"
if [ -n "$(find socnet-app/src/main -newer socnet-app/target/socnet-app.jar -print -quit)" ]; then
  log "warning: socnet-app/target/socnet-app.jar is older than the sources (./socnet up rebuilds it)"
fi
for port in "${PORTS[@]}"; do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health"; then die "port $port is taken: set SOCNET_BENCH_REALTIME_PORTS"; fi
done

rm -rf "$WORK"
mkdir -p "$WORK/logs"
cp socnet-app/target/socnet-app.jar "$WORK/socnet-app.jar"
log "building $MODULE"
./mvnw -q -pl "$MODULE" compile
./mvnw -q -pl "$MODULE" dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null

# 2. Instances, authors, followers, tokens.
for port in "${PORTS[@]}"; do start_app "$port"; done
for port in "${PORTS[@]}"; do await_ready "$port"; done
ordinary=$(register "Обычный"); celebrity=$(register "Знаменитость")
[ -n "$ordinary" ] && [ -n "$celebrity" ] || die "could not register the authors"
AUTHORS=("$ordinary" "$celebrity")
log "celebrity $celebrity: $CELEBRITY_FOLLOWERS followers; ordinary author $ordinary: the first $ORDINARY_FOLLOWERS of them"
sql "select id from users where id not in ('$ordinary', '$celebrity') order by random() limit $CELEBRITY_FOLLOWERS" > "$WORK/followers.txt"
psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null <<SQL
create temp table bench_followers (n serial, id uuid);
\copy bench_followers (id) from '$WORK/followers.txt'
insert into friends (follower_id, followee_id) select id, '$celebrity' from bench_followers on conflict do nothing;
insert into friends (follower_id, followee_id) select id, '$ordinary' from bench_followers where n <= $ORDINARY_FOLLOWERS on conflict do nothing;
insert into celebrities (user_id, crowned_at) values ('$celebrity', now() - interval '1 day');
SQL
tool dev.socnet.loadtest.report.BenchTokens --users="$WORK/followers.txt" --out="$WORK/followers.csv" >/dev/null
printf '%s\n%s\n' "$ordinary" "$celebrity" > "$WORK/authors.txt"
tool dev.socnet.loadtest.report.BenchTokens --users="$WORK/authors.txt" --out="$WORK/author-tokens.csv" >/dev/null
# BenchTokens writes a header line, then one line per user in input order
{ echo "ordinary,$(sed -n 2p "$WORK/author-tokens.csv" | cut -d, -f2)"; echo "celebrity,$(sed -n 3p "$WORK/author-tokens.csv" | cut -d, -f2)"; } > "$WORK/authors.csv"
grep -q '^user_id' "$WORK/followers.csv" && sed -i 1d "$WORK/followers.csv"

# 3. Measure.
environment="$(nproc) CPU cores and $(free -g | awk '/^Mem:/ {print $2}') GiB shared by the two app instances (-Xmx1536m each), PostgreSQL (primary + 2 replicas), Redis, RabbitMQ and the load generator; $(date -u +%Y-%m-%d)."
mkdir -p "$DOCS"
tool -Xmx2g dev.socnet.loadtest.report.RealtimeProbe --ports="${PORTS[*]}" --create-url="http://127.0.0.1:${PORTS[0]}" \
  --followers="$WORK/followers.csv" --tokens="$WORK/authors.csv" \
  --phases="ordinary:$ORDINARY_FOLLOWERS celebrity:$CELEBRITY_FOLLOWERS" --rounds="$ROUNDS" --pause-ms="$PAUSE_MS" \
  --docs="$DOCS" --environment="$environment" | tee "$WORK/logs/probe.log"
log "done: $DOCS/realtime.md, $DOCS/realtime-*.png"
