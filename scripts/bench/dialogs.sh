#!/usr/bin/env bash
# ./socnet bench dialogs — dialogs on the sharded database: how dialog ids spread over the 32 partitions,
# send/list throughput and latency through the gateway with 2 workers and with 3, and the cut-over pause of
# partition moves under load.
#
# Assumes the local cluster, the app (the gateway) and the dialogs part are up (./socnet up), the users table
# is seeded, and the dialog shards have two workers. Steps:
#   1. check the gateway serves /dialog/*, the dialogs service is ready, two workers;
#   2. build socnet-loadtest; draw FEEDER_USERS real users, mint their tokens (BenchTokens), pair each with a
#      random other user (the feeder of DialogsSimulation);
#   3. write the spread data through the dialogs service's internal API (DialogsSpreadProbe): DIALOGS dialogs
#      of one message, one user writing to FAN_OUT others, one dialog of LONG_DIALOG messages, PAIR_HISTORY
#      messages in each feeder dialog; count rows per partition of the first two sets on the coordinator;
#      EXPLAIN a page of the long dialog (coordinator and worker);
#   4. two workers: warm-up, then Gatling send and list, DURATION_S each;
#   5. ./socnet shards add-worker, then ./socnet shards rebalance while Gatling sends and lists
#      (REBALANCE_RUN_S); the moves' cut-over timings come from shard_moves;
#   6. three workers: Gatling send and list, DURATION_S each;
#   7. ./socnet shards remove-worker (back to two workers; also on any exit once the worker was added), then
#      Gatling send and list again with two workers (the same placement as in 4: drift shows);
#   8. write docs/benchmarks/dialogs.{json,md}, the PNG charts and dialogs-plans.txt (DialogsReport).
# Runtime: about 6 x DURATION_S + REBALANCE_RUN_S + WARMUP_S + 5 min (builds, 212,000 writes, the moves
# back); 10 min with the defaults. The spread data stays in the dialogs database (texts start with the
# run's marker, "bench-<unix time>").
#
# Run by ./socnet with the repository root as working directory and socnet.env + .local/secrets.env exported.
# Settings (environment, defaults in brackets):
#   SOCNET_BENCH_DURATION_S [30]          seconds per measured run
#   SOCNET_BENCH_WARMUP_S [30]            seconds of warm-up load before the first run
#   SOCNET_BENCH_REBALANCE_RUN_S [60]     seconds of load around the rebalance (it starts 5 s in)
#   SOCNET_BENCH_USERS [32]               concurrent Gatling users, back to back
#   SOCNET_BENCH_FEEDER_USERS [2000]      real users in the feeder
#   SOCNET_BENCH_DIALOGS [100000]         dialogs of the spread set
#   SOCNET_BENCH_FAN_OUT [10000]          recipients of the one-sender set
#   SOCNET_BENCH_LONG_DIALOG [2000]       messages of the long dialog
#   SOCNET_BENCH_PAIR_HISTORY [50]        messages written into each feeder dialog before the runs (a full page)
#   SOCNET_BENCH_BASE_URL [http://127.0.0.1:$SOCNET_APP_PORT]   the gateway
#   SOCNET_BENCH_DOCS_DIR [docs/benchmarks]  output directory of the report
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
LOCAL=$ROOT/.local
PGBIN=/usr/lib/postgresql/15/bin
export PATH="$PGBIN:$PATH"
for lib in scripts/lib/*.sh; do
  # shellcheck disable=SC1090
  . "$lib"
done

DURATION_S=${SOCNET_BENCH_DURATION_S:-30}
WARMUP_S=${SOCNET_BENCH_WARMUP_S:-30}
REBALANCE_RUN_S=${SOCNET_BENCH_REBALANCE_RUN_S:-60}
USERS=${SOCNET_BENCH_USERS:-32}
FEEDER_USERS=${SOCNET_BENCH_FEEDER_USERS:-2000}
DIALOGS=${SOCNET_BENCH_DIALOGS:-100000}
FAN_OUT=${SOCNET_BENCH_FAN_OUT:-10000}
LONG_DIALOG=${SOCNET_BENCH_LONG_DIALOG:-2000}
# A full page of history in every dialog Gatling lists (the gateway's default limit), so list runs compare.
PAIR_HISTORY=${SOCNET_BENCH_PAIR_HISTORY:-50}
BASE_URL=${SOCNET_BENCH_BASE_URL:-http://127.0.0.1:${SOCNET_APP_PORT:-8080}}
SERVICE_URL=http://127.0.0.1:$SOCNET_DIALOGS_PORT
DOCS=${SOCNET_BENCH_DOCS_DIR:-docs/benchmarks}

SIMULATION=dev.socnet.loadtest.DialogsSimulation
MODULE=socnet-loadtest
WORK=$ROOT/$MODULE/target/bench/dialogs      # feeder, measurements, logs, Gatling reports (runs/...)
GATLING_OUT=$MODULE/target/gatling
MARKER="bench-$(date +%s)"
JAVA_BIN=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
APP_PG_URL="postgresql://$SOCNET_DB_USER:$SOCNET_DB_PASSWORD@127.0.0.1:$(pg_primary_port)/$SOCNET_DB_NAME"
DIALOGS_PG_URL="postgresql://$SOCNET_DB_USER:$SOCNET_DB_PASSWORD@127.0.0.1:$SOCNET_DIALOGS_PG_PORT/$DIALOGS_DB"
ADDED_WORKER=

log()  { printf '\033[1;34m[bench dialogs]\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[bench dialogs]\033[0m %s\n' "$*" >&2; exit 1; }
dialogs_sql() { psql -X -q -v ON_ERROR_STOP=1 "$DIALOGS_PG_URL" "$@"; }

# A worker this run added is removed again, whatever happens.
on_exit() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$ADDED_WORKER" ]; then
    log "removing $ADDED_WORKER again"
    ./socnet shards resume && ./socnet shards remove-worker "$ADDED_WORKER" \
      || { printf '\033[1;31m[bench dialogs]\033[0m %s\n' "could not remove $ADDED_WORKER: ./socnet shards status" >&2; status=1; }
  fi
  exit "$status"
}

# gatling_run NAME MODE DURATION_S DEST: one Gatling run; its HTML report is moved to DEST.
gatling_run() {
  local name=$1 mode=$2 duration=$3 dest=$4
  log "$name: $USERS concurrent users, $mode, ${duration}s"
  rm -rf "$GATLING_OUT"
  ./mvnw -q -pl "$MODULE" gatling:test \
    -Dgatling.simulationClass="$SIMULATION" \
    -Dgatling.runDescription="dialogs, $name, $USERS users, ${duration}s" \
    -DbaseUrl="$BASE_URL" -Dmode="$mode" -Dusers="$USERS" -DdurationS="$duration" -DfeederFile="$WORK/pairs.csv" \
    > "$WORK/logs/$(basename "$dest")-$mode.log" 2>&1 || true   # a KO fails the goal; the report still counts it
  local reports=("$GATLING_OUT"/dialogssimulation-*)
  [ -f "${reports[0]}/index.html" ] || die "Gatling wrote no report for $name (log: $WORK/logs/$(basename "$dest")-$mode.log)"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "${reports[0]}" "$dest"
}

# partition_rows WHERE FILE: rows of dialog_messages matching WHERE per partition (all 32, with their worker).
partition_rows() {
  dialogs_sql -c "\\copy (select c.relname as partition, s.srvname as worker, coalesce(m.n, 0) as rows
      from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_foreign_table ft on ft.ftrelid = c.oid
      join pg_foreign_server s on s.oid = ft.ftserver
      left join (select tableoid, count(*) as n from dialog_messages where $1 group by tableoid) m on m.tableoid = c.oid
     where i.inhparent = 'dialog_messages'::regclass order by 1) to '$2' with (format csv, header)"
}

# Issue #11 moved the dialogs onto Citus; this driver still measures the postgres_fdw design (partitions as
# foreign tables, shard_moves cut-over timings) and has not been ported yet. It refuses to run rather than
# report figures of a design that no longer exists. docs/benchmarks/dialogs.md keeps the FDW results.
die "not ported to Citus yet (issue #11): docs/benchmarks/dialogs.md holds the postgres_fdw design's figures as history"

command -v psql >/dev/null || die "psql not found (Debian package postgresql-client)"
[ -x "$JAVA_BIN" ] || command -v "$JAVA_BIN" >/dev/null || die "no java: set JAVA_HOME to a JDK 25"

# 1. Preconditions.
dialogs_cluster_ready || die "the dialogs part is not up: run ./socnet up (./socnet status shows dlg-* and dialogs)"
workers=$(dlg_workers | wc -l)
[ "$workers" = 2 ] || die "the bench compares 2 and 3 workers and expects 2 now, found $workers: ./socnet shards remove-worker WORKER"
[ -z "$(dlg_value coordinator "select 1 from shard_moves where state in ('copying', 'switched')")" ] \
  || die "there are open moves: ./socnet shards resume"
probe=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE_URL/dialog/$(cat /proc/sys/kernel/random/uuid)/list" || true)
[ "$probe" = 401 ] || die "the gateway at $BASE_URL answered ${probe:-nothing} (not 401) to an anonymous /dialog/*/list: is it a build with the dialogs gateway?"
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 2. Build, feeder.
log "building $MODULE"
./mvnw -q -pl "$MODULE" test-compile
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/runs"
report_cp="$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")"
log "feeder: $FEEDER_USERS users with tokens, each paired with a random other user"
psql -X -q -At "$APP_PG_URL" -c "select id from users tablesample system (1) limit $FEEDER_USERS" > "$WORK/users.txt"
[ "$(wc -l < "$WORK/users.txt")" -ge 2 ] || die "too few users in the database: run ./socnet up (seeds) or ./socnet seed"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.BenchTokens --users="$WORK/users.txt" --out="$WORK/tokens.csv" >/dev/null
{
  echo "user_id,token,peer_id"
  paste -d, <(tail -n +2 "$WORK/tokens.csv") <(shuf "$WORK/users.txt")
} > "$WORK/pairs.csv"

# 3. Spread data, counts per partition, plans.
log "writing $DIALOGS dialogs, one sender to $FAN_OUT users, a dialog of $LONG_DIALOG messages and $PAIR_HISTORY messages in each feeder dialog (marker $MARKER)"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.DialogsSpreadProbe --service-url="$SERVICE_URL" \
  --dialogs="$DIALOGS" --fan-out="$FAN_OUT" --long-dialog="$LONG_DIALOG" --concurrency=64 \
  --pairs="$WORK/pairs.csv" --pair-messages="$PAIR_HISTORY" \
  --marker="$MARKER" --out="$WORK/spread.json"
gaga=$(sed -n 's/.*"gagaUser" *: *"\([^"]*\)".*/\1/p' "$WORK/spread.json")
long_left=$(tr -d '\n ' < "$WORK/spread.json" | sed -n 's/.*"longDialog":\["\([^"]*\)","\([^"]*\)"\].*/\1/p')
long_right=$(tr -d '\n ' < "$WORK/spread.json" | sed -n 's/.*"longDialog":\["\([^"]*\)","\([^"]*\)"\].*/\2/p')
log "counting rows per partition"
partition_rows "text = '$MARKER spread'" "$WORK/spread.csv"
partition_rows "from_user = '$gaga'" "$WORK/gaga.csv"

log "EXPLAIN of a page of the long dialog"
long_dialog=$(dialogs_sql -At -c "select dialog_id from dialog_messages where text = '$MARKER long' limit 1")
long_partition=$(dialogs_sql -At -c "select tableoid::regclass from dialog_messages where dialog_id = '$long_dialog' limit 1")
cursor=$(dialogs_sql -At -c "select id from dialog_messages where dialog_id = '$long_dialog' order by id desc offset $((LONG_DIALOG / 2)) limit 1")
{
  echo "Dialog page plans, captured by scripts/bench/dialogs.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ): the dialog of"
  echo "$long_left and $long_right ($LONG_DIALOG messages, dialog_id $long_dialog, partition $long_partition)."
  echo "On the coordinator, as the service's role (plan_cache_mode = force_custom_plan, enable_sort = off):"
  dialogs_sql <<SQL
\\echo '\n== newest page (DialogMessageRepository.NEWEST), limit 50 =='
explain (analyze, verbose, costs off)
select dialog_id, id, from_user, to_user, text, created_at from dialog_messages
 where dialog_id = '$long_dialog' order by id desc limit 50;
\\echo '\n== older page (DialogMessageRepository.OLDER), from the middle of the dialog, limit 50 =='
explain (analyze, verbose, costs off)
select dialog_id, id, from_user, to_user, text, created_at from dialog_messages
 where dialog_id = '$long_dialog' and id < '$cursor' order by id desc limit 50;
\\echo '\n== insert (routed to the partition at run time) =='
begin;
explain (analyze, verbose, costs off)
insert into dialog_messages (dialog_id, id, from_user, to_user, text, created_at)
values ('$long_dialog', gen_random_uuid(), '$long_left', '$long_right', 'explain', now());
rollback;
SQL
  worker=$(dlg_placement "$long_partition")
  echo
  echo "== on $worker: the remote SQL of the older page, as postgres_fdw sends it (a cursor, FETCH 100) =="
  dlg_psql "$worker" -c "explain (analyze, costs off)
    select dialog_id, id, from_user, to_user, text, created_at from public.$long_partition
     where id < '$cursor' and dialog_id = '$long_dialog' order by id desc nulls first"
} > "$WORK/dialogs-plans.txt" 2>&1

# 4. Two workers.
gatling_run "warm-up" mixed "$WARMUP_S" "$WORK/warmup"
gatling_run "send, 2 workers" send "$DURATION_S" "$WORK/runs/workers2/send"
gatling_run "list, 2 workers" list "$DURATION_S" "$WORK/runs/workers2/list"

# 5. A third worker, partitions moved onto it under load.
last_move=$(dlg_value coordinator "select coalesce(max(id), 0) from shard_moves")
ADDED_WORKER=$(./socnet shards add-worker | tail -n1)
log "added $ADDED_WORKER; rebalancing under load"
gatling_run "send + list while rebalancing" mixed "$REBALANCE_RUN_S" "$WORK/runs/rebalance" &
gatling_pid=$!
sleep 5
./socnet shards rebalance 2>&1 | tee "$WORK/logs/rebalance.log" >&2
wait "$gatling_pid"
dlg_psql coordinator -c "\\copy (select id, partition_table as partition, source_worker as source,
    target_worker as target, coalesce(rows_at_start, 0) as rows, blocked_ms, lock_wait_ms, catchup_wait_ms,
    cutover_attempts as attempts, round(extract(epoch from finished_at - started_at), 1) as duration_s
    from shard_moves where id > $last_move and state = 'done' order by id) to stdout with (format csv, header)" \
  > "$WORK/moves.csv"

# 6. Three workers.
gatling_run "send, 3 workers" send "$DURATION_S" "$WORK/runs/workers3/send"
gatling_run "list, 3 workers" list "$DURATION_S" "$WORK/runs/workers3/list"

# 7. Back to two workers, measured again (drift over the run shows as a difference between the two 2-worker phases).
./socnet shards remove-worker "$ADDED_WORKER"
ADDED_WORKER=
gatling_run "send, 2 workers again" send "$DURATION_S" "$WORK/runs/workers2-again/send"
gatling_run "list, 2 workers again" list "$DURATION_S" "$WORK/runs/workers2-again/list"

# 8. Report.
mkdir -p "$DOCS"
cp "$WORK/dialogs-plans.txt" "$DOCS/dialogs-plans.txt"
environment="$(nproc) CPU cores and $(free -g | awk '/^Mem:/ {print $2}') GiB shared by the gateway, socnet-dialogs, the dialog coordinator and workers (PostgreSQL $(dlg_value coordinator 'show server_version')), the main PostgreSQL, Redis, RabbitMQ and Gatling $(sed -n 's:.*<gatling.version>\(.*\)</gatling.version>.*:\1:p' pom.xml)"
"$JAVA_BIN" -cp "$report_cp" dev.socnet.loadtest.report.DialogsReport \
  --load="$WORK/spread.json" --spread="$WORK/spread.csv" --gaga="$WORK/gaga.csv" --moves="$WORK/moves.csv" \
  --runs="$WORK/runs" --docs="$DOCS" --duration-s="$DURATION_S" --users="$USERS" --environment="$environment"
log "done: $DOCS/dialogs.md, $DOCS/dialogs.json, $DOCS/dialogs-*.png, $DOCS/dialogs-plans.txt; Gatling reports in $WORK/runs"
