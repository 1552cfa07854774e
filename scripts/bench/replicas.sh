#!/usr/bin/env bash
# ./socnet bench replicas — where reads go, and what quorum commit costs.
#
#   1. the read mix (GET /user/get + GET /user/search, ReadMixSimulation) with the app's read pool on
#      the primary only (app instances restarted with SOCNET_READS_ON_PRIMARY=1), then on the two
#      replicas (the normal configuration), same load, same run; statements on `users` counted per
#      node from pg_stat_statements deltas;
#   2. write latency on the primary with pgbench (one-row INSERT per transaction): quorum commit
#      (synchronous_commit=on, ANY 1 of the replicas) vs async (synchronous_commit=local), same run;
#   3. docs/benchmarks/replicas.{md,json} and PNG charts (ReplicasReport).
# Runtime about 2 x (WARMUP_S + DURATION_S) + 2 x WRITE_S + 2 min; 4.5 min with the defaults.
#
# Run by ./socnet (repository root as working directory, socnet.env and secrets exported).
# Settings: SOCNET_BENCH_DURATION_S [60], SOCNET_BENCH_WARMUP_S [10], SOCNET_BENCH_USERS [50] (virtual
# users of the read mix), SOCNET_BENCH_WRITE_S [20] (seconds per pgbench run), SOCNET_BENCH_WRITE_CLIENTS [4],
# SOCNET_BENCH_DOCS_DIR [docs/benchmarks].
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
LOCAL=$ROOT/.local
PGBIN=/usr/lib/postgresql/15/bin
for lib in scripts/lib/*.sh; do
  # shellcheck disable=SC1090
  . "$lib"
done

DURATION_S=${SOCNET_BENCH_DURATION_S:-60}
WARMUP_S=${SOCNET_BENCH_WARMUP_S:-10}
USERS=${SOCNET_BENCH_USERS:-50}
WRITE_S=${SOCNET_BENCH_WRITE_S:-20}
WRITE_CLIENTS=${SOCNET_BENCH_WRITE_CLIENTS:-4}
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}
BASE_URL=http://127.0.0.1:$SOCNET_APP_PORT
MODULE=socnet-loadtest
WORK=$MODULE/target/bench/replicas
GATLING_OUT=$MODULE/target/gatling
FEEDER=$ROOT/$WORK/feeder.csv
SIMULATION=dev.socnet.loadtest.ReadMixSimulation

blog() { printf '\033[1;34m[bench replicas]\033[0m %s\n' "$*" >&2; }

# SQL as superuser in the application database of one node (pg_stat_statements lives there).
app_db_query() { # NODE SQL
  as_postgres "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 -h "$LOCAL/run" -p "$(pg_node_port "$1")" -d "$SOCNET_DB_NAME" -c "$2"
}

# Statements on users run by NODE since the last reset, in the application database.
node_calls() {
  app_db_query "$1" "select coalesce(sum(calls), 0) from pg_stat_statements s
     join pg_database d on d.oid = s.dbid where d.datname = '$SOCNET_DB_NAME' and s.query ilike '%from users%'"
}
reset_statements() {
  local n
  for n in "${PG_NODES[@]}"; do app_db_query "$n" "select pg_stat_statements_reset()" >/dev/null; done
}
node_role() { [ "$(pg_query "$(pg_node_port "$1")" 'select pg_is_in_recovery()')" = t ] && echo replica || echo primary; }

# Restarts every app instance, one at a time (HAProxy keeps serving from the other).
restart_app() {
  local n
  for n in $(app_instances); do
    app_stop_instance "$n"
    app_start_instance "$n"
    app_wait_instance "$n"
  done
  wait_for 30 "HAProxy" app_ready
}

gatling_run() { # VARIANT DURATION DEST
  local variant=$1 duration=$2 dest=$3
  blog "$variant: $USERS virtual users, ${duration}s"
  rm -rf "$GATLING_OUT"
  ./mvnw -q -pl "$MODULE" gatling:test -Dgatling.simulationClass="$SIMULATION" \
    -Dgatling.runDescription="read mix, reads on $variant, $USERS users, ${duration}s" \
    -DbaseUrl="$BASE_URL" -Dusers="$USERS" -DdurationS="$duration" -DfeederFile="$FEEDER" \
    > "$WORK/logs/$variant-$duration.log" 2>&1 || true
  local reports=("$GATLING_OUT"/readmixsimulation-*)
  [ -f "${reports[0]}/index.html" ] || die "Gatling wrote no report for $variant (log: $WORK/logs/$variant-$duration.log)"
  rm -rf "$dest"; mkdir -p "$(dirname "$dest")"; mv "${reports[0]}" "$dest"
}

read_variant() { # VARIANT READS_ON_PRIMARY
  local variant=$1
  blog "app read pool: $variant"
  SOCNET_READS_ON_PRIMARY=$2 restart_app
  gatling_run "$variant" "$WARMUP_S" "$WORK/warmup/$variant"
  reset_statements
  gatling_run "$variant" "$DURATION_S" "$WORK/runs/$variant"
  local n
  for n in "${PG_NODES[@]}"; do echo "$variant,$n,$(node_role "$n"),$(node_calls "$n")" >> "$WORK/nodes.csv"; done
}

write_variant() { # VARIANT SYNCHRONOUS_COMMIT
  local variant=$1 dir=$WORK/pgbench/$1
  mkdir -p "$dir"
  blog "writes, $variant commit (synchronous_commit=$2): pgbench, $WRITE_CLIENTS clients, ${WRITE_S}s"
  local out
  out=$(cd "$dir" && PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS="-c synchronous_commit=$2" \
    "$PGBIN/pgbench" -n -h 127.0.0.1 -p "$(pg_primary_port)" -U "$SOCNET_DB_USER" -c "$WRITE_CLIENTS" -j 2 \
      -T "$WRITE_S" -l -f "$ROOT/$WORK/insert.sql" "$SOCNET_DB_NAME")
  echo "$out" | awk '/^tps/ {print $3; exit}' > "$WORK/pgbench/$variant.tps"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS='-c statement_timeout=0' "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$(pg_primary_port)" -U "$SOCNET_DB_USER" \
    -d "$SOCNET_DB_NAME" -c "drop table if exists bench_writes" >/dev/null 2>&1 || true
  if [ "${READS_RESTORED:-0}" != 1 ]; then
    blog "restoring the app's read pool (replicas)"
    SOCNET_READS_ON_PRIMARY=0 restart_app || true
  fi
  exit "$status"
}

find_java
app_ready || die "the app is not up: run ./socnet up"
users=$(pg_user_count)
[ "$users" -ge 1000000 ] || die "users has $users rows; the benchmark needs 1,000,000: run ./socnet up"
for n in "${PG_NODES[@]}"; do pg_node_ready "$n" || die "PostgreSQL $n is down: ./socnet db start $n"; done
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

blog "building $MODULE"
./mvnw -q -pl "$MODULE" test-compile
rm -rf "$WORK"; mkdir -p "$WORK/logs"
echo "variant,node,role,calls" > "$WORK/nodes.csv"
PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS='-c statement_timeout=0' "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$(pg_primary_port)" -U "$SOCNET_DB_USER" -d "$SOCNET_DB_NAME" \
  -c "\\copy (select id, left(first_name, 3) as first_name, left(second_name, 3) as last_name from users tablesample system (1) limit 5000) to '$FEEDER' with (format csv, header)"

read_variant primary-only 1
read_variant replicas 0
READS_RESTORED=1

PGPASSWORD=$SOCNET_DB_PASSWORD PGOPTIONS='-c statement_timeout=0' "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$(pg_primary_port)" -U "$SOCNET_DB_USER" -d "$SOCNET_DB_NAME" \
  -c "create table if not exists bench_writes (id bigserial primary key, payload text not null)"
echo "insert into bench_writes (payload) values (md5(random()::text));" > "$WORK/insert.sql"
write_variant sync on
write_variant async local

report_cp="$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")"
"$JAVA" -cp "$report_cp" dev.socnet.loadtest.report.ReplicasReport --runs="$WORK/runs" --nodes="$WORK/nodes.csv" \
  --pgbench="$WORK/pgbench" --docs="$DOCS" --users="$USERS" --duration-s="$DURATION_S"
blog "done: $DOCS/replicas.md, replicas.json, replicas-*.png"
