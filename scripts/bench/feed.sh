#!/usr/bin/env bash
# ./socnet bench feed — the news feed: reads with and without the Redis cache, post create latency of an
# ordinary author vs a celebrity, and the time a post takes to reach 10,000 followers' cached feeds.
#
# Assumes the cluster is up (./socnet up: 1,000,000 users) and the follow graph and posts are seeded
# (seed-graph, see docs/feed.md). Steps:
#   1. check the preconditions; copy the app jar (SOCNET_BENCH_APP_JAR, default socnet-app/target/socnet-app.jar:
#      the bench starts its own instance from the copy);
#   2. start a bench app instance on SOCNET_BENCH_APP_PORT with the cache on and a fan-out exchange and
#      queue of its own (only its worker fans out the posts it creates); draw the data: READERS users who
#      follow 20..200 others, an ordinary author (20..200 followers), the most followed celebrity, and a
#      fresh author (registered through the API) given exactly 10,000 followers (random users) straight in
#      SQL; mint their tokens (BenchTokens: HS256 with the app's secret, no BCrypt logins);
#   3. warm-up; Gatling reads
#      (GET /post/feed?limit=10, random reader) at each concurrency in SOCNET_BENCH_USERS; post creates as
#      the ordinary author, then as the celebrity; the fan-out probe (FanOutProbe: warm the 10,000 feeds,
#      then FAN_OUT_ROUNDS posts, each timed until every follower's cached feed holds it); stop the instance;
#   4. the same instance again with socnet.feed.read-from-cache=false (every page from PostgreSQL): warm-up,
#      the same reads;
#   5. docs/benchmarks/feed.{json,md} and PNG charts (FeedReport).
# The server side's figures of every run come from the project's Prometheus (./socnet up starts it), over the
# run's window through its HTTP API (ServerMetrics, ServerQuery.feed): CPU per component (the bench instance,
# each PostgreSQL node, Redis, RabbitMQ, HAProxy, the host), statements per PostgreSQL node, the cache hit
# ratio and the fan-out lag of the bench instance, which is announced to Prometheus as node "bench-feed" while
# it runs (a file in .local/prometheus/targets/). Without Prometheus the runs have no server-side figures.
# Both variants run on one instance of the same jar, started the same way, so they differ only in the
# switch. The cluster's own instances keep running but take no part.
#   Each variant also reads deep pages: SCROLL_USERS users, offset drawn from the first SCROLL_PAGES pages of 10.
# Runtime about 2 x (WARMUP_S + (levels + 1) x DURATION_S) + 2 x CREATE_S + 3 min; 11 min with the defaults.
#
# Run by ./socnet (repository root as working directory, socnet.env and secrets exported).
# Settings: SOCNET_BENCH_DURATION_S [60], SOCNET_BENCH_WARMUP_S [10], SOCNET_BENCH_USERS ["10 100"],
# SOCNET_BENCH_SCROLL_USERS [100], SOCNET_BENCH_SCROLL_PAGES [20],
# SOCNET_BENCH_CREATE_USERS [10], SOCNET_BENCH_CREATE_S [30], SOCNET_BENCH_READERS [2000],
# SOCNET_BENCH_FAN_OUT_ROUNDS [10], SOCNET_BENCH_APP_PORT [18188], SOCNET_BENCH_MIN_USERS [1000000],
# SOCNET_BENCH_APP_JAR [socnet-app/target/socnet-app.jar], SOCNET_BENCH_DOCS_DIR [docs/benchmarks].
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start feed

DURATION_S=${SOCNET_BENCH_DURATION_S:-60}
WARMUP_S=${SOCNET_BENCH_WARMUP_S:-10}
read -r -a USERS_LEVELS <<< "${SOCNET_BENCH_USERS:-10 100}"
SCROLL_USERS=${SOCNET_BENCH_SCROLL_USERS:-100}
SCROLL_PAGES=${SOCNET_BENCH_SCROLL_PAGES:-20}
CREATE_USERS=${SOCNET_BENCH_CREATE_USERS:-10}
CREATE_S=${SOCNET_BENCH_CREATE_S:-30}
READERS=${SOCNET_BENCH_READERS:-2000}
FAN_OUT_FOLLOWERS=10000
FAN_OUT_ROUNDS=${SOCNET_BENCH_FAN_OUT_ROUNDS:-10}
APP_PORT=${SOCNET_BENCH_APP_PORT:-18188}
MIN_USERS=${SOCNET_BENCH_MIN_USERS:-1000000}
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
BENCH_APP_JAR=${SOCNET_BENCH_APP_JAR:-socnet-app/target/socnet-app.jar}
WARMUP_USERS=10
# the bench instance's name: its node label in Prometheus and SOCNET_INSTANCE
INSTANCE=bench-feed

MODULE=$BENCH_MODULE
WORK=$ROOT/$MODULE/target/bench/feed
GATLING_OUT=$MODULE/target/gatling
SIMULATION=dev.socnet.loadtest.FeedSimulation
BASE_URL=http://127.0.0.1:$APP_PORT
stop_app() { bench_app_stop; }
trap stop_app EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_app READ_FROM_CACHE: the bench instance on APP_PORT, from the copied jar, without the startup warm-up and
# without per-user write limits (one author posts back to back: that is what is measured),
# with a fan-out exchange and queue of its own: the posts it creates are fanned out by its own worker only, so
# the fan-out time is that of one instance, undisturbed by the cluster's instances.
start_app() {
  SOCNET_FEED_READ_FROM_CACHE=$1 bench_app_start "$INSTANCE" "$APP_PORT" "$WORK/socnet-app.jar" "$WORK/logs/app-cache-$1.log" \
    --socnet.feed.warm-up.enabled=false --socnet.rate-limits.enabled=false \
    --socnet.feed.amqp.exchange="socnet.feed.posts.bench.$SOCNET_DB_NAME" \
    --socnet.feed.amqp.queue="socnet.feed.fan-out.bench.$SOCNET_DB_NAME"
}

# gatling_run MODE USERS DURATION_S FEEDER DEST DESCRIPTION [PAGES]
# PAGES (reads): offsets drawn from the first PAGES pages; 1 (the default) reads the first page only.
# Also writes DEST/server-metrics.json: the server side's figures over the load's window (Gatling's start, from the
# name of its run directory, plus DURATION_S) from Prometheus (bench_server_metrics).
gatling_run() {
  local mode=$1 users=$2 duration=$3 feeder=$4 dest=$5 description=$6 pages=${7:-1}
  local gatling_log
  gatling_log="$WORK/logs/$(echo "${dest#"$WORK"/}" | tr / -).log"
  log "$description: $users concurrent users for ${duration}s"
  rm -rf "$GATLING_OUT"
  local started; started=$(date +%s)
  ./mvnw -q -pl "$MODULE" gatling:test -Dgatling.simulationClass="$SIMULATION" \
    -Dgatling.runDescription="$description, $users users, ${duration}s" \
    -DbaseUrl="$BASE_URL" -Dmode="$mode" -Dpages="$pages" -Dusers="$users" -DdurationS="$duration" -DfeederFile="$feeder" \
    > "$gatling_log" 2>&1 || { tail -n 30 "$gatling_log" >&2; die "Gatling failed: $description"; }
  local reports=("$GATLING_OUT"/feedsimulation-*)
  [ -d "${reports[0]}" ] || die "Gatling wrote no run directory for $description"
  local from; from=$(bench_gatling_started "${reports[0]}" "$started")
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "${reports[0]}" "$dest"
  bench_server_metrics feed "$from" $((from + duration)) "$dest/$SERVER_METRICS" "$INSTANCE"
}

SERVER_METRICS=server-metrics.json

# Waits until the bench instance has relayed and fanned out everything the create runs left behind (outbox rows
# of the two authors' posts, messages in its fan-out queue), so the fan-out probe's posts do not queue behind it.
wait_fan_out_idle() {
  local i outstanding queued
  for i in $(seq 1 600); do
    outstanding=$(sql "select count(*) from event_publication where completion_date is null
                        and listener_id like 'feed.relay.%'
                        and (serialized_event like '%$ordinary%' or serialized_event like '%$celebrity%')")
    queued=$(rabbitmq_ctl 1 list_queues name messages 2>/dev/null \
      | awk -v q="socnet.feed.fan-out.bench.$SOCNET_DB_NAME" '$1 == q {print $2}')
    if [ "$outstanding" = 0 ] && [ "${queued:-0}" = 0 ]; then
      log "fan-out idle after $((i / 2)) s"
      return 0
    fi
    sleep 0.5
  done
  die "the create runs' fan-out did not drain in 300 s ($outstanding outbox rows, ${queued:-?} queued messages)"
}

# 1. Preconditions.
command -v psql >/dev/null || die "psql not found"
[ -n "${SOCNET_JWT_SECRET:-}" ] || die "SOCNET_JWT_SECRET is not set: run through ./socnet bench feed"
sql "select 1" >/dev/null 2>&1 || die "PostgreSQL is not reachable: run ./socnet up"
users_count=$(sql "select count(*) from users")
[ "$users_count" -ge "$MIN_USERS" ] || die "users has $users_count rows, the benchmark needs $MIN_USERS: run ./socnet up or ./socnet seed"
[ "$(sql "select exists (select 1 from friends) and exists (select 1 from posts)")" = t ] \
  || die "no follow graph yet: seed it first (seed-graph, see docs/feed.md)"
[ -f "$BENCH_APP_JAR" ] || die "no $BENCH_APP_JAR: run ./socnet up (or set SOCNET_BENCH_APP_JAR)"
if [ -n "$(find socnet-app/src -newer "$BENCH_APP_JAR" -print -quit)" ]; then
  warn "$BENCH_APP_JAR is older than the sources (./socnet up rebuilds it)"
fi
prom_ready || warn "Prometheus ($(prom_url)) is not up: the runs get no server-side figures (./socnet up starts it)"
if port_open "$APP_PORT" || port_open $((APP_PORT + 1000)); then die "port $APP_PORT or $((APP_PORT + 1000)) is taken: set SOCNET_BENCH_APP_PORT"; fi

rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/runs"
cp "$BENCH_APP_JAR" "$WORK/socnet-app.jar"
bench_build

# 2. Data and tokens (the bench instance, cache on, registers the fan-out author).
start_app true
log "drawing $READERS readers who follow 20..200 users"
sql "select follower_id from friends where follower_id in (select id from users tablesample system (2))
     group by follower_id having count(*) between 20 and 200 limit $READERS" > "$WORK/readers.txt"
[ "$(wc -l < "$WORK/readers.txt")" -gt 0 ] || die "found no readers"
ordinary=$(sql "select f.followee_id from friends f where f.followee_id in (select id from users tablesample system (1))
                  and not exists (select 1 from celebrities c where c.user_id = f.followee_id)
                group by f.followee_id having count(*) between 20 and 200 limit 1")
ordinary_followers=$(sql "select count(*) from friends where followee_id = '$ordinary'")
celebrity=$(sql "select followee_id from friends where followee_id in (select user_id from celebrities)
                 group by followee_id order by count(*) desc limit 1")
[ -n "$celebrity" ] || die "no celebrity in the seeded graph"
celebrity_followers=$(sql "select count(*) from friends where followee_id = '$celebrity'")
log "ordinary author $ordinary ($ordinary_followers followers), celebrity $celebrity ($celebrity_followers followers)"

log "registering the fan-out author and giving them $FAN_OUT_FOLLOWERS followers"
fan_out_author=$(curl -fsS -H 'Content-Type: application/json' -X POST "$BASE_URL/user/register" \
  -d '{"first_name": "Рассыльщик", "second_name": "Бенчев", "birthdate": "1990-01-01", "password": "bench-password"}' \
  | sed -n 's/.*"user_id" *: *"\([^"]*\)".*/\1/p')
[ -n "$fan_out_author" ] || die "could not register the fan-out author"
sql "insert into friends (follower_id, followee_id)
     select id, '$fan_out_author' from users
      where id <> '$fan_out_author' and id not in (select user_id from celebrities)
      order by random() limit $FAN_OUT_FOLLOWERS" >/dev/null
sql "select follower_id from friends where followee_id = '$fan_out_author'" > "$WORK/fan-out-followers.txt"
[ "$(wc -l < "$WORK/fan-out-followers.txt")" = "$FAN_OUT_FOLLOWERS" ] || die "the fan-out author has $(wc -l < "$WORK/fan-out-followers.txt") followers"

echo "$ordinary" > "$WORK/ordinary.txt"
echo "$celebrity" > "$WORK/celebrity.txt"
echo "$fan_out_author" > "$WORK/fan-out-author.txt"
for f in readers ordinary celebrity fan-out-author fan-out-followers; do
  bench_tool dev.socnet.loadtest.report.BenchTokens --users="$WORK/$f.txt" --out="$WORK/$f.csv" >/dev/null
done
fan_out_token=$(tail -n 1 "$WORK/fan-out-author.csv" | cut -d, -f2)

# 3. Cache on: reads, creates, fan-out.
gatling_run read "$WARMUP_USERS" "$WARMUP_S" "$WORK/readers.csv" "$WORK/warmup/cached" "feed reads, cached, warm-up"
for users in "${USERS_LEVELS[@]}"; do
  gatling_run read "$users" "$DURATION_S" "$WORK/readers.csv" "$WORK/runs/read/cached/u$users" "feed reads, cached"
done
gatling_run read "$SCROLL_USERS" "$DURATION_S" "$WORK/readers.csv" "$WORK/runs/scroll/cached/u$SCROLL_USERS" \
  "feed reads, cached, first $SCROLL_PAGES pages" "$SCROLL_PAGES"
gatling_run create "$CREATE_USERS" "$CREATE_S" "$WORK/ordinary.csv" "$WORK/runs/create/ordinary/u$CREATE_USERS" \
  "post create, ordinary author ($ordinary_followers followers)"
gatling_run create "$CREATE_USERS" "$CREATE_S" "$WORK/celebrity.csv" "$WORK/runs/create/celebrity/u$CREATE_USERS" \
  "post create, celebrity ($celebrity_followers followers)"
wait_fan_out_idle
log "fan-out probe: $FAN_OUT_ROUNDS posts to $FAN_OUT_FOLLOWERS followers' cached feeds"
probe_from=$(date +%s)
bench_tool dev.socnet.loadtest.report.FanOutProbe --base-url="$BASE_URL" --redis-port="${SOCNET_REDIS_PORT:-16379}" \
  --author-token="$fan_out_token" --followers="$WORK/fan-out-followers.csv" --rounds="$FAN_OUT_ROUNDS" \
  --out="$WORK/fan-out.json" | tee "$WORK/logs/fan-out.log"
bench_server_metrics feed "$probe_from" "$(date +%s)" "$WORK/fan-out-$SERVER_METRICS" "$INSTANCE"
stop_app

# 4. Cache off: the same reads from PostgreSQL.
start_app false
gatling_run read "$WARMUP_USERS" "$WARMUP_S" "$WORK/readers.csv" "$WORK/warmup/uncached" "feed reads, uncached, warm-up"
for users in "${USERS_LEVELS[@]}"; do
  gatling_run read "$users" "$DURATION_S" "$WORK/readers.csv" "$WORK/runs/read/uncached/u$users" "feed reads, uncached"
done
gatling_run read "$SCROLL_USERS" "$DURATION_S" "$WORK/readers.csv" "$WORK/runs/scroll/uncached/u$SCROLL_USERS" \
  "feed reads, uncached, first $SCROLL_PAGES pages" "$SCROLL_PAGES"
stop_app

# 5. Report.
follows=$(sql "select count(*) from friends")
posts=$(sql "select count(*) from posts")
crowned=$(sql "select count(*) from celebrities")
environment="$(nproc) CPU cores and $(free -g | awk '/^Mem:/ {print $2}') GiB shared by the app, PostgreSQL $(sql 'show server_version') (primary + 2 replicas), Redis, RabbitMQ and Gatling."
graph="$users_count users, $follows follows, $posts posts, $crowned celebrities (more than ${SOCNET_FEED_CELEBRITY_THRESHOLD:-10000} followers); readers: $(wc -l < "$WORK/readers.txt") users who follow 20..200 others."
authors="Ordinary author: $ordinary_followers followers; celebrity: $celebrity_followers followers; $CREATE_USERS virtual users posting back to back for ${CREATE_S} s each."
mkdir -p "$DOCS"
report_status=0
( cd "$ROOT" && bench_tool dev.socnet.loadtest.report.FeedReport --runs="$WORK/runs" --fan-out="$WORK/fan-out.json" \
    --fan-out-server="$WORK/fan-out-$SERVER_METRICS" \
    --docs="$DOCS" --duration-s="$DURATION_S" --scroll-pages="$SCROLL_PAGES" --environment="$environment" --graph="$graph" --authors="$authors" ) || report_status=$?
log "done: $DOCS/feed.md, $DOCS/feed.json, $DOCS/feed-*.png; Gatling reports in $WORK/runs"
[ "$report_status" = 0 ] || die "a target is missed (exit $report_status; see $DOCS/feed.md)"
