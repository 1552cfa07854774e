#!/usr/bin/env bash
# ./socnet bench replicas — where reads go, and what quorum commit costs.
#
#   1. the read mix (GET /user/get + GET /user/search, ReadMixSimulation) against an app instance of the bench's
#      own (node "bench-replicas", SOCNET_BENCH_APP_PORT), first with its read pool on the primary
#      (SOCNET_DB_REPLICA_URL = the primary's URL), then on the two replicas (the normal configuration), same load,
#      same jar, same run; the cluster's own app instances keep running and take no part;
#   2. write latency on the primary with pgbench (one-row INSERT per transaction): quorum commit
#      (synchronous_commit=on, ANY 1 of the replicas) vs async (synchronous_commit=local), same run;
#   3. docs/benchmarks/replicas.{md,json} and PNG charts (ReplicasReport).
# The server side's figures of each read run come from the project's Prometheus over the run's window
# (ServerMetrics, ServerQuery.replicas): statements per second per PostgreSQL node and its role, CPU per
# component (the bench instance, each PostgreSQL node, Redis, RabbitMQ, HAProxy, the host).
# Runtime about 2 x (WARMUP_S + DURATION_S) + 2 x WRITE_S + 2 min; 4.5 min with the defaults.
#
# Run by ./socnet (repository root as working directory, socnet.env and secrets exported).
# Settings: SOCNET_BENCH_DURATION_S [60], SOCNET_BENCH_WARMUP_S [10], SOCNET_BENCH_USERS [50] (virtual
# users of the read mix), SOCNET_BENCH_WRITE_S [20] (seconds per pgbench run), SOCNET_BENCH_WRITE_CLIENTS [4],
# SOCNET_BENCH_APP_PORT [18189], SOCNET_BENCH_APP_JAR [socnet-app/target/socnet-app.jar],
# SOCNET_BENCH_DOCS_DIR [docs/benchmarks].
set -euo pipefail

# shellcheck source=scripts/lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench.sh"
bench_start replicas

DURATION_S=${SOCNET_BENCH_DURATION_S:-60}
WARMUP_S=${SOCNET_BENCH_WARMUP_S:-10}
USERS=${SOCNET_BENCH_USERS:-50}
WRITE_S=${SOCNET_BENCH_WRITE_S:-20}
WRITE_CLIENTS=${SOCNET_BENCH_WRITE_CLIENTS:-4}
APP_PORT=${SOCNET_BENCH_APP_PORT:-18189}
BENCH_APP_JAR=${SOCNET_BENCH_APP_JAR:-socnet-app/target/socnet-app.jar}
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
INSTANCE=bench-replicas
BASE_URL=http://127.0.0.1:$APP_PORT
MODULE=$BENCH_MODULE
WORK=$MODULE/target/bench/replicas
GATLING_OUT=$MODULE/target/gatling
FEEDER=$ROOT/$WORK/feeder.csv
SIMULATION=dev.socnet.loadtest.ReadMixSimulation

gatling_run() { # VARIANT DURATION DEST
  local variant=$1 duration=$2 dest=$3
  log "$variant: $USERS virtual users, ${duration}s"
  rm -rf "$GATLING_OUT"
  local started; started=$(date +%s)
  ./mvnw -q -pl "$MODULE" gatling:test -Dgatling.simulationClass="$SIMULATION" \
    -Dgatling.runDescription="read mix, reads on $variant, $USERS users, ${duration}s" \
    -DbaseUrl="$BASE_URL" -Dusers="$USERS" -DdurationS="$duration" -DfeederFile="$FEEDER" \
    > "$WORK/logs/$variant-$duration.log" 2>&1 || { tail -n 30 "$WORK/logs/$variant-$duration.log" >&2; die "Gatling failed: $variant"; }
  local reports=("$GATLING_OUT"/readmixsimulation-*)
  [ -d "${reports[0]}" ] || die "Gatling wrote no run directory for $variant (log: $WORK/logs/$variant-$duration.log)"
  local from; from=$(bench_gatling_started "${reports[0]}" "$started")
  rm -rf "$dest"; mkdir -p "$(dirname "$dest")"; mv "${reports[0]}" "$dest"
  bench_server_metrics replicas "$from" $((from + duration)) "$dest/server-metrics.json" "$INSTANCE"
}

read_variant() { # VARIANT READS_ON_PRIMARY
  local variant=$1 replica_url=$SOCNET_DB_REPLICA_URL
  [ "$2" = 1 ] && replica_url=$SOCNET_DB_URL
  SOCNET_DB_REPLICA_URL=$replica_url bench_app_start "$INSTANCE" "$APP_PORT" "$ROOT/$WORK/socnet-app.jar" \
    "$WORK/logs/app-$variant.log" --socnet.rate-limits.enabled=false
  gatling_run "$variant" "$WARMUP_S" "$WORK/warmup/$variant"
  gatling_run "$variant" "$DURATION_S" "$WORK/runs/$variant"
  bench_app_stop
}

write_variant() { # VARIANT SYNCHRONOUS_COMMIT
  local variant=$1 dir=$WORK/pgbench/$1
  mkdir -p "$dir"
  log "writes, $variant commit (synchronous_commit=$2): pgbench, $WRITE_CLIENTS clients, ${WRITE_S}s"
  local out
  out=$(cd "$dir" && PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS="-c synchronous_commit=$2" \
    "$PGBIN/pgbench" -n -h 127.0.0.1 -p "$(pg_primary_port)" -U "$SOCNET_DB_USER" -c "$WRITE_CLIENTS" -j 2 \
      -T "$WRITE_S" -l -f "$ROOT/$WORK/insert.sql" "$SOCNET_DB_NAME")
  echo "$out" | awk '/^tps/ {print $3; exit}' > "$WORK/pgbench/$variant.tps"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  bench_app_stop
  sql "drop table if exists bench_writes" >/dev/null 2>&1 || true
  exit "$status"
}

users=$(pg_user_count)
[ "$users" -ge 1000000 ] || die "users has $users rows; the benchmark needs 1,000,000: run ./socnet up"
for n in "${PG_NODES[@]}"; do pg_node_ready "$n" || die "PostgreSQL $n is down: ./socnet db start $n"; done
[ -f "$BENCH_APP_JAR" ] || die "no $BENCH_APP_JAR: run ./socnet up (or set SOCNET_BENCH_APP_JAR)"
if port_open "$APP_PORT" || port_open $((APP_PORT + 1000)); then die "port $APP_PORT or $((APP_PORT + 1000)) is taken: set SOCNET_BENCH_APP_PORT"; fi
prom_ready || warn "Prometheus ($(prom_url)) is not up: the runs get no server-side figures (./socnet up starts it)"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$WORK"; mkdir -p "$WORK/logs"
cp "$BENCH_APP_JAR" "$WORK/socnet-app.jar"
bench_build
bench_psql -c "\\copy (select id, left(first_name, 3) as first_name, left(second_name, 3) as last_name from users tablesample system (1) limit 5000) to '$FEEDER' with (format csv, header)"

read_variant primary-only 1
read_variant replicas 0

sql "create table if not exists bench_writes (id bigserial primary key, payload text not null)"
echo "insert into bench_writes (payload) values (md5(random()::text));" > "$WORK/insert.sql"
write_variant sync on
write_variant async local

report_status=0
bench_tool dev.socnet.loadtest.report.ReplicasReport --runs="$WORK/runs" \
  --pgbench="$WORK/pgbench" --docs="$DOCS" --users="$USERS" --duration-s="$DURATION_S" || report_status=$?
log "done: $DOCS/replicas.md, replicas.json, replicas-*.png"
[ "$report_status" = 0 ] || die "a target is missed (exit $report_status; see $DOCS/replicas.md)"
