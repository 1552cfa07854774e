#!/usr/bin/env bash
# ./socnet bench realtime — the live feed over WebSocket: delivery latency (create answer → frame) and
# delivered/expected frames, for an ordinary author with 1,000 online followers and a celebrity with
# 10,000, the followers spread over two app instances; then the same stream across a RabbitMQ node kill,
# and the celebrity's posts over 2 vs 3 instances (issue 16).
#
# Assumes the cluster is up (./socnet up: 1,000,000 users, the three RabbitMQ nodes). Steps:
#   1. check the preconditions; copy socnet-app/target/socnet-app.jar (the bench starts its own instances
#      from the copy, so the cluster's instances on :8080 keep serving others);
#   2. start two instances on the first two SOCNET_BENCH_REALTIME_PORTS; register two fresh authors through
#      the API; give them followers straight in SQL: 10,000 random users follow the celebrity, the first
#      1,000 of them also the ordinary author; crown the celebrity (insert into celebrities: 10,000 is not
#      "more than" the 10,000 threshold, and crowning through follows would take 10,001 API calls); mint
#      tokens (BenchTokens: HS256, no BCrypt logins);
#   3. phases: RealtimeProbe connects 1,000 followers round robin straight to the instance ports (not
#      through HAProxy: its maxconn is 9000 because the fd hard limit is 20000), the ordinary author posts
#      ROUNDS times; then 9,000 more connect and the celebrity posts ROUNDS times; each post is timed until
#      every frame arrived (or 20 s);
#   4. node kill: finds the RabbitMQ node that instance 1's AMQP connection (and so its exclusive live-feed
#      queue) is on (ss: the JVM's established connections to the nodes' AMQP ports); 1,000 followers of the
#      ordinary author connect over the two instances, the author posts every 200 ms for 20 s through
#      instance 2 (its live fan-out publishes the frames; when it is on that node too, the kill hits the
#      publishing as well, and the report shows both instances' nodes), and 5 s in the probe runs
#      `./socnet rabbitmq kill N`; it waits up to 30 s after the last post for late frames (the outbox
#      resends a publish refused while instance 1's queue was missing, 10 s or more later); then the node is
#      started again (`./socnet rabbitmq start N`: rejoins, quorum queues grown) — on any exit too;
#   5. 2 vs 3 instances: 10,000 followers of the celebrity connect over the two instances, 3 unmeasured posts,
#      ROUNDS measured ones (CPU of each instance's JVM meanwhile); a third instance is started on the third
#      port and the same again over three;
#   6. RealtimeReport: the generated section of docs/benchmarks/realtime.md and PNG charts; the follows and
#      the crowning are removed again, the bench instances stopped.
# Runtime about 8 min (phases 2, node kill 1–2, 2 vs 3 instances 3–4 with the third instance's start).
#
# Settings: SOCNET_BENCH_ROUNDS [20], SOCNET_BENCH_PAUSE_MS [500],
#   SOCNET_BENCH_REALTIME_PORTS ["18097 18098 18099"] (the third only for the 3-instance run),
#   SOCNET_BENCH_REALTIME_RUNS ["phases node-kill instances"] (the runs to do; the report has those),
#   SOCNET_BENCH_REALTIME_KILL_FOLLOWERS [1000] (at most 1,000), SOCNET_BENCH_REALTIME_KILL_EVERY_MS [200],
#   SOCNET_BENCH_REALTIME_KILL_STREAM_S [20], SOCNET_BENCH_REALTIME_KILL_AFTER_S [5],
#   SOCNET_BENCH_REALTIME_KILL_TAIL_S [30] (the wait for late frames after the stream),
#   SOCNET_BENCH_REALTIME_INSTANCES_FOLLOWERS [10000] (at most 10,000; less if connecting is too slow),
#   SOCNET_BENCH_REALTIME_WARM_UP [3] (unmeasured posts per instance-count run),
#   SOCNET_BENCH_APP_START_S [300] (the wait for an instance to become ready), SOCNET_BENCH_DOCS_DIR [docs/benchmarks].
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start realtime

ROUNDS=${SOCNET_BENCH_ROUNDS:-20}
PAUSE_MS=${SOCNET_BENCH_PAUSE_MS:-500}
read -r -a PORTS <<< "${SOCNET_BENCH_REALTIME_PORTS:-18097 18098 18099}"
RUNS=" ${SOCNET_BENCH_REALTIME_RUNS:-phases node-kill instances} "
KILL_FOLLOWERS=${SOCNET_BENCH_REALTIME_KILL_FOLLOWERS:-1000}
KILL_EVERY_MS=${SOCNET_BENCH_REALTIME_KILL_EVERY_MS:-200}
KILL_STREAM_S=${SOCNET_BENCH_REALTIME_KILL_STREAM_S:-20}
KILL_AFTER_S=${SOCNET_BENCH_REALTIME_KILL_AFTER_S:-5}
KILL_TAIL_S=${SOCNET_BENCH_REALTIME_KILL_TAIL_S:-30}
INSTANCES_FOLLOWERS=${SOCNET_BENCH_REALTIME_INSTANCES_FOLLOWERS:-10000}
WARM_UP=${SOCNET_BENCH_REALTIME_WARM_UP:-3}
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
ORDINARY_FOLLOWERS=1000
CELEBRITY_FOLLOWERS=10000

MODULE=socnet-loadtest
WORK=$ROOT/$MODULE/target/bench/realtime
RESULTS=$WORK/results
JAVA_BIN=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
APP_PIDS=()
AUTHORS=()
# the RabbitMQ node the node-kill run kills, until it is started again
KILLED_NODE=

wants() { [[ $RUNS == *" $1 "* ]]; }

# Starts the killed RabbitMQ node again (./socnet rabbitmq start N: it rejoins the cluster, its quorum queue
# members are grown back); a no-op when none is down.
restart_killed_node() {
  [ -n "$KILLED_NODE" ] || return 0
  log "starting RabbitMQ node $KILLED_NODE again"
  if ./socnet rabbitmq start "$KILLED_NODE"; then
    KILLED_NODE=
  else
    warn "could not start RabbitMQ node $KILLED_NODE again: run ./socnet rabbitmq start $KILLED_NODE"
    return 1
  fi
}

cleanup() {
  local pid i
  restart_killed_node || true
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

# start_app PORT: a bench instance from the copied jar (bench_app_launch: its actuator on PORT + 1000), without the
# startup warm-up and without per-user write limits (the authors post round after round: delivery is measured,
# not the limits)
start_app() {
  local port=$1
  JAVA=$JAVA_BIN bench_app_launch "bench-realtime-$port" "$port" "$WORK/socnet-app.jar" "$WORK/logs/app-$port.log" \
    --socnet.feed.warm-up.enabled=false --socnet.rate-limits.enabled=false
  APP_PIDS+=("$BENCH_LAUNCHED_PID")
}

# await_ready PORT PID: until the instance answers its readiness probe (bench_app_await_ready)
await_ready() { bench_app_await_ready "$1" "$2" "$WORK/logs/app-$1.log"; }

# rabbit_nodes_of PID: the RabbitMQ node(s) (1..3) the JVM PID holds established connections to, from its
# sockets to the nodes' AMQP ports (the app has one connection factory, so normally one node); nothing when none
rabbit_nodes_of() {
  local pid=$1 n nodes=()
  for n in $(rabbitmq_nodes); do
    if ss -Htnp state established "( dport = :$(rabbitmq_port "$n") )" 2>/dev/null | grep -q "pid=$pid,"; then
      nodes+=("$n")
    fi
  done
  echo "${nodes[*]}"
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
[ "${#PORTS[@]}" -ge 2 ] || die "SOCNET_BENCH_REALTIME_PORTS needs two ports at least (three for the 3-instance run)"
for run in $RUNS; do
  case $run in phases|node-kill|instances) ;; *) die "SOCNET_BENCH_REALTIME_RUNS: unknown run '$run' (phases, node-kill, instances)" ;; esac
done
if wants node-kill; then
  [ "$KILL_FOLLOWERS" -le "$ORDINARY_FOLLOWERS" ] || die "SOCNET_BENCH_REALTIME_KILL_FOLLOWERS: at most $ORDINARY_FOLLOWERS"
  [ "$(rabbitmq_nodes | wc -l)" -ge 3 ] || die "the node-kill run needs the RabbitMQ cluster of three (SOCNET_RABBITMQ_PORTS); leave node-kill out of SOCNET_BENCH_REALTIME_RUNS"
  rabbitmq_ready || die "a RabbitMQ node is down (./socnet rabbitmq status): start it (./socnet rabbitmq start N) or leave node-kill out of SOCNET_BENCH_REALTIME_RUNS"
  command -v ss >/dev/null || die "ss (iproute2) not found: the node-kill run finds instance 1's RabbitMQ node with it"
fi
if wants instances; then
  [ "$INSTANCES_FOLLOWERS" -le "$CELEBRITY_FOLLOWERS" ] || die "SOCNET_BENCH_REALTIME_INSTANCES_FOLLOWERS: at most $CELEBRITY_FOLLOWERS"
  if [ "${#PORTS[@]}" -lt 3 ]; then
    warn "SOCNET_BENCH_REALTIME_PORTS has no third port: no 2 vs 3 instances run"
    RUNS=${RUNS/ instances / }
  fi
fi
for port in "${PORTS[@]}"; do
  for p in "$port" "$(bench_management_port "$port")"; do
    if curl -s -o /dev/null "http://127.0.0.1:$p/"; then die "port $p is taken: set SOCNET_BENCH_REALTIME_PORTS (management: each port + 1000)"; fi
  done
done

rm -rf "$WORK"
mkdir -p "$WORK/logs" "$RESULTS"
cp socnet-app/target/socnet-app.jar "$WORK/socnet-app.jar"
log "building $MODULE"
./mvnw -q -pl "$MODULE" compile
./mvnw -q -pl "$MODULE" dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null

# 2. Instances, authors, followers, tokens.
for port in "${PORTS[@]:0:2}"; do start_app "$port"; done
await_ready "${PORTS[0]}" "${APP_PIDS[0]}"
await_ready "${PORTS[1]}" "${APP_PIDS[1]}"
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

# probe NAME ARGS...: one RealtimeProbe run into $RESULTS/NAME.json, its output in $WORK/logs/NAME.log
probe() {
  local name=$1; shift
  tool -Xmx2g dev.socnet.loadtest.report.RealtimeProbe --followers="$WORK/followers.csv" --tokens="$WORK/authors.csv" \
    --out="$RESULTS/$name.json" "$@" | tee "$WORK/logs/$name.log"
}

# 3. The ordinary author and the celebrity over two instances.
if wants phases; then
  log "phases: the ordinary author to $ORDINARY_FOLLOWERS, the celebrity to $CELEBRITY_FOLLOWERS online followers"
  probe phases --mode=phases --ports="${PORTS[*]:0:2}" --create-url="http://127.0.0.1:${PORTS[0]}" \
    --phases="ordinary:$ORDINARY_FOLLOWERS celebrity:$CELEBRITY_FOLLOWERS" --rounds="$ROUNDS" --pause-ms="$PAUSE_MS"
fi

# 4. A RabbitMQ node killed under a stream of posts: the node of instance 1's connection.
if wants node-kill; then
  node1=$(rabbit_nodes_of "${APP_PIDS[0]}"); node2=$(rabbit_nodes_of "${APP_PIDS[1]}")
  target=${node1%% *}
  if [ -z "$target" ]; then
    warn "instance :${PORTS[0]} (pid ${APP_PIDS[0]}) holds no connection to a RabbitMQ node that ss shows: no node-kill run"
  else
    [ "$node1" = "$target" ] || warn "instance :${PORTS[0]} is connected to nodes $node1; killing node $target"
    # the posts go through instance 2, whose live fan-out publishes the frames: the kill hits instance 1's
    # live-feed queue and consumer, and the publishing only when instance 2 is on the same node
    create_port=${PORTS[1]}
    if [[ " $node2 " == *" $target "* ]]; then
      warn "both instances are connected to node $target: the kill hits the publishing too"
    fi
    log "node kill: instance :${PORTS[0]} on node $target, :${PORTS[1]} on node ${node2:-?}; $KILL_FOLLOWERS followers, a post every $KILL_EVERY_MS ms for $KILL_STREAM_S s through :$create_port, node $target killed after $KILL_AFTER_S s"
    KILLED_NODE=$target
    if ! probe node-kill --mode=node-kill --ports="${PORTS[*]:0:2}" --create-url="http://127.0.0.1:$create_port" \
        --author=ordinary --count="$KILL_FOLLOWERS" --post-every-ms="$KILL_EVERY_MS" --stream-s="$KILL_STREAM_S" \
        --kill-after-s="$KILL_AFTER_S" --tail-s="$KILL_TAIL_S" --kill-command="./socnet rabbitmq kill $target" \
        --node="$target" --instance-nodes="${PORTS[0]}:${node1// /,} ${PORTS[1]}:${node2// /,}"; then
      warn "the node-kill run failed (see $WORK/logs/node-kill.log): it is left out of the report"
      rm -f "$RESULTS/node-kill.json"
    fi
    restart_killed_node || die "RabbitMQ node $target is down: the next runs would measure a cluster of two"
    await_ready "${PORTS[0]}" "${APP_PIDS[0]}"
    await_ready "${PORTS[1]}" "${APP_PIDS[1]}"
  fi
fi

# 5. The celebrity's posts over 2, then 3 instances.
if wants instances; then
  log "2 vs 3 instances: the celebrity to $INSTANCES_FOLLOWERS online followers, over two instances"
  probe instances-2 --mode=instances --ports="${PORTS[*]:0:2}" --pids="${APP_PIDS[*]:0:2}" \
    --create-url="http://127.0.0.1:${PORTS[0]}" --author=celebrity --count="$INSTANCES_FOLLOWERS" \
    --rounds="$ROUNDS" --pause-ms="$PAUSE_MS" --warm-up="$WARM_UP"
  start_app "${PORTS[2]}"
  await_ready "${PORTS[2]}" "${APP_PIDS[2]}"
  log "2 vs 3 instances: the same over three instances"
  probe instances-3 --mode=instances --ports="${PORTS[*]:0:3}" --pids="${APP_PIDS[*]:0:3}" \
    --create-url="http://127.0.0.1:${PORTS[0]}" --author=celebrity --count="$INSTANCES_FOLLOWERS" \
    --rounds="$ROUNDS" --pause-ms="$PAUSE_MS" --warm-up="$WARM_UP"
fi

# 6. The report.
environment="$(nproc) CPU cores and $(free -g | awk '/^Mem:/ {print $2}') GiB shared by the bench's app instances (two; three in the 3-instance run; -Xmx1536m each), the cluster's own app instances (idle), PostgreSQL (primary + 2 replicas), Redis, RabbitMQ (three nodes) and the load generator; $(date -u +%Y-%m-%d)."
mkdir -p "$DOCS"
tool dev.socnet.loadtest.report.RealtimeReport --results="$RESULTS" --docs="$DOCS" --environment="$environment" > "$WORK/logs/report.log"
log "done: $DOCS/realtime.md, $DOCS/realtime-*.png"
